"""The kiosk side of the display: the playlist's checks, emergency notices, the displays' heartbeats."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.signage import playlist
from kiosk.signage.emergency import Emergencies, EmergencyInvalid
from kiosk.signage.playlist import PlaylistInvalid, parse
from kiosk.signage.status import MAX_SCREENSHOT, STALE_SECONDS, Displays, HeartbeatInvalid

NOW = datetime(2026, 12, 4, 9, 30)


def test_a_playlist_is_read_with_its_rules_and_defaults():
    plan = parse(
        {
            "screen_on": {"weekdays": [1, 2, 3, 4, 5], "times": ["07:30-18:30"]},
            "entries": [
                {"id": "notices", "show": "notices"},
                {"id": "g", "show": "gazette", "seconds": 30, "times": ["14:00-18:00", "08:00-12:00"],
                 "from": "2026-12-01", "to": "2026-12-31", "weekdays": [5, 1]},
                {"id": "p", "show": "item", "item": "doc-1", "priority": 10},
            ],
        }
    )  # fmt: skip
    assert plan.on_times == (("07:30", "18:30"),) and plan.on_weekdays == (1, 2, 3, 4, 5)
    gazette = plan.entries[1]
    assert gazette.times == (("08:00", "12:00"), ("14:00", "18:00")) and gazette.weekdays == (1, 5)
    assert plan.entries[0].weekdays == playlist.WEEK and plan.entries[0].seconds == 20
    served = plan.to_json()
    assert served["entries"][1]["from"] == "2026-12-01" and served["entries"][2]["priority"] == 10
    assert parse(json.loads(json.dumps(served))) == plan  # what the API serves reads back the same


def test_every_problem_is_named_in_chinese_and_nothing_is_kept():
    with pytest.raises(PlaylistInvalid) as caught:
        parse(
            {
                "entries": [
                    {"id": "a", "show": "tv", "seconds": 2},
                    {"id": "a", "show": "notices", "times": ["18:00-08:00"], "weekdays": [0]},
                    {"id": "b", "show": "item", "from": "2026-12-31", "to": "2026-12-01", "colour": 1},
                ],
                "loop": True,
            }
        )
    errors = caught.value.errors
    assert "“loop”：不是播放列表的字段（只有 entries 和 screen_on）" in errors
    assert any(e.startswith("第1项.show：只能是 notices") for e in errors)
    assert "第1项.seconds（每页秒数）：应在 5 到 600 之间（现为 2）" in errors
    assert any("结束时间应晚于开始时间（18:00-08:00；跨零点请分成两段）" in e for e in errors)
    assert any(e.startswith("第2项.weekdays（星期）第1项：应为 1 到 7") for e in errors)
    assert "第3项.item：show 为 item 时须写明内容编号" in errors
    assert "第3项：结束日期 2026-12-01 早于开始日期 2026-12-31" in errors
    assert "第3项.“colour”：不是播放项的字段" in errors
    assert caught.value.zh.startswith(f"播放列表有 {len(errors)} 处错误，未保存")


def test_duplicate_ids_and_empty_playlists_are_refused():
    with pytest.raises(PlaylistInvalid, match="1 problem"):
        parse({"entries": []})
    with pytest.raises(PlaylistInvalid) as caught:
        parse({"entries": [{"id": "a", "show": "notices"}, {"id": "a", "show": "gazette"}]})
    assert caught.value.errors == ["第2项：编号“a”重复"]


def test_the_default_playlist_follows_the_tier():
    assert [e.show for e in playlist.default_playlist("村").entries] == ["notices"]
    assert [e.show for e in playlist.default_playlist("市").entries] == ["notices", "gazette"]


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
KEYS = st.sampled_from(sorted(playlist.ENTRY_KEYS))
ENTRY = st.dictionaries(KEYS, JSONISH | st.sampled_from(["notices", "gazette", "item", "08:00-12:00"]))


@settings(max_examples=300, deadline=None)
@given(st.one_of(JSONISH, st.fixed_dictionaries({"entries": st.lists(ENTRY, max_size=5)})))
def test_any_value_is_a_playlist_or_a_named_refusal(value):
    try:
        plan = parse(value)
    except PlaylistInvalid as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
        return
    assert parse(plan.to_json()) == plan


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=14))
def test_any_time_window_text_is_read_or_refused(window):
    try:
        plan = parse({"entries": [{"id": "a", "show": "notices", "times": [window]}]})
    except PlaylistInvalid as exc:
        assert exc.errors[0].startswith("第1项.times（时段）第1项：")
        return
    start, end = plan.entries[0].times[0]
    assert start < end <= "24:00"


def test_emergency_notices_last_until_withdrawn_or_ended(tmp_path):
    board = Emergencies(tmp_path)
    lasting = board.post("停水通知", "今日 14 时起大厅停水", now=NOW)
    ending = board.post("临时闭厅", "", (NOW + timedelta(hours=2)).isoformat(), now=NOW)
    assert [e.id for e in board.current(NOW)] == [lasting.id, ending.id]
    assert [e.id for e in Emergencies(tmp_path).current(NOW + timedelta(hours=3))] == [lasting.id]
    assert board.withdraw(lasting.id) and not board.withdraw(lasting.id)
    assert board.current(NOW) == [ending]


@pytest.mark.parametrize(
    "title, text, until, zh",
    [
        ("", "x", "", "请填写紧急通知的标题"),
        ("长" * 41, "x", "", "标题不能超过 40 个字"),
        ("停水", "x" * 501, "", "内容不能超过 500 个字"),
        ("停水", "", "明天", "结束时间“明天”无效（应如 2026-12-04T18:00）"),
        ("停水", "", "2026-12-04T09:00", "结束时间已经过去"),
        ("停水", "", "2026-12-04T18:00+08:00", "结束时间请写本地时间，不带时区"),
    ],
)
def test_a_bad_emergency_notice_is_refused_in_chinese(tmp_path, title, text, until, zh):
    with pytest.raises(EmergencyInvalid) as caught:
        Emergencies(tmp_path).post(title, text, until, now=NOW)
    assert caught.value.zh == zh
    assert Emergencies(tmp_path).current(NOW) == []


def test_display_heartbeats_become_lines_of_the_device_heartbeat(tmp_path):
    displays = Displays(tmp_path)
    displays.beat(
        {"display": "hall-tv", "showing": "公示牌", "since": "2026-12-04T08:00:12", "size": "1920x1080",
         "errors": ["视频无法播放：缺少 H.264 解码器\n（已跳过）"]},
        NOW,
    )  # fmt: skip
    assert displays.lines(NOW + timedelta(seconds=60)) == [
        "公示屏 hall-tv：正在显示 公示牌（08:00 起）",
        "公示屏 hall-tv：视频无法播放：缺少 H.264 解码器 （已跳过）",
    ]
    assert displays.lines(NOW + timedelta(minutes=20)) == ["公示屏 hall-tv：20 分钟未收到心跳"]
    assert STALE_SECONDS <= 20 * 60


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"display": "../etc", "showing": "公示牌", "since": "2026-12-04T08:00"},
        {"display": "tv", "showing": "公示牌", "since": "yesterday"},
        {"display": "tv", "showing": "x" * 41, "since": "2026-12-04T08:00"},
        {"display": "tv", "showing": "公示牌", "since": "2026-12-04T08:00", "errors": "bad"},
    ],
)
def test_a_bad_heartbeat_is_refused_and_nothing_kept(tmp_path, payload):
    with pytest.raises(HeartbeatInvalid):
        Displays(tmp_path).beat(payload, NOW)
    assert Displays(tmp_path).all() == {}


def test_screenshots_are_bounded_jpegs_and_the_newest_few_kept(tmp_path):
    displays = Displays(tmp_path)
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 100 + b"\xff\xd9"
    for minute in range(8):
        displays.save_screenshot("tv", jpeg, NOW + timedelta(minutes=minute))
    shots = sorted((tmp_path / "signage" / "screenshots" / "tv").glob("*.jpg"))
    assert len(shots) == 5 and displays.latest_screenshot("tv") == shots[-1]
    assert shots[-1].name == "20261204T093700.jpg"
    with pytest.raises(HeartbeatInvalid, match="whole JPEG"):
        displays.save_screenshot("tv", b"\x89PNG\r\n\x1a\n", NOW)
    with pytest.raises(HeartbeatInvalid, match="at most"):
        displays.save_screenshot("tv", jpeg[:-2] + b"\0" * MAX_SCREENSHOT + b"\xff\xd9", NOW)


def test_a_damaged_status_file_costs_no_heartbeat(tmp_path):
    displays = Displays(tmp_path)
    displays.path.parent.mkdir(parents=True)
    displays.path.write_bytes(b"\0garbage")
    assert displays.lines(NOW) == []
    displays.beat({"display": "tv", "showing": "公示牌", "since": "2026-12-04T09:00"}, NOW)
    assert displays.lines(NOW) == ["公示屏 tv：正在显示 公示牌（09:00 起）"]
