"""The printer adapter on python-escpos transports against the printer simulator (pty and TCP)."""

from __future__ import annotations

import time

import pytest
import zxingcpp
from PIL import Image

from device.errors import DeviceError, DeviceTimeout
from device.printer.printer_profile import PROFILES
from device.printer.printer_simulator import PrinterSimulator
from device.printer.printer_status import PrinterStatus, is_valid, reply_byte
from device.printer.receipt import Receipt
from device.printer.receipt_printer import (
    PrinterNotReady,
    ReceiptPrinter,
    file_printer,
    network_printer,
    serial_printer,
)
from device.printer.sample_receipts import queue_ticket

P80 = PROFILES["80mm"]


@pytest.fixture(params=["pty", "tcp"])
def sim(request, tmp_path):
    with PrinterSimulator(transport=request.param, dots=P80.dots, out_dir=tmp_path / "printer") as simulator:
        yield simulator


@pytest.fixture
def printer(sim):
    if sim.transport == "pty":
        escpos_printer = serial_printer(sim.port, 115200)
    else:
        escpos_printer = network_printer(*sim.address, timeout=2)
    with ReceiptPrinter(escpos_printer, P80, status_timeout=0.5, write_timeout=1.0) as adapter:
        yield adapter


def test_reply_bytes_match_the_reference():
    assert (
        reply_byte(4) == 0x12
        and reply_byte(4, paper="near-end") == 0x1E
        and reply_byte(4, paper="out") == 0x72
    )
    assert all(is_valid(reply_byte(n, paper=p, cover_open=c)) for n in (1, 2, 3, 4)
               for p in ("ok", "near-end", "out") for c in (False, True))  # fmt: skip
    assert not is_valid(0x00) and not is_valid(0xFF)


def test_status_decoding_without_a_printer():
    silent = PrinterStatus(replies={1: None})
    assert [p.code for p in silent.problems] == ["no-reply"] and silent.paper_out is None and not silent.ready
    garbage = PrinterStatus(replies={1: None}, invalid=True)
    assert [p.code for p in garbage.problems] == ["bad-reply"] and not garbage.ready
    out = PrinterStatus(replies={n: reply_byte(n, paper="out") for n in (1, 2, 3, 4)})
    assert out.paper_out and out.offline and [p.code for p in out.problems] == ["paper-out"]
    unsupported = PrinterStatus(supported=False)
    assert unsupported.problems == [] and not unsupported.ready


def test_receipt_printed_and_rendered_as_png(sim, printer):
    sent = printer.print_receipt(queue_ticket(url="https://zwfw.example.gov.cn/q?t=A012"))
    page = sim.wait_for_pages(1)[0]
    assert sent == sim.received - 12  # everything but the four 3-byte status queries
    assert page.find("A012").height == 3 and "社保医保综合窗口" in page.text
    assert page.qr_codes == ["https://zwfw.example.gov.cn/q?t=A012"]
    assert len(sim.files) == 1 and sim.files[0].parent.name == "printer"
    with Image.open(sim.files[0]) as png:
        texts = [r.text for r in zxingcpp.read_barcodes(png.convert("L"))]
    assert texts == ["https://zwfw.example.gov.cn/q?t=A012"]


def test_status_ok(printer):
    status = printer.status()
    assert status.answered and status.ready and status.problems == []
    assert status.paper_out is False and status.cover_open is False


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ({"paper": "out"}, "paper-out"),
        ({"cover_open": True}, "cover-open"),
        ({"cutter_error": True}, "cutter-error"),
    ],
)
def test_blocking_states_refuse_to_print(sim, printer, state, code):
    for key, value in state.items():
        setattr(sim, key, value)
    status = printer.status()
    assert not status.ready and status.problems[0].code == code
    with pytest.raises(PrinterNotReady) as info:
        printer.print_receipt(queue_ticket())
    assert info.value.hint
    assert sim.pages == []


def test_paper_out_printer_prints_nothing_even_when_forced(sim, printer):
    sim.paper = "out"
    printer.print_receipt(Receipt().text("不应打印").cut(), check_status=False)
    deadline = time.monotonic() + 5
    while sim.discarded == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sim.discarded > 0 and sim.pages == []


def test_paper_out_hint(sim, printer):
    sim.paper = "out"
    assert printer.status().problems[0].hint == "打印机缺纸，请更换纸卷"


def test_paper_near_end_is_a_warning_only(sim, printer):
    sim.paper = "near-end"
    status = printer.status()
    assert status.ready and [p.code for p in status.problems] == ["paper-near-end"]
    printer.print_receipt(queue_ticket())
    assert len(sim.wait_for_pages(1)) == 1


def test_silent_printer_is_no_reply_never_paper_ok(sim, printer):
    sim.silent = True
    started = time.monotonic()
    status = printer.status()
    assert time.monotonic() - started < 2
    assert not status.answered and not status.ready
    assert status.paper_out is None and [p.code for p in status.problems] == ["no-reply"]


def test_stuck_printer_write_times_out(tmp_path):
    # On a pty the baud rate is only bookkeeping; a high one keeps the wire-time allowance small.
    with (
        PrinterSimulator(transport="pty") as sim,
        ReceiptPrinter(serial_printer(sim.port, 4_000_000), P80, write_timeout=1.0) as printer,
    ):
        assert printer.status().ready
        sim.stall = True
        big = Receipt().picture(Image.new("1", (576, 3000), 0))  # 216 kB: more than the pty buffers
        started = time.monotonic()
        with pytest.raises(DeviceTimeout) as info:
            printer.print_receipt(big, check_status=False)
        assert time.monotonic() - started < 6
        assert "打印机" in info.value.zh and "缺纸" in info.value.hint
        sim.stall = False
        assert printer.status().ready  # reconnected on next use


def test_reconnects_after_a_failure(sim, printer):
    printer.status()
    printer._reset_connection()  # what a failed write does
    assert printer.status().ready
    printer.print_receipt(Receipt().text("重新连接").cut())
    assert sim.wait_for_pages(1)[0].text == "重新连接"


def test_unreachable_printer_is_a_typed_error():
    with (
        ReceiptPrinter(network_printer("127.0.0.1", 9, timeout=1), P80) as printer,
        pytest.raises(DeviceError) as info,
    ):
        printer.status()
    assert info.value.zh and info.value.hint


def test_file_transport_prints_and_reports_status_unsupported(tmp_path):
    # a file:// printer is a character device (as /dev/usb/lp0 is): the simulator's pty stands in for it
    with PrinterSimulator(transport="pty", dots=P80.dots, out_dir=tmp_path / "printer") as sim:
        with ReceiptPrinter(file_printer(sim.port), P80) as printer:
            assert printer.status() == PrinterStatus(supported=False)
            printer.print_receipt(Receipt().text("文件打印").cut())
        assert "文件打印" in sim.wait_for_pages(1)[0].text  # received as GB18030 bytes and decoded
