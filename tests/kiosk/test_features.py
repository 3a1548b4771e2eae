"""The feature registry: every function declared once, and everything that reads the declarations (home
tiles by tier, device, option and content; routes to screens that exist; list sources; the facilities
`kiosk tiers check` names; the statistics name its lists record)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content.model import GuideFields, Item
from content.store import Library
from kiosk import features, tiers
from kiosk.browse import Browse
from kiosk.config import defaults
from kiosk.features import Availability, Facts, Feature, ListSource, Registry
from kiosk.session import Session

UI = Path(__file__).resolve().parents[2] / "ui"
CORE_SCREENS = set(re.findall(r'case "(\w+)":', (UI / "Main.qml").read_text(encoding="utf-8")))


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "library.db", blobs_dir=tmp_path / "blobs") as lib:
        lib.upsert_items(
            [
                Item("doc-1", "document", "关于秸秆禁烧的通知", date="2024-03-01"),
                Item("n-1", "notice", "停水通知", valid_from="2024-01-01", level="村"),
            ]
        )
        yield lib


def fake(**changes) -> Feature:
    values = dict(
        key="fake",
        title="测试功能",
        icon="测",
        subtitle=lambda facts: f"文件 {facts.count('document')} 篇",
        screen="list",
        props={"source": "fake-list", "argument": ""},
        lists=(ListSource("fake-list", lambda browse, _: ("测试功能", browse.listing("document"))),),
        facilities=("touch_kiosk",),
        stat="document",
    )
    values.update(changes)
    return Feature(**values)


def test_every_route_leads_to_a_screen_that_exists():
    registry = features.registry()
    for feature in registry.features:
        screen, props = registry.route(feature.key)
        if screen.endswith(".qml"):
            assert (UI / screen).is_file(), feature.key
            assert "KioskScreen {" in (UI / screen).read_text(encoding="utf-8"), feature.key
        else:
            assert screen in CORE_SCREENS, feature.key
        if screen == "list":
            assert props["source"] in registry.list_sources, feature.key


def test_every_declared_facility_is_one_of_the_appendix():
    for feature in features.FEATURES:
        staff_only = not feature.home  # records nothing of its own
        assert feature.icon and feature.title and (feature.stat or staff_only), feature.key
        for key in feature.facilities:
            assert key in tiers.FACILITIES_BY_KEY, (feature.key, key)


def test_tiles_follow_content_in_declaration_order(library):
    facts = Facts.of(library, defaults())
    assert [t["key"] for t in features.registry().tiles(facts)] == ["library", "notices"]
    library.upsert_items(
        [
            Item("int-1", "interpretation", "解读", interprets_id="doc-1"),
            Item("g-1", "guide", "低保申请", guide=GuideFields(subject="民政局")),
        ]
    )
    tiles = features.registry().tiles(Facts.of(library, defaults()))
    assert [t["key"] for t in tiles] == ["library", "interpretations", "notices", "guides"]
    assert tiles[0] == {
        "key": "library",
        "title": "政府信息查询",
        "icon": "查",
        "subtitle": "政策文件 1 篇 · 全文检索",
    }
    assert tiles[2]["subtitle"] == "当前公告 1 条"


def test_availability_by_tier_device_option_and_content(library):
    facts = Facts.of(library)
    city = defaults()
    assert Availability(tiers=("村",)).reason(facts, city) == "市级专区不提供"
    assert Availability(tiers=("村",)).reason(facts, city.with_values(kiosk__tier="村")) == ""
    assert Availability(devices=("devices.printer",)).reason(facts, city) == "未配置设备：devices.printer"
    assert (
        Availability(devices=("devices.printer",)).reason(facts, city.with_values(devices__printer="sim://"))
        == ""
    )
    assert Availability(config="sync.enabled").reason(facts, city.with_values(sync__enabled=False))
    assert Availability(config="sync.enabled").reason(facts, city) == ""
    no_guides = Availability(content=lambda f: f.count("guide") > 0)
    assert no_guides.reason(facts, city) == "资料库中暂无内容"
    assert (
        no_guides.reason(None, city) == ""
    )  # offered here: the tiers check and staff do not wait for content
    assert ("办事指南", "") in features.registry().providers(city)["reading_area"]
    registry = features.registry().plus(fake(available=Availability(tiers=("省",))))
    assert "fake" not in [t["key"] for t in registry.tiles(Facts.of(library, city))]
    assert "fake" in [t["key"] for t in registry.tiles(Facts.of(library, city.with_values(kiosk__tier="省")))]


def test_a_registered_function_reaches_home_routes_lists_and_the_tiers_check(library):
    registry = features.registry().plus(fake(staff_section="fake-desk"))
    facts = Facts.of(library, defaults())
    assert registry.tiles(facts)[-1] == {
        "key": "fake",
        "title": "测试功能",
        "icon": "测",
        "subtitle": "文件 1 篇",
    }
    assert registry.route("fake") == ("list", {"source": "fake-list", "argument": ""})
    title, rows = registry.list_source("fake-list").rows(Browse(library, Session()), "")
    assert title == "测试功能" and [r["id"] for r in rows] == ["doc-1"]
    assert registry.staff_sections(defaults()) == [
        "notices",
        "queue",
        "applications",
        "statistics",
        "fake-desk",
    ]
    result = tiers.check(
        "市", lambda key: tiers.DeviceState(False, False), library.stats(), registry.providers(defaults())
    )
    touch = next(f for f in result.facilities if f.key == "touch_kiosk")
    assert touch.provided_by.split("、") == [
        "办事指南",
        "测试功能",
    ]  # offered; its sub-functions still need guides (test_tiers.py)
    assert touch.status == tiers.MISSING and touch.detail.startswith(
        "服务事项目录清单查询：资料库中没有办事指南"
    )
    board = next(f for f in result.facilities if f.key == "notice_board")
    assert board.provided_by == "公示公告" and board.to_dict()["provided_by"] == "公示公告"


def test_a_software_facility_whose_functions_are_all_off_here_is_missing(library):
    # 在线查询操作指引界面: a software facility no declared function provides yet (办事指南 provides the touch kiosk's)
    registry = features.registry().plus(
        fake(available=Availability(tiers=("省",)), facilities=("guided_query",))
    )
    result = tiers.check(
        "市", lambda key: tiers.DeviceState(False, False), library.stats(), registry.providers(defaults())
    )
    guided = next(f for f in result.facilities if f.key == "guided_query")
    assert guided.status == tiers.MISSING and guided.detail == "测试功能：市级专区不提供"
    assert guided.provided_by == "" and not result.compliant


def test_keys_and_list_sources_are_declared_once():
    with pytest.raises(ValueError, match="unique"):
        features.registry().plus(fake(key="notices"))
    with pytest.raises(ValueError, match="declared twice"):
        features.registry().plus(fake(lists=(ListSource("toc", lambda browse, _: ("", [])),)))
    with pytest.raises(KeyError, match="unknown function"):
        features.registry().route("nothing")
    with pytest.raises(ValueError, match="unknown list source"):
        features.registry().list_source("nothing")
    assert isinstance(features.registry(), Registry)


def test_a_function_list_records_its_statistics_name(library):
    library.upsert_items(
        [
            Item("int-1", "interpretation", "解读", interprets_id="doc-1"),
            Item("g-1", "guide", "低保申请", guide=GuideFields(subject="民政局")),
        ]
    )
    recorded: list[tuple[str, dict]] = []
    browse = Browse(library, Session(), usage=lambda event, **fields: recorded.append((event, fields)))
    for feature in features.FEATURES:
        if feature.screen != "list":
            continue
        recorded.clear()
        features.registry().list_source(feature.props["source"]).rows(browse, "")
        assert recorded == [("list_opened", {"list": feature.stat})], feature.key
    recorded.clear()
    features.registry().list_source("notices").rows(browse, "")
    assert recorded == [("list_opened", {"list": features.registry().get("notices").stat})]
