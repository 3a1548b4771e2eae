"""The kiosk's sync service: enrolment files, one run (pull + push) against the real server, the background
schedule with jitter, and staff-facing status."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))
from channel_kit import item, make_city, publish_items  # noqa: E402
from city_server import background  # noqa: E402

from city import fleet  # noqa: E402
from city.server import create_app  # noqa: E402
from content.store import Library  # noqa: E402
from content.sync import sync_status  # noqa: E402
from kiosk import enrolment, sync_service  # noqa: E402
from kiosk.config import defaults  # noqa: E402


@pytest.fixture
def city(tmp_path):
    home = make_city(tmp_path / "city")
    publish_items(home, [item(n) for n in range(20)])
    return home


def enrol_kiosk(city, data_dir, url):
    document = fleet.enrol(city, "xian-01", channel_url=url + "/channel/", upload_url=url + "/v1/outbox")
    path = data_dir.parent / "xian-01.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    data_dir.mkdir(parents=True, exist_ok=True)
    return enrolment.install(path, data_dir)


def test_enrolment_files_are_checked_before_install(tmp_path):
    bad = tmp_path / "bad.json"
    for text in ("not json", '{"type": "zwgk-enrolment", "format": 1}', json.dumps({"type": "other"})):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(enrolment.EnrolmentError) as info:
            enrolment.install(bad, tmp_path)
        assert "登记文件" in info.value.zh
    assert enrolment.load(tmp_path) is None


def test_one_run_pulls_the_channel_and_pushes_the_heartbeat(city, tmp_path):
    data_dir = tmp_path / "kiosk"
    config = defaults()
    with background(create_app(city)) as url:
        installed = enrol_kiosk(city, data_dir, url)
        assert (data_dir / "enrolment.json").stat().st_mode & 0o777 == 0o600
        assert installed.trusted_keys == city.trusted_keys()
        with Library(data_dir / "library.db") as library:
            service = sync_service.SyncService(library, config, data_dir, faults=lambda: ["打印机缺纸"])
            result = service.run_now()
            assert result.sync.added == 20 and result.sync_error is None
            assert result.upload.sent == 1
            status = service.status()
            assert status["sync"]["version"] == 1 and status["outbox"]["pending"] == 0
        conn = city.db()
        view = fleet.fleet(conn)
        conn.close()
    assert view[0]["faults"] == ["打印机缺纸"] and view[0]["channel_version"] == 1


def test_a_failed_pull_is_reported_and_the_push_still_happens(city, tmp_path):
    data_dir = tmp_path / "kiosk"
    with background(create_app(city)) as url:
        enrol_kiosk(city, data_dir, url)
        config = defaults().with_values(sync__channel_url=url + "/nowhere/", sync__retries=0)
        with Library(data_dir / "library.db") as library:
            result = sync_service.SyncService(library, config, data_dir).run_now()
    assert result.sync is None and "root.json" in result.sync_error.zh
    assert result.upload.sent == 1


def test_the_background_schedule_runs_then_stops(city, tmp_path):
    data_dir = tmp_path / "kiosk"
    with background(create_app(city)) as url:
        enrol_kiosk(city, data_dir, url)
        with Library(data_dir / "library.db") as library:
            results = []
            service = sync_service.SyncService(library, defaults(), data_dir, on_result=results.append)
            service.start(first_delay=0)
            deadline = time.monotonic() + 20
            while not results and time.monotonic() < deadline:
                time.sleep(0.05)
            service.stop()
            assert results and results[0].sync.to_version == 1
            assert service.runs == 1


def test_schedule_spreads_kiosks_with_jitter():
    config = defaults().with_values(sync__interval_minutes=60, sync__jitter_minutes=10)
    service = sync_service.SyncService(None, config, None)
    delays = [service.next_delay() for _ in range(200)]
    assert all(3600 <= d <= 4200 for d in delays)
    assert max(delays) - min(delays) > 300


def test_a_url_is_the_http_source_and_anything_else_a_folder(tmp_path):
    config = defaults().with_values(sync__bandwidth_kbps=64, sync__proxy="")
    source = sync_service.make_source("https://zwgk.example.gov.cn/channel", config)
    assert source.uses_packs and source.settings.bandwidth == 64 * 1024 and source.base_url.endswith("/")
    source.close()
    assert not sync_service.make_source(str(tmp_path), config).uses_packs


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def heartbeats_at_city(city) -> int:
    conn = city.db()
    try:
        return conn.execute("SELECT count(*) FROM records WHERE kind = 'heartbeat'").fetchone()[0]
    finally:
        conn.close()


def heartbeats_written(library) -> int:
    with library.transaction() as db:
        return db.execute("SELECT count(*) FROM records WHERE kind = 'heartbeat'").fetchone()[0]


def test_heartbeats_keep_the_fleet_view_fresh_between_syncs(city, tmp_path):
    data_dir = tmp_path / "kiosk"
    with background(create_app(city)) as url:
        enrol_kiosk(city, data_dir, url)
        with Library(data_dir / "library.db") as library:
            service = sync_service.SyncService(
                library, defaults(), data_dir, faults=lambda: ["小票打印机：缺纸"], heartbeat_interval=0.2
            )
            service.start(first_delay=3600, first_beat=0)  # the sync is an hour away
            wait_until(lambda: heartbeats_at_city(city) >= 1)
            conn = city.db()
            first = fleet.fleet(conn)[0]
            conn.close()
            wait_until(lambda: service.beats >= 4)
            service.stop()
            assert not service.running
            assert service.runs == 0 and sync_status(library).version is None  # no pull
            written = heartbeats_written(library)
            assert service.status()["outbox"]["pending"] == 0
        conn = city.db()
        view = fleet.fleet(conn)[0]
        conn.close()
    assert written >= 4 and heartbeats_at_city(city) == written  # every one delivered, once
    assert view["records"] > first["records"] and view["last_seen"] >= first["last_seen"]
    assert view["faults"] == ["小票打印机：缺纸"] and view["channel_version"] is None


def test_a_heartbeat_without_network_is_logged_kept_and_delivered_later(city, tmp_path, caplog):
    data_dir = tmp_path / "kiosk"
    enrol_kiosk(city, data_dir, "http://127.0.0.1:9")  # nothing listens there: the link is down
    config = defaults().with_values(sync__timeout_seconds=5)
    with Library(data_dir / "library.db") as library:
        service = sync_service.SyncService(library, config, data_dir, heartbeat_interval=0.1)
        service.start(first_delay=3600, first_beat=0)
        wait_until(lambda: service.beats >= 3)
        assert service.running  # failures never end the thread
        service.stop()
        assert not service.running
        assert service.beat_now().upload.failed == 1  # one more, by hand: it is the one left waiting
        written = heartbeats_written(library)
        outbox = service.status()["outbox"]
        # Every heartbeat is kept in the kiosk's records; only the latest waits in the outbox (each
        # replaced the undelivered one before it), so an offline kiosk does not fill its outbox.
        assert written >= 4 and outbox["pending"] == 1 and outbox["failing"] == 1
        assert library.get_meta("outbox.superseded_total") == str(written - 1)
        assert "ConnectError" in outbox["last_error"]
        assert "heartbeat upload" in caplog.text and "not delivered" in caplog.text
        with library.transaction() as db:  # a failed row waits for its backoff
            waits = db.execute("SELECT count(*) FROM outbox WHERE next_attempt_at > ''").fetchone()[0]
            assert waits == outbox["failing"]

        with background(create_app(city)) as url:  # the link is back, the backoff has passed
            with library.transaction() as db:
                db.execute("UPDATE outbox SET next_attempt_at = ''")
            back = config.with_values(sync__upload_url=url + "/v1/outbox")
            result = sync_service.SyncService(library, back, data_dir).beat_now()
            assert result.upload.sent == 1 and result.upload.failed == 0
            assert heartbeats_at_city(city) == 1 and heartbeats_written(library) == written + 1


def test_a_sync_sends_one_heartbeat_and_the_heartbeat_timer_counts_from_it(city, tmp_path):
    data_dir = tmp_path / "kiosk"
    now = [1000.0]
    with background(create_app(city)) as url:
        enrol_kiosk(city, data_dir, url)
        with Library(data_dir / "library.db") as library:
            service = sync_service.SyncService(
                library, defaults(), data_dir, heartbeat_interval=900, clock=lambda: now[0]
            )
            assert service.heartbeat_interval == 900 and service.interval == 3600
            now[0] = 5000.0
            result = service.run_now()
            assert result.sync.to_version == 1 and result.upload.sent == 1
            assert service.next_heartbeat == 5900.0  # not a second heartbeat right after the sync's
            assert heartbeats_written(library) == 1
    assert heartbeats_at_city(city) == 1


def test_heartbeat_minutes_sets_the_heartbeat_interval_and_stop_is_prompt(tmp_path):
    config = defaults().with_values(sync__heartbeat_minutes=5, sync__interval_minutes=1440)
    service = sync_service.SyncService(None, config, tmp_path)
    assert service.heartbeat_interval == 300 and service.interval == 86400
    service.start(first_delay=3600, first_beat=3600)
    assert service.running
    started = time.monotonic()
    service.stop()
    assert not service.running and time.monotonic() - started < 2


def test_a_heartbeat_tells_the_city_of_staff_lockouts(city, tmp_path):
    from kiosk.staff import MAX_TRIES, StaffAuth

    data_dir = tmp_path / "kiosk"
    with background(create_app(city)) as url:
        enrol_kiosk(city, data_dir, url)
        auth = StaffAuth(data_dir)
        auth.set_pin("135790")
        for _ in range(MAX_TRIES):  # someone guessing the PIN
            assert not auth.attempt("000000").ok
        with Library(data_dir / "library.db") as library:
            assert sync_service.SyncService(library, defaults(), data_dir).beat_now().upload.sent == 1
        conn = city.db()
        payload = conn.execute("SELECT payload FROM records WHERE kind = 'heartbeat'").fetchone()[0]
        conn.close()
    lockouts = json.loads(payload)["staff_lockouts"]
    assert lockouts["total"] == 1 and lockouts["locked"] is True and lockouts["needs_recovery"] is False
    assert lockouts["last_at"]


def test_a_heartbeat_the_schema_refuses_is_logged_and_the_timer_goes_on(city, tmp_path, caplog, monkeypatch):
    data_dir = tmp_path / "kiosk"
    monkeypatch.setattr(sync_service, "__version__", "9" * 65)  # longer than the schema's 64 characters
    with background(create_app(city)) as url:
        enrol_kiosk(city, data_dir, url)
        with Library(data_dir / "library.db") as library:
            service = sync_service.SyncService(library, defaults(), data_dir, heartbeat_interval=0.1)
            service.start(first_delay=3600, first_beat=0)
            wait_until(lambda: service.beats >= 3)  # each beat refused its record; the timer kept going
            assert service.running
            service.stop()
            assert heartbeats_written(library) == 0
    assert caplog.text.count("heartbeat not recorded") >= 3 and "software_version" in caplog.text
