"""The offline library: an SQLite database (through sqlite-utils) holding gazette issues, documents,
解读, notices, service guides and attachments, with the Chinese search index kept in step.

One `Library` per process. It is thread-safe: writes take the library's lock, so the UI's worker threads
and a background sync can share it. Every write that belongs together is one transaction; readers never
see half of an import. Reads go through a second, read-only connection, each in its own read transaction:
in WAL mode it sees the last committed version while a sync applies the next one, so the touch screen
never waits for a write (a 2,000-document delta holds the write lock ~1 s, a first sync for minutes).
A read made inside the calling thread's own write transaction uses the writing connection, and so sees
what that transaction wrote.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from content import migrations
from content import search as library_search
from content.disk import full_disk_error, is_full
from content.errors import LibraryDamaged, Message, NotFound, StoreUnavailable
from content.guides_record import guide_record, record_guide
from content.model import KINDS, Attachment, GazetteIssue, Guide, GuideFields, Item, TocEntry
from content.search import index as search_index

ITEM_COLUMNS = [
    "id",
    "kind",
    "title",
    "body_md",
    "doc_number",
    "issuer",
    "date",
    "section",
    "category",
    "topics",
    "annexes",
    "interprets_id",
    "issue_id",
    "page",
    "valid_from",
    "valid_to",
    "level",
    "url",
    "origin",
    "source",
    "version",
]
JSON_COLUMNS = ("topics", "annexes")
_HAS_TOPIC = "EXISTS (SELECT 1 FROM json_each(items.topics) WHERE json_each.value IN ({marks}))"


def _filters(
    kind: str | None,
    section: str | None,
    category: str | None,
    issue_id: str | None,
    origin: str | None,
    topics: tuple[str, ...] | None,
) -> tuple[list[str], list[Any]]:
    """WHERE terms and their parameters for `Library.items` and `Library.count`."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("kind", kind),
        ("section", section),
        ("category", category),
        ("issue_id", issue_id),
        ("origin", origin),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if topics is not None:
        where.append(_HAS_TOPIC.format(marks=", ".join("?" * len(topics))))
        params.extend(topics)
    return where, params


SYNC_STATE_COLUMNS = (
    "channel",
    "version",
    "root_sha256",
    "created",
    "expires",
    "key_id",
    "trusted_keys",
    "retired_keys",
    "applied_at",
)
WRITE_CACHE_KIB = 32 * 1024  # page cache while writing items (see Library._size_cache_for_writes)
_GUIDE_COLUMNS = tuple(GuideFields.__dataclass_fields__)
_STORED_COLUMNS = (*ITEM_COLUMNS, "content_hash", "updated_at")
# Plain SQL rather than sqlite-utils' upsert: it introspects the table on every call, which halves import speed.
_UPSERT_ITEM = (
    f"INSERT INTO items ({', '.join(_STORED_COLUMNS)}) VALUES ({', '.join(':' + c for c in _STORED_COLUMNS)}) "
    f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _STORED_COLUMNS if c != 'id')}"
)


@functools.lru_cache(maxsize=64)
def _update_sql(columns: tuple[str, ...]) -> str:
    return f"UPDATE items SET {', '.join(f'{c} = :{c}' for c in columns)} WHERE id = :id"


_INSERT_GUIDE_TEXT = (
    f"INSERT INTO guides (item_id, {', '.join(_GUIDE_COLUMNS)}) "
    f"VALUES (:item_id, {', '.join(':' + c for c in _GUIDE_COLUMNS)})"
)
_INSERT_SERVICE_GUIDE = (
    "INSERT INTO service_guides (item_id, audiences, department, themes, demo, record) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


@dataclass
class WriteReport:
    """What a write changed, by item id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {k: len(v) for k, v in vars(self).items()}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_HASHED_FIELDS = tuple(f for f in Item.__dataclass_fields__ if f not in ("version", "guide"))


def item_hash(item: Item) -> str:
    """A fingerprint of everything an item says (not its version), to tell changed from unchanged.
    Built from the field values directly: `dataclasses.asdict` deep-copies and costs 3× as much."""
    values = [getattr(item, f) for f in _HASHED_FIELDS]
    values.append(guide_record(item.guide) if item.guide is not None else None)
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


class Library:
    def __init__(self, path: Path | str, blobs_dir: Path | None = None):
        self.path = Path(path)
        self.blobs_dir = blobs_dir or self.path.parent / "blobs"
        self._lock = threading.RLock()
        self._read_lock = threading.RLock()
        self._writing = threading.local()  # .depth: this thread's nesting of write transactions
        self._write_cache_sized = False
        self._refuse_an_empty_file()
        conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self.db = Database(conn)
            migrations.library.apply(self.db)
            search_index.ensure(self.db)
            reader = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            reader.execute("PRAGMA query_only=ON")
            self.reader = Database(reader)
        except (sqlite3.DatabaseError, OSError) as exc:
            if conn is not None:
                conn.close()
            raise self._open_failure(exc) from exc

    def _refuse_an_empty_file(self) -> None:
        """Only a missing file is a new library: SQLite would silently make an empty one of a file
        truncated to 0 bytes, and its outbox and sync state would be gone without a word."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        except OSError as exc:
            raise self._open_failure(exc) from exc
        if size == 0:
            raise LibraryDamaged(
                f"library database {self.path} is empty (0 bytes): it was truncated; not re-created",
                Message(
                    "资料库 {path} 是空文件（0 字节），可能已被截断。为免丢失待上传记录和同步状态，系统不会自动重建，"
                    "请联系技术人员从备份恢复或重新同步。",
                    path=self.path,
                ),
            )

    def _open_failure(self, exc: BaseException) -> StoreUnavailable:
        if is_full(exc, self.path.parent):
            return full_disk_error(
                self.path.parent, "the library cannot be opened", Message("资料库无法打开")
            )
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return StoreUnavailable(
                f"library database {self.path} is locked by another program: {exc}",
                Message("资料库 {path} 正被另一个程序占用，请稍后再试。", path=self.path),
            )
        if isinstance(exc, OSError) or code in (
            sqlite3.SQLITE_CANTOPEN,
            sqlite3.SQLITE_PERM,
            sqlite3.SQLITE_READONLY,
            sqlite3.SQLITE_IOERR,
        ):
            return LibraryDamaged(
                f"library database {self.path} cannot be read or written: {exc}",
                Message(
                    "资料库 {path} 无法读写（{error}），请检查磁盘和文件权限；资料库未被改动。",
                    path=self.path,
                    error=exc,
                ),
            )
        return LibraryDamaged(
            f"library database {self.path} cannot be opened: {exc}",
            Message(
                "资料库 {path} 无法打开（文件损坏或不是资料库），请联系管理员恢复或重新导入。", path=self.path
            ),
        )

    def quick_check(self) -> list[str]:
        """SQLite's ``PRAGMA quick_check``: [] when the database is sound, else what it found (at most
        20 lines). For a start-up check (the services decide what to do with a damaged library)."""
        try:
            with self._read_lock:
                rows = self.reader.execute("PRAGMA quick_check(20)").fetchall()
        except sqlite3.DatabaseError as exc:  # damage so bad that the check itself cannot run
            return [str(exc)]
        found = [str(row[0]) for row in rows]
        return [] if found == ["ok"] else found

    def check(self) -> None:
        """`quick_check`, raising LibraryDamaged with what a technician does about it."""
        found = self.quick_check()
        if found:
            raise LibraryDamaged(
                f"library database {self.path} fails PRAGMA quick_check: {'; '.join(found[:3])}",
                Message(
                    "资料库文件已损坏（完整性检查未通过），本机暂停查询服务。请技术人员运行 kiosk doctor 查看，"
                    "再用 kiosk doctor --recover 重建资料库：本地公告和待上传记录会保留，内容从市级平台重新同步。"
                ),
            )

    # --- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock, self._read_lock:
            self.reader.conn.close()
            self.db.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit of writes (nested calls become savepoints)."""
        try:
            with self._lock, self.db.atomic():
                self._writing.depth = getattr(self._writing, "depth", 0) + 1
                try:
                    yield self.db
                finally:
                    self._writing.depth -= 1
        except (sqlite3.OperationalError, OSError) as exc:
            if is_full(exc, self.path.parent):  # rolled back: nothing was written
                raise full_disk_error(
                    self.path.parent, "nothing was saved", Message("未保存任何内容")
                ) from exc
            raise

    @contextmanager
    def reading(self) -> Iterator[Database]:
        """A consistent read: one read transaction on the read-only connection (the last committed
        version, without waiting for a writer), or, inside this thread's write transaction, the writing
        connection."""
        if getattr(self._writing, "depth", 0):
            with self._lock:
                yield self.db
            return
        with self._read_lock:
            self.reader.execute("BEGIN")
            try:
                yield self.reader
            finally:
                self.reader.execute("COMMIT")

    # --- meta ------------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self.reading() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
            return row[0] if row else default

    def meta_values(self, keys: Iterable[str]) -> dict[str, str]:
        """The meta keys that are set, of those asked for, in one read."""
        keys = list(keys)
        with self.reading() as db:
            rows = db.execute(
                f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(keys))})", keys
            )
            return dict(rows.fetchall())

    def set_meta(self, key: str, value: str) -> None:
        self.update_meta({key: value})

    def update_meta(self, values: Mapping[str, str]) -> None:
        """Set several meta keys in one statement and one transaction."""
        with self.transaction() as db:
            db.conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # --- writes ----------------------------------------------------------------------------------

    RESTORABLE = ("attachments", "item_attachments", "records", "outbox", "outbox_refused")

    def restore_rows(self, table: str, rows: Iterable[tuple]) -> int:
        """Put back rows salvaged from a damaged copy of this library (content.recover), in the table's
        own column order; rows already there are kept. Only the tables that exist nowhere else."""
        if table not in self.RESTORABLE:
            raise ValueError(f"{table} is not restored from a salvage")
        with self.transaction() as db:
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            marks = ", ".join("?" * len(columns))
            before = db.conn.total_changes
            db.conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", [tuple(r) for r in rows])
            return db.conn.total_changes - before

    def upsert_items(self, items: Iterable[Item], report: WriteReport | None = None) -> WriteReport:
        """Insert new items and update changed ones (their version goes up); unchanged ones stay as they are."""
        report = report or WriteReport()
        items = list(items)
        changed: list[str] = []
        now = _now()
        with self.transaction() as db:
            self._size_cache_for_writes(db)
            existing = self._stored_hashes(db, [item.id for item in items])
            for item in items:
                if item.kind not in KINDS:
                    raise ValueError(f"unknown kind {item.kind!r}")
                new_hash = item_hash(item)
                row = existing.get(item.id)
                if row and row[0] == new_hash:
                    report.unchanged.append(item.id)
                    continue
                record = self._item_record(item)
                record["content_hash"] = new_hash
                record["updated_at"] = now
                if row:
                    record["version"] = max(item.version, row[1] + 1)
                    report.updated.append(item.id)
                else:
                    report.added.append(item.id)
                if row:
                    # Only the columns that changed: SQLite rewrites the entries of every index whose
                    # columns an UPDATE sets, changed or not (five indexes on items; a 2,000-document
                    # delta of new titles then dirtied ~4,000 index pages for nothing).
                    columns = tuple(c for c in _STORED_COLUMNS if c != "id" and record[c] != row[2].get(c))
                    db.execute(_update_sql(columns), {c: record[c] for c in (*columns, "id")})
                    db.execute("DELETE FROM guides WHERE item_id = ?", [item.id])
                    db.execute("DELETE FROM service_guides WHERE item_id = ?", [item.id])
                else:
                    db.execute(_UPSERT_ITEM, record)
                if item.guide is not None:
                    self._insert_guide(db, item.id, item.guide)
                existing[item.id] = (new_hash, record["version"], record)
                changed.append(item.id)
            search_index.reindex(db, changed)
        return report

    @staticmethod
    def _insert_guide(db: Database, item_id: str, guide: Guide) -> None:
        """The guide's record, and its text in `guides` (what the search index reads)."""
        db.execute(_INSERT_GUIDE_TEXT, {"item_id": item_id, **vars(guide.text_fields())})
        db.execute(
            _INSERT_SERVICE_GUIDE,
            [
                item_id,
                json.dumps(guide.audiences(), ensure_ascii=False),
                guide.department,
                json.dumps(guide.themes, ensure_ascii=False),
                int(guide.demo),
                json.dumps(guide_record(guide), ensure_ascii=False),
            ],
        )

    def _size_cache_for_writes(self, db: Database) -> None:
        """Raise the connection's page cache (once) before the first write of items.

        A batch of 1,000 items dirties thousands of pages (random leaves of the items indexes, the new
        FTS segments and their merges); with SQLite's default 2 MB cache they spill to the WAL mid-
        transaction and are written again and re-read. At 200,000 documents a batch then made ~50,000
        pwrite and ~27,000 pread calls; with 32 MB, ~28,000 and ~14,000 (64 MB: the same). The cache
        only grows as pages are used."""
        if not self._write_cache_sized:
            db.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
            self._write_cache_sized = True

    @staticmethod
    def _stored_hashes(db: Database, ids: list[str]) -> dict[str, tuple[str, int, dict[str, Any]]]:
        """id -> (content hash, version, stored columns) of the items already stored."""
        found: dict[str, tuple[str, int, dict[str, Any]]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for values in db.execute(
                f"SELECT {', '.join(_STORED_COLUMNS)} FROM items WHERE id IN ({marks})", chunk
            ):
                row = dict(zip(_STORED_COLUMNS, values, strict=True))
                found[row["id"]] = (row["content_hash"], row["version"], row)
        return found

    def delete_items(self, ids: Iterable[str], report: WriteReport | None = None) -> WriteReport:
        report = report or WriteReport()
        ids = list(ids)
        with self.transaction() as db:
            for item_id in ids:
                cursor = db.execute("DELETE FROM items WHERE id = ?", [item_id])
                if cursor.rowcount:
                    report.removed.append(item_id)
            search_index.unindex(db, report.removed)
        return report

    def save_issue(self, issue: GazetteIssue) -> None:
        with self.transaction() as db:
            db["issues"].upsert(
                {
                    "id": issue.id,
                    "name": issue.name,
                    "year": issue.year,
                    "number": issue.number,
                    "date": issue.date,
                    "toc": json.dumps([vars(e) for e in issue.toc], ensure_ascii=False),
                    "source": issue.source,
                    "content_hash": issue.content_hash,
                    "imported_at": _now(),
                },
                pk="id",
            )

    def replace_issue(self, issue: GazetteIssue, items: list[Item]) -> WriteReport:
        """Store a gazette issue and exactly its items, in one transaction: items the issue no longer
        holds are removed, changed ones updated, unchanged ones left alone."""
        report = WriteReport()
        with self.transaction() as db:
            previous = {r[0] for r in db.execute("SELECT id FROM items WHERE issue_id = ?", [issue.id])}
            unchanged_issue = db.execute(
                "SELECT 1 FROM issues WHERE id = ? AND content_hash = ?", [issue.id, issue.content_hash]
            ).fetchone()
            if not unchanged_issue:
                self.save_issue(issue)
            self.upsert_items(items, report)
            self.delete_items(previous - {item.id for item in items}, report)
        return report

    def add_attachment(self, data: bytes, mime: str) -> Attachment:
        """Store a file once, named by its SHA-256 (written to disk before the row that names it)."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.blob_path(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(target)
        self.add_attachment_row(digest, mime, len(data))
        return Attachment(digest, mime, len(data))

    def add_attachment_row(self, sha256: str, mime: str, size: int) -> None:
        """The row naming a file already under blobs/ (kept if there is one)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO attachments(sha256, mime, size, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(sha256) DO NOTHING",
                [sha256, mime, size, _now()],
            )

    def link_attachment(self, item_id: str, sha256: str, name: str = "", role: str = "attachment") -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO item_attachments(item_id, sha256, name, role) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(item_id, sha256) DO UPDATE SET name = excluded.name, role = excluded.role",
                [item_id, sha256, name, role],
            )

    def blob_path(self, sha256: str) -> Path:
        return self.blobs_dir / sha256[:2] / sha256

    def delete_issue(self, issue_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM issues WHERE id = ?", [issue_id])

    def replace_aliases(self, origin: str, pairs: Iterable[tuple[str, str]]) -> None:
        """The alias table of one origin ('city': the channel's) becomes `pairs`."""
        with self.transaction() as db:
            db.execute("DELETE FROM aliases WHERE origin = ?", [origin])
            db.conn.executemany(
                "INSERT INTO aliases (term, expansion, origin) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(term, expansion, origin) for term, expansion in pairs],
            )

    # --- the channel version applied (content.sync) ----------------------------------------------

    def sync_state(self) -> dict[str, Any] | None:
        """The root applied last (SYNC_STATE_COLUMNS), None before the first sync."""
        with self.reading() as db:
            row = db.execute(
                f"SELECT {', '.join(SYNC_STATE_COLUMNS)} FROM sync_state WHERE id = 1"
            ).fetchone()
        return dict(zip(SYNC_STATE_COLUMNS, row, strict=True)) if row else None

    def sync_entries(self) -> dict[str, tuple[str, str, int, str]]:
        """id -> (kind, sha256, size, shard prefix) of every channel entry applied."""
        with self.reading() as db:
            return {
                row[0]: tuple(row[1:])
                for row in db.execute("SELECT id, kind, sha256, size, shard FROM sync_entries")
            }

    def local_ids(self) -> set[str]:
        """The items staff authored (origin 'local'), which a sync never touches."""
        with self.reading() as db:
            return {row[0] for row in db.execute("SELECT id FROM items WHERE origin = 'local'")}

    def record_sync(
        self,
        state: Mapping[str, Any],
        written: Iterable[tuple[str, str, str, int, str]],
        removed: Iterable[str],
        shards: Mapping[str, str],
    ) -> None:
        """The channel version applied: its root's state (SYNC_STATE_COLUMNS), the entries written
        (id, kind, sha256, size, shard) and removed, and the shard map, in one transaction (the caller's,
        so that they land with the content they describe)."""
        with self.transaction() as db:
            db.conn.executemany("DELETE FROM sync_entries WHERE id = ?", [(i,) for i in removed])
            db.conn.executemany(
                "INSERT OR REPLACE INTO sync_entries (id, kind, sha256, size, shard) VALUES (?, ?, ?, ?, ?)",
                list(written),
            )
            db.execute(
                f"INSERT OR REPLACE INTO sync_state (id, {', '.join(SYNC_STATE_COLUMNS)}) "
                f"VALUES (1, {', '.join('?' * len(SYNC_STATE_COLUMNS))})",
                [state[c] for c in SYNC_STATE_COLUMNS],
            )
            self.update_meta({"sync.shards": json.dumps(dict(shards), separators=(",", ":"))})

    # --- reads -----------------------------------------------------------------------------------

    def get(self, item_id: str) -> Item:
        with self.reading() as db:
            row = db.execute("SELECT * FROM items WHERE id = ?", [item_id]).fetchone()
            if row is None:
                raise NotFound(
                    f"no item with id {item_id!r}", Message("找不到编号为“{id}”的条目", id=item_id)
                )
            return self._row_to_item(row, db)

    def items(
        self,
        kind: str | None = None,
        *,
        section: str | None = None,
        category: str | None = None,
        issue_id: str | None = None,
        origin: str | None = None,
        topics: tuple[str, ...] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Item]:
        """Items newest first, optionally filtered (`topics`: having any of these topics)."""
        where, params = _filters(kind, section, category, issue_id, origin, topics)
        sql = "SELECT * FROM items"
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = "page, rowid" if issue_id is not None else "date DESC, rowid"
        sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
        params += [limit if limit is not None else -1, offset]
        with self.reading() as db:
            return [self._row_to_item(r, db) for r in db.execute(sql, params)]

    def titles(self, kinds: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
        """(id, kind, title, 文号) of every item of these kinds, newest first: the titles without the texts."""
        marks = ", ".join("?" for _ in kinds)
        sql = (
            f"SELECT id, kind, title, doc_number FROM items WHERE kind IN ({marks}) ORDER BY date DESC, rowid"
        )
        with self.reading() as db:
            return [tuple(row) for row in db.execute(sql, list(kinds))]

    def count(
        self, kind: str | None = None, *, category: str | None = None, topics: tuple[str, ...] | None = None
    ) -> int:
        """How many items `items()` would list with these filters."""
        where, params = _filters(kind, None, category, None, None, topics)
        sql = "SELECT count(*) FROM items" + (" WHERE " + " AND ".join(where) if where else "")
        with self.reading() as db:
            return db.execute(sql, params).fetchone()[0]

    def interpretations_of(self, document_id: str) -> list[Item]:
        with self.reading() as db:
            rows = db.execute(
                "SELECT * FROM items WHERE kind = 'interpretation' AND interprets_id = ? ORDER BY rowid",
                [document_id],
            )
            return [self._row_to_item(r, db) for r in rows]

    def current_notices(self, today: date | None = None) -> list[Item]:
        """Notices valid today (valid-from ≤ today ≤ valid-to; an open end is valid), newest first."""
        day = (today or date.today()).isoformat()
        with self.reading() as db:
            rows = db.execute(
                "SELECT * FROM items WHERE kind = 'notice' AND (valid_from = '' OR valid_from <= ?) "
                "AND (valid_to = '' OR valid_to >= ?) ORDER BY valid_from DESC, date DESC, rowid DESC",
                [day, day],
            )
            return [self._row_to_item(r, db) for r in rows]

    def issues(self) -> list[GazetteIssue]:
        with self.reading() as db:
            rows = db.execute("SELECT * FROM issues ORDER BY year DESC, number DESC").fetchall()
            columns = [d[0] for d in db.execute("SELECT * FROM issues LIMIT 0").description]
        result = []
        for row in rows:
            data = dict(zip(columns, row, strict=True))
            toc = [TocEntry(**e) for e in json.loads(data["toc"])]
            result.append(
                GazetteIssue(
                    data["id"],
                    data["name"],
                    data["year"],
                    data["number"],
                    data["date"],
                    toc,
                    data["source"],
                    data["content_hash"],
                )
            )
        return result

    def sections(self) -> list[tuple[str, int]]:
        with self.reading() as db:
            return [
                tuple(r)
                for r in db.execute(
                    "SELECT section, count(*) FROM items WHERE section != '' GROUP BY section ORDER BY min(rowid)"
                )
            ]

    def attachments_of(self, item_id: str) -> list[Attachment]:
        with self.reading() as db:
            rows = db.execute(
                "SELECT a.sha256, a.mime, a.size, ia.name FROM item_attachments ia "
                "JOIN attachments a ON a.sha256 = ia.sha256 WHERE ia.item_id = ? ORDER BY ia.rowid",
                [item_id],
            )
            return [Attachment(*r) for r in rows]

    def stats(self) -> dict[str, Any]:
        with self.reading() as db:
            by_kind = dict(db.execute("SELECT kind, count(*) FROM items GROUP BY kind").fetchall())
            by_origin = dict(db.execute("SELECT origin, count(*) FROM items GROUP BY origin").fetchall())
            attachments = db.execute("SELECT count(*), coalesce(sum(size), 0) FROM attachments").fetchone()
            text_chars = db.execute("SELECT coalesce(sum(length(body_md)), 0) FROM items").fetchone()[0]
            issues = db.execute("SELECT count(*) FROM issues").fetchone()[0]
            guides = db.execute(
                "SELECT count(json_extract(record, '$.窗口')), count(json_extract(record, '$.大厅平面图')), "
                "coalesce(sum(json_array_length(record, '$.办理流程') > 0), 0) FROM service_guides"
            ).fetchone()
            schema = [m.name for m in migrations.library.applied(db)][-1]
            stamp = search_index.stamp(db)
        return {
            "items": sum(by_kind.values()),
            "by_kind": {kind: by_kind.get(kind, 0) for kind in KINDS},
            "by_origin": by_origin,
            "gazette_issues": issues,
            # what 窗口指示 and 办事指引 need (kiosk.tiers): guides naming their window, a hall map, steps
            "guides": dict(zip(("with_window", "with_hall_map", "with_steps"), guides, strict=True)),
            "attachments": attachments[0],
            "attachment_bytes": attachments[1],
            "text_chars": text_chars,
            "database": str(self.path),
            # the write-ahead log holds recent writes until a checkpoint folds them into the file
            "database_bytes": sum(
                f.stat().st_size
                for f in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
                if f.exists()
            ),
            "schema": schema,
            "search_index": stamp,
        }

    def search(self, query: str, limit: int = 20) -> list:
        """Chinese search over the whole library (see `content.search`)."""
        with self.reading() as db:
            return library_search.search(db, query, limit=limit)

    def suggest(self, query: str) -> list[str]:
        """Other queries to try when `query` found nothing (alias spellings, near titles); only those
        that would find something here, so a resident is never sent from one empty page to another."""
        with self.reading() as db:
            candidates = library_search.suggest(db, query)
            return [c for c in candidates if library_search.search(db, c, limit=1)]

    def doc_number_of(self, item: Item) -> str:
        """The 文号 shown for an item: an interpretation shows the number of the document it interprets."""
        if item.kind == "interpretation" and item.interprets_id:
            with self.reading() as db:
                row = db.execute("SELECT doc_number FROM items WHERE id = ?", [item.interprets_id]).fetchone()
            return row[0] if row else ""
        return item.doc_number

    # --- row mapping -----------------------------------------------------------------------------

    @staticmethod
    def _item_record(item: Item) -> dict[str, Any]:
        record = {column: getattr(item, column) for column in ITEM_COLUMNS}
        for column in JSON_COLUMNS:
            record[column] = json.dumps(record[column], ensure_ascii=False)
        return record

    def _row_to_item(self, row: sqlite3.Row | tuple, db: Database) -> Item:
        data = dict(zip(self._columns(), row, strict=True))
        values = {column: data[column] for column in ITEM_COLUMNS}
        for column in JSON_COLUMNS:
            values[column] = json.loads(values[column])
        item = Item(**values)
        if item.kind == "guide":
            row = db.execute("SELECT record FROM service_guides WHERE item_id = ?", [item.id]).fetchone()
            if row:
                item.guide = record_guide(json.loads(row[0]))
        return item

    def _columns(self) -> list[str]:
        if not hasattr(self, "_item_columns"):
            self._item_columns = [d[0] for d in self.db.execute("SELECT * FROM items LIMIT 0").description]
        return self._item_columns
