"""Recovering a damaged library: a fresh database keeping what exists only on this kiosk.

The library's content comes from the city's signed channel, so a damaged ``library.db`` is replaced,
not repaired. The damaged file (with its write-ahead log) is moved aside and kept for the technician, a
fresh library is made, and what exists nowhere else is salvaged into it: staff's local notices (items of
origin 'local', with their attachments), the records with their pending outbox rows, the records the city
refused (``outbox_refused``) and the outbox's counters. The next sync fetches the whole channel again: its
state was in the damaged file.

Salvage reads each table by rowid ranges, halving a range whose read meets a damaged page, so every row
on a sound page is kept and only the rows on damaged pages are lost (the tables met with damage are named
in the report). SQLite's own ``.recover`` would read damaged pages' neighbours the same way, but it needs
the ``sqlite_dbpage`` table, which neither Debian's ``sqlite3`` shell nor Python's module is built with.

Run it with the kiosk stopped (``kiosk doctor --recover``); a sync under way is waited for by its lock.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from content.disk import NEEDED, free_bytes, full_disk_error
from content.errors import ContentError, Message
from content.model import Item
from content.store import ITEM_COLUMNS, JSON_COLUMNS, Library

log = logging.getLogger(__name__)

# What only this kiosk has: table -> (columns, which rows).
SALVAGED = {
    "items": (ITEM_COLUMNS, "origin = 'local'"),
    "attachments": (("sha256", "mime", "size", "created_at"), ""),
    "item_attachments": (("item_id", "sha256", "name", "role"), ""),
    "records": (("id", "kind", "created_at", "payload"), ""),
    "outbox": (("id", "record_id", "created_at", "attempts", "next_attempt_at", "last_error", "sent_at"), ""),
    "outbox_refused": (
        ("id", "record_id", "created_at", "attempts", "status", "reason", "reason_zh", "refused_at"),
        "",
    ),
    "meta": (("key", "value"), "key LIKE 'outbox.%'"),
}
ROWIDS = (-(2**63), 2**63 - 1)


class RecoveryFailed(ContentError):
    """The library could not be recovered; the damaged file is where it was."""


@dataclass
class Recovery:
    damaged: str  # where the damaged database now is
    notices: int = 0  # local items kept
    records: int = 0
    pending: int = 0  # outbox rows not yet delivered
    refused: int = 0
    damaged_tables: list[str] = field(default_factory=list)  # met damaged pages: their rows there are lost

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def recover(data_dir: Path) -> Recovery:
    """Replace the data directory's damaged library with a fresh one holding what was salvaged."""
    path = data_dir / "library.db"
    if not path.exists():
        raise RecoveryFailed(f"there is no library at {path}", Message("{path} 不存在，无需恢复", path=path))
    if free_bytes(data_dir) < NEEDED:  # the fresh library holds only what is salvaged
        raise full_disk_error(data_dir, "the library was not recovered", Message("资料库未恢复"), full=False)
    with _no_sync(data_dir):
        aside = _move_aside(path)
        report = Recovery(str(aside))
        rows = _salvage(aside, report)
        try:
            with Library(path, blobs_dir=data_dir / "blobs") as library:
                _restore(library, rows, report)
        except Exception:
            for suffix in ("", "-wal", "-shm"):  # put the damaged one back rather than leave half a library
                Path(f"{path}{suffix}").unlink(missing_ok=True)
                if Path(f"{aside}{suffix}").exists():
                    os.replace(f"{aside}{suffix}", f"{path}{suffix}")
            raise
    log.warning("library recovered into a fresh database", extra={"fields": report.to_dict()})
    return report


@contextmanager
def _no_sync(data_dir: Path) -> Iterator[None]:
    """Hold the sync's lock (content.sync.SyncClient) while the library is swapped."""
    staging = data_dir / "sync"
    staging.mkdir(parents=True, exist_ok=True)
    with open(staging / "lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _move_aside(path: Path) -> Path:
    """library.db (and its -wal, so that the last commits stay with it) → library.damaged-<UTC time>.db."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"library.damaged-{stamp}.db")
    for suffix in ("-wal", "-shm", ""):
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    return aside


def _salvage(path: Path, report: Recovery) -> dict[str, list[tuple]]:
    """Every row of the salvaged tables that sits on a sound page of the database at `path`."""
    rows: dict[str, list[tuple]] = {table: [] for table in SALVAGED}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:  # the schema itself is damaged: nothing can be found
        log.warning("cannot read %s to salvage it: %s", path, exc)
        report.damaged_tables = sorted(SALVAGED)
        return rows
    try:
        for table, (columns, where) in SALVAGED.items():
            sql = f"SELECT {', '.join(columns)} FROM {table} NOT INDEXED WHERE rowid BETWEEN ? AND ?"
            if where:
                sql += f" AND {where}"
            if _read_ranges(conn, sql, rows[table]):
                report.damaged_tables.append(table)
    finally:
        conn.close()
    return rows


def _read_ranges(conn: sqlite3.Connection, sql: str, into: list[tuple]) -> int:
    """Run `sql` over all rowids, halving any range whose read fails; returns the rowids given up."""
    given_up = 0
    ranges = [ROWIDS]
    while ranges:
        low, high = ranges.pop()
        try:
            into.extend(conn.execute(sql, (low, high)).fetchall())
        except sqlite3.DatabaseError as exc:
            if low == high:
                given_up += 1
                log.debug("rowid %d unreadable: %s", low, exc)
                continue
            middle = (low + high) // 2
            ranges += [(middle + 1, high), (low, middle)]
    return given_up


def _restore(library: Library, rows: dict[str, list[tuple]], report: Recovery) -> None:
    """Put the salvaged rows into the fresh library, in one transaction."""
    items = []
    for values in rows["items"]:
        record = dict(zip(ITEM_COLUMNS, values, strict=True))
        try:
            for column in JSON_COLUMNS:
                record[column] = json.loads(record[column] or "[]")
            items.append(Item(**record))
        except (TypeError, ValueError) as exc:  # a row garbled on a page that still read
            log.warning("local item %r not salvaged: %s", record.get("id"), exc)
    # Only what the kept rows need, and no row whose parent was lost (the foreign keys hold).
    local = {item.id for item in items}
    links = [row for row in rows["item_attachments"] if row[0] in local]
    linked = {row[1] for row in links}
    attachments = [row for row in rows["attachments"] if row[0] in linked]
    shas = {row[0] for row in attachments}
    records = {row[0] for row in rows["records"]}
    kept = {
        "attachments": attachments,
        "item_attachments": [row for row in links if row[1] in shas],
        "records": rows["records"],
        "outbox": [row for row in rows["outbox"] if row[1] in records],
        "outbox_refused": [row for row in rows["outbox_refused"] if row[1] in records],
    }
    with library.transaction():
        library.upsert_items(items)
        for table, table_rows in kept.items():
            library.restore_rows(table, table_rows)
        library.update_meta(dict(rows["meta"]))
    report.notices = len(items)
    report.records = len(records)
    report.pending = sum(1 for row in kept["outbox"] if not row[6])
    report.refused = len(kept["outbox_refused"])
