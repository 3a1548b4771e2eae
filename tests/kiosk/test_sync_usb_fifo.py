"""`kiosk sync --from` and `kiosk content import-gazette` on a USB stick holding a named pipe: refused at once
with a message naming it, the sync lock freed (the next sync runs), the error kept in `sync status`."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time

from city import cli as city_cli
from kiosk import cli as kiosk_cli
from kiosk.library import bundled_gazette_path


def city(*args: str) -> int:
    return city_cli.main(list(args))


def kiosk(*args: str) -> int:
    return kiosk_cli.main(list(args))


def _release_after(fifo, seconds: float = 5.0) -> None:
    """If the code under test still opened the FIFO, a writer comes and goes so the test fails, not hangs."""

    def writer() -> None:
        time.sleep(seconds)
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass

    threading.Thread(target=writer, daemon=True).start()


def test_a_fifo_on_the_stick_fails_the_sync_at_once_and_the_next_sync_runs(cli_env, capsys):
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    assert city("publish", "--gazette", str(bundled_gazette_path())) == 0
    assert city("export", "--to", str(cli_env / "usb")) == 0
    assert city("enrol", "xian-01", "--out", str(cli_env / "xian-01.json")) == 0
    assert kiosk("enrol", str(cli_env / "xian-01.json")) == 0
    root = cli_env / "usb" / "root.json"
    shutil.move(root, cli_env / "root.json")
    os.mkfifo(root)
    _release_after(root)
    capsys.readouterr()

    start = time.monotonic()
    assert kiosk("sync", "--from", str(cli_env / "usb"), "--once") == 2
    assert time.monotonic() - start < 4
    out = capsys.readouterr()
    assert "命名管道" in out.out + out.err and "另一个同步任务" not in out.out + out.err
    assert kiosk("sync", "status", "--json") == 0
    assert "named pipe" in json.loads(capsys.readouterr().out)["last_error"]

    root.unlink()
    shutil.move(cli_env / "root.json", root)
    assert kiosk("sync", "--from", str(cli_env / "usb"), "--once") == 0
    assert "已更新到版本 1" in capsys.readouterr().out


def test_import_gazette_of_a_fifo_is_refused_at_once(cli_env, capsys):
    fifo = cli_env / "gazette.md"
    os.mkfifo(fifo)
    _release_after(fifo)
    start = time.monotonic()
    assert kiosk("content", "import-gazette", str(fifo)) != 0
    assert time.monotonic() - start < 4
    assert "命名管道" in capsys.readouterr().err
