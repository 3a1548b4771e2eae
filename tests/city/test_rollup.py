"""The daily roll-ups on both databases: a stored record is counted once on its Beijing day, per kiosk and per
county and township (`city enrol --county --township`); a replay or a refused record is not counted; and
the counts kept at insert equal those `rollup.rebuild` computes from the records in SQL, for any records
(hypothesis). A first-release SQLite database is migrated with its records rolled up."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from city import cli, fleet, rollup
from city.home import CityHome
from content.record_schema import QUERY_CLASSES, QUEUE_EVENTS, record_body


@pytest.fixture
def home(tmp_path, capsys):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test", url="http://city.example/channel/")
    home.keygen()
    for kiosk_id, county, township in (
        ("a1", "定州市", "东亭镇"),
        ("a2", "定州市", "东亭镇"),
        ("b1", "安国市", ""),
    ):
        out = tmp_path / f"{kiosk_id}.json"
        args = ["--home", str(home.path), "enrol", kiosk_id, "--out", str(out), "--token"]
        assert cli.main([*args, "--county", county, "--township", township]) == 0
    capsys.readouterr()
    return home


def receive(home: CityHome, kiosk_id: str, body: bytes, key: str | None = None) -> fleet.Received:
    with home.db() as conn:
        return fleet.receive(conn, kiosk_id, key or str(uuid.uuid4()), body)


def table(home: CityHome, name: str) -> list[tuple]:
    with home.db() as conn:
        return [tuple(r) for r in conn.execute(f"SELECT * FROM {name} ORDER BY 1, 2, 3, 4")]


def rebuilt(home: CityHome) -> tuple[list[tuple], list[tuple]]:
    """The roll-ups recomputed from the records (the kept ones are restored afterwards)."""
    kept = table(home, "usage_daily"), table(home, "area_daily")
    with home.db() as conn, conn.transaction():
        rollup.rebuild(conn)
    result = table(home, "usage_daily"), table(home, "area_daily")
    assert result == kept, "rebuilt roll-ups differ from the ones counted at insert"
    return result


def test_records_are_counted_on_their_beijing_day_per_kiosk_and_area(home):
    search = {"query_class": "words", "results": 3, "opened": True}
    assert receive(home, "a1", record_body("search", "2026-11-30T15:59:59Z", search)).stored  # 11-30 23:59
    assert receive(home, "a1", record_body("search", "2026-11-30T16:00:00Z", search)).stored  # 12-01 00:00
    assert receive(home, "a2", record_body("search", "2026-12-01T07:00:00+08:00", search)).stored
    ticket = record_body("queue_ticket", "2026-12-01T09:00:00+08:00", {"event": "issued", "service": "A"})
    assert receive(home, "b1", ticket).stored
    legacy = record_body("usage", "2026-12-01T09:00:00+08:00", {"event": "print", "item_id": "d1"})
    key = str(uuid.uuid4())
    assert receive(home, "b1", legacy, key).stored
    assert not receive(home, "b1", legacy, key).stored  # a replay is not counted again
    assert receive(home, "b1", b'{"kind":"search"}').error  # refused: not counted
    heartbeat = record_body("heartbeat", "2026-12-01T09:00:00+08:00", {"software_version": "1"})
    assert receive(home, "b1", heartbeat).stored  # stored, but not something a resident did

    assert table(home, "usage_daily") == [
        ("2026-11-30", "a1", "search", 1),
        ("2026-12-01", "a1", "search", 1),
        ("2026-12-01", "a2", "search", 1),
        ("2026-12-01", "b1", "queue_issued", 1),
        ("2026-12-01", "b1", "usage_print", 1),
    ]
    assert table(home, "area_daily") == [
        ("2026-11-30", "定州市", "东亭镇", "search", 1),
        ("2026-12-01", "安国市", "", "queue_issued", 1),
        ("2026-12-01", "安国市", "", "usage_print", 1),
        ("2026-12-01", "定州市", "东亭镇", "search", 2),
    ]
    with home.db() as conn:
        assert rollup.by_day(conn, "2026-12-01", "2026-12-01", county="定州市") == [
            ("2026-12-01", "search", 2)
        ]
        assert rollup.by_area(conn, "2026-11-01", "2026-12-31") == [
            ("安国市", "queue_issued", 1),
            ("安国市", "usage_print", 1),
            ("定州市", "search", 3),
        ]
        assert rollup.by_area(conn, "2026-11-01", "2026-12-31", county="定州市") == [("东亭镇", "search", 3)]
        assert rollup.of_kiosk(conn, "a1", "2026-12-01", "2026-12-31") == [("2026-12-01", "search", 1)]
        assert fleet.fleet(conn)[2]["records"] == 3 and fleet.fleet(conn)[2]["county"] == "安国市"
    rebuilt(home)


MOMENTS = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2099, 12, 30)).map(
    lambda moment: moment.replace(microsecond=0)
)
ZONES = st.sampled_from(["Z", "+08:00", "-05:00", "+00:00", "+14:00"])


@st.composite
def records(draw) -> tuple[str, bytes]:
    moment, zone = draw(MOMENTS), draw(ZONES)
    created_at = moment.isoformat() + zone
    kind = draw(st.sampled_from(["search", "queue_ticket", "usage", "rating", "heartbeat", "read"]))
    payload = {
        "search": lambda: {
            "query_class": draw(st.sampled_from(QUERY_CLASSES)),
            "results": 1,
            "opened": False,
        },
        "queue_ticket": lambda: {"event": draw(st.sampled_from(QUEUE_EVENTS)), "service": "A"},
        "usage": lambda: {"event": draw(st.sampled_from(["view", "search", "print", "browse"]))},
        "rating": lambda: {"function": "library", "level": draw(st.integers(1, 5))},
        "heartbeat": lambda: {"software_version": "1"},
        "read": lambda: {"item_kind": "document", "item_id": "d", "seconds": 5},
    }[kind]()
    return draw(st.sampled_from(["a1", "a2", "b1"])), record_body(kind, created_at, payload)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(records(), min_size=1, max_size=12))
@example(  # China kept summer time in 1986-1991: Beijing time is +08:00 all year all the same
    batch=[
        (
            "a1",
            record_body(
                "search", "1988-06-30T15:30:00Z", {"query_class": "words", "results": 1, "opened": False}
            ),
        )
    ]
)
def test_counts_kept_at_insert_equal_the_rebuild_in_sql(home, batch):
    for kiosk_id, body in batch:
        assert receive(home, kiosk_id, body).stored
    usage, _ = rebuilt(home)
    for kiosk_id, body in batch:  # each record on its Beijing day
        record = json.loads(body)
        day = rollup.beijing_day(record["created_at"])
        name = rollup.activity(record["kind"], record["payload"])
        assert name is None or any(row[:3] == (day, kiosk_id, name) for row in usage)


@pytest.mark.sqlite_only
def test_a_first_release_database_is_migrated_with_its_records_rolled_up(tmp_path):
    home = CityHome(tmp_path / "city")
    conn = sqlite3.connect(home.path / "city.db")
    conn.executescript(
        "CREATE TABLE kiosks (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, credential TEXT NOT NULL "
        "DEFAULT 'ed25519', token_sha256 TEXT NOT NULL DEFAULT '', enrolled_at TEXT NOT NULL, revoked_at TEXT "
        "NOT NULL DEFAULT '', last_seen TEXT NOT NULL DEFAULT '', channel_version INTEGER, software_version "
        "TEXT NOT NULL DEFAULT '', faults TEXT NOT NULL DEFAULT '[]', content_stale_since TEXT NOT NULL "
        "DEFAULT '', outbox_pending INTEGER);"
        "CREATE TABLE records (kiosk_id TEXT NOT NULL REFERENCES kiosks(id), idempotency_key TEXT NOT NULL, "
        "body_sha256 TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, created_at TEXT NOT NULL, received_at TEXT "
        "NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (kiosk_id, idempotency_key));"
        "INSERT INTO kiosks (id, public_key, enrolled_at) VALUES ('old', 'ab', '2022-01-01T00:00:00Z');"
    )
    start = datetime(2022, 5, 1, 15, 30)
    conn.executemany(
        "INSERT INTO records (kiosk_id, idempotency_key, kind, created_at, received_at, payload) "
        "VALUES ('old', ?, 'usage', ?, ?, ?)",
        [
            (
                str(n),
                (start + timedelta(hours=n)).isoformat() + "Z",
                "2022-05-03T00:00:00Z",
                '{"event":"view"}',
            )
            for n in range(20)
        ],
    )
    conn.commit()
    conn.close()
    assert table(home, "usage_daily") == [
        ("2022-05-01", "old", "usage_view", 1),  # 15:30 UTC is 23:30 in Beijing
        ("2022-05-02", "old", "usage_view", 19),
    ]
    with home.db() as db:
        assert [r[0] for r in db.execute("SELECT idempotency_key FROM records ORDER BY seq")] == [
            str(n) for n in range(20)
        ]
        assert fleet.fleet(db)[0]["records"] == 20
