"""The services' wiring of sync with the city: background sync only on an enrolled kiosk with
`sync.enabled`, cached device faults for heartbeats, anonymous usage records (never query text) written
off the caller's thread, a full outbox that neither raises nor blocks, and the staff overview."""

from __future__ import annotations

import itertools
import json
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))
from channel_kit import item, make_city, publish_items  # noqa: E402
from city_server import background  # noqa: E402

from city import fleet  # noqa: E402
from city.server import create_app  # noqa: E402
from content.outbox import Outbox  # noqa: E402
from kiosk import (
    enrolment,  # noqa: E402
    health,  # noqa: E402
)
from kiosk.config import defaults  # noqa: E402
from kiosk.events import ContentChange  # noqa: E402
from kiosk.health import DeviceHealth  # noqa: E402
from kiosk.services import Services, build  # noqa: E402
from kiosk.sync_text import not_enrolled  # noqa: E402


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    home = make_city(tmp_path_factory.mktemp("city"))
    publish_items(home, [item(n) for n in range(5)])
    return home


_ids = itertools.count(1)


def enrol(city, data_dir: Path, url: str = "http://127.0.0.1:9") -> None:
    document = fleet.enrol(
        city, f"xian-{next(_ids):02d}", channel_url=url + "/channel/", upload_url=url + "/v1/outbox"
    )
    path = data_dir.parent / "xian-01.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    data_dir.mkdir(parents=True, exist_ok=True)
    enrolment.install(path, data_dir)


def opened(data_dir: Path, *, background_sync: bool = False, **values) -> Services:
    config = defaults().with_values(sync__retries=0, sync__timeout_seconds=5, **values)
    services = build(config, data_dir, bundled=False, background_sync=background_sync)
    services.library.open()
    assert services.library.store is not None, services.library.maintenance
    return services


def usage_rows(services: Services) -> list[tuple[str, dict]]:
    services.usage.flush()
    return [
        (row.kind, row.payload) for row in Outbox(services.library.store).due(1000) if row.kind != "heartbeat"
    ]


@pytest.fixture
def no_diagnosis(monkeypatch):
    monkeypatch.setattr(DeviceHealth, "faults", lambda self: [])


def test_an_unenrolled_kiosk_starts_no_sync_and_sends_nothing_but_tallies_for_staff(tmp_path):
    services = opened(tmp_path / "kiosk", background_sync=True)
    try:
        assert not services.sync.enrolled and services.sync.service is None
        services.usage.event("checklist_printed", item_id="x")
        services.usage.flush()
        with services.library.store.transaction() as db:
            assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
        tally = services.usage.store().tally(date.min, date.max)
        assert [(t.function, t.measure, t.item, t.count) for t in tally] == [("guides", "printed", "x", 1)]
        # nothing made up: no figures, only what staff should do
        assert services.sync.overview() == {"enrolled": False, "lines": [not_enrolled()]}
    finally:
        services.close()


def test_background_sync_starts_when_enrolled_and_enabled_and_stops_on_close(city, tmp_path, no_diagnosis):
    data_dir = tmp_path / "kiosk"
    enrol(city, data_dir)
    services = opened(data_dir, background_sync=True)
    assert services.sync.enrolled and services.sync.service is not None
    threads = services.sync.service._threads
    assert sorted(t.name for t in threads) == ["sync-heartbeat", "sync-service"]
    assert all(t.is_alive() and t is not threading.current_thread() for t in threads)
    services.close()
    assert services.sync.service is None and not any(t.is_alive() for t in threads)


def test_sync_enabled_off_or_no_background_flag_starts_nothing(city, tmp_path):
    data_dir = tmp_path / "kiosk"
    enrol(city, data_dir)
    off = opened(data_dir, background_sync=True, sync__enabled=False)
    try:
        assert off.sync.enrolled and off.sync.service is None
    finally:
        off.close()
    plain = opened(data_dir)  # tests and the CLI's own services never sync behind the caller's back
    try:
        assert plain.sync.service is None
    finally:
        plain.close()


def test_usage_is_recorded_anonymously_and_a_typing_episode_is_one_search(city, tmp_path):
    data_dir = tmp_path / "kiosk"
    enrol(city, data_dir)
    services = opened(data_dir)
    try:
        services.library.store.upsert_items([item(n) for n in range(3)])
        browse = services.library.opened_browse()
        for typed in ("身", "身份", "身份证"):  # search as the resident types
            browse.search(typed)
        browse.listing("document")
        browse.listing("document", offset=60)  # the next page is the same browse
        browse.notices()
        browse.search("社保")
        services.session.clear()  # the idle reset ends the episode
        rows = usage_rows(services)
    finally:
        services.close()
    assert [kind for kind, _ in rows] == ["search", "list_opened", "list_opened", "search"], rows
    assert rows[0][1] == {"query_class": "words", "results": rows[0][1]["results"], "opened": False}
    assert rows[1][1] == {"list": "document"} and rows[2][1] == {"list": "notice"}
    assert rows[3][1]["query_class"] == "words" and not rows[3][1]["opened"]
    text = json.dumps(rows, ensure_ascii=False)
    assert "身份" not in text and "社保" not in text


def test_a_read_records_the_kind_id_and_seconds_when_the_resident_leaves(city, tmp_path):
    data_dir = tmp_path / "kiosk"
    enrol(city, data_dir)
    services = opened(data_dir)
    try:
        from content.model import Item

        services.library.store.upsert_items(
            [Item("doc-9", "interpretation", "某某解读", body_md="正文"), Item("n-1", "notice", "公告")]
        )
        browse = services.library.opened_browse()
        browse.search("解读")
        browse.document("doc-9")
        browse.document("doc-9", record=False)  # a restyle is not another read
        assert usage_rows(services) == [("search", {"query_class": "words", "results": 1, "opened": True})]
        browse.left("n-1")  # not the one being read: nothing
        browse.document("n-1")  # opening another leaves the first
        browse.left("n-1")
        rows = usage_rows(services)[1:]
    finally:
        services.close()
    assert rows == [
        ("read", {"item_kind": "interpretation", "item_id": "doc-9", "seconds": 0}),
        ("notice_viewed", {"item_id": "n-1", "seconds": 0}),
    ]


def small_outbox(monkeypatch, capacity: int) -> None:
    from kiosk import sync_service

    monkeypatch.setattr(
        sync_service, "outbox_for", lambda library, config: Outbox(library, capacity=capacity)
    )


def test_a_full_outbox_is_logged_and_shown_never_raised(city, tmp_path, caplog, monkeypatch):
    data_dir = tmp_path / "kiosk"
    enrol(city, data_dir)
    small_outbox(monkeypatch, 2)
    services = opened(data_dir)
    try:
        for _ in range(4):
            services.usage.event("checklist_printed", item_id="g")  # returns at once: the write is queued
        services.usage.flush()
        overview = services.sync.overview()
        assert len(services.usage.store().staged()) == 2  # kept on the kiosk, not dropped
    finally:
        services.close()
    assert "usage records wait in statistics.db" in caplog.text
    assert overview["pending"] == 2 and overview["capacity"] == 2
    assert "待上传记录已达上限" in overview["warning"]


def test_near_the_bound_staff_see_the_warning(city, tmp_path, monkeypatch):
    data_dir = tmp_path / "kiosk"
    enrol(city, data_dir)
    small_outbox(monkeypatch, 10)
    services = opened(data_dir)
    try:
        for _ in range(8):
            services.usage.event("checklist_printed", item_id="g")
        services.usage.flush()
        overview = services.sync.overview()
    finally:
        services.close()
    assert "待上传记录接近上限" in overview["warning"] and "网络" in overview["warning"]


def test_device_faults_are_diagnosed_once_then_cached(tmp_path, monkeypatch):
    calls = []
    import kiosk.devices
    from kiosk.devices import DeviceCheck, DiagReport

    report = DiagReport(
        ports=[],
        checks=[
            DeviceCheck("printer", "小票打印机", "sim://", "warning", "缺纸"),
            DeviceCheck("idcard", "身份证阅读器", "sim://", "ok", "正常"),
        ],
    )

    class FakeDevices:  # the real summary (DiagReport.faults) over a made-up diagnosis
        def __init__(self, config, data_dir):
            pass

        def diagnose(self):
            calls.append(1)
            return report

    monkeypatch.setattr(kiosk.devices, "DeviceService", FakeDevices)
    services = build(defaults(), tmp_path)
    assert services.devices.faults() == ["小票打印机：缺纸"]
    assert services.devices.faults() == ["小票打印机：缺纸"]
    assert len(calls) == 1
    monkeypatch.setattr(health, "FAULTS_TTL", 0.0)
    services.devices.faults()
    assert len(calls) == 2


def test_sync_now_pulls_pushes_and_the_overview_shows_it(city, tmp_path, no_diagnosis):
    data_dir = tmp_path / "kiosk"
    with background(create_app(city)) as url:
        enrol(city, data_dir, url)
        services = opened(data_dir)
        try:
            services.usage.event("checklist_printed", item_id="g")
            services.usage.flush()
            outcome = services.sync.now()
            overview = services.sync.overview()
        finally:
            services.close()
    assert "已更新到版本 1" in outcome and "新增 5" in outcome and "上传记录 2 条" in outcome, outcome
    assert overview["version"] == "1" and overview["channel"] and overview["lastSuccess"]
    assert overview["pending"] == 0 and not overview["warning"] and not overview["stale"]


def test_sync_now_reports_an_unreachable_city(city, tmp_path, no_diagnosis):
    data_dir = tmp_path / "kiosk"
    enrol(city, data_dir)  # a port nothing listens on
    services = opened(data_dir)
    try:
        outcome = services.sync.now()
        overview = services.sync.overview()
    finally:
        services.close()
    assert outcome.startswith("同步失败：") and "暂未上传" in outcome, outcome
    assert overview["lastError"] and overview["version"] == ""


def test_a_sync_that_applies_a_version_tells_the_listeners_and_remembers_the_tiles(
    city, tmp_path, no_diagnosis
):
    data_dir = tmp_path / "kiosk"
    with background(create_app(city)) as url:
        enrol(city, data_dir, url)
        services = opened(data_dir)
        heard: list = []
        try:
            services.bus.subscribe(ContentChange, lambda change: 1 / 0)  # a broken listener stops no other
            remove = services.bus.subscribe(ContentChange, heard.append)
            before = services.library.last_tiles()
            services.sync.now()
            services.sync.now()  # up to date: nothing changed, nobody told
            assert len(heard) == 1
            change = heard[0]
            assert change.reason == "sync" and change.version == services.library.content_version == 1
            assert change.tiles[0]["subtitle"].startswith("政策文件 5 篇")
            assert services.library.last_tiles() == change.tiles != before
            remove()
            services.library.store.upsert_items([item(9)])
            services.library.changed("sync")
            assert len(heard) == 1 and services.library.content_version == 2
            assert services.library.last_tiles()[0]["subtitle"].startswith("政策文件 6 篇")
        finally:
            services.close()


def test_the_background_sync_tells_the_listeners_from_its_thread(city, tmp_path, no_diagnosis):
    data_dir = tmp_path / "kiosk"
    with background(create_app(city)) as url:
        enrol(city, data_dir, url)
        services = opened(data_dir)
        heard: list = []
        services.bus.subscribe(
            ContentChange, lambda change: heard.append((change, threading.current_thread().name))
        )
        try:
            assert services.sync.start(first_delay=0)
            deadline = time.monotonic() + 20
            while not heard and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            services.close()
    assert [(c.reason, c.version, name) for c, name in heard] == [("sync", 1, "sync-service")]


def test_local_notice_changes_tell_the_listeners(tmp_path):
    from kiosk.notices import NoticeDraft

    services = opened(tmp_path / "kiosk")
    heard: list = []
    services.bus.subscribe(ContentChange, heard.append)
    try:
        today = date.today().isoformat()
        notice = services.notices.post(NoticeDraft("停水通知", "明日停水", today, "", "村"))
        services.notices.edit(notice.id, NoticeDraft("停水通知（更正）", "后日停水", today, "", "村"))
        services.notices.withdraw(notice.id)
    finally:
        services.close()
    assert [(c.reason, c.version) for c in heard] == [("notice", 1), ("notice", 2), ("notice", 3)]
    counts = [next(t["subtitle"] for t in c.tiles if t["key"] == "notices") for c in heard]
    assert counts == ["当前公告 1 条", "当前公告 1 条", "当前公告 0 条"]


def test_tiles_computed_before_a_change_do_not_overwrite_those_remembered_after_it(tmp_path):
    services = build(defaults(), tmp_path)
    newer = [{"key": "library", "title": "政府信息查询", "subtitle": "政策文件 6 篇 · 全文检索"}]
    older = [{"key": "library", "title": "政府信息查询", "subtitle": "政策文件 5 篇 · 全文检索"}]
    services.library.remember_tiles(newer, 2)  # a sync's change (content_version 2)
    services.library.remember_tiles(older, 1)  # the UI's opening, computed before that change, writes late
    assert services.library.last_tiles() == newer
    services.library.remember_tiles(older, 2)
    assert services.library.last_tiles() == older
