"""The staff section 排队叫号 on the real QML, clicked: add a service and a window (the 取号 tile appears),
a wrong value is named in Chinese and changes nothing, a window's calling page is paired by a QR code
that decodes to the local API's pairing link, and the reports show and export as CSV."""

from __future__ import annotations

import base64
import io

import zxingcpp
from PIL import Image

from ui import worker

PIN = "246810"


def staff_queue(kiosk):
    kiosk.services.staff.auth.set_pin(PIN)
    kiosk.app_state.open("pin", {})
    kiosk.staff.attempt(PIN)
    kiosk.click("openStaffQueue")
    kiosk.wait_screen("staffQueue")


def type_into(kiosk, name: str, text: str) -> None:
    kiosk.get(name).setProperty("text", text)


def press(kiosk, name: str) -> None:
    """Scroll the button into view first, then tap it (a tap during the scroll only stops the list)."""
    button = kiosk.get(name)
    kiosk.scroll_into_view(button)
    kiosk.qtbot.wait(100)
    kiosk.click(button)


def saved(kiosk) -> None:
    message = kiosk.get("staffQueueMessage")
    kiosk.qtbot.waitUntil(lambda: message.property("text") != "", timeout=5000)
    assert message.property("text") == "已保存。"


def test_add_a_service_and_a_window_then_the_tile_appears(kiosk):
    staff_queue(kiosk)
    kiosk.click("addService")
    type_into(kiosk, "serviceKey", "shebao")
    type_into(kiosk, "serviceName", "社保医保")
    type_into(kiosk, "servicePrefix", "a")
    type_into(kiosk, "serviceHours", "08:30-12:00、13:30-17:00")
    kiosk.click("idCard_required")
    press(kiosk, "saveService")
    saved(kiosk)
    service = kiosk.services.queue.config.service("shebao")
    assert (service.prefix, service.id_card, service.hours_text()) == (
        "A",
        "required",
        "08:30-12:00、13:30-17:00",
    )
    assert kiosk.find("serviceForm") is None  # closed once saved

    kiosk.click("addWindow")
    type_into(kiosk, "windowNumber", "3")
    type_into(kiosk, "windowName", "3号窗口")
    kiosk.click("windowService_shebao")
    press(kiosk, "saveWindow")
    saved(kiosk)
    assert kiosk.services.queue.config.window(3).services == ("shebao",)
    kiosk.staff.lock()
    kiosk.app_state.home()
    kiosk.get("tile_queue")  # the library was told: the tile is on home now


def test_a_wrong_value_is_named_and_nothing_changes(kiosk):
    staff_queue(kiosk)
    kiosk.click("addService")
    type_into(kiosk, "serviceKey", "x")
    type_into(kiosk, "serviceName", "测试")
    type_into(kiosk, "servicePrefix", "A1")
    type_into(kiosk, "serviceHours", "9点到12点")
    press(kiosk, "saveService")
    message = kiosk.get("staffQueueMessage")
    kiosk.qtbot.waitUntil(lambda: "未做任何更改" in message.property("text"), timeout=5000)
    text = message.property("text")
    assert "prefix：只能是 1–2 个大写字母" in text and "不是“时:分-时:分”" in text
    assert kiosk.services.queue.config.services == ()
    assert kiosk.find("serviceForm") is not None  # the form stays for a correction


def test_pair_a_window_and_read_the_reports(kiosk, tmp_path):
    from kiosk.queue import parse_config

    queue = kiosk.services.queue
    queue.configure(
        parse_config(
            {
                "service": [{"key": "a", "name": "社保医保", "prefix": "A"}],
                "window": [{"number": 2, "services": ["a"]}],
            }
        )
    )
    queue.take("a")
    queue.call_next(2)
    queue.start(2)
    queue.finish(2)
    queue.rate(queue.tickets()[0].id, 5)
    staff_queue(kiosk)
    kiosk.click("pairWindow_2")
    qr = kiosk.get("pairingQr")
    kiosk.qtbot.waitUntil(
        lambda: str(qr.property("source").toString()).startswith("data:image/png"), timeout=5000
    )
    png = base64.b64decode(qr.property("source").toString().split(",", 1)[1])
    (link,) = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]
    code = link.rsplit("/pair/", 1)[1]
    assert kiosk.services.pairing.peek(code) == 2

    kiosk.click("report_day")
    row = kiosk.get("reportRow_0")
    assert "社保医保：取号 1，办结 1，过号 0" in row.property(
        "text"
    ) and "评价 1 条（满意 1）" in row.property("text")
    kiosk.click("exportReport")
    message = kiosk.get("staffQueueMessage")
    kiosk.qtbot.waitUntil(lambda: message.property("text").startswith("已导出"), timeout=5000)
    worker.wait_idle(5.0)
    (exported,) = (kiosk.services.data_dir / "exports").glob("queue-day-*.csv")
    assert "社保医保,1,1,0" in exported.read_text(encoding="utf-8")
