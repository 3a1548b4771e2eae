"""Search (initials keypad, no results), idle reset, staff mode and the maintenance screen, on the real QML."""

from pathlib import Path

import pytest
from conftest import close_kiosk, open_kiosk

from kiosk.notices import local_notices
from ui import lint
from ui.app import MAIN_QML


def test_initials_keypad_searches_as_you_tap(kiosk):
    kiosk.click("homeSearch")
    kiosk.wait_screen("search")
    kiosk.click("modeInitials")
    for letter in "ljxq":
        kiosk.click(f"key_{letter}")
    assert kiosk.get("initialsText").property("text") == "ljxq"
    kiosk.qtbot.waitUntil(lambda: kiosk.search.property("resultCount") > 0, timeout=5000)
    first = kiosk.get("result_0")
    assert any("老旧小区" in t for t in kiosk.texts(first))
    kiosk.click("key_back")
    assert kiosk.search.property("text") == "ljx"
    kiosk.click(first := kiosk.get("result_0"))
    kiosk.wait_screen("reader")


def test_nothing_found_says_so(kiosk):
    kiosk.click("homeSearch")
    kiosk.click("modeInitials")
    for letter in "qqzzx":
        kiosk.click(f"key_{letter}")
    block = kiosk.get("noResults")
    assert any(t.startswith("没有找到“qqzzx”") for t in kiosk.texts(block))


def test_typing_in_the_field_searches_after_a_pause(kiosk):
    kiosk.click("homeSearch")
    field = kiosk.get("searchField")
    kiosk.qtbot.waitUntil(lambda: field.hasActiveFocus())
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    for part in ("老旧", "小区"):  # what the input method commits, one candidate at a time
        event = QInputMethodEvent("", [])
        event.setCommitString(part)
        QCoreApplication.sendEvent(field, event)
    kiosk.qtbot.waitUntil(lambda: kiosk.search.property("searched") == "老旧小区", timeout=5000)
    first = kiosk.get("result_0")
    assert any(
        "background-color" in t and "老旧小区</span>" in t for t in kiosk.texts(first)
    )  # <mark> styled


def test_idle_reset_counts_down_then_clears_the_resident_and_goes_home(kiosk):
    kiosk.click("homeSearch")
    kiosk.click("modeInitials")
    for letter in "ljxq":
        kiosk.click(f"key_{letter}")
    kiosk.qtbot.waitUntil(lambda: kiosk.search.property("resultCount") > 0)
    kiosk.click("result_0")
    kiosk.wait_screen("reader")
    kiosk.click("fontLarger")
    assert not kiosk.services.session.is_empty()

    kiosk.app_state.idle_policy.idle_seconds = 1000  # as if nobody had touched the screen for a long time
    overlay = kiosk.get("idleOverlay", timeout=3000)
    assert "即将返回首页" in kiosk.texts(overlay)
    kiosk.click("continueButton")  # a touch keeps the resident's screen
    assert kiosk.find("idleOverlay") is None and kiosk.screen() == "reader"

    kiosk.app_state.idle_policy.idle_seconds = 1000
    kiosk.get("idleOverlay", timeout=3000)
    kiosk.wait_screen("home", timeout=8000)
    assert kiosk.find("idleOverlay") is None
    assert kiosk.search.property("text") == "" and kiosk.search.property("resultCount") == 0
    assert kiosk.services.session.is_empty()
    assert kiosk.app_state.property("fontStep") == 0


def _long_press_corner(kiosk):
    from PySide6.QtCore import Qt

    corner = kiosk.get("staffCorner")
    pos = kiosk.center(corner)
    kiosk.qtbot.mousePress(kiosk.window, Qt.MouseButton.LeftButton, pos=pos)
    kiosk.qtbot.wait(2300)
    kiosk.qtbot.mouseRelease(kiosk.window, Qt.MouseButton.LeftButton, pos=pos)


def _enter_pin(kiosk, pin):
    for digit in pin:
        kiosk.click(f"pin_{digit}")
    kiosk.click("pin_ok")


def test_staff_mode_needs_the_pin_then_posts_and_withdraws_a_local_notice(kiosk):
    kiosk.services.staff.auth.set_pin("246810")
    kiosk.click("homeSearch")  # a short tap on the corner does nothing; a long press opens the PIN pad
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    _enter_pin(kiosk, "1111")
    kiosk.qtbot.waitUntil(lambda: "还可以再试 4 次" in kiosk.get("pinMessage").property("text"))
    _enter_pin(kiosk, "246810")
    kiosk.wait_screen("staff")
    stats = kiosk.get("staffStats")
    kiosk.qtbot.waitUntil(lambda: "政策文件 16 篇" in stats.property("text"))
    assert any(t.startswith("专区层级：市级") for t in kiosk.texts())
    assert any("身份证阅读器：未配置" in t for t in kiosk.texts())

    kiosk.click("newNoticeButton")
    kiosk.get("noticeTitle").setProperty("text", "村委会换届选举公告")
    kiosk.get("noticeText").setProperty("text", "定于下月举行换届选举。")
    kiosk.get("noticeTo").setProperty("text", "2099-12-31")
    kiosk.click("saveNotice")
    kiosk.qtbot.waitUntil(lambda: len(kiosk.staff.property("localNotices")) == 1)
    [notice] = local_notices(kiosk.services.library.store)
    assert notice.title == "村委会换届选举公告" and notice.level == "市" and notice.valid_to == "2099-12-31"

    kiosk.click("withdrawNotice_0")
    assert "《村委会换届选举公告》" in kiosk.get("confirmQuestion").property("text")
    kiosk.click("confirmYes")
    kiosk.qtbot.waitUntil(lambda: len(kiosk.staff.property("localNotices")) == 0)
    assert local_notices(kiosk.services.library.store) == []

    kiosk.click("idleMore")
    kiosk.qtbot.waitUntil(lambda: kiosk.staff.property("idleTimeout") == 30)
    assert kiosk.services.config["kiosk.idle_timeout"] == 30

    kiosk.click("staffExit")
    kiosk.wait_screen("home")
    assert not kiosk.staff.property("unlocked")


def test_staff_pin_locks_after_five_wrong_tries(kiosk):
    kiosk.services.staff.auth.set_pin("246810")
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    for _ in range(5):
        _enter_pin(kiosk, "0000")
        kiosk.qtbot.waitUntil(lambda: not kiosk.staff.property("checking"))
    _enter_pin(kiosk, "246810")
    kiosk.qtbot.waitUntil(lambda: "已锁定" in kiosk.get("pinMessage").property("text"))
    assert kiosk.screen() == "pin"


def test_corrupt_database_shows_maintenance_not_a_traceback(qtbot, qapp, services):
    (services.data_dir / "library.db").write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(str(services.data_dir / "library.db") + suffix).unlink(missing_ok=True)
    kiosk = open_kiosk(qtbot, services)
    try:
        screen = kiosk.get("maintenanceScreen")
        assert "系统维护中" in kiosk.texts(screen)
        assert not any("Traceback" in t for t in kiosk.texts())
        assert kiosk.find("stack") is None
    finally:
        close_kiosk(kiosk)


@pytest.mark.parametrize("size", [(1920, 1080)])
def test_landscape_layout_loads_and_works(qtbot, qapp, services, size):
    kiosk = open_kiosk(qtbot, services, size)
    try:
        tiles = [kiosk.find(f"tile_{k}") for k in ("library", "interpretations", "notices")]
        assert len({round(t.mapToScene(t.boundingRect().topLeft()).y()) for t in tiles}) == 1  # one row
        kiosk.click("tile_library")
        kiosk.wait_screen("library")
    finally:
        close_kiosk(kiosk)


def test_qmllint_reports_no_warnings():
    assert MAIN_QML.exists()
    result = lint.run()
    assert result.returncode == 0, result.stdout + result.stderr


def _scene_rect(item):
    return item.mapRectToScene(item.boundingRect())


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_search_with_the_keyboard_up_shows_results_and_nothing_is_covered(qtbot, qapp, services, size):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    kiosk = open_kiosk(qtbot, services, size)
    try:
        kiosk.click("homeSearch")
        field = kiosk.get("searchField")
        kiosk.qtbot.waitUntil(lambda: field.hasActiveFocus())
        panel = kiosk.get("inputPanel")
        for part in ("老旧", "小区"):
            event = QInputMethodEvent("", [])
            event.setCommitString(part)
            QCoreApplication.sendEvent(field, event)
        kiosk.qtbot.waitUntil(lambda: kiosk.search.property("searched") == "老旧小区", timeout=5000)
        kiosk.get("result_1")
        kiosk.qtbot.wait(600)  # the keyboard has slid in
        keyboard_top = _scene_rect(panel).top()
        results = _scene_rect(kiosk.get("resultsList"))
        assert results.bottom() <= keyboard_top + 1
        for name in ("result_0", "result_1"):  # two whole results with their snippets
            rect = _scene_rect(kiosk.get(name))
            assert results.top() <= rect.top() and rect.bottom() <= results.bottom(), (name, rect, results)
        assert field.property("text") == "老旧小区"
        back = kiosk.find("backButton") or kiosk.find("headerBackButton")
        assert back is not None and _scene_rect(back).bottom() <= keyboard_top + 1
        if size[0] > size[1]:  # landscape: the back/home buttons sit in the header
            assert kiosk.find("navBar") is None
            kiosk.click("headerBackButton")
            kiosk.wait_screen("home")
    finally:
        close_kiosk(kiosk)
