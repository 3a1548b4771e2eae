"""New content shows up without a restart, on the real QML: a sync through the services (against a live
`city serve` on loopback) or a staff notice changes the home tiles and their counts at once, updates
the remembered tiles of the next cold start, and brings lists and search results up to date when the
resident comes back to them — never pulling a resident away from what they are reading."""

from __future__ import annotations

import dataclasses
import sys
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from conftest import close_kiosk, open_kiosk
from PySide6.QtCore import QPointF
from test_staff_sync import enrol

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))
from channel_kit import item, make_city, publish_items  # noqa: E402
from city_server import background  # noqa: E402

from city.server import create_app  # noqa: E402
from content.model import GuideFields, Item  # noqa: E402
from kiosk.health import DeviceHealth  # noqa: E402
from kiosk.library import bundled_guides_path  # noqa: E402
from kiosk.notices import NoticeDraft  # noqa: E402
from ui.screenshot import type_into  # noqa: E402

BUNDLED_DOCUMENTS = 16  # the bundled gazette's documents (tests/ui/conftest.py imports it)
BUNDLED_GUIDES = len(list(bundled_guides_path().glob("*.json")))  # the demo guides imported with it


@pytest.fixture(autouse=True)
def no_diagnosis(monkeypatch):
    monkeypatch.setattr(DeviceHealth, "faults", lambda self: [])


def documents(*numbers: int) -> list[Item]:
    """Channel documents newer than the bundled gazette's (so they head the 按日期 list), newest last."""
    return [dataclasses.replace(item(n), date=f"2024-05-{n:02d}") for n in numbers]


def guide() -> Item:
    return Item(
        id="guide-000001",
        kind="guide",
        title="城乡居民基本养老保险参保登记",
        body_md="年满16周岁、不在校的城乡居民可以参保。",
        date="2024-05-10",
        section="办事指南",
        origin="city",
        source="test",
        guide=GuideFields(
            subject="定州市人力资源和社会保障局",
            materials="居民身份证或户口簿",
            process="受理—审核—登记",
            fees="不收费",
            time_limit="即时办结",
            window="政务服务中心一楼 12 号窗口",
        ),
    )


def in_background(qtbot, fn, timeout: int = 30000):
    """Run `fn` on a thread of its own (as the background sync and staff's worker do) while the GUI
    event loop keeps running; return its result."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test
            box["error"] = exc

    thread = threading.Thread(target=run, name="test-background")
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=timeout)
    if "error" in box:
        raise box["error"]
    return box["value"]


@contextmanager
def synced_kiosk(qtbot, services, city, items):
    """The kiosk on screen, enrolled and synced to version 1 of a channel holding `items`."""
    city_home, url = city
    publish_items(city_home, items)
    enrol(city_home, services.data_dir, url)
    kiosk = open_kiosk(qtbot, services)
    try:
        services.library.ensure_open()
        in_background(qtbot, services.sync.now)
        qtbot.waitUntil(lambda: kiosk.app_state.property("contentVersion") == 1)
        yield kiosk
    finally:
        close_kiosk(kiosk)


def subtitle(kiosk, key: str) -> str:
    tile = kiosk.get(f"tile_{key}")
    return next(
        t for t in kiosk.texts(tile) if t.startswith(("政策文件", "政策解读", "当前公告", "办事指南 "))
    )


@pytest.fixture
def city(services):
    home = make_city(services.data_dir.parent / "city")
    with background(create_app(home)) as url:
        yield home, url


def test_a_sync_that_adds_a_guide_updates_its_tile_without_a_restart(qtbot, qapp, services, city, tmp_path):
    city_home, url = city
    publish_items(city_home, documents(1, 2, 3))  # version 1: documents, no guide (the demo's guides only)
    enrol(city_home, services.data_dir, url)
    kiosk = open_kiosk(qtbot, services)
    try:
        services.library.ensure_open()
        outcome = in_background(qtbot, services.sync.now)
        assert "已更新到版本 1" in outcome
        qtbot.waitUntil(lambda: f"政策文件 {BUNDLED_DOCUMENTS + 3} 篇" in subtitle(kiosk, "library"))
        assert f"办事指南 {BUNDLED_GUIDES} 项" in subtitle(kiosk, "guides")
        assert kiosk.app_state.property("contentVersion") == 1
        kiosk.get("tile_library").setProperty("probe", "the same tile")
        kiosk.get("tile_guides").setProperty("probe", "the same tile")

        publish_items(city_home, [*documents(1, 2, 3, 4), guide()])  # version 2: one more document, a guide
        outcome = in_background(qtbot, services.sync.now)
        assert "已更新到版本 2：新增 2" in outcome, outcome
        tile = kiosk.get("tile_guides")  # no restart: the running home screen counts the new guide
        assert f"办事指南 {BUNDLED_GUIDES + 1} 项" in kiosk.texts(tile)
        assert f"政策文件 {BUNDLED_DOCUMENTS + 4} 篇" in subtitle(kiosk, "library")
        for key in ("library", "guides"):
            assert kiosk.get(f"tile_{key}").property("probe") == "the same tile"  # updated, not rebuilt
        assert kiosk.screen() == "home"
        remembered = services.library.last_tiles()  # what the next cold start shows first
        assert [t["key"] for t in remembered] == ["library", "interpretations", "notices", "guides"]
        assert remembered == kiosk.app_state.property("functions")

        kiosk.qtbot.wait(200)  # let the new tile's layout settle for the picture
        shot = tmp_path / "refreshed-home.png"
        assert kiosk.window.grabWindow().save(str(shot)) and shot.stat().st_size > 50_000
        print(f"refreshed home: {shot}")

        kiosk.click(tile)
        kiosk.wait_screen("guides")
        kiosk.click("guideTab_all")
        qtbot.waitUntil(lambda: kiosk.find("guideRow_1") is not None)
        row = next(  # the city's guide, beside the demo guide of the same name (marked 示例)
            item
            for item in kiosk.items()
            if item.objectName().startswith("guideRow_")
            and item.property("title") == "城乡居民基本养老保险参保登记"
            and item.property("badge") == ""
        )
        kiosk.click(row)
        kiosk.wait_screen("guide")
        body = kiosk.get("guideBody")
        qtbot.waitUntil(lambda: any("即时办结" in t for t in kiosk.texts(body)))
    finally:
        close_kiosk(kiosk)


def test_a_resident_reading_a_document_the_sync_removes_stays_on_it(qtbot, qapp, services, city, tmp_path):
    city_home, _ = city
    with synced_kiosk(qtbot, services, city, documents(1, 2, 3)) as kiosk:
        newest = item(3).title
        kiosk.click("tile_library")
        kiosk.wait_screen("library")
        kiosk.click("tab_dates")
        qtbot.waitUntil(
            lambda: kiosk.find("row_0") is not None and newest in kiosk.texts(kiosk.find("row_0"))
        )
        kiosk.click("row_0")
        kiosk.wait_screen("reader")
        kiosk.get("readerBody")
        qtbot.waitUntil(lambda: "第3号文件" in kiosk.reader_text())
        text = kiosk.reader_text()

        publish_items(city_home, [*documents(1, 2), guide()])  # the document being read is withdrawn
        outcome = in_background(qtbot, services.sync.now)
        assert "删除 1" in outcome, outcome
        qtbot.waitUntil(lambda: kiosk.app_state.property("contentVersion") == 2)
        assert "guides" in [t["key"] for t in kiosk.app_state.property("functions")]  # home is current
        qtbot.wait(300)
        assert kiosk.screen() == "reader"  # not pulled away
        assert kiosk.get("readerTitle").property("text") == newest and kiosk.reader_text() == text

        kiosk.click("fontLarger")  # the document is gone from the library: the page stays, no error over it
        qtbot.waitUntil(lambda: kiosk.app_state.property("fontStep") == 1)
        qtbot.waitUntil(lambda: kiosk.reader_px() > 28)
        qtbot.wait(300)
        assert kiosk.screen() == "reader" and "第3号文件" in kiosk.reader_text()
        assert not any("找不到" in t for t in kiosk.texts())
        shot = tmp_path / "reader-after-removal.png"
        assert kiosk.window.grabWindow().save(str(shot))
        print(f"reader after the sync removed its document: {shot}")

        kiosk.click("backButton")  # the 按日期 list comes back brought up to date
        kiosk.wait_screen("library")
        qtbot.waitUntil(lambda: item(2).title in kiosk.texts(kiosk.get("row_0")))
        assert not any(newest in t for t in kiosk.texts(kiosk.get("libraryList")))
        kiosk.click("homeButton")
        kiosk.wait_screen("home")
        assert kiosk.get("tile_guides") is not None
        assert f"政策文件 {BUNDLED_DOCUMENTS + 2} 篇" in subtitle(kiosk, "library")


def draft(title: str, text: str) -> NoticeDraft:
    return NoticeDraft(title, text, date.today().isoformat(), "", "村")


def test_a_staff_notice_reaches_home_and_the_notices_list_when_the_resident_comes_back(kiosk):
    qtbot, services = kiosk.qtbot, kiosk.services
    in_background(qtbot, lambda: services.notices.post(draft("村委会换届选举公告", "本村将于下月选举。")))
    qtbot.waitUntil(lambda: "当前公告 1 条" in subtitle(kiosk, "notices"))
    kiosk.click("tile_notices")
    kiosk.wait_screen("notices")
    kiosk.click("notice_0")
    kiosk.wait_screen("reader")

    in_background(qtbot, lambda: services.notices.post(draft("停水通知", "明日上午停水。")))
    qtbot.waitUntil(lambda: "当前公告 2 条" in str(kiosk.app_state.property("functions")))
    assert kiosk.screen() == "reader"
    kiosk.click("backButton")
    kiosk.wait_screen("notices")
    qtbot.waitUntil(lambda: "公示公告（当前有效 2 条）" in kiosk.texts())
    assert kiosk.get("notice_1") is not None
    kiosk.click("homeButton")
    assert "当前公告 2 条" in subtitle(kiosk, "notices")


def test_search_results_are_searched_again_when_the_resident_comes_back(kiosk):
    qtbot, services = kiosk.qtbot, kiosk.services
    kiosk.click("homeSearch")
    kiosk.wait_screen("search")
    qtbot.waitUntil(lambda: kiosk.get("searchField").hasActiveFocus())
    type_into(kiosk.window, "searchField", ("秸秆",))
    qtbot.waitUntil(
        lambda: kiosk.search.property("searched") == "秸秆" and kiosk.search.property("resultCount") > 0
    )
    before = kiosk.search.property("resultCount")
    kiosk.click("result_0")
    kiosk.wait_screen("reader")
    in_background(qtbot, lambda: services.notices.post(draft("秸秆禁烧巡查公告", "即日起开展秸秆禁烧巡查。")))
    qtbot.waitUntil(lambda: kiosk.app_state.property("contentVersion") == 1)
    qtbot.wait(200)
    assert kiosk.screen() == "reader"
    kiosk.click("backButton")
    kiosk.wait_screen("search")
    qtbot.waitUntil(lambda: any(r["title"] == "秸秆禁烧巡查公告" for r in kiosk.search.property("results")))
    assert kiosk.search.property("resultCount") == before + 1
    assert kiosk.search.property("text") == "秸秆"


def top_row(kiosk, view):
    """The list's row at the top of its view (partly scrolled away or not)."""
    top = view.mapToScene(QPointF(0, 0)).y()
    rows = [
        (i.mapToScene(QPointF(0, 0)).y(), i)
        for i in kiosk.items(view)
        if i.objectName().startswith("row_") and i.mapToScene(QPointF(0, i.height())).y() > top + 1
    ]
    return min(rows, key=lambda pair: pair[0])[1]


def test_a_list_brought_up_to_date_keeps_the_residents_place(qtbot, qapp, services, city):
    city_home, _ = city
    with synced_kiosk(qtbot, services, city, documents(1, 2, 3)) as kiosk:
        kiosk.click("tile_library")
        kiosk.click("tab_dates")
        view = kiosk.get("libraryList")
        qtbot.waitUntil(lambda: view.property("count") == BUNDLED_DOCUMENTS + 3)
        view.setProperty("contentY", view.property("contentY") + 900)  # the resident scrolls down
        qtbot.wait(100)
        kept = top_row(kiosk, view).property("title")
        assert kept not in {d.title for d in documents(1, 2, 3)}
        below = next(
            i
            for i in kiosk.items(view)
            if i.objectName().startswith("row_")
            and i.mapToScene(QPointF(0, 0)).y() > top_row(kiosk, view).mapToScene(QPointF(0, 0)).y()
        )
        kiosk.click(below)
        kiosk.wait_screen("reader")

        publish_items(city_home, documents(1, 2, 3, 4, 5))  # two newer documents: every row moves down two
        in_background(qtbot, services.sync.now)
        qtbot.waitUntil(lambda: kiosk.app_state.property("contentVersion") == 2)
        kiosk.click("backButton")
        kiosk.wait_screen("library")
        qtbot.waitUntil(lambda: view.property("count") == BUNDLED_DOCUMENTS + 5)
        qtbot.waitUntil(lambda: top_row(kiosk, view).property("title") == kept)
