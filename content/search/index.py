"""The search index's lifecycle: create, stamp, rebuild, and keep it in step with `items` (stub)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

TOKENIZER_VERSION = "stub-0"
STAMP_KEY = "search.tokenizer"


def ensure(db: Database) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [STAMP_KEY, TOKENIZER_VERSION],
        )


def reindex(db: Database, ids: Iterable[str]) -> None:
    pass


def unindex(db: Database, ids: Iterable[str]) -> None:
    pass


def stamp(db: Database) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [STAMP_KEY]).fetchone()
    return row[0] if row else ""
