"""Special files on a USB stick (a FIFO, a device, a socket) are refused before they are opened, and a read
that never returns ends with an error: `sync --from` and `import-gazette` neither hang nor keep the
sync lock. Each case counts in the README's reliability table ("special files")."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from channel_kit import item, make_city, open_kiosk, publish_items

from content import media
from content.channel import ChannelError
from content.errors import ImportFailed
from content.gazette import read_gazette_file
from content.sync import sync_status
from content.transport import DirectorySource

SEED = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"


def _unblock_after(fifo: Path, seconds: float = 5.0) -> threading.Thread:
    """A safety net so that a test of code that still opens a FIFO fails instead of hanging: a writer
    comes and goes after `seconds`, which releases a reader stuck in open()."""

    def writer() -> None:
        time.sleep(seconds)
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass  # nobody is reading: nothing is stuck

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def special(tmp_path):
    """name → a path of that kind; the socket is bound for the test's duration."""
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    _unblock_after(fifo)
    sock_path = tmp_path / "s.md"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    folder = tmp_path / "folder.md"
    folder.mkdir()
    yield {"fifo": fifo, "chardev": Path("/dev/zero"), "socket": sock_path, "directory": folder}
    sock.close()


KINDS = {"fifo": "命名管道", "chardev": "字符设备", "socket": "套接字", "directory": "文件夹"}


@pytest.mark.parametrize("kind", KINDS)
def test_open_regular_refuses_what_is_not_a_regular_file(special, kind):
    start = time.monotonic()
    with pytest.raises(media.MediaError) as exc:
        media.open_regular(special[kind])
    assert KINDS[kind] in exc.value.zh and "not a regular file" in str(exc.value)
    assert time.monotonic() - start < 4  # refused, not released by the safety net after 5 s


def test_a_symlink_to_a_fifo_is_refused_too(special, tmp_path):
    link = tmp_path / "link.md"
    link.symlink_to(special["fifo"])
    with pytest.raises(media.MediaError, match="named pipe"):
        media.open_regular(link)


def test_a_read_that_never_returns_times_out():
    reader, writer = os.pipe()  # nothing is ever written: a read blocks like a dead stick
    fh = os.fdopen(reader, "rb")
    try:
        with pytest.raises(media.MediaError) as exc:
            media.read(fh, 100, Path("/media/usb/x"), timeout=0.2)
        assert "did not answer within 0.2 s" in str(exc.value) and "无响应" in exc.value.zh
    finally:
        os.close(writer)  # the abandoned thread's read returns now


def test_regular_files_are_read_whole_in_chunks(tmp_path):
    path = tmp_path / "big"
    data = os.urandom(media.CHUNK * 2 + 5)
    path.write_bytes(data)
    assert media.read_file(path, len(data) + 1) == data
    assert media.read_file(path, 10) == data[:10]


@pytest.mark.parametrize("kind", KINDS)
def test_import_gazette_refuses_special_files(special, kind):
    with pytest.raises(ImportFailed) as exc:
        read_gazette_file(special[kind])
    assert KINDS[kind] in exc.value.zh


def test_a_regular_gazette_still_reads(tmp_path):
    assert read_gazette_file(SEED).text.startswith("\n\n# 定州市人民政府公报")


# --- sync from a folder --------------------------------------------------------------------------


@pytest.fixture
def channel(tmp_path):
    city = make_city(tmp_path / "city")
    publish_items(city, [item(n) for n in range(30)])
    folder = tmp_path / "usb"
    city.repo.export(folder)
    library, client = open_kiosk(tmp_path / "kiosk", city)
    yield folder, library, client
    library.close()


def _fifo_instead_of(path: Path) -> Path:
    saved = path.with_name(path.name + ".saved")
    path.rename(saved)
    os.mkfifo(path)
    _unblock_after(path)
    return saved


def _channel_files(folder: Path, under: str) -> list[Path]:
    return sorted(p for p in (folder / under).rglob("*") if p.is_file())


@pytest.mark.parametrize("which", ["root.json", "shards", "blobs"])
def test_a_fifo_in_the_channel_folder_fails_the_sync_at_once_and_frees_the_lock(channel, which):
    folder, library, client = channel
    target = folder / which if which == "root.json" else _channel_files(folder, which)[0]
    saved = _fifo_instead_of(target)
    start = time.monotonic()
    with pytest.raises(ChannelError) as exc:  # TransferFailed, or Incomplete naming it for a blob
        client.sync(DirectorySource(folder))
    assert time.monotonic() - start < 4
    assert "命名管道" in exc.value.zh
    assert sync_status(library).last_error and "named pipe" in sync_status(library).last_error
    # the lock is free: with the real file back the next sync runs and applies the version
    target.unlink()
    shutil.move(saved, target)
    report = client.sync(DirectorySource(folder))
    assert (report.to_version, report.added) == (1, 30)
