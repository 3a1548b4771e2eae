"""Staff mode as a village staff member uses it: destructive steps ask first, messages in the right
colour, scheduled notices marked and counted apart, the draft kept across a timeout, the PIN pad steady."""

import json
from datetime import date, timedelta

from test_search_idle_staff import _enter_pin, _long_press_corner


def open_staff(kiosk) -> None:
    kiosk.services.staff.auth.set_pin("246810")
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    _enter_pin(kiosk, "246810")
    kiosk.wait_screen("staff")
    kiosk.qtbot.waitUntil(lambda: kiosk.staff.property("stats").get("documents") is not None)


def post(kiosk, title: str, valid_from: str = "") -> None:
    kiosk.click("newNoticeButton")
    kiosk.get("noticeTitle").setProperty("text", title)
    kiosk.get("noticeText").setProperty("text", "公告内容。")
    kiosk.get("noticeFrom").setProperty("text", valid_from)
    count = len(kiosk.staff.property("localNotices"))
    kiosk.click("saveNotice")
    kiosk.qtbot.waitUntil(lambda: len(kiosk.staff.property("localNotices")) == count + 1, timeout=20000)


def test_quitting_and_withdrawing_ask_first_and_cancel_changes_nothing(kiosk):
    open_staff(kiosk)
    kiosk.click("quitKiosk")
    assert "居民无法使用" in kiosk.get("confirmQuestion").property("text")
    kiosk.click("confirmNo")
    assert kiosk.find("confirmDialog") is None and kiosk.screen() == "staff"
    post(kiosk, "低保公示")
    kiosk.click("withdrawNotice_0")
    assert "《低保公示》" in kiosk.get("confirmQuestion").property("text")
    kiosk.click("confirmNo")
    kiosk.qtbot.wait(300)
    assert len(kiosk.staff.property("localNotices")) == 1


def test_saved_is_not_shown_as_an_error(kiosk):
    open_staff(kiosk)
    post(kiosk, "道路施工公告")
    message = kiosk.get("staffMessage")
    assert message.property("text") == "已保存。"
    assert message.property("color") == kiosk.app_state.property("ok")
    kiosk.click("newNoticeButton")
    kiosk.click("saveNotice")  # no title: an error, in the error colour
    kiosk.qtbot.waitUntil(lambda: message.property("text") == "请填写公告标题")
    assert message.property("color") == kiosk.app_state.property("accent")


def test_a_notice_that_starts_later_is_marked_and_counted_apart(kiosk):
    open_staff(kiosk)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    post(kiosk, "今天的公告")
    post(kiosk, "明天的公告", tomorrow)
    rows = kiosk.staff.property("localNotices")
    later = next(i for i, r in enumerate(rows) if r["title"] == "明天的公告")
    now = next(i for i, r in enumerate(rows) if r["title"] == "今天的公告")
    assert kiosk.find(f"noticeScheduled_{later}") is not None
    assert kiosk.find(f"noticeScheduled_{now}") is None
    stats = kiosk.get("staffStats")
    kiosk.qtbot.waitUntil(lambda: "（另有 1 条未开始）" in stats.property("text"))
    shown = len(kiosk.services.library.store.current_notices())
    assert f"公示公告正在公示 {shown} 条" in stats.property("text")


def test_the_section_names_the_halls_level(kiosk):
    open_staff(kiosk)
    assert "本地公告（市级发布）" in kiosk.texts()  # the demo hall is a city hall: not 村务公开


def test_a_half_written_notice_survives_leaving_staff_mode(kiosk):
    open_staff(kiosk)
    kiosk.click("newNoticeButton")
    kiosk.get("noticeTitle").setProperty("text", "写了一半的公告")
    kiosk.get("noticeText").setProperty("text", "第一段")
    kiosk.services.session.clear()  # what the idle reset does: staff mode locks
    kiosk.qtbot.waitUntil(lambda: not kiosk.staff.property("unlocked"))
    kiosk.app_state.home()
    open_staff(kiosk)
    kiosk.click("newNoticeButton")
    assert kiosk.get("noticeTitle").property("text") == "写了一半的公告"
    assert kiosk.get("noticeText").property("text") == "第一段"
    assert kiosk.find("draftRestored") is not None
    kiosk.click("cancelNotice")  # 取消 throws the draft away
    kiosk.click("newNoticeButton")
    assert kiosk.get("noticeTitle").property("text") == ""


def test_the_pin_keys_stay_put_after_a_wrong_pin(kiosk):
    kiosk.services.staff.auth.set_pin("246810")
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    before = kiosk.center(kiosk.get("pin_5"))
    _enter_pin(kiosk, "111111")
    kiosk.qtbot.waitUntil(lambda: "还可以再试" in kiosk.get("pinMessage").property("text"))
    assert kiosk.center(kiosk.get("pin_5")) == before


def test_device_status_speaks_to_staff_not_technicians(kiosk):
    open_staff(kiosk)
    lines = [t for t in kiosk.texts() if t.startswith(("身份证阅读器：", "小票打印机："))]
    assert lines and all("联系技术人员" in t or "模拟设备" in t for t in lines)
    assert not any("sim://" in t for t in kiosk.texts())


def test_dates_are_chosen_with_buttons_not_typed(kiosk):
    open_staff(kiosk)
    kiosk.click("newNoticeButton")
    assert kiosk.get("noticeFromShown").property("text") == "开始公示：今天"
    kiosk.click("noticeFromLater")
    tomorrow = date.today() + timedelta(days=1)
    assert kiosk.get("noticeFrom").property("text") == tomorrow.isoformat()
    assert (
        kiosk.get("noticeFromShown").property("text")
        == f"开始公示：{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日"
    )
    kiosk.click("noticeToMonth")  # a month from today
    assert kiosk.get("noticeTo").property("text") > tomorrow.isoformat()
    kiosk.click("noticeToClear")
    assert kiosk.get("noticeToShown").property("text") == "结束公示：长期"


def test_the_pin_pad_asks_for_the_recovery_code_once_the_lock_waits_for_it(kiosk):
    auth = kiosk.services.staff.auth
    code = auth.set_pin_with_recovery("246810").recovery_code
    state = json.loads(auth.path.read_text(encoding="utf-8"))
    auth.path.write_text(json.dumps({**state, "recovery_needed": True}), encoding="utf-8")  # four lockouts on
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    _enter_pin(kiosk, "246810")  # the PIN itself no longer opens it
    kiosk.qtbot.waitUntil(lambda: "恢复码" in kiosk.get("pinMessage").property("text"))
    message = kiosk.get("pinMessage").property("text")
    assert "8 位恢复码（还可再试 4 次）" in message and "PIN 不正确" not in message
    assert kiosk.get("pinMessage").property("lineCount") <= 2  # the two lines the PIN pad keeps for it
    _enter_pin(kiosk, code)
    kiosk.wait_screen("staff")
