"""A `file://` printer address opens only a character device: a regular file (a stand-in for /etc/shadow)
is refused and left byte for byte as it was, a missing path is not created, a FIFO does not hang. The
test page as a file is `--preview`. Each case counts in the README's reliability table ("special files")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from device.errors import AddressError, DeviceError
from device.printer.printer_profile import PROFILES
from device.printer.printer_simulator import PrinterSimulator
from device.printer.receipt import Receipt
from device.printer.receipt_printer import ReceiptPrinter, file_printer

P80 = PROFILES["80mm"]
SHADOW = "root:$6$Qx9.salt$hash:19000:0:99999:7:::\n"


def _print(path) -> None:
    with ReceiptPrinter(file_printer(str(path)), P80, write_timeout=1.0) as printer:
        printer.print_receipt(Receipt().text("不应写入").cut(), check_status=False)


def test_a_regular_file_is_refused_and_not_touched(tmp_path):
    target = tmp_path / "shadow"
    target.write_text(SHADOW, encoding="utf-8")
    before = target.stat()
    with pytest.raises(AddressError) as caught:
        _print(target)
    assert "普通文件" in caught.value.zh and "--preview" in caught.value.hint
    assert target.read_text(encoding="utf-8") == SHADOW
    assert target.stat().st_mtime_ns == before.st_mtime_ns


def test_a_missing_path_is_not_created(tmp_path):
    with pytest.raises(DeviceError):
        _print(tmp_path / "lp9")
    assert not (tmp_path / "lp9").exists()


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink to a file"])
def test_other_kinds_are_refused_at_once(tmp_path, kind):
    target = tmp_path / "lp0"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        (tmp_path / "real").write_text(SHADOW, encoding="utf-8")
        target.symlink_to(tmp_path / "real")
    start = time.monotonic()
    with pytest.raises(DeviceError):
        _print(target)
    assert time.monotonic() - start < 5
    if kind == "symlink to a file":
        assert (tmp_path / "real").read_text(encoding="utf-8") == SHADOW


def test_a_character_device_prints(tmp_path):
    with PrinterSimulator(transport="pty", dots=P80.dots, out_dir=tmp_path / "printer") as sim:
        with ReceiptPrinter(file_printer(sim.port), P80) as printer:
            printer.print_receipt(Receipt().text("字符设备").cut(), check_status=False)
        assert "字符设备" in sim.wait_for_pages(1)[0].text


def _kiosk(tmp_path, *args):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[devices]\nprinter = "file://{tmp_path / "shadow"}"\n', encoding="utf-8")
    env = {"KIOSK_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_diag_test_page_refuses_a_regular_file_and_preview_still_works(tmp_path):
    target = tmp_path / "shadow"
    target.write_text(SHADOW, encoding="utf-8")
    result = _kiosk(tmp_path, "diag", "printer", "--test-page")
    assert result.returncode != 0
    assert "不是打印机设备" in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == SHADOW
    preview = tmp_path / "page.png"
    result = _kiosk(tmp_path, "diag", "printer", "--preview", str(preview), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["preview"] == str(preview) and preview.stat().st_size > 0


def test_diag_reports_the_refused_address_as_a_fault(tmp_path):
    (tmp_path / "shadow").write_text(SHADOW, encoding="utf-8")
    result = _kiosk(tmp_path, "diag", "printer")
    assert result.returncode != 0 and "[故障 FAULT]" in result.stdout and "不是打印机设备" in result.stdout
    assert (tmp_path / "shadow").read_text(encoding="utf-8") == SHADOW
