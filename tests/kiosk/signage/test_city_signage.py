"""The displays' playlist and emergency notices from the city: `city signage playlist FILE` and `city signage
emergency` are checked with the kiosk's own code before signing, reach the kiosk in the channel, go into
the signage store as the city's source after the sync, and a display reads them through the real local
API on loopback: staff's playlist before the city's, staff's notices beside the city's, a notice's end
time in local time, its withdrawal by a later publish; a record that is not right is refused and the
city source in force stays."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from city_hall import make_hall, sync
from hypothesis import given, settings
from hypothesis import strategies as st

from city import cli as city_cli
from city.publish import Collection, publish
from content.channel import Entry
from content.emergency_notice import EmergencyInvalid
from content.errors import ContentError
from kiosk import city_files
from kiosk.api.runner import ApiRunner
from kiosk.config import defaults
from kiosk.services import build
from kiosk.signage.channel import RecordRefused, parse_notice
from kiosk.signage.emergency import Emergencies, Emergency
from kiosk.signage.files import write_json

CITY_PLAYLIST = {
    "screen_on": {"weekdays": [1, 2, 3, 4, 5], "times": ["07:30-18:30"]},
    "entries": [{"id": "city-notices", "show": "notices", "seconds": 25, "priority": 5}],
}


@pytest.fixture
def hall(tmp_path):
    """(city home, kiosk data dir, the API's URL) with the kiosk's real services and API on loopback."""
    home, data_dir = make_hall(tmp_path)
    services = build(defaults(), data_dir, bundled=False)
    services.library.ensure_open()
    runner = ApiRunner(services, "127.0.0.1", 0)
    runner.start()
    try:
        yield home, data_dir, f"http://127.0.0.1:{runner.port}"
    finally:
        runner.stop()
        services.close()


def city(home, *args) -> int:
    return city_cli.main(["--home", str(home.path), *args])


def content(url: str) -> dict:
    return httpx.get(f"{url}/api/display/content").json()


def test_the_citys_playlist_and_notice_reach_a_display(hall, tmp_path, capsys):
    home, data_dir, url = hall
    default = [e["id"] for e in content(url)["playlist"]["entries"]]
    (tmp_path / "playlist.json").write_text(json.dumps(CITY_PLAYLIST), encoding="utf-8")
    assert city(home, "signage", "playlist", str(tmp_path / "playlist.json")) == 0
    posted = datetime.now(UTC)
    assert (
        city(
            home, "signage", "emergency", "--title", "停水通知", "--text", "今日 14:00 起停水", "--hours", "4"
        )
        == 0
    )
    notice_id = re.search(r"已发布紧急通知 ([0-9a-f]{10})", capsys.readouterr().out).group(1)
    staff = Emergencies(data_dir).post("大厅临时闭厅", "", now=datetime.now())
    sync(home, data_dir)

    body = content(url)
    assert [e["id"] for e in body["playlist"]["entries"]] == ["city-notices"] != default
    assert body["playlist"]["screen_on"]["times"] == ["07:30-18:30"]
    shown = {e["title"]: e for e in body["emergencies"]}
    assert set(shown) == {"停水通知", "大厅临时闭厅"}
    notice = shown["停水通知"]
    assert (notice["id"], notice["source"], notice["text"]) == (
        f"city-{notice_id}",
        "city",
        "今日 14:00 起停水",
    )
    until = datetime.fromisoformat(notice["until"])  # local time, to the minute
    expected = (posted + timedelta(hours=4)).astimezone().replace(tzinfo=None)
    assert abs(until - expected) < timedelta(minutes=2)
    assert city_files.status(data_dir)["signage"]["state"] == "applied"

    # staff's own playlist plays before the city's; without it the city's plays again
    write_json(data_dir / "signage" / "playlist.json", {"entries": [{"id": "own", "show": "notices"}]})
    assert [e["id"] for e in content(url)["playlist"]["entries"]] == ["own"]
    (data_dir / "signage" / "playlist.json").unlink()
    assert [e["id"] for e in content(url)["playlist"]["entries"]] == ["city-notices"]

    # staff take the city's notice down here: it stays down while the city's list is unchanged
    assert Emergencies(data_dir).withdraw(f"city-{notice_id}")
    sync(home, data_dir)
    assert {e["title"] for e in content(url)["emergencies"]} == {"大厅临时闭厅"}

    # withdrawn by a later publish: the city's notice comes down, staff's stays; the playlist too
    assert city(home, "signage", "withdraw", notice_id) == 0
    assert city(home, "signage", "playlist", "--withdraw") == 0
    sync(home, data_dir)
    body = content(url)
    assert [e["id"] for e in body["emergencies"]] == [staff.id]
    assert [e["id"] for e in body["playlist"]["entries"]] == default


@pytest.mark.parametrize(
    ("args", "zh"),
    [
        (("playlist", "{playlist}"), "第1项.show：只能是 notices"),
        (("emergency", "--title", "停" * 41), "标题不能超过 40 个字"),
        (("emergency", "--title", "停水", "--hours", "9999"), "插播时长应为 0 到 336 小时"),
        (("withdraw", "abc"), "没有正在插播的紧急通知 abc"),
    ],
)
def test_the_city_refuses_before_signing(tmp_path, args, zh, capsys):
    home, _ = make_hall(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"entries": [{"id": "x", "show": "radio"}]}), encoding="utf-8")
    assert city(home, "signage", *[a.format(playlist=bad) for a in args]) != 0
    assert zh in capsys.readouterr().err
    assert home.repo.current_root() is None


@pytest.mark.parametrize(
    ("name", "record", "zh"),
    [
        (
            "playlist.json",
            {"type": "zwgk-city-playlist", "format": 1, "playlist": {"entries": []}},
            "至少要有一个播放项",
        ),
        ("playlist.json", {"type": "other", "format": 1, "playlist": {}}, "格式不符"),
        (
            "emergency.json",
            {"type": "zwgk-city-emergencies", "format": 1, "notices": [{"id": "x"}]},
            "紧急通知格式不符",
        ),
        ("emergency.json", "[", "不是有效的 JSON"),
    ],
)
def test_a_bad_record_is_refused_and_the_city_source_in_force_stays(hall, tmp_path, name, record, zh):
    home, data_dir, url = hall
    (tmp_path / "playlist.json").write_text(json.dumps(CITY_PLAYLIST), encoding="utf-8")
    assert city(home, "signage", "playlist", str(tmp_path / "playlist.json")) == 0
    assert city(home, "signage", "emergency", "--title", "停电通知") == 0
    sync(home, data_dir)
    before = content(url)
    data = (
        record if isinstance(record, str) else json.dumps(record)
    ).encode()  # signed past the city's check
    other = "emergency.json" if name == "playlist.json" else "playlist.json"
    kept = (home.path / "city_signage" / other).read_bytes()
    entries = [
        Entry("file", f"file:city_signage/{n}", home.repo.add_blob(d), len(d))
        for n, d in ((name, data), (other, kept))
    ]
    publish(home, Collection("city_signage", entries))
    sync(home, data_dir)
    after = content(url)
    assert (after["playlist"], after["emergencies"]) == (before["playlist"], before["emergencies"])
    outcome = city_files.status(data_dir)["signage"]
    assert outcome["state"] == "refused" and zh in outcome["zh"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=6),
    max_leaves=12,
)
NOTICE = st.fixed_dictionaries(
    {
        "id": st.text(max_size=12),
        "title": st.text(max_size=50),
        "text": st.text(max_size=30),
        "issued_at": st.sampled_from(["2026-12-04T08:00:00Z", "2026-12-04T08:00", "x", ""]),
        "until": st.sampled_from(["", "2026-12-04T12:00:00Z", "2026-12-04T12:00:00+08:00", "soon"]),
    }
)


@settings(max_examples=300, deadline=None)
@given(raw=JSON | NOTICE)
def test_any_city_notice_is_a_notice_or_a_clear_refusal(raw):
    try:
        notice = parse_notice(raw)
    except (RecordRefused, EmergencyInvalid, ContentError) as exc:
        assert exc.zh
        return
    assert isinstance(notice, Emergency) and notice.source == "city" and notice.id.startswith("city-")
    assert (
        notice.title and len(notice.title) <= 40 and datetime.fromisoformat(notice.issued_at).tzinfo is None
    )
