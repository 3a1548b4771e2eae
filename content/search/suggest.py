"""Suggestions for "没有找到": what is worth a touch when a search found nothing.

Each suggestion says what a touch does: run another query (`kind` "query") or open a document
(`kind` "document", with its `item_id`). In order:

- the alias spellings of what was typed (社保 → 社会保险), when they find something;
- the query with a word replaced by a word of the library spelled the same in pinyin (秸杆 → 秸秆,
  `content.search.vocab`), a likely typo, when that finds something;
- words inside what was typed that the library holds (养老 of 养老金, 低保 of 低保户申请书);
- titles that share a real word with the query: at least one of its two-character words (bigrams),
  never a single character, so 养老金 suggests a title about 养老 but not one that only shares 老.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

from content.search import aliases, question, vocab
from content.search.engine import search
from content.search.query import parse
from content.search.tokens import bigrams, is_han, runs

MAX_TITLES = 4
MAX_WORD_CHARS = 8
MAX_PARTS = 4


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "query": search for `text`; "document": open `item_id`, titled `text`
    text: str
    item_id: str = ""
    why: str = ""  # alias / spelling / word / title

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def suggestions(db: Database, text: str, limit: int = 8) -> list[Suggestion]:
    """Up to `limit` suggestions for `text`, best first; never raises on odd input."""
    table = aliases.pairs(db)
    query = parse(text or "", table)
    typed = "".join(runs(text or ""))
    out: list[Suggestion] = []

    def add(suggestion: Suggestion) -> None:
        offered = {(s.kind, s.text) for s in out}
        if (
            len(out) < limit
            and suggestion.text != typed
            and (suggestion.kind, suggestion.text) not in offered
        ):
            out.append(suggestion)

    def finds(candidate: str) -> bool:
        return bool(search(db, candidate, limit=1))

    for term in query.terms:
        for spelling in term.alternatives[1:]:
            candidate = "".join(spelling)
            if finds(candidate):
                add(Suggestion("query", candidate, why="alias"))
    alias_words = {a for pair in table for a in pair}
    for term in query.terms:
        if not is_han(term.text) or not 2 <= len(term.text) <= MAX_WORD_CHARS or term.text in alias_words:
            continue  # an alias word is no typo: its other spellings were offered above
        for word in vocab.spelled_alike(db, term.text):
            candidate = " ".join(word if t is term else t.text for t in query.terms)
            if finds(candidate):
                add(Suggestion("query", candidate, why="spelling"))
    for run in runs(question.read(text or "").text)[:MAX_PARTS]:
        for word in _parts_found(run[: MAX_WORD_CHARS * 2], alias_words, finds):
            add(Suggestion("query", word, why="word"))
    for item_id, title in _titles_sharing_a_word(db, query.terms):
        add(Suggestion("document", title, item_id=item_id, why="title"))
    return out


def _parts_found(run: str, words: set[str], finds) -> list[str]:
    """Words inside a Han run that find something: the alias words it holds, and its first and last two
    characters (where a typed run starts and ends, a word does too; 养老 of 养老金). Longer pieces cut
    from the middle would often straddle two words (老旧小区改 is in the text, as part of 老旧小区改造)."""
    if not is_han(run) or len(run) < 3:
        return []
    inside = sorted((w for w in words if is_han(w) and w in run), key=lambda w: (-len(w), run.index(w)))
    parts = dict.fromkeys([*inside[:MAX_PARTS], run[:2], run[-2:]])
    return [p for p in parts if finds(p)]


def _titles_sharing_a_word(db: Database, terms: list) -> list[tuple[str, str]]:
    """(item id, title) of the titles (not keywords) holding any two-character word of the query, BM25
    order (rarer shared words first). Letters and digits are not words here: a year would match half the titles."""
    grams = sorted({g for t in terms[:16] if is_han(t.text) for g in bigrams(t.text[:32]) if len(g) == 2})
    if not grams:
        return []
    expression = "title : (" + " OR ".join(f'"{g}"' for g in grams[:40]) + ")"
    try:
        return db.execute(
            "SELECT i.id, i.title FROM search_title t JOIN search_docs d ON d.rowid = t.rowid "
            "JOIN items i ON i.rowid = d.rowid AND i.id = d.item_id "
            "WHERE search_title MATCH ? ORDER BY bm25(search_title, 10.0, 3.0) LIMIT ?",
            [expression, MAX_TITLES],
        ).fetchall()
    except sqlite3.OperationalError:
        return []


def suggest(db: Database, text: str, limit: int = 8) -> list[str]:
    """The suggestions' texts only (queries to try and titles), for callers that show plain text."""
    return [s.text for s in suggestions(db, text, limit)]
