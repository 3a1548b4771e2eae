"""The search index's lifecycle: create it, stamp it, rebuild it, and keep it in step with `items`.

Tables (all derived data, never migrated; dropped and rebuilt when the stamp differs):

- `search_text`   FTS5 over the bigram tokens of title + keywords + body: what a query must match.
- `search_title`  FTS5 over the tokens of the title and keywords only: title hits rank first.
- `search_pinyin` FTS5 `trigram` over the pinyin spellings of title and keywords (`content.search.pinyin`).
- `search_docs`   one row per indexed item (rowid = `items.rowid`): the title and keywords as indexed,
                  and the normalised 文号 keys (`content.search.docnum`) for exact lookup.
- `search_stale`  the previous body of items whose body changed since they were indexed (filled by
                  triggers on `items`).
- `search_title` and `search_text` hold the word `GUIDE_MARK` for every service guide (see there).
- `search_vocab`  every Han bigram of the library with its pinyin (`content.search.vocab`), so pinyin
                  finds words that appear only in bodies; it only grows.

The FTS tables are contentless (`content=''`) with `detail=full` (phrase and NEAR queries) and
`columnsize=0`: storing the token strings would take 2–3× the text, and per-row sizes make ranking a
frequent term 4× slower (a B-tree lookup per matching row). A contentless row can only be removed by
replaying exactly the tokens it was indexed with, so the index keeps what it needs for that: the indexed
title/keywords in `search_docs`, and the old body in `search_stale`, which triggers fill whoever changes
`items` (the store calls `reindex`/`unindex` in the same transaction). When an entry cannot be removed
exactly (a row replaced behind the index's back), the stamp is set to `dirty` and the next `ensure()`
rebuilds everything. The stamp names the tokenizer, the index layout, the pypinyin version and the
Unicode version, since any of them changes the tokens.

`search_text` and `search_title` use FTS5's `ascii` tokenizer: `tokens()` has already produced
lower-case words separated by spaces, and `ascii` passes every non-ASCII byte through as part of a word
instead of looking up each character's Unicode category and case folding as `unicode61` does; the
tokens come out the same and inserting costs ~40% less (measured at 20,000 documents: search_text
inserts 4.3–5.4 s → 1.5 s). Queries go through the same tokenizer, so they match as before.
"""

from __future__ import annotations

import json
import logging
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pypinyin
from sqlite_utils import Database

from content.search import aliases, docnum, pinyin, vocab
from content.search.fold import TABLE_VERSION
from content.search.tokens import TOKENIZER_VERSION, tokens

log = logging.getLogger(__name__)

INDEX_VERSION = "idx-7"  # 7: a guide's 受理条件 and 常见问题 questions in its keywords
# A word in the keywords of every service guide, so a question asking for one (怎么办低保) finds the
# guides among a frequent term's matches by an FTS5 AND with this rare token (the engine's `guides`),
# instead of walking every match (20,000 title matches of 农村: 220 ms). Letters and digits a resident
# never types; the pinyin index reads Han characters only, so it does not see it.
GUIDE_MARK = "zzkindguide0"
STAMP_KEY = "search.tokenizer"
DIRTY = "dirty"
_CHUNK = 500
_GUIDE_FIELDS = ("subject", "basis", "materials", "process", "fees", "time_limit", "window")

_SCHEMA = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5("
    "text, content='', detail=full, columnsize=0, tokenize='ascii')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_title USING fts5("
    "title, keywords, content='', detail=full, columnsize=0, tokenize='ascii')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_pinyin USING fts5("
    "full, initials, content='', detail=full, columnsize=0, tokenize='trigram')",
    """CREATE TABLE IF NOT EXISTS search_docs (
        rowid INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL,
        title TEXT NOT NULL,
        keywords TEXT NOT NULL,
        docnum TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX IF NOT EXISTS search_docs_item ON search_docs (item_id)",
    "CREATE INDEX IF NOT EXISTS search_docs_docnum ON search_docs (docnum) WHERE docnum != ''",
    "CREATE TABLE IF NOT EXISTS search_stale (rowid INTEGER PRIMARY KEY, body TEXT NOT NULL)",
    # INSERT OR IGNORE keeps the first old body: the one that is in the index.
    """CREATE TRIGGER IF NOT EXISTS search_items_update AFTER UPDATE OF body_md ON items
       WHEN old.body_md IS NOT new.body_md
       BEGIN INSERT OR IGNORE INTO search_stale (rowid, body) VALUES (old.rowid, old.body_md); END""",
    """CREATE TRIGGER IF NOT EXISTS search_items_delete AFTER DELETE ON items
       BEGIN INSERT OR IGNORE INTO search_stale (rowid, body) VALUES (old.rowid, old.body_md); END""",
    *vocab.SCHEMA,
]
# Pending FTS5 data kept in memory before it is written as a segment (default 1 MB): a bulk import
# then writes one segment per transaction instead of several, with far less merging (measured on
# 50,000 documents: 2,400 → 3,300 inserts/s at 16 MB; 32 MB is a small share of a kiosk's memory).
HASHSIZE = 32 * 1024 * 1024
# FTS5 merges the segments of a level once `automerge` of them exist (default 4), and each transaction
# writes one segment per table, so an entry is rewritten about log_automerge(transactions) times: at
# 200,000 documents in batches of 1,000, ~3.8 times with 4 and ~1.9 with 16. The merges ran at commit
# and were most of its cost at that size (bench at 200k, same quiet machine: 1,790 → 2,328 docs/s).
# Queries then walk up to ~30 segments instead of ~12: 4-character phrases p95 3.8 → 7.4 ms, two
# terms 8.6 → 9.3 ms, still well under the 20 ms target.
AUTOMERGE = 16
# Once a level holds `crisismerge` segments (default 16), FTS5 merges the whole level at the next flush,
# in that transaction; with automerge = crisismerge = 16 that is how every merge happened. After a first
# sync of 200,000 documents level 0 holds 8 segments of ~10 MB; a 2,000-document delta that brought it
# to 16 rewrote all of them (240 MB of WAL, ~3 s of a ~5 s apply). Far above `automerge`, a crisis merge
# never comes: automerge merges in steps proportional to what each write adds (the levels stay near 16
# segments), so a delta pays for a share of the merging, never for a whole level.
CRISISMERGE = 64
_FTS_TABLES = ("search_text", "search_title", "search_pinyin")
_TABLES = ("search_text", "search_title", "search_pinyin", "search_docs", "search_stale", "search_vocab")
_TRIGGERS = ("search_items_update", "search_items_delete")


def current_stamp() -> str:
    """What the code would stamp: everything that changes the tokens of a given text."""
    return (
        f"{TOKENIZER_VERSION};{INDEX_VERSION};pypinyin-{pypinyin.__version__};{TABLE_VERSION};"
        f"unicode-{unicodedata.unidata_version}"
    )


@dataclass
class _Doc:
    """What one item contributes to the index."""

    rowid: int
    item_id: str
    title: str
    keywords: str
    body: str
    doc_number: str


# --- lifecycle -------------------------------------------------------------------------------------


def ensure(db: Database) -> None:
    """Create the index if missing, rebuild it if its stamp differs, refresh the bundled aliases."""
    with db.atomic():
        aliases.seed(db)
        if stamp(db) == current_stamp() and _exists(db):
            _configure(db)
            _catch_up(db)
            return
        rebuild(db)


def _configure(db: Database) -> None:
    """The FTS5 settings (stored in each table's `_config`; written only when they differ)."""
    for table in _FTS_TABLES:
        found = dict(
            db.execute(f"SELECT k, v FROM {table}_config WHERE k IN ('hashsize', 'automerge', 'crisismerge')")
        )
        for key, value in (("hashsize", HASHSIZE), ("automerge", AUTOMERGE), ("crisismerge", CRISISMERGE)):
            if found.get(key) != value:
                db.execute(f"INSERT INTO {table}({table}, rank) VALUES (?, ?)", [key, value])


def rebuild(db: Database) -> int:
    """Drop and rebuild the whole index from `items` (in the caller's transaction). Returns the count."""
    started = time.perf_counter()
    previous = stamp(db)
    for trigger in _TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in _TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _SCHEMA:
        db.execute(statement)
    _configure(db)
    count = 0
    for chunk in _chunks(r[0] for r in db.execute("SELECT rowid FROM items ORDER BY rowid").fetchall()):
        count += _index_rowids(db, chunk)
    for table in _FTS_TABLES:
        db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    _set_stamp(db, current_stamp())
    log.info(
        "search index rebuilt",
        extra={"items": count, "seconds": round(time.perf_counter() - started, 2), "previous": previous},
    )
    return count


def reindex(db: Database, ids: Iterable[str]) -> None:
    """(Re)index these items from `items`, inside the caller's transaction (in rowid order: see `_Work`)."""
    rowids: list[int] = []
    moved: list[int] = []
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rowids += [r[0] for r in db.execute(f"SELECT rowid FROM items WHERE id IN ({marks})", chunk)]
        # An item that moved to another rowid (INSERT OR REPLACE) leaves its old entry behind.
        moved += [
            r[0]
            for r in db.execute(
                f"SELECT d.rowid FROM search_docs d JOIN items i ON i.id = d.item_id "
                f"WHERE d.item_id IN ({marks}) AND i.rowid != d.rowid",
                chunk,
            )
        ]
    for chunk in _chunks(sorted(moved)):
        _remove_rowids(db, chunk)
    for chunk in _chunks(sorted(rowids)):
        _index_rowids(db, chunk)
    _drop_useless_stale(db)


def unindex(db: Database, ids: Iterable[str]) -> None:
    """Remove these items from the index, inside the caller's transaction."""
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rowids = [
            r[0] for r in db.execute(f"SELECT rowid FROM search_docs WHERE item_id IN ({marks})", chunk)
        ]
        _remove_rowids(db, rowids)
    _drop_useless_stale(db)


def stamp(db: Database) -> str:
    """The stamp stored with the index ('' before the first build)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [STAMP_KEY]).fetchone()
    return row[0] if row else ""


# --- internals -------------------------------------------------------------------------------------


def _exists(db: Database) -> bool:
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search%'")}
    return set(_TABLES) <= names and set(_TRIGGERS) <= names


def _set_stamp(db: Database, value: str) -> None:
    db.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [STAMP_KEY, value],
    )


def _catch_up(db: Database) -> None:
    """Index what another writer changed without telling the index (the triggers kept the old bodies)."""
    pending = [r[0] for r in db.execute("SELECT rowid FROM search_stale")]
    missing = [
        r[0]
        for r in db.execute(
            "SELECT i.rowid FROM items i LEFT JOIN search_docs d ON d.rowid = i.rowid "
            "WHERE d.rowid IS NULL OR d.item_id != i.id"
        )
    ]
    if pending or missing:
        log.info("search index catching up", extra={"stale": len(pending), "missing": len(missing)})
        for chunk in _chunks(sorted(set(pending) | set(missing))):
            present = {
                r[0]
                for r in db.execute(
                    f"SELECT rowid FROM items WHERE rowid IN ({','.join('?' * len(chunk))})", chunk
                )
            }
            _remove_rowids(db, [r for r in chunk if r not in present])
            _index_rowids(db, [r for r in chunk if r in present])
        _drop_useless_stale(db)


def _chunks(values: Iterable, size: int | None = None) -> Iterator[list]:
    size = size or _CHUNK
    chunk: list = []
    for value in values:
        chunk.append(value)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _keywords(kind: str, topics_json: str, category: str, guide: Sequence[str | None]) -> str:
    try:
        topics = json.loads(topics_json or "[]")
    except ValueError:
        topics = []
    parts = [str(t) for t in topics if t] if isinstance(topics, list) else []
    if category:
        parts.append(category)
    parts.extend(g for g in guide if g)
    if kind == "guide":
        parts.append(GUIDE_MARK)
    return "\n".join(parts)


def _load(db: Database, rowids: Sequence[int]) -> list[_Doc]:
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    guide_columns = ", ".join(f"g.{c}" for c in _GUIDE_FIELDS)
    rows = db.execute(
        f"SELECT i.rowid, i.id, i.title, i.topics, i.category, i.body_md, i.doc_number, i.kind, s.record, "
        f"{guide_columns} FROM items i LEFT JOIN guides g ON g.item_id = i.id "
        f"LEFT JOIN service_guides s ON s.item_id = i.id WHERE i.rowid IN ({marks})",
        list(rowids),
    ).fetchall()
    return [
        _Doc(
            r[0],
            r[1],
            r[2] or "",
            _keywords(r[7], r[3], r[4] or "", (*r[9:], *_asked(r[8]))),
            r[5] or "",
            r[6] or "",
        )
        for r in rows
    ]


def _asked(record: str | None) -> tuple[str, ...]:
    """A guide's 受理条件 and the questions of its 常见问题 (`service_guides.record`), for its keywords:
    residents ask in those words (低保在哪里申请, 家庭财产状况). The answers stay out: they are the guide's
    prose, and as keywords they would rank a guide above documents for any word they happen to use."""
    try:
        data = json.loads(record or "{}")
    except ValueError:
        return ()
    if not isinstance(data, dict):
        return ()
    conditions, faq = data.get("受理条件", []), data.get("常见问题", [])
    texts = [*(conditions if isinstance(conditions, list) else [])]
    texts += [q.get("问题") for q in (faq if isinstance(faq, list) else []) if isinstance(q, dict)]
    return tuple(t for t in texts if isinstance(t, str) and t)


def _pinyin_of(title: str, keywords: str) -> tuple[str, str]:
    return pinyin.spell(title + "\n" + keywords)


@dataclass
class _Plan:
    """One chunk of rowids to index: what the database holds now."""

    docs: list[_Doc]
    indexed: dict[int, tuple[str, str, str]]  # rowid → (title, keywords, item_id) as indexed
    stale: dict[int, str]  # rowid → body as indexed, when it changed since


@dataclass
class _Work:
    """The rows to write for a plan. Each FTS list holds (command, rowid, columns…) in rowid order, a
    row's 'delete' (its old tokens) just before its insert (command NULL): FTS5 must flush its pending
    data to a new segment whenever a rowid is not above the previous one, so writing the deletes and the
    inserts as two ascending runs would cost an extra segment (and later merge work) per chunk."""

    rowids: list[int]
    text: list = field(default_factory=list)
    title: list = field(default_factory=list)
    pinyin: list = field(default_factory=list)
    docs_rows: list = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # the tokens indexed, for the vocabulary
    had_stale: bool = False
    dirty: bool = False

    def add(self, command: str | None, rows: tuple[tuple, tuple, tuple]) -> None:
        text, title, spelled = rows
        self.text.append((command, *text))
        self.title.append((command, *title))
        self.pinyin.append((command, *spelled))


def _plan(db: Database, rowids: Sequence[int]) -> _Plan:
    docs = _load(db, rowids)
    if not docs:
        return _Plan([], {}, {})
    marks = ",".join("?" * len(docs))
    ids = [d.rowid for d in docs]
    indexed = {
        r[0]: (r[1], r[2], r[3])
        for r in db.execute(
            f"SELECT rowid, title, keywords, item_id FROM search_docs WHERE rowid IN ({marks})", ids
        )
    }
    stale = dict(db.execute(f"SELECT rowid, body FROM search_stale WHERE rowid IN ({marks})", ids).fetchall())
    return _Plan(docs, indexed, stale)


def _entries(
    rowid: int, title: str, keywords: str, body: str, body_tokens: str | None = None
) -> tuple[tuple, tuple, tuple]:
    """The search_text, search_title and search_pinyin rows of one item (title and keywords are
    tokenized once, for both tables; `body_tokens`, when given, are `tokens(body)` already made)."""
    title_tokens, keyword_tokens = tokens(title), tokens(keywords)
    body_tokens = tokens(body) if body_tokens is None else body_tokens
    text = " ".join(t for t in (title_tokens, keyword_tokens, body_tokens) if t)
    return (rowid, text), (rowid, title_tokens, keyword_tokens), (rowid, *_pinyin_of(title, keywords))


def _compute(plan: _Plan) -> _Work:
    """Tokens and pinyin for a plan: pure Python, no database access."""
    work = _Work([d.rowid for d in plan.docs], had_stale=bool(plan.stale))
    for doc in sorted(plan.docs, key=lambda d: d.rowid):
        old = plan.indexed.get(doc.rowid)
        body_tokens = None
        if old is not None:
            old_title, old_keywords, old_item = old
            unchanged = (
                old_title == doc.title and old_keywords == doc.keywords and doc.rowid not in plan.stale
            )
            if old_item == doc.item_id and unchanged:
                work.docs_rows.append(_docs_row(doc))  # text unchanged: only the 文号 key may have changed
                continue
            if old_item != doc.item_id and doc.rowid not in plan.stale:
                # The rowid was reused behind the index's back: the old tokens are unknown.
                work.dirty = True
                work.docs_rows.append(_docs_row(doc))
                continue
            if doc.rowid not in plan.stale:  # the body is as indexed (a new title, say): tokenize it once
                body_tokens = tokens(doc.body)
            work.add(
                "delete",
                _entries(
                    doc.rowid, old_title, old_keywords, plan.stale.get(doc.rowid, doc.body), body_tokens
                ),
            )
        entries = _entries(doc.rowid, doc.title, doc.keywords, doc.body, body_tokens)
        work.add(None, entries)
        work.words.update(entries[0][1].split(" "))  # single spaces: ~10% faster than split()
        work.docs_rows.append(_docs_row(doc))
    return work


# One statement per table for deletes and inserts alike: FTS5 takes a NULL command as a plain insert.
_TEXT_WRITE = "INSERT INTO search_text(search_text, rowid, text) VALUES (?, ?, ?)"
_TITLE_WRITE = "INSERT INTO search_title(search_title, rowid, title, keywords) VALUES (?, ?, ?, ?)"
_PINYIN_WRITE = "INSERT INTO search_pinyin(search_pinyin, rowid, full, initials) VALUES (?, ?, ?, ?)"


def _write_fts(db: Database, work: _Work) -> None:
    db.conn.executemany(_TEXT_WRITE, work.text)
    db.conn.executemany(_TITLE_WRITE, work.title)
    db.conn.executemany(_PINYIN_WRITE, work.pinyin)


def _apply(db: Database, work: _Work) -> int:
    if work.dirty:
        log.warning("search index entry cannot be replaced exactly; rebuild scheduled")
        _set_stamp(db, DIRTY)
    _write_fts(db, work)
    vocab.add(db, work.words)
    db.conn.executemany(
        "INSERT INTO search_docs(rowid, item_id, title, keywords, docnum) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(rowid) DO UPDATE SET item_id = excluded.item_id, title = excluded.title, "
        "keywords = excluded.keywords, docnum = excluded.docnum",
        work.docs_rows,
    )
    if work.had_stale:
        db.execute(
            f"DELETE FROM search_stale WHERE rowid IN ({','.join('?' * len(work.rowids))})", work.rowids
        )
    return len(work.rowids)


def _index_rowids(db: Database, rowids: Sequence[int]) -> int:
    """Bring the entries of these `items` rowids up to date (they exist in `items`).

    All on the connection's thread. Tokenizing in a worker thread while this one writes was tried and
    is slower: the sqlite3 module releases the GIL around every row's step of an `executemany`, and
    each time it must wait for the tokenizing thread to give the GIL back (up to the 5 ms switch
    interval), so the writes crawl while the worker runs (measured: search_text inserts 2.3× slower,
    import 10–25% slower than doing both in turn). A worker that yields the GIL after every document
    (time.sleep(0)) is slower too (20,000 documents: 1,190–1,480 vs 1,440–1,740 docs/s in turn), and
    multi-row INSERT statements, which would hold the GIL off for a whole slice, make FTS5 flush its
    pending data at each statement's savepoint (2–3× slower).
    """
    return _apply(db, _compute(_plan(db, rowids))) if rowids else 0


def _remove_rowids(db: Database, rowids: Sequence[int]) -> None:
    """Remove index entries whose item is gone (or moved); their old body must be in `search_stale`."""
    if not rowids:
        return
    marks = ",".join("?" * len(rowids))
    indexed = db.execute(
        f"SELECT d.rowid, d.title, d.keywords, s.body, i.body_md FROM search_docs d "
        f"LEFT JOIN search_stale s ON s.rowid = d.rowid LEFT JOIN items i ON i.rowid = d.rowid "
        f"AND i.id = d.item_id WHERE d.rowid IN ({marks})",
        list(rowids),
    ).fetchall()
    work = _Work(list(rowids))
    for rowid, title, keywords, stale_body, live_body in sorted(indexed):
        body = stale_body if stale_body is not None else live_body
        if body is None:
            # The row was replaced without the delete trigger firing: its tokens are unknown. The entry
            # stays (searches skip rowids whose item is gone) and the next open rebuilds the index.
            log.warning(
                "search index entry cannot be removed exactly; rebuild scheduled", extra={"rowid": rowid}
            )
            _set_stamp(db, DIRTY)
            continue
        work.add("delete", _entries(rowid, title, keywords, body))
    _write_fts(db, work)
    db.execute(f"DELETE FROM search_docs WHERE rowid IN ({marks})", list(rowids))
    db.execute(f"DELETE FROM search_stale WHERE rowid IN ({marks})", list(rowids))


def _drop_useless_stale(db: Database) -> None:
    """Old bodies of rows that were never indexed are not needed."""
    db.execute("DELETE FROM search_stale WHERE rowid NOT IN (SELECT rowid FROM search_docs)")


def _docs_row(doc: _Doc) -> tuple:
    number = docnum.parse(doc.doc_number) if doc.doc_number else None
    return (doc.rowid, doc.item_id, doc.title, doc.keywords, number.key if number else "")
