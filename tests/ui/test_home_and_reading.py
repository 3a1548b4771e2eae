"""The real QML driven with real clicks: home, library browsing, the reader and its 解读, notices."""

from datetime import date, timedelta

from kiosk import notices
from kiosk.library import bundled_guides_path
from kiosk.notices import NoticeDraft


def test_home_shows_zone_hall_clock_and_only_working_functions(kiosk):
    texts = kiosk.texts()
    assert "政务公开专区" in texts
    assert "定州市政务服务中心" in texts
    assert kiosk.find("clock").property("text") == kiosk.app_state.property("clockText") != ""
    for key in ("library", "interpretations", "notices"):
        assert kiosk.find(f"tile_{key}") is not None, key
    # the demo library holds the bundled gazette and the demo guides (content/data/guides/)
    guides = len(list(bundled_guides_path().glob("*.json")))
    assert guides >= 19
    assert f"办事指南 {guides} 项" in kiosk.texts(kiosk.get("tile_guides"))


def test_browse_issue_toc_open_document_and_its_interpretation_and_back(kiosk):
    kiosk.click("tile_library")
    kiosk.wait_screen("library")
    kiosk.click("row_0")  # the gazette issue
    kiosk.wait_screen("list")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("row_0") is not None)
    assert "目录" not in kiosk.find("itemList").objectName()
    kiosk.click("row_0")  # the first document of the table of contents
    kiosk.wait_screen("reader")
    kiosk.get("readerBody")
    kiosk.qtbot.waitUntil(lambda: len(kiosk.reader_text()) > 500)
    title = kiosk.get("readerTitle").property("text")
    assert "意见" in title
    kiosk.click("interpretationButton")
    kiosk.qtbot.waitUntil(lambda: kiosk.get("readerKind").property("text") == "政策解读")
    assert "解读" in kiosk.get("readerTitle").property("text")
    kiosk.click("backButton")
    kiosk.qtbot.waitUntil(lambda: kiosk.get("readerTitle").property("text") == title)
    kiosk.click("homeButton")
    kiosk.wait_screen("home")


def test_font_steps_enlarge_the_reader_text(kiosk):
    kiosk.click("tile_interpretations")
    kiosk.wait_screen("list")
    kiosk.click("row_0")
    kiosk.wait_screen("reader")
    kiosk.get("readerBody")
    kiosk.qtbot.waitUntil(lambda: kiosk.reader_text() != "")
    sizes = [kiosk.reader_px()]
    for step in range(1, 4):
        kiosk.click("fontLarger")
        kiosk.qtbot.waitUntil(lambda s=step: kiosk.app_state.property("fontStep") == s)
        kiosk.qtbot.waitUntil(lambda: kiosk.reader_px() == kiosk.app_state.property("bodyPx"))
        sizes.append(kiosk.reader_px())
    assert sizes == sorted(set(sizes)) and len(sizes) == 4 and sizes[0] >= 24
    kiosk.click("fontSmaller")
    kiosk.qtbot.waitUntil(lambda: kiosk.app_state.property("fontStep") == 2)


def test_browse_by_section_category_and_date(kiosk):
    kiosk.click("tile_library")
    for tab, first in (("tab_sections", "市政府文件"), ("tab_categories", "市场监管")):
        kiosk.click(tab)
        kiosk.qtbot.waitUntil(
            lambda f=first: kiosk.find("row_0") is not None and f in kiosk.texts(kiosk.find("row_0"))
        )
        kiosk.click("row_0")
        kiosk.wait_screen("list")
        kiosk.qtbot.waitUntil(lambda: kiosk.find("row_0") is not None)
        kiosk.click("backButton")
        kiosk.wait_screen("library")
    kiosk.click("tab_dates")
    kiosk.qtbot.waitUntil(lambda: any(t.startswith("2022年") and t.endswith("月") for t in kiosk.texts()))
    kiosk.click("row_0")
    kiosk.wait_screen("reader")


def test_notices_show_only_current_ones_with_level_and_validity(kiosk):
    library = kiosk.services.library.store
    today = date.today()
    notices.post(library, NoticeDraft("低保对象公示", "以下家庭拟纳入低保。", today.isoformat(), "", "村"))
    notices.post(
        library,
        NoticeDraft(
            "已过期的公示",
            "过期",
            (today - timedelta(days=30)).isoformat(),
            (today - timedelta(days=1)).isoformat(),
        ),
    )
    kiosk.click("tile_notices")
    kiosk.wait_screen("notices")
    card = kiosk.get("notice_0")
    texts = kiosk.texts(card)
    assert "低保对象公示" in texts
    assert "村级发布" in texts
    assert any(t.startswith("有效期：") and t.endswith("长期有效") for t in texts)
    assert kiosk.find("notice_1") is None
    kiosk.click(card)
    kiosk.wait_screen("reader")
    kiosk.qtbot.waitUntil(lambda: "以下家庭" in kiosk.reader_text())


def test_text_is_large_and_buttons_are_big_on_every_screen(kiosk):
    def check() -> None:
        for item in kiosk.items():
            if not kiosk.visible(item):
                continue
            cls = item.metaObject().className()
            if item.inherits("QQuickText") and item.property("text") and item.parentItem() is not None:
                if kiosk.find("inputPanel") is not None and _inside(item, kiosk.find("inputPanel")):
                    continue
                assert item.property("font").pixelSize() >= 24, (item.property("text"), kiosk.screen())
            if cls.startswith("KButton") or item.objectName().startswith(("tile_", "row_", "key_", "pin_")):
                assert item.height() >= 90, (item.objectName(), item.height())

    check()
    kiosk.click("tile_library")
    kiosk.get("row_0")
    check()
    kiosk.click("row_0")
    kiosk.get("row_1")
    check()
    kiosk.click("row_1")
    kiosk.wait_screen("reader")
    check()


def _inside(item, ancestor) -> bool:
    while item is not None:
        if item is ancestor:
            return True
        item = item.parentItem()
    return False
