"""Ranking: runs a parsed query against the index and orders the results.

Bands, best first (a higher band always outranks a lower one):

  文号 typed exactly (then the 解读 of that document), 文号 without 字, year and number only;
  for a how / what-to-bring / where question (`怎么办低保`), service guides first, by the same tiers;
  for each tier of the query (whole phrase, then NEAR, then all terms anywhere): title/keyword hits,
  then hits anywhere in the text; pinyin matches of titles share the top tier when the query is letters.

Pinyin is also read as words of the library (`content.search.vocab`: `jiegan` → 秸秆, found in bodies):
those words join the query's term as other spellings, and every hit says what it was read as (`meant`).

Within the whole-phrase tier (and for single terms) BM25 orders the hits, titles weighted 10 and
keywords 3; within the NEAR and AND tiers, where closeness already did the ranking and BM25 would
first count the matches of each (usually frequent) term alone, newer items come first.

Cost control: FTS5 has no top-k early termination, and its bm25() first counts every row that matches
each phrase (for the IDF), so ranking an expression that matches most of a 200,000-document library
costs tens of milliseconds (40 ms for 结合我市). When an expression matches more than `RANK_WINDOW`
rows (found by walking at most that many), its hits are taken newest first instead of by BM25. Such
expressions (定州, 贯彻落实, 工作) say little about relevance anyway; everything rarer is BM25-ranked
over all its matches, and title hits still come before body hits.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from content.search import aliases, docnum, snippet, vocab
from content.search.hit import Hit
from content.search.index import GUIDE_MARK
from content.search.pinyin import query_letters
from content.search.query import Query, Term, parse

log = logging.getLogger(__name__)

RANK_WINDOW = 1000
# The same for the titles' pinyin (trigram phrases): walking 1,000 matches of a common spelling
# (chengzhen: every title with 城镇) took 40–150 ms at 200,000 documents on a busy machine.
PINYIN_WINDOW = 200
MAX_LIMIT = 200
TITLE_WEIGHTS = (10.0, 3.0)  # bm25 weights of search_title's columns: title, keywords
STRICT = False  # tests set this: an SQLite error in a query is then raised instead of logged

_DOCNUM_EXACT, _DOCNUM_INTERPRETATION, _DOCNUM_LOOSE, _DOCNUM_YEAR = 1000.0, 950.0, 900.0, 800.0
_GUIDES_FIRST = 400.0  # added to a guide's text score for a question asking for one (stays below 800)


@dataclass
class _Found:
    score: float
    reason: str


def _squash(bm25: float) -> float:
    """Map a (negative, lower is better) BM25 value into [0, 40) so it never crosses a band."""
    good = max(0.0, -bm25)
    return 40.0 * good / (good + 5.0)


class _Ranking:
    def __init__(self, db: Database, limit: int):
        self.db = db
        self.limit = limit
        self.found: dict[int, _Found] = {}

    def titles(self) -> list[str]:
        """The titles (as indexed) of what was found so far."""
        rowids = list(self.found)
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        return [r[0] for r in self.run(f"SELECT title FROM search_docs WHERE rowid IN ({marks})", rowids)]

    def full(self) -> bool:
        return len(self.found) >= self.limit

    def add(self, rowid: int, score: float, reason: str) -> None:
        if rowid not in self.found:
            self.found[rowid] = _Found(score, reason)

    def run(self, sql: str, params: list) -> list[tuple]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if STRICT:
                raise
            log.warning("search query failed", extra={"error": str(exc), "sql": sql})
            return []

    # --- 文号 --------------------------------------------------------------------------------------

    def doc_numbers(self, query: Query) -> None:
        """Items whose 文号 is the typed one: exactly as typed first, then without 字, then any series
        with that year and number (when no prefix was typed); each followed by its 解读."""
        number = query.doc_number
        if number is None:
            return
        options = docnum.candidates(number)
        if options:
            keys = sorted({c.key for c in options})
            rows = self.run(
                f"SELECT d.rowid, i.doc_number FROM search_docs d JOIN items i ON i.rowid = d.rowid "
                f"WHERE d.docnum IN ({','.join('?' * len(keys))}) AND d.docnum != '' ORDER BY d.rowid DESC",
                keys,
            )
            exact = {c.exact for c in options}
            found = []
            for rowid, printed in rows:
                parsed = docnum.parse(printed or "")
                is_exact = parsed is not None and parsed.exact in exact
                found.append(
                    (
                        rowid,
                        _DOCNUM_EXACT if is_exact else _DOCNUM_LOOSE,
                        "docnum" if is_exact else "docnum-loose",
                    )
                )
        else:
            low = number.year_number
            rows = self.run(
                "SELECT rowid FROM search_docs WHERE docnum >= ? AND docnum < ? AND docnum != '' "
                "ORDER BY rowid DESC LIMIT ?",
                [low, low[:-1] + "}", self.limit],
            )
            found = [(rowid, _DOCNUM_YEAR, "docnum-year") for (rowid,) in rows]
        for rowid, score, reason in sorted(found, key=lambda f: -f[1]):
            self.add(rowid, score, reason)
            for (interp,) in self.run(
                "SELECT i.rowid FROM items i JOIN items d ON i.interprets_id = d.id WHERE d.rowid = ?",
                [rowid],
            ):
                self.add(interp, score - (_DOCNUM_EXACT - _DOCNUM_INTERPRETATION) / 2, reason)

    # --- full text ---------------------------------------------------------------------------------

    def _frequent(self, table: str, expression: str, k: int, window: int = RANK_WINDOW) -> bool:
        """Whether more than max(window, k) rows match (walks at most that many)."""
        rows = self.run(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [expression, max(window, k)],
        )
        return bool(rows)

    def _ranked(
        self, table: str, expression: str, weights: str, k: int, bm25: bool = True, window: int = RANK_WINDOW
    ) -> list[tuple[int, float]]:
        """The k best rows: by BM25, or newest first when the expression is frequent (see above)."""
        if not bm25 or self._frequent(table, expression, k, window):
            rows = self.run(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
                [expression, k],
            )
            return [(rowid, 0.0) for (rowid,) in rows]
        return self.run(
            f"SELECT rowid, bm25({table}{weights}) AS r FROM {table} WHERE {table} MATCH ? ORDER BY r LIMIT ?",
            [expression, k],
        )

    def guides(self, query: Query) -> None:
        """For a question asking how, what to bring or where: the guides it matches, above the rest.

        Guides carry a marker word (`index.GUIDE_MARK`); FTS5 intersects the expression with its short
        doclist, so a frequent term costs no more than a rare one."""
        if not query.guides_first:
            return
        weights = "".join(f", {w}" for w in TITLE_WEIGHTS)
        for tier, expression in query.tiers():
            base = _GUIDES_FIRST + 100.0 * tier
            guides_only = f'({expression}) AND "{GUIDE_MARK}"'
            for table, bonus, columns in (("search_title", 50.0, weights), ("search_text", 0.0, "")):
                if self.full():  # a page of guides already: the looser tiers would only add below them
                    return
                for rowid, bm25 in self._ranked(table, guides_only, columns, self.limit):
                    self.add(rowid, base + bonus + _squash(bm25), f"guide-{tier}")

    def text(self, query: Query) -> None:
        weights = "".join(f", {w}" for w in TITLE_WEIGHTS)
        for tier, expression in query.tiers():
            if self.full():
                return
            base = 100.0 * tier
            k = self.limit + len(self.found) + 5
            # NEAR and AND tiers: closeness already ranks them, and BM25 would first count the matches
            # of each (usually frequent) term on its own.
            use_bm25 = tier == 3
            for rowid, bm25 in self._ranked("search_title", expression, weights, k, use_bm25):
                self.add(rowid, base + 50.0 + _squash(bm25), f"title-{tier}")
            if self.full():
                return
            for rowid, bm25 in self._ranked("search_text", expression, "", k, use_bm25):
                self.add(rowid, base + _squash(bm25), f"text-{tier}")

    # --- pinyin ------------------------------------------------------------------------------------

    def pinyin(self, query: Query) -> None:
        letters = query.letters
        if len(letters) < 3:  # the trigram index needs three letters
            return
        expression = '"' + letters + '"'
        k = self.limit + len(self.found) + 5
        for rowid, bm25 in self._ranked("search_pinyin", expression, ", 1.0, 2.0", k, window=PINYIN_WINDOW):
            self.add(rowid, 340.0 + _squash(bm25), "pinyin")


def read_pinyin(db: Database, query: Query, table: tuple[tuple[str, str], ...], titles: list[str]) -> None:
    """Add the words a pinyin query spells (or abbreviates) to its terms, with their aliases: alias words
    first (known words: dibao → 低保), else words of the library (`content.search.vocab`). `titles` are
    those the titles' pinyin matched: initials are read as body words only when there are none (gljt is
    a title's 高龄津贴 already), and a spelling read in them is the one meant (shengyu: 生育 of 生育登记,
    not 剩余).

    Letters typed apart (`jie gan`) are first read together, as one word."""
    if not query.letters or query.doc_number is not None:
        return

    def words(letters: str) -> list[str]:
        found = aliases.spelled(letters, table) or vocab.spelled_words(db, letters, titles)
        if not found and not titles:
            known = aliases.spelled(letters, table, initials=True)
            found = known if 0 < len(known) <= vocab.MAX_INITIAL_WORDS else vocab.initial_words(db, letters)
        return found

    if len(query.terms) > 1:
        joined = words(query.letters)
        if joined:
            query.terms = [Term(query.letters, [[query.letters]])]
            _read_as(query, query.terms[0], joined, table)
            return
    for term in query.terms:
        letters = query_letters(term.text)
        _read_as(query, term, words(letters) if letters else [], table)


def _read_as(query: Query, term: Term, words: list[str], table: tuple[tuple[str, str], ...]) -> None:
    for word in words:
        term.alternatives += [[s] for s in (word, *aliases.alternatives(word, table))]
    query.meant += [w for w in words if w not in query.meant]


def search(db: Database, text: str, limit: int = 20) -> list[Hit]:
    limit = max(1, min(int(limit), MAX_LIMIT))
    table = aliases.pairs(db)
    query = parse(text, table)
    if query.empty:
        return []
    ranking = _Ranking(db, limit)
    ranking.doc_numbers(query)
    if not ranking.found:  # a 文号 that exists is what was meant; its words would only add noise
        ranking.pinyin(query)
        read_pinyin(db, query, table, ranking.titles())
        ranking.guides(query)
        ranking.text(query)
    ordered = sorted(ranking.found.items(), key=lambda kv: (-kv[1].score, -kv[0]))
    return _hits(db, query, ordered, limit)


def _hits(db: Database, query: Query, ordered: list[tuple[int, _Found]], limit: int) -> list[Hit]:
    if not ordered:
        return []
    rowids = [rowid for rowid, _ in ordered[: limit + 10]]
    rows = db.execute(
        "SELECT i.rowid, i.id, i.kind, i.title, i.doc_number, i.date, i.body_md, "
        "(SELECT p.doc_number FROM items p WHERE p.id = i.interprets_id AND i.interprets_id != '') "
        f"FROM items i JOIN search_docs d ON d.rowid = i.rowid AND d.item_id = i.id "
        f"WHERE i.rowid IN ({','.join('?' * len(rowids))})",
        rowids,
    ).fetchall()
    by_rowid = {r[0]: r for r in rows}
    needles = query.highlights()
    hits = []
    for rowid, found in ordered:
        row = by_rowid.get(rowid)
        if row is None:
            continue  # an entry whose item is gone (see index.DIRTY)
        _, item_id, kind, title, doc_number, date, body, interpreted = row
        number = (interpreted or "") if kind == "interpretation" else (doc_number or "")
        marks = needles + ([number] if number and found.reason.startswith("docnum") else [])
        hits.append(
            Hit(
                id=item_id,
                kind=kind,
                title=title,
                doc_number=number,
                date=date or "",
                snippet=snippet.snippet(body or "", marks),
                score=round(found.score, 3),
                title_html=snippet.mark(title, needles),
                match=found.reason,
                meant="、".join(query.meant),
            )
        )
        if len(hits) >= limit:
            break
    return hits
