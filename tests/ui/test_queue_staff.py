"""The staff section 排队叫号 on the real QML, clicked: add a service and a window (the 取号 tile appears),
a wrong value is named in Chinese and changes nothing, a window's calling page is paired by a QR code
that decodes to the local API's pairing link, the reports show and export as CSV, and a window's PIN is
set (a short one refused) and its lock lifted."""

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


def test_set_a_windows_pin_and_lift_its_lock(kiosk):
    from kiosk.queue import QueueError, parse_config

    queue = kiosk.services.queue
    queue.configure(
        parse_config(
            {
                "service": [{"key": "a", "name": "社保医保", "prefix": "A"}],
                "window": [{"number": 2, "services": ["a"]}],
            }
        )
    )
    staff_queue(kiosk)
    row = kiosk.get("editWindow_2")
    assert any("未设配对密码（只能扫码配对）" in text for text in kiosk.texts())
    kiosk.click(row)
    type_into(kiosk, "windowPin", "12")
    press(kiosk, "setWindowPin")
    message = kiosk.get("staffQueueMessage")
    kiosk.qtbot.waitUntil(lambda: "6 到 8 位数字" in message.property("text"), timeout=5000)
    assert not queue.window_pin_states()[0].has_pin
    type_into(kiosk, "windowPin", "24681357")
    press(kiosk, "setWindowPin")
    kiosk.qtbot.waitUntil(lambda: message.property("text") == "已设置配对密码。", timeout=5000)
    assert kiosk.get("windowPin").property("text") == ""  # not left on the screen
    assert queue.verify_token(queue.pair_with_pin(2, "24681357")) == 2

    for _ in range(5):
        try:
            queue.pair_with_pin(2, "00000000")
        except QueueError:
            pass
    kiosk.app_state.open("StaffQueueScreen.qml", {})  # opened again: the window's lock is shown
    kiosk.wait_screen("staffQueue")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("unlockPin_2") is not None, timeout=5000)
    assert any("密码配对已锁定，约 5 分钟后自动解除" in text for text in kiosk.texts())
    press(kiosk, "unlockPin_2")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("unlockPin_2") is None, timeout=5000)
    assert queue.verify_token(queue.pair_with_pin(2, "24681357")) == 2


def test_the_paired_devices_are_listed_and_revoked_one_then_all(kiosk):
    from kiosk.queue import parse_config

    queue = kiosk.services.queue
    queue.configure(
        parse_config(
            {
                "service": [{"key": "a", "name": "社保医保", "prefix": "A"}],
                "window": [{"number": 1, "services": ["a"]}, {"number": 2, "services": ["a"]}],
            }
        )
    )
    phone = queue.issue_token(2, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36")
    counter = queue.issue_token(1, "Mozilla/5.0 (X11; Linux x86_64)")
    queue.issue_token(2)
    queue.verify_token(counter)
    staff_queue(kiosk)
    devices = queue.paired_devices()
    first = kiosk.get(f"device_{devices[0].id}").property("text")
    assert first.startswith("1号窗口：Mozilla/5.0 (X11; Linux x86_64)\n配对于 2026-") and "最近使用" in first
    assert "尚未使用" in kiosk.get(f"device_{devices[1].id}").property("text")
    assert "未知设备" in kiosk.get(f"device_{devices[2].id}").property("text")

    press(kiosk, f"revokeDevice_{devices[1].id}")
    message = kiosk.get("staffQueueMessage")
    kiosk.qtbot.waitUntil(lambda: message.property("text").startswith("已撤销配对"), timeout=5000)
    assert queue.verify_token(phone) is None and queue.verify_token(counter) == 1
    kiosk.qtbot.waitUntil(
        lambda: kiosk.find(f"device_{devices[1].id}", visible_only=False) is None, timeout=5000
    )

    press(kiosk, "revokeAllDevices")  # asked first: every window's phones and PCs would have to pair again
    assert "这 2 台手机和电脑" in kiosk.get("confirmQuestion").property("text")
    kiosk.click("confirmNo")
    assert len(queue.paired_devices()) == 2 and queue.verify_token(counter) == 1
    press(kiosk, "revokeAllDevices")
    kiosk.click("confirmYes")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("revokeAllDevices") is None, timeout=5000)
    assert queue.paired_devices() == [] and queue.verify_token(counter) is None
    assert any(text == "没有已配对的设备。" for text in kiosk.texts())
