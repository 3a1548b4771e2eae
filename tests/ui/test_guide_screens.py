"""A resident finds a 办事指南 on the real QML with real taps: by 主题, by department, A–Z by 拼音首字母 and
as 企业类; reads the guide page (checklist, steps, 免费, window, demo marker); prints the 材料清单 on the
simulated receipt printer; and 取号办理 appears only when the kiosk offers the queue."""

from __future__ import annotations

import json

import pytest
from conftest import close_kiosk, open_kiosk

from kiosk import features
from kiosk.features import Feature, Registry
from kiosk.services import build

DIBAO = "guide-demo-dibao"


def instead(key: str, feature: Feature | None) -> Registry:
    """The kiosk's functions with `feature` (a stand-in screen) in place of the real one of `key`, or
    without any (None)."""
    return Registry(
        [*(f for f in features.REGISTRY.features if f.key != key), *([feature] if feature else [])]
    )


def open_guides(kiosk) -> None:
    kiosk.click("tile_guides")
    kiosk.wait_screen("guides")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("guideRow_0") is not None, timeout=5000)


def row_titled(kiosk, title: str):
    """The visible list row whose title is `title` (paging down until it shows)."""
    for _ in range(10):
        for item in kiosk.items():
            if (
                item.objectName().startswith("guideRow_")
                and item.property("title") == title
                and kiosk.visible(item)
            ):
                return item
        kiosk.click("pageDown")
    raise AssertionError(f"no row {title!r} among {kiosk.texts()}")


def page_text(kiosk) -> str:
    """Every text of the guide page, paging down to its end."""
    body = kiosk.get("guideBody")
    seen: list[str] = []
    for _ in range(40):
        seen += [t for t in kiosk.texts(body) if t not in seen]
        if body.property("atYEnd"):
            break
        kiosk.click("pageDown")
    return "\n".join(seen)


def open_guide_titled(kiosk, title: str) -> None:
    kiosk.click(row_titled(kiosk, title))
    kiosk.wait_screen("guide")
    kiosk.qtbot.waitUntil(lambda: kiosk.get("guideTitle").property("text") == title, timeout=5000)


def test_by_theme_then_the_guide_page_with_its_checklist_steps_fee_and_demo_marker(kiosk):
    open_guides(kiosk)
    assert kiosk.get("guideTab_theme").property("filled")  # 按主题 first
    kiosk.click(row_titled(kiosk, "社会救助"))
    kiosk.wait_screen("guideList")
    kiosk.qtbot.waitUntil(lambda: kiosk.get("guideListTitle").property("text") == "公民类 · 社会救助")
    open_guide_titled(kiosk, "城乡居民最低生活保障审核确认")
    assert kiosk.get("demoNote").property("visible")  # sample content says so on the page
    text = page_text(kiosk)
    for part in (
        "受理条件",
        "持有本地常住户口的城乡居民",
        "申请材料（共 5 项）",
        "最低生活保障申请书",
        "必要　原件　1 份　申请人自备",
        "办理流程",
        "第1步",
        "免费",
        "法定办结时限",
        "社会救助窗口",
        "12345（政务服务便民热线）",
        "常见问题",
        "问：申请低保要交钱吗？",
    ):
        assert part in text, part
    assert kiosk.find("windowIndication") is None  # no hall file: no window number is made up
    assert kiosk.find("printChecklist") is None  # no printer configured


def test_by_department_and_by_letter_and_the_enterprise_guides(kiosk):
    open_guides(kiosk)
    kiosk.click("guideTab_department")
    kiosk.click(row_titled(kiosk, "公安局"))
    kiosk.wait_screen("guideList")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("guideRow_2") is not None)
    titles = {kiosk.get(f"guideRow_{n}").property("title") for n in range(3)}
    assert titles == {"出生登记（新生儿落户）", "居民身份证申领（首次申领、换领、补领）", "死亡人员户口注销"}
    kiosk.click("backButton")
    kiosk.wait_screen("guides")

    kiosk.click("guideTab_letter")
    assert kiosk.get("letter_A").property("enabledLook") is False  # no guide under A: nothing to tap
    kiosk.click("letter_S")
    kiosk.wait_screen("guideList")
    kiosk.qtbot.waitUntil(lambda: kiosk.get("guideListTitle").property("text") == "公民类 · 拼音首字母 S")
    open_guide_titled(kiosk, "生育登记")
    kiosk.click("backButton")
    kiosk.click("backButton")
    kiosk.wait_screen("guides")

    kiosk.click("audience_企业类")
    kiosk.click("guideTab_all")
    kiosk.qtbot.waitUntil(lambda: kiosk.get("guideRow_0").property("title") == "农机购置与应用补贴申请")
    assert kiosk.find("guideRow_1") is None and kiosk.get("guideRow_0").property("badge") == "示例"
    open_guide_titled(kiosk, "农机购置与应用补贴申请")


@pytest.mark.parametrize("broken", [False, True], ids=["hall-file", "broken-hall-file"])
def test_the_hall_file_names_the_window_on_the_page(qtbot, qapp, config, data_dir, broken):
    window = {"名称": "社会救助窗口", "位置": "一楼东侧"} | ({} if broken else {"编号": "3"})
    (data_dir / "hall.json").write_text(json.dumps({"窗口": [window]}, ensure_ascii=False), encoding="utf-8")
    kiosk = open_kiosk(qtbot, build(config, data_dir))
    try:
        kiosk.app_state.open("GuideScreen.qml", {"itemId": DIBAO})
        kiosk.wait_screen("guide")
        if broken:  # the page opens as without a hall file (staff see the fault in the tiers check)
            qtbot.waitUntil(lambda: kiosk.get("guideTitle").property("text") != "")
            assert kiosk.find("windowIndication") is None and "<b>窗口：</b>社会救助窗口" in page_text(kiosk)
            return
        qtbot.waitUntil(lambda: kiosk.find("windowIndication") is not None)
        assert kiosk.get("windowIndication").property("text") == "请到 3 号窗口办理"
        assert "社会救助窗口　一楼东侧" in page_text(kiosk)
    finally:
        close_kiosk(kiosk)


@pytest.mark.parametrize("printer", ["sim://", "sim://?paper=out"])
def test_printing_the_checklist(qtbot, qapp, config, data_dir, printer, monkeypatch):
    services = build(config.with_values(devices__printer=printer), data_dir)
    recorded: list[tuple[str, dict]] = []
    monkeypatch.setattr(services.usage, "event", lambda kind, **fields: recorded.append((kind, fields)))
    kiosk = open_kiosk(qtbot, services)
    try:
        kiosk.app_state.open("GuideScreen.qml", {"itemId": DIBAO})
        kiosk.wait_screen("guide")
        kiosk.click("printChecklist")
        qtbot.waitUntil(lambda: kiosk.find("printStatus") is not None, timeout=20000)
        status = kiosk.get("printStatus").property("text")
        pages = list((data_dir / "printer").glob("*.png"))
        if printer == "sim://":
            assert status == "已打印，请在出纸口取走材料清单。" and len(pages) == 1
            assert ("checklist_printed", {"item_id": DIBAO}) in recorded
        else:
            assert status.startswith("没有打印：") and "缺纸" in status and not pages
            assert not [kind for kind, _ in recorded if kind == "checklist_printed"]
        kiosk.click("backButton")
        qtbot.waitUntil(lambda: any(kind == "guide_viewed" for kind, _ in recorded))
        assert [f["item_id"] for kind, f in recorded if kind == "guide_viewed"] == [DIBAO]
    finally:
        close_kiosk(kiosk)


QUEUE_SCREEN = """import QtQuick
import "{ui}"

KioskScreen {{
    screenName: "fakeQueue"
    property string guideId: ""
    property string guideTitle: ""
    Text {{
        objectName: "fakeQueueFor"
        text: guideId + "|" + guideTitle
    }}
}}
"""


@pytest.mark.parametrize("offered", [False, True], ids=["without", "with-queue"])
def test_take_a_number_shows_only_with_the_queue_and_hands_it_the_guide(
    qtbot, qapp, services, monkeypatch, tmp_path, offered
):
    from ui import app as ui_app

    (tmp_path / "FakeQueueScreen.qml").write_text(
        QUEUE_SCREEN.format(ui=ui_app.UI_DIR.as_uri()), encoding="utf-8"
    )
    queue = Feature(
        key="queue",
        title="取号",
        icon="号",
        subtitle=lambda facts: "",
        screen=(tmp_path / "FakeQueueScreen.qml").as_uri(),
    )
    monkeypatch.setattr(features, "REGISTRY", instead("queue", queue if offered else None))
    kiosk = open_kiosk(qtbot, services)
    try:
        kiosk.app_state.open("GuideScreen.qml", {"itemId": DIBAO})
        kiosk.wait_screen("guide")
        qtbot.waitUntil(lambda: kiosk.get("guideTitle").property("text") != "")
        if not offered:
            assert kiosk.find("takeNumber") is None and kiosk.find("fontLarger") is not None
            return
        kiosk.click("takeNumber")
        kiosk.wait_screen("fakeQueue")
        assert kiosk.get("fakeQueueFor").property("text") == f"{DIBAO}|城乡居民最低生活保障审核确认"
    finally:
        close_kiosk(kiosk)


APPLY_SCREEN = """import QtQuick
import "{ui}"

KioskScreen {{
    screenName: "fakeApply"
}}
"""


@pytest.mark.parametrize("offered", [False, True], ids=["without", "with-applications"])
def test_a_search_finding_nothing_offers_to_apply_only_where_applications_are_offered(
    qtbot, qapp, services, monkeypatch, tmp_path, offered
):
    from ui import app as ui_app

    monkeypatch.setattr(features, "REGISTRY", instead("applications", None))
    if offered:
        (tmp_path / "FakeApplyScreen.qml").write_text(
            APPLY_SCREEN.format(ui=ui_app.UI_DIR.as_uri()), encoding="utf-8"
        )
        apply = Feature(
            key="applications",
            title="信息公开申请",
            icon="申",
            subtitle=lambda facts: "",
            screen=(tmp_path / "FakeApplyScreen.qml").as_uri(),
        )
        monkeypatch.setattr(features, "REGISTRY", instead("applications", apply))
    kiosk = open_kiosk(qtbot, services)
    try:
        kiosk.click("homeSearch")
        kiosk.wait_screen("search")
        kiosk.search.setProperty("text", "qqzzx")
        qtbot.waitUntil(lambda: kiosk.find("noResults") is not None, timeout=8000)
        if not offered:
            assert kiosk.find("applyForDisclosure") is None
            return
        kiosk.click("applyForDisclosure")
        kiosk.wait_screen("fakeApply")
    finally:
        close_kiosk(kiosk)


def test_forms_and_the_hall_map_show_as_pictures_on_the_page(qtbot, qapp, services, tmp_path):
    from content.guides_import import import_guides
    from tests.helpers.guide_files import guide_with_pictures

    kiosk = open_kiosk(qtbot, services)
    try:
        import_guides(services.library.opened_store(), guide_with_pictures(tmp_path / "guide"))
        kiosk.app_state.open("GuideScreen.qml", {"itemId": "guide-pictures"})
        kiosk.wait_screen("guide")
        qtbot.waitUntil(lambda: kiosk.get("guideTitle").property("text") == "临时救助")
        seen: set[str] = set()
        body = kiosk.get("guideBody")
        for _ in range(40):
            seen |= {
                i.property("source").toString()
                for i in kiosk.items(body)
                if i.objectName() == "guideImage"
                and i.property("implicitWidth") == 600
                and i.property("width") > 900
            }
            if len(seen) == 3 or body.property("atYEnd"):
                break
            kiosk.click("pageDown")
            qtbot.wait(100)
        assert len(seen) == 3  # each picture decoded (its 600 px) and laid out across the page
    finally:
        close_kiosk(kiosk)


def test_a_question_in_search_opens_the_guide_on_its_own_page(kiosk):
    kiosk.click("homeSearch")
    kiosk.wait_screen("search")
    kiosk.search.setProperty("text", "遭遇火灾怎么申请救助")  # words of 临时救助's 受理条件
    kiosk.qtbot.waitUntil(lambda: kiosk.search.property("resultCount") > 0, timeout=8000)
    kiosk.click("result_0")
    kiosk.wait_screen("guide")
    kiosk.qtbot.waitUntil(lambda: kiosk.get("guideTitle").property("text") == "临时救助")


def test_opening_the_catalogue_and_each_way_to_browse_is_one_list_opened(qtbot, qapp, services, monkeypatch):
    recorded: list[tuple[str, dict]] = []
    monkeypatch.setattr(services.usage, "event", lambda kind, **fields: recorded.append((kind, fields)))
    kiosk = open_kiosk(qtbot, services)
    try:
        open_guides(kiosk)
        qtbot.wait(200)
        assert recorded == [("list_opened", {"list": "guide"})]
        kiosk.click("guideTab_department")
        qtbot.waitUntil(lambda: len(recorded) == 2)
        qtbot.wait(200)
        assert recorded == [("list_opened", {"list": "guide"})] * 2
    finally:
        close_kiosk(kiosk)


def test_a_guide_open_is_something_the_idle_reset_forgets(kiosk):
    open_guides(kiosk)
    kiosk.click("guideTab_all")
    open_guide_titled(kiosk, "城乡居民最低生活保障审核确认")
    assert not kiosk.services.session.is_empty()  # so the idle countdown runs and the reset comes
    kiosk.app_state.resetNow()
    kiosk.wait_screen("home")
    assert kiosk.services.session.is_empty() and kiosk.find("guidesScreen") is None
