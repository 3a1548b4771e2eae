"""Anonymous records of what residents do, and the kiosk's own tally of them: the `usage` service of
`kiosk.services`, and the only writer of both.

**How a function records.** Call `usage.event(kind, **fields)` with a kind declared in
`content/record_schema.py` (`RESIDENT_ACTIONS`); fields given as None are left out:

    usage.event("search", query_class="words", results=0, opened=False)       # kiosk/browse.py
    usage.event("list_opened", list="notice")                                  # kiosk/browse.py
    usage.event("read", item_kind="document", item_id=item_id, seconds=42)     # on leaving the reader
    usage.event("notice_viewed", item_id=item_id, seconds=8)
    usage.event("guide_viewed", item_id=guide_id, seconds=30)                  # ui/guides.py, on leaving
    usage.event("checklist_printed", item_id=guide_id)                         # ui/guides.py
    usage.event("queue_ticket", event="called", service="A", window="3", wait_seconds=840, priority=False)
    # (kiosk/queue/records.py records every ticket event and rating this way)
    usage.event("queue_rating", level=5, service="A", window="3")
    usage.event("application_submitted", applicant="公民", medium="纸质", route="自行领取")
    usage.event("rating", function="guides", level=4)
    usage.event("idle_reset", screen="reader")                                # ui/appstate.py

`event` checks the fields against the declaration at once (a wrong call raises `RecordInvalid` in the
caller's tests, not silently in the hall) and returns: nothing is written on the caller's thread, and
nothing it does waits for the library. Any service may hold `usage` without the library store (the queue
may not import it), and a ticket press never waits for a sync holding the library's write lock.

**Where a record goes.** On the `usage` thread the record is rolled up into the statistics database
(`kiosk/statistics/store.py`, `statistics.db`, its own SQLite file) on every kiosk, so staff have their
statistics offline; on an enrolled kiosk (there is a city to deliver to) it is staged there in the same
transaction. The `usage-outbox` thread hands staged records to the library's outbox (`content/outbox.py`)
under their staged id once the library is open, waiting for its write lock if a sync holds it: a crash
between the two writes never sends one twice. A full outbox leaves them staged (bounded by
`sync.outbox_max`, beyond which they are tallied but counted as `not_staged`) and is shown to staff
(`warning`), never raised.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.config import Config
from kiosk.events import Bus, LibraryOpened
from kiosk.i18n import tr

if TYPE_CHECKING:
    from content.store import Library
    from kiosk.statistics.store import StatisticsStore

log = logging.getLogger(__name__)

STORE_FILE = "statistics.db"


class Enrolled(Protocol):
    enrolled: bool


def _now() -> datetime:
    return datetime.now(UTC)


class UsageRecords:
    """Takes resident records at once and writes them on threads of their own (see the module)."""

    def __init__(
        self,
        config: Config,
        enrolment: Enrolled,
        data_dir: Path,
        bus: Bus | None = None,
        clock: Callable[[], datetime] = _now,
    ):
        self.config = config
        self.enrolment = enrolment
        self.path = data_dir / STORE_FILE
        self.clock = clock
        self.warning = ""  # Chinese: records wait on this kiosk (the outbox is full, or the write failed)
        self._library: Library | None = None
        self._store: StatisticsStore | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._mover: ThreadPoolExecutor | None = None
        self._move_queued = False
        self._lock = threading.Lock()
        if bus is not None:
            bus.subscribe(LibraryOpened, self._library_opened)

    def event(self, kind: str, **fields: Any) -> None:
        """Record one resident action of a declared kind; returns at once (see the module)."""
        from content.record_schema import check_payload

        payload = {name: value for name, value in fields.items() if value is not None}
        check_payload(kind, payload)
        at = self.clock()
        with self._lock:
            if self._writer is None:
                self._writer = ThreadPoolExecutor(1, thread_name_prefix="usage")
            self._writer.submit(self._write, kind, payload, at)

    def store(self) -> StatisticsStore:
        """The statistics database (opened on first use): the rollup the reports read."""
        with self._lock:
            if self._store is None:
                from kiosk.statistics.store import StatisticsStore

                self._store = StatisticsStore(self.path)
            return self._store

    def _write(self, kind: str, payload: dict[str, Any], at: datetime) -> None:
        from kiosk.statistics.rollup import rows

        try:
            stage = (kind, payload, at) if self.enrolment.enrolled else None
            limit = self.config["sync.outbox_max"]
            staged = self.store().add(at.astimezone().date(), rows(kind, payload), stage, limit)
        except Exception:  # noqa: BLE001 - statistics must never disturb a resident
            log.exception("usage record %s not written", kind)
            self.warning = tr("使用记录无法写入本机统计数据库，请联系技术人员")
            return
        if stage is not None and staged is None:
            log.warning("usage record %s not kept for the city: %s records already wait", kind, limit)
            self.warning = full_warning()
        if staged is not None:
            self._hand_over_soon()

    def _library_opened(self, event: LibraryOpened) -> None:
        self._library = event.store
        self._hand_over_soon()

    def _hand_over_soon(self) -> None:
        with self._lock:
            if self._library is None or self._move_queued:
                return
            if self._mover is None:
                self._mover = ThreadPoolExecutor(1, thread_name_prefix="usage-outbox")
            self._move_queued = True
            self._mover.submit(self._hand_over)

    def _hand_over(self) -> None:
        """Move staged records into the library's outbox (waits for its write lock, on this thread only)."""
        from content.outbox import OutboxFull
        from kiosk.sync_service import outbox_for

        with self._lock:
            self._move_queued = False
            library = self._library
        if library is None:
            return
        try:
            store = self.store()
            outbox = outbox_for(library, self.config)
            while batch := store.staged():
                for record in batch:
                    outbox.add(record.kind, record.payload, record_id=record.id, created_at=record.created_at)
                    store.unstage(record.id)
            self.warning = ""
        except OutboxFull as exc:
            log.warning("usage records wait in %s: %s", STORE_FILE, exc)
            self.warning = full_warning()
        except Exception:  # noqa: BLE001 - they stay staged and go with the next record or start
            log.exception("usage records not handed to the outbox")

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until the records taken so far are written and handed over (tests, shutdown)."""
        with self._lock:
            writer = self._writer
        if writer is not None:
            writer.submit(lambda: None).result(timeout)
        with self._lock:
            mover = self._mover
        if mover is not None:
            mover.submit(lambda: None).result(timeout)

    def close(self) -> None:
        """Write what was taken, hand it over, then close the statistics database."""
        for name in ("_writer", "_mover"):  # the writer first: its last records may queue a hand-over
            with self._lock:
                pool = getattr(self, name)
                setattr(self, name, None)
            if pool is not None:
                pool.shutdown(wait=True)
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()


def full_warning() -> str:
    return tr("待上传记录已达上限，使用记录暂存在本机，请检查与市级平台的网络连接")
