"""The kiosk's own record of its applications: `applications.db` (WAL, `synchronous=FULL`) in the data
directory, holding the number, the date of receipt, the deadline, the agency and a status, and nothing
about the applicant (the form itself leaves only sealed, through the outbox).

A number is reserved in its own transaction before the sealed form goes to the outbox, so a power cut
between the two can never hand the same number out twice; the row then says whether the form reached
the outbox (`received`) or not (`not_taken`, the resident was told; `reserved` left by a crash).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from kiosk.applications import numbering
from kiosk.applications.errors import ApplicationError
from kiosk.i18n import tr

FILE_NAME = "applications.db"
T = TypeVar("T")

RESERVED = "reserved"  # a number handed out, the form not yet in the outbox
RECEIVED = "received"  # sealed in the outbox for the city: the application is received (Art. 31)
NOT_TAKEN = "not_taken"  # the outbox refused it; the resident was told to ask staff

SCHEMA = """
CREATE TABLE IF NOT EXISTS applications (
    number TEXT PRIMARY KEY,
    received_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    deadline_estimated INTEGER NOT NULL,
    agency TEXT NOT NULL,
    status TEXT NOT NULL,
    record_id TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS day_counters (day TEXT PRIMARY KEY, last INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class Entry:
    number: str
    received_on: date
    deadline: date
    deadline_estimated: bool
    agency: str
    status: str
    record_id: str


class ApplicationStore:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise ApplicationError(
                f"cannot open {path}: {exc}", tr("本机的申请记录无法打开，暂不能受理申请，请联系工作人员")
            ) from None

    def close(self) -> None:
        self._db.close()

    def _write(self, statements: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    result = statements(self._db)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
                return result
            except sqlite3.Error as exc:
                raise ApplicationError(
                    f"applications.db write failed: {exc}",
                    tr("申请记录无法保存（存储空间不足或已损坏），请联系工作人员"),
                ) from None

    def reserve(self, kiosk_id: str, received_on: date, deadline: date, estimated: bool, agency: str) -> str:
        """The next number of the day, written with its row before anything else happens."""

        def statements(db: sqlite3.Connection) -> str:
            day = received_on.isoformat()
            row = db.execute("SELECT last FROM day_counters WHERE day = ?", [day]).fetchone()
            counter = (row[0] if row else 0) + 1
            if counter > numbering.MAX_PER_DAY:
                raise ApplicationError(
                    f"{numbering.MAX_PER_DAY} applications today already",
                    tr("本机今天受理的申请已达上限，请到服务窗口提交"),
                )
            db.execute(
                "INSERT INTO day_counters (day, last) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET last = ?",
                [day, counter, counter],
            )
            number = numbering.make(kiosk_id, received_on, counter)
            db.execute(
                "INSERT INTO applications (number, received_on, deadline, deadline_estimated, agency, status) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [number, day, deadline.isoformat(), int(estimated), agency, RESERVED],
            )
            return number

        return self._write(statements)

    def mark(self, number: str, status: str, record_id: str = "") -> None:
        self._write(
            lambda db: db.execute(
                "UPDATE applications SET status = ?, record_id = ?, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE number = ?",
                [status, record_id, number],
            )
        )

    def set_deadline(self, number: str, deadline: date, estimated: bool) -> None:
        self._write(
            lambda db: db.execute(
                "UPDATE applications SET deadline = ?, deadline_estimated = ? WHERE number = ?",
                [deadline.isoformat(), int(estimated), number],
            )
        )

    def estimated(self) -> list[Entry]:
        """The applications whose deadline is still an estimate (预估)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT number, received_on, deadline, deadline_estimated, agency, status, record_id "
                "FROM applications WHERE deadline_estimated = 1 ORDER BY number"
            ).fetchall()
        return [_entry(row) for row in rows]

    def get(self, number: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT number, received_on, deadline, deadline_estimated, agency, status, record_id "
                "FROM applications WHERE number = ?",
                [number],
            ).fetchone()
        return _entry(row) if row else None

    def entries(self, limit: int = 100) -> list[Entry]:
        """The newest first: for staff (reprinting a receipt's number, what the outbox did not take)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT number, received_on, deadline, deadline_estimated, agency, status, record_id "
                "FROM applications ORDER BY received_on DESC, number DESC LIMIT ?",
                [limit],
            ).fetchall()
        return [_entry(row) for row in rows]


def _entry(row: tuple) -> Entry:
    return Entry(
        row[0], date.fromisoformat(row[1]), date.fromisoformat(row[2]), bool(row[3]), row[4], row[5], row[6]
    )
