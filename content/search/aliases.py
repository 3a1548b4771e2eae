"""Abbreviations residents type (社保, 低保, 公积金) and what documents write (社会保险, 最低生活保障, 住房公积金).

No tokenizer knows that 社保 means 社会保险, so the pairs are data: the bundled `content/data/aliases.tsv`
(origin 'bundled', refreshed from the file on every open) plus whatever the city adds (origin 'city',
never touched here), both in the `aliases` table. Expansion works both ways: a query holding the short
form also searches the long one, and the long form also finds documents that only use the short one.
The words are known words, so pinyin is read as them first (`spelled`: dibao → 低保, sb → 社保).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from sqlite_utils import Database

from content.search import pinyin
from content.search.tokens import is_han, runs

MAX_ALTERNATIVES = 4


def bundled() -> list[tuple[str, str]]:
    """The (term, expansion) pairs of `content/data/aliases.tsv`, comments and blank lines skipped."""
    text = resources.files("content").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        term, sep, expansion = line.partition("\t")
        if not sep or not term.strip() or not expansion.strip():
            raise ValueError(f"aliases.tsv: not term<TAB>expansion: {line!r}")
        pairs.append((term.strip(), expansion.strip()))
    return pairs


def seed(db: Database) -> None:
    """Make the bundled rows equal to the file; rows of other origins stay as they are."""
    pairs = bundled()
    db.execute("DELETE FROM aliases WHERE origin = 'bundled'")
    db.conn.executemany(
        "INSERT INTO aliases(term, expansion, origin) VALUES (?, ?, 'bundled') ON CONFLICT DO NOTHING", pairs
    )


def _key(text: str) -> str:
    """Aliases are compared in the form queries take: normalised runs, joined."""
    return "".join(runs(text))


@lru_cache(maxsize=8)
def _pairs_cached(rows: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Both directions, normalised, longest first (so 社保卡 wins over 社保)."""
    both = {(_key(a), _key(b)) for a, b in rows} | {(_key(b), _key(a)) for a, b in rows}
    usable = ((a, b) for a, b in both if a and b and a != b and is_han(a) and is_han(b))
    return tuple(sorted(usable, key=lambda p: (-len(p[0]), p)))


def pairs(db: Database) -> tuple[tuple[str, str], ...]:
    rows = tuple(db.execute("SELECT term, expansion FROM aliases ORDER BY term, expansion").fetchall())
    return _pairs_cached(rows)


@lru_cache(maxsize=8)
def _by_pinyin(table: tuple[tuple[str, str], ...]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    full: dict[str, list[str]] = {}
    initials: dict[str, list[str]] = {}
    for word in sorted({w for pair in table for w in pair}, key=lambda w: (len(w), w)):
        readings = pinyin._run_readings(word)
        if all(readings):
            full.setdefault("".join(readings), []).append(word)
            initials.setdefault("".join(r[0] for r in readings), []).append(word)
    return full, initials


def spelled(letters: str, table: tuple[tuple[str, str], ...], *, initials: bool = False) -> list[str]:
    """The alias words these letters spell in pinyin (dibao → 低保), or abbreviate (sb → 社保)."""
    return list(_by_pinyin(table)[1 if initials else 0].get(letters, []))


def alternatives(term: str, table: tuple[tuple[str, str], ...]) -> list[str]:
    """Other spellings of a query term: the term with one alias replaced by its expansion (or back)."""
    out: list[str] = []
    for short, long in table:
        if short in term and long not in term:
            alt = term.replace(short, long, 1)
            if alt != term and alt not in out:
                out.append(alt)
                if len(out) >= MAX_ALTERNATIVES:
                    break
    return out
