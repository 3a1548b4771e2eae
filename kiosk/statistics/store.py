"""The kiosk's statistics database (`statistics.db` in the data directory): the daily rollup staff read,
and the records waiting to be handed to the library's outbox.

Its own SQLite file (WAL, `synchronous=FULL`), so recording never waits for the library's write lock (a
sync applying a version holds it for seconds): a record is rolled up and, on an enrolled kiosk, staged
here in one transaction; `kiosk.usage` moves staged records into the outbox when the library is free,
under the same record id, so a crash between the two writes never sends a record twice.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from kiosk.statistics.rollup import Row

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tally (
    day TEXT NOT NULL, function TEXT NOT NULL, measure TEXT NOT NULL, item TEXT NOT NULL,
    count INTEGER NOT NULL, total INTEGER NOT NULL,
    PRIMARY KEY (day, function, measure, item)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL, payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class Tallied(NamedTuple):
    day: str
    function: str
    measure: str
    item: str
    count: int
    total: int


class Staged(NamedTuple):
    id: str
    kind: str
    created_at: datetime
    payload: dict[str, Any]


class StatisticsStore:
    """The rollup and the staging table; safe to share between threads (one connection, one lock)."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            # Derived figures and records on their way: a damaged file is kept aside, never deleted, and
            # recording goes on in a new one.
            aside = path.with_name(f"{path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
            log.error(
                "statistics database %s is damaged (%s): kept as %s, a new one started", path, exc, aside
            )
            for suffix in ("", "-wal", "-shm"):
                source = path.with_name(path.name + suffix)
                if source.exists():
                    source.rename(aside.with_name(aside.name + suffix))
            self._db = self._open()
        self._lock = threading.Lock()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            found = db.execute("PRAGMA quick_check").fetchone()[0]
            if found != "ok":
                raise sqlite3.DatabaseError(found)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(
        self,
        day: date,
        rows: Iterable[Row],
        stage: tuple[str, dict[str, Any], datetime] | None = None,
        stage_limit: int = 0,
    ) -> str | None:
        """Add `rows` to `day`'s tally and, with `stage` (kind, payload, created_at), stage the record for
        the outbox, in one transaction. Returns the staged record's id; None when nothing was staged (no
        `stage`, or `stage_limit` records already wait: then `not_staged` counts it)."""
        staged_id = None
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT INTO tally VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                "count = count + excluded.count, total = total + excluded.total",
                [(day.isoformat(), *row) for row in rows],
            )
            if stage is not None:
                waiting = self._db.execute("SELECT count(*) FROM staged").fetchone()[0]
                if waiting >= stage_limit:
                    self._count("not_staged")
                else:
                    kind, payload, created_at = stage
                    staged_id = str(uuid.uuid4())
                    self._db.execute(
                        "INSERT INTO staged VALUES (?, ?, ?, ?)",
                        [staged_id, kind, created_at.isoformat(), json.dumps(payload, ensure_ascii=False)],
                    )
        return staged_id

    def _count(self, key: str) -> None:
        self._db.execute("INSERT INTO meta VALUES (?, 1) ON CONFLICT DO UPDATE SET value = value + 1", [key])

    def staged(self, limit: int = 200) -> list[Staged]:
        """The oldest records waiting for the outbox."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, kind, created_at, payload FROM staged ORDER BY created_at, rowid LIMIT ?", [limit]
            ).fetchall()
        return [Staged(r[0], r[1], datetime.fromisoformat(r[2]), json.loads(r[3])) for r in rows]

    def unstage(self, record_id: str) -> None:
        """The record is in the outbox now."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM staged WHERE id = ?", [record_id])

    def counter(self, key: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return int(row[0]) if row else 0

    def tally(self, first: date, last: date) -> list[Tallied]:
        """Every rollup row of the days `first` … `last` (inclusive)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT day, function, measure, item, count, total FROM tally WHERE day BETWEEN ? AND ? "
                "ORDER BY day, function, measure, item",
                [first.isoformat(), last.isoformat()],
            ).fetchall()
        return [Tallied(*r) for r in rows]
