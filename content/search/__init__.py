"""Chinese full-text search over the offline library (documents, 解读, notices, service guides).

Public entry points: `search(db, query, limit)` returns ranked `Hit`s; `suggest(db, query)` offers
alternatives when nothing matches. The index itself lives in `content.search.index`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database


@dataclass
class Hit:
    """One search result, as the CLI's JSON and the touch UI show it."""

    id: str
    kind: str
    title: str
    doc_number: str
    date: str
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def search(db: Database, query: str, limit: int = 20) -> list[Hit]:
    """Ranked hits for a resident's query (stub until the engine lands)."""
    return []


def suggest(db: Database, query: str, limit: int = 8) -> list[str]:
    """Alternatives to offer when nothing matches (stub)."""
    return []
