"""`UsageRecords.event`: a declared record is checked at once, tallied in the kiosk's own statistics
database, staged and handed to the library's outbox under one id, and the caller never waits for the
library's write lock (the queue's path)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest

from content.outbox import Outbox
from content.record_schema import RecordInvalid
from content.store import Library
from kiosk.config import defaults
from kiosk.events import Bus, LibraryOpened
from kiosk.usage import UsageRecords


class Enrolled:
    enrolled = True


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "library.db") as lib:
        yield lib


def records(library: Library) -> list[tuple[str, str, str]]:
    with library.reading() as db:
        return db.execute(
            "SELECT o.id, r.kind, r.created_at FROM outbox o JOIN records r ON r.id = o.record_id"
        ).fetchall()


@pytest.mark.parametrize(
    "kind, fields, reason",
    [
        (
            "search",
            {"query": "张三 130102199003071234", "query_class": "words", "results": 0, "opened": False},
            "not a declared field",
        ),
        ("queue_ticket", {"event": "issued", "service": "A", "name": "张三"}, "not a declared field"),
        ("queue_ticket", {"event": "lost", "service": "A"}, "is not one of"),
        ("queue_rating", {"level": 6}, "between 1 and 5"),
        ("application_submitted", {"applicant": "公民", "medium": "纸质"}, "route: is missing"),
        ("nonsense", {}, "not a known record kind"),
    ],
)
def test_a_wrong_call_is_refused_at_once_and_nothing_is_kept(tmp_path, kind, fields, reason):
    usage = UsageRecords(defaults(), Enrolled(), tmp_path)
    with pytest.raises(RecordInvalid, match=reason):
        usage.event(kind, **fields)
    usage.flush()
    assert usage.store().tally(date.min, date.max) == [] and usage.store().staged() == []
    usage.close()


def test_an_event_never_waits_for_the_library_write_lock_and_reaches_the_outbox_after(tmp_path, library):
    bus = Bus()
    at = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    usage = UsageRecords(defaults(), Enrolled(), tmp_path, bus, clock=lambda: at)
    bus.publish(LibraryOpened(library))
    holding, release = threading.Event(), threading.Event()

    def sync_applying() -> None:
        with library.transaction():
            holding.set()
            release.wait(30)

    syncing = threading.Thread(target=sync_applying)
    syncing.start()
    holding.wait(10)
    try:
        usage.event("queue_ticket", event="issued", service="A", priority=False)  # returns under the lock
        usage.event("queue_ticket", event="called", service="A", window="3", wait_seconds=600)
        assert syncing.is_alive() and not release.is_set()
        usage._writer.submit(lambda: None).result(10)  # tallied and staged while the library is locked
        tally = usage.store().tally(date(2026, 12, 4), date(2026, 12, 4))
        assert [(t.measure, t.item, t.count, t.total) for t in tally] == [
            ("called", "A", 1, 600),
            ("issued", "A", 1, 0),
        ]
        staged = [s.id for s in usage.store().staged()]
        assert len(staged) == 2
    finally:
        release.set()
        syncing.join()
    usage.flush()
    assert sorted(r[0] for r in records(library)) == sorted(staged)
    assert {r[2] for r in records(library)} == {"2026-12-04T09:30:00Z"}  # when it happened, not handed over
    assert usage.store().staged() == []
    usage.close()


def test_a_record_handed_over_twice_is_in_the_outbox_once(tmp_path, library):
    """A crash after the outbox write and before the staged row's removal: the next hand-over finds the id."""
    usage = UsageRecords(defaults(), Enrolled(), tmp_path)
    usage.event("checklist_printed", item_id="guide-demo-dibao")
    usage.flush()
    (staged,) = usage.store().staged()
    Outbox(library).add(staged.kind, staged.payload, record_id=staged.id, created_at=staged.created_at)
    bus_opened = LibraryOpened(library)
    usage._library_opened(bus_opened)
    usage.flush()
    assert [r[0] for r in records(library)] == [staged.id] and usage.store().staged() == []
    usage.close()


def test_records_wait_staged_until_the_library_opens(tmp_path, library):
    usage = UsageRecords(defaults(), Enrolled(), tmp_path)
    for level in (5, 4):
        usage.event("queue_rating", level=level, service="B")
    usage.flush()
    assert len(usage.store().staged()) == 2 and records(library) == []
    usage._library_opened(LibraryOpened(library))
    usage.flush()
    assert len(records(library)) == 2
    usage.close()


def test_a_damaged_statistics_database_is_kept_aside_and_recording_goes_on(tmp_path, caplog):
    (tmp_path / "statistics.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    usage = UsageRecords(defaults(), Enrolled(), tmp_path)
    usage.event("checklist_printed", item_id="guide-demo-dibao")
    usage.flush()
    assert [t.measure for t in usage.store().tally(date.min, date.max)] == ["printed"]
    (aside,) = tmp_path.glob("statistics.db.damaged-*")
    assert aside.read_bytes().endswith(b"\xff" * 100)
    assert "statistics database" in caplog.text and "kept as" in caplog.text
    usage.close()


def test_records_beyond_the_bound_are_tallied_counted_and_said_to_staff(tmp_path, library):
    from kiosk.statistics.service import StatisticsService

    class OpenLibrary:  # what StatisticsService reads of kiosk.library_service.LibraryService
        store = library

    usage = UsageRecords(
        defaults().with_values(sync__outbox_max=100), Enrolled(), tmp_path
    )  # the least allowed
    for _ in range(103):
        usage.event("checklist_printed", item_id="g")
    usage.flush(30)
    assert len(usage.store().staged(1000)) == 100 and usage.warning.startswith("待上传记录已达上限")
    figures = StatisticsService(usage, OpenLibrary()).report("today")
    assert figures["not_sent"] == 3 and figures["total_uses"] == 103
    usage.close()
