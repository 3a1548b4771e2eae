"""Versioned schema migrations of the library database (sqlite-utils `Migrations`).

Migrations only ever add: a database made by any earlier migration opens and upgrades without losing
data. Never edit or reorder a migration that has shipped; append a new one.
The search index is derived data and is not migrated: `content.search.index` rebuilds it when its
tokenizer stamp differs.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

library = Migrations("zwgk-library")


@library()
def m001_library(db: Database) -> None:
    db.execute(
        """CREATE TABLE issues (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            year INTEGER NOT NULL,
            number INTEGER NOT NULL,
            date TEXT NOT NULL DEFAULT '',
            toc TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """CREATE TABLE items (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('document', 'interpretation', 'notice', 'guide')),
            title TEXT NOT NULL,
            body_md TEXT NOT NULL DEFAULT '',
            doc_number TEXT NOT NULL DEFAULT '',
            issuer TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            section TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL DEFAULT '',
            topics TEXT NOT NULL DEFAULT '[]',
            annexes TEXT NOT NULL DEFAULT '[]',
            interprets_id TEXT NOT NULL DEFAULT '',
            issue_id TEXT NOT NULL DEFAULT '',
            page INTEGER,
            valid_from TEXT NOT NULL DEFAULT '',
            valid_to TEXT NOT NULL DEFAULT '',
            level TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL DEFAULT 'gazette',
            source TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX items_kind_date ON items (kind, date DESC)")
    db.execute("CREATE INDEX items_interprets ON items (interprets_id)")
    db.execute("CREATE INDEX items_issue ON items (issue_id)")
    db.execute("CREATE INDEX items_doc_number ON items (doc_number)")
    db.execute(
        """CREATE TABLE guides (
            item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            audience TEXT NOT NULL DEFAULT '公民类',
            subject TEXT NOT NULL DEFAULT '',
            basis TEXT NOT NULL DEFAULT '',
            materials TEXT NOT NULL DEFAULT '',
            process TEXT NOT NULL DEFAULT '',
            fees TEXT NOT NULL DEFAULT '',
            time_limit TEXT NOT NULL DEFAULT '',
            consultation TEXT NOT NULL DEFAULT '',
            complaint TEXT NOT NULL DEFAULT '',
            window TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """CREATE TABLE attachments (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            created_at TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """CREATE TABLE item_attachments (
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL REFERENCES attachments(sha256),
            name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT 'attachment',
            PRIMARY KEY (item_id, sha256)
        )"""
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@library()
def m002_aliases(db: Database) -> None:
    """Abbreviations residents type (社保 → 社会保险), kept as data the city can extend."""
    db.execute(
        """CREATE TABLE aliases (
            term TEXT NOT NULL,
            expansion TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'bundled',
            PRIMARY KEY (term, expansion)
        )"""
    )


@library()
def m003_outbox(db: Database) -> None:
    """Records the kiosk keeps (usage statistics, heartbeats) and the durable outbox that uploads them.

    A record and its outbox row are written in one transaction (`content.outbox`)."""
    db.execute(
        """CREATE TABLE records (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            payload TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE outbox (
            id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL DEFAULT '',
            last_error TEXT NOT NULL DEFAULT '',
            sent_at TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX outbox_pending ON outbox (sent_at, next_attempt_at)")


@library()
def m004_sync_state(db: Database) -> None:
    """What the kiosk applied from the city's channel: the root, its entries and the keys it trusts."""
    db.execute(
        """CREATE TABLE sync_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            channel TEXT NOT NULL,
            version INTEGER NOT NULL,
            root_sha256 TEXT NOT NULL,
            created TEXT NOT NULL,
            expires TEXT NOT NULL,
            key_id TEXT NOT NULL,
            trusted_keys TEXT NOT NULL DEFAULT '{}',
            retired_keys TEXT NOT NULL DEFAULT '[]',
            applied_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE sync_entries (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            shard TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX sync_entries_shard ON sync_entries (shard)")


@library()
def m005_items_origin(db: Database) -> None:
    """Finding what staff authored (origin='local') without reading every body: a sync asks on every apply,
    and a scan of 200,000 items cost ~0.2 s because `origin` sits after the body in each row."""
    db.execute("CREATE INDEX items_origin ON items (origin)")


@library()
def m006_service_guides(db: Database) -> None:
    """Service guides with the fields of the national 实施清单 (materials, steps, time limits, fees, …): the
    guide's record as JSON, with what residents browse by (audience, department, 主题) beside it. The
    GB/T 36114 guides of earlier versions are carried over (one material or step per line); the `guides`
    table stays, holding each guide's text for the search index."""
    import json

    from content.guides_record import guide_record
    from content.model import GuideFields

    db.execute(
        """CREATE TABLE service_guides (
            item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            audiences TEXT NOT NULL DEFAULT '[]',
            department TEXT NOT NULL DEFAULT '',
            themes TEXT NOT NULL DEFAULT '[]',
            demo INTEGER NOT NULL DEFAULT 0,
            record TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX service_guides_department ON service_guides (department)")
    columns = tuple(GuideFields.__dataclass_fields__)
    rows = db.execute(
        f"SELECT g.item_id, {', '.join('g.' + c for c in columns)} FROM guides g JOIN items i ON i.id = g.item_id"
    ).fetchall()
    for item_id, *values in rows:
        guide = GuideFields(*values).to_guide()
        db.execute(
            "INSERT INTO service_guides (item_id, audiences, department, record) VALUES (?, ?, ?, ?)",
            [
                item_id,
                json.dumps(guide.audiences(), ensure_ascii=False),
                guide.department,
                json.dumps(guide_record(guide), ensure_ascii=False),
            ],
        )


@library()
def m007_outbox_refused(db: Database) -> None:
    """Records the city refused for what they are (HTTP 422 or 413): taken out of the outbox's retry loop,
    kept and counted with the city's reason until staff retry them (`content.outbox`)."""
    db.execute(
        """CREATE TABLE outbox_refused (
            id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            status INTEGER NOT NULL,
            reason TEXT NOT NULL,
            reason_zh TEXT NOT NULL DEFAULT '',
            refused_at TEXT NOT NULL
        )"""
    )


LATEST = "m007_outbox_refused"
