"""Staff's 公示屏 page on the real QML, clicked: an emergency notice posted for an hour is kept for the
displays (what the local API serves them) and announced as a content change (the feed's `display` event);
an empty title is refused beside nothing lost; withdrawing takes it down; a display's heartbeat shows as
its line, and one silent for ten minutes says so."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from conftest import close_kiosk, open_kiosk
from test_queue_staff import PIN, press, type_into

from kiosk.events import ContentChange
from kiosk.signage.emergency import Emergencies


def staff_display(kiosk):
    kiosk.services.staff.auth.set_pin(PIN)
    kiosk.app_state.open("pin", {})
    kiosk.staff.attempt(PIN)
    press(kiosk, "openStaffDisplay")
    kiosk.wait_screen("staffDisplay")


def message(kiosk, starting: str) -> str:
    shown = kiosk.get("staffDisplayMessage")
    kiosk.qtbot.waitUntil(lambda: shown.property("text").startswith(starting), timeout=5000)
    return shown.property("text")


def test_post_an_emergency_for_an_hour_then_withdraw_it(qtbot, qapp, services):
    changes: list[str] = []
    services.bus.subscribe(ContentChange, lambda change: changes.append(change.reason))
    kiosk = open_kiosk(qtbot, services)
    try:
        staff_display(kiosk)
        assert kiosk.get("noEmergency").property("visible")
        press(kiosk, "postEmergency")  # no title yet
        assert message(kiosk, "请填写") == "请填写紧急通知的标题"
        assert Emergencies(services.data_dir).current(datetime.now()) == []

        type_into(kiosk, "emergencyTitle", "今天下午停电，暂停办理")
        kiosk.get("emergencyText").setProperty("text", "预计17:00恢复。")
        press(kiosk, "emergencyHours_1")
        press(kiosk, "postEmergency")
        assert message(kiosk, "已发布").startswith("已发布紧急通知“今天下午停电，暂停办理”，插播到")
        [notice] = Emergencies(services.data_dir).current(datetime.now())
        assert (notice.title, notice.text, notice.source) == (
            "今天下午停电，暂停办理",
            "预计17:00恢复。",
            "staff",
        )
        end = datetime.fromisoformat(notice.until)
        assert timedelta(minutes=59) <= end - datetime.now() <= timedelta(hours=1)
        assert "signage" in changes  # the feed tells the displays at once
        assert "今天下午停电" in kiosk.get("emergency_0").property("text")
        assert kiosk.get("emergencyTitle").property("text") == ""  # the form is emptied

        press(kiosk, "withdrawEmergency_0")
        assert message(kiosk, "已撤回") == "已撤回。"
        assert Emergencies(services.data_dir).current(datetime.now()) == []
        kiosk.get("noEmergency")
    finally:
        close_kiosk(kiosk)


def test_each_display_reports_what_it_shows_or_how_long_it_is_silent(qtbot, qapp, services):
    now = datetime.now()
    displays = services.signage_desk.displays
    displays.beat({"display": "hall", "showing": "公示牌", "since": now.isoformat(timespec="seconds")}, now)
    displays.beat(
        {"display": "wall", "showing": "电子阅报栏", "since": now.isoformat()}, now - timedelta(minutes=10)
    )
    kiosk = open_kiosk(qtbot, services)
    try:
        staff_display(kiosk)
        lines = [kiosk.get("displayLine_0").property("text"), kiosk.get("displayLine_1").property("text")]
        assert lines[0].startswith("公示屏 hall：正在显示 公示牌")
        assert lines[1] == "公示屏 wall：10 分钟未收到心跳"
    finally:
        close_kiosk(kiosk)


def test_sending_screenshots_from_an_unenrolled_kiosk_says_why_not(qtbot, qapp, services):
    kiosk = open_kiosk(qtbot, services)
    try:
        staff_display(kiosk)
        press(kiosk, "sendScreenshots")
        assert message(kiosk, "本机") == "本机尚未登记到市级平台，截图无法上传"
    finally:
        close_kiosk(kiosk)


def test_a_pairing_code_for_a_display_on_another_pc_is_shown_and_pairs_once(qtbot, qapp, services):
    kiosk = open_kiosk(qtbot, services)
    try:
        staff_display(kiosk)
        press(kiosk, "pairDisplay")
        shown = message(kiosk, "配对码 ")
        code = shown.split()[1].split("（")[0]
        assert "10 分钟内有效" in shown and f"kiosk display --pair {code} --api http://" in shown
        assert "请先把配置项 api.listen 设为大厅局域网地址" in shown  # the kiosk listens on 127.0.0.1 only
        token = services.signage_desk.tokens.pair(code, "lobby")
        assert services.signage_desk.tokens.display_of(token) == "lobby"
        assert services.signage_desk.tokens.pair(code, "lobby") is None
    finally:
        close_kiosk(kiosk)


def test_staff_add_a_playlist_entry_from_the_choosers_see_errors_beside_fields_and_delete_it(
    qtbot, qapp, services
):
    kiosk = open_kiosk(qtbot, services)
    playlist = services.data_dir / "signage" / "playlist.json"
    try:
        staff_display(kiosk)
        press(kiosk, "entryShow_gazette")
        for day in (6, 7):  # weekdays only
            press(kiosk, f"entryDay_{day}")
        press(kiosk, "entryDaypart_morning")
        press(kiosk, "entryPriority_5")
        press(kiosk, "entrySeconds_30")
        kiosk.get("entryFrom").setProperty("text", "2026-12-10")
        kiosk.get("entryTo").setProperty("text", "2026-12-01")  # before the start
        press(kiosk, "addEntry")
        assert message(kiosk, "播放项有误") == "播放项有误，请按提示修改。"
        shown = kiosk.get("entryError_to")
        assert shown.property("text") == "结束日期 2026-12-01 早于开始日期 2026-12-10"
        assert not playlist.exists()  # nothing kept

        kiosk.get("entryTo").setProperty("text", "2026-12-31")
        press(kiosk, "addEntry")
        assert (
            message(kiosk, "已添加")
            == "已添加播放项：电子阅报栏，2026-12-10 至 2026-12-31，工作日，08:00–12:00。"
        )
        assert kiosk.find("entryError_to") is None  # the error is gone
        [entry] = [e for e in json.loads(playlist.read_text())["entries"] if e["id"] == "staff-1"]
        assert (entry["show"], entry["weekdays"], entry["times"], entry["priority"], entry["seconds"]) == (
            "gazette", [1, 2, 3, 4, 5], ["08:00-12:00"], 5, 30,
        )  # fmt: skip
        assert "每页 30 秒，优先级 5" in kiosk.get("entry_staff-1").property("text")

        press(kiosk, "deleteEntry_staff-1")
        assert message(kiosk, "已删除") == "已删除。"
        assert "staff-1" not in playlist.read_text()
    finally:
        close_kiosk(kiosk)
