"""A resident prints what they read: the reader's 打印要点 on the (simulated) receipt printer."""

import pytest
from conftest import close_kiosk, open_kiosk

from kiosk.services import build

OLD_HOUSING = "gz-d24868-2022-02-06"


def open_reader_with_printer(qtbot, config, data_dir, printer: str):
    services = build(config.with_values(devices__printer=printer), data_dir)
    kiosk = open_kiosk(qtbot, services)
    kiosk.app_state.open("reader", {"itemId": OLD_HOUSING})
    kiosk.wait_screen("reader")
    qtbot.waitUntil(lambda: kiosk.reader_text() != "")
    return kiosk


def test_printing_the_key_points_puts_a_receipt_in_the_tray(qtbot, qapp, config, data_dir):
    kiosk = open_reader_with_printer(qtbot, config, data_dir, "sim://")
    try:
        kiosk.click("printButton")
        qtbot.waitUntil(lambda: kiosk.find("printStatus") is not None, timeout=20000)
        assert kiosk.get("printStatus").property("text") == "已打印，请在出纸口取走小票。"
        pages = list((data_dir / "printer").glob("*.png"))
        assert len(pages) == 1
    finally:
        close_kiosk(kiosk)


def test_a_printer_out_of_paper_says_so_and_the_page_stays(qtbot, qapp, config, data_dir):
    kiosk = open_reader_with_printer(qtbot, config, data_dir, "sim://?paper=out")
    try:
        kiosk.click("printButton")
        qtbot.waitUntil(lambda: kiosk.find("printStatus") is not None, timeout=20000)
        text = kiosk.get("printStatus").property("text")
        assert text.startswith("没有打印：") and "缺纸" in text
        assert kiosk.screen() == "reader" and "老旧小区" in kiosk.reader_text()
    finally:
        close_kiosk(kiosk)


@pytest.mark.parametrize("printer", [""])
def test_without_a_printer_there_is_no_print_button(qtbot, qapp, config, data_dir, printer):
    kiosk = open_reader_with_printer(qtbot, config, data_dir, printer)
    try:
        assert kiosk.find("printButton") is None and kiosk.find("fontLarger") is not None
    finally:
        close_kiosk(kiosk)


def test_printing_keeps_the_residents_place_in_the_text(qtbot, qapp, config, data_dir):
    kiosk = open_reader_with_printer(qtbot, config, data_dir, "sim://")
    try:
        kiosk.click("pageDown")
        body = kiosk.get("readerBody")
        qtbot.waitUntil(lambda: body.property("contentY") > body.property("originY") + 100)
        place = body.property("contentY")
        kiosk.click("printButton")
        qtbot.waitUntil(lambda: kiosk.find("printStatus") is not None, timeout=20000)
        assert body.property("contentY") == pytest.approx(place, abs=1)
    finally:
        close_kiosk(kiosk)
