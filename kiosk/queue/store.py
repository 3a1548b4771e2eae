"""`queue.db`: the queue's own SQLite database in the data directory (WAL, `synchronous=FULL`), apart from
the library so a ticket press never waits for a sync holding the library's write lock.

Nothing is deleted: tickets keep every time and their last status, `transitions` holds every change with
its time, and a configuration import adds a row to `configs` (the newest is in force). The ID-card gate
keeps only a salted hash; each day's salt is blanked when the day ends, so yesterday's hashes can no longer
be matched to anyone.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.i18n import tr
from kiosk.queue.errors import QueueError

FILE_NAME = "queue.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS configs (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS windows_state (
    number INTEGER PRIMARY KEY,
    paused INTEGER NOT NULL DEFAULT 0,
    streak INTEGER NOT NULL DEFAULT 0          -- ordinary tickets called since its last priority one
);
CREATE TABLE IF NOT EXISTS window_tokens (     -- each paired device; its rowid names it to staff
    hash TEXT PRIMARY KEY,                     -- SHA-256 of the token; the token itself is never stored
    window INTEGER NOT NULL,
    issued_at TEXT NOT NULL,
    revoked_at TEXT,
    label TEXT NOT NULL DEFAULT '',            -- the device's User-Agent, cut to 40 characters
    last_seen TEXT                             -- its last request (kept to the minute)
);
CREATE TABLE IF NOT EXISTS window_pins (       -- a window's PIN (scrypt hash) and its pairing lock (pin_lock)
    window INTEGER PRIMARY KEY,
    pin_hash TEXT NOT NULL DEFAULT '',
    failures INTEGER NOT NULL DEFAULT 0,
    step INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0,
    lock_seconds REAL NOT NULL DEFAULT 0,
    mono_until REAL NOT NULL DEFAULT 0,
    boot TEXT NOT NULL DEFAULT '',
    staff_only INTEGER NOT NULL DEFAULT 0,
    lockouts INTEGER NOT NULL DEFAULT 0,
    last_lockout REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS day_salts (day TEXT PRIMARY KEY, salt BLOB);
CREATE TABLE IF NOT EXISTS counters (
    day TEXT NOT NULL, service TEXT NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (day, service)
);
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    day TEXT NOT NULL,
    service TEXT NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL,
    place INTEGER NOT NULL,                    -- order in the hall's queue (a transfer may keep it)
    window INTEGER,
    target_window INTEGER,
    issued_at TEXT NOT NULL,
    called_at TEXT,
    started_at TEXT,
    finished_at TEXT,
    calls INTEGER NOT NULL DEFAULT 0,
    parent_id INTEGER REFERENCES tickets(id),
    id_hash TEXT,
    rating INTEGER,
    rated_at TEXT,
    prints INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS tickets_number ON tickets (day, service, seq) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS tickets_code ON tickets (code) WHERE parent_id IS NULL;
CREATE INDEX IF NOT EXISTS tickets_live ON tickets (day, status, place);
CREATE INDEX IF NOT EXISTS tickets_parent ON tickets (parent_id);
-- A call's estimate reads the service's latest finished tickets and a press the highest place: without these
-- both read every ticket of the day, and 20 windows' p95 grew tenfold over 22,000 tickets.
CREATE INDEX IF NOT EXISTS tickets_finished ON tickets (day, service, status, finished_at);
CREATE INDEX IF NOT EXISTS tickets_place ON tickets (place);
CREATE TABLE IF NOT EXISTS transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER REFERENCES tickets(id),
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    window INTEGER,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS transitions_at ON transitions (at);
"""


# Columns added after a table was first made: (table, column, its definition).
ADDED_COLUMNS = (
    ("window_tokens", "label", "TEXT NOT NULL DEFAULT ''"),
    ("window_tokens", "last_seen", "TEXT"),
)


def _add_columns(db: sqlite3.Connection) -> None:
    for table, column, definition in ADDED_COLUMNS:
        if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.executescript(SCHEMA)
        _add_columns(db)
    except sqlite3.Error as exc:
        raise QueueError(
            f"cannot open {path}: {exc}", tr("排队叫号数据无法打开，暂不能取号，请联系工作人员"), "storage"
        ) from None
    return db
