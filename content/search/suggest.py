"""Suggestions for "没有找到": other queries worth a touch when a search found nothing.

In order: the alias spellings of what was typed (社保 → 社会保险), titles that share the most
bigrams with the query (a typo or an extra character still lands near the right document), and common
terms (alias words) that share a character with it.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from content.search import aliases
from content.search.query import parse
from content.search.tokens import bigrams, is_han, runs


def suggest(db: Database, text: str, limit: int = 8) -> list[str]:
    """Up to `limit` other queries for `text`, best first; never raises on odd input."""
    table = aliases.pairs(db)
    query = parse(text, table)
    typed = "".join(runs(text or ""))
    out: list[str] = []

    def add(candidate: str) -> None:
        if candidate and candidate != typed and candidate not in out and len(out) < limit:
            out.append(candidate)

    for term in query.terms:
        for spelling in term.alternatives[1:]:
            add("".join(spelling))
    han = [run[:32] for run in runs(text or "")[:16] if is_han(run)]
    grams = sorted(
        {g for run in han for g in bigrams(run)} | {r for r in runs(text or "")[:16] if not is_han(r)}
    )
    # Single characters as prefixes too, so a typo (秸杆) still reaches titles sharing one character.
    singles = sorted({c for run in han for c in run})
    if grams or singles:
        expression = " OR ".join([f'"{g}"' for g in grams[:40]] + [f'"{c}"*' for c in singles[:20]])
        try:
            rows = db.execute(
                "SELECT d.title FROM search_title t JOIN search_docs d ON d.rowid = t.rowid "
                "WHERE search_title MATCH ? ORDER BY bm25(search_title, 10.0, 3.0) LIMIT ?",
                [expression, limit],
            ).fetchall()
        except sqlite3.OperationalError:
            rows = []
        for (title,) in rows:
            add(title)
    chars = {c for run in runs(text or "") if is_han(run) for c in run}
    for short, _ in table:
        if len(short) <= 4 and chars & set(short):
            add(short)
    return out
