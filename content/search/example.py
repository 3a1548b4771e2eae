"""The 拼音首字母 keypad's example, taken from the library that is loaded: a word of a title whose initials,
typed on the keypad, find that title first. A fixed example ("jyxsh 查找“就业形势”") promises what
another library may not hold; this one is checked by running the search it shows.

Candidates are words residents know: the alias table's words that occur in titles (最低生活保障,
高龄津贴), then the first four characters of a title's Han runs once a place or year and a leading
关于/印发 are cut (定州市2022年老旧小区改造… gives 老旧小区). Guides come first, then the newest items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from content.search import aliases
from content.search.engine import search
from content.search.pinyin import _initials, _run_readings
from content.search.tokens import is_han, runs

MAX_TITLES = 60
MAX_TRIES = 24
WORD_CHARS = 4
_LEADING = re.compile(r"^(?:\w{2}[省市县](?=\w{4}))?(?:[年市县区乡镇村]|关于|印发|做好|加强|进一步)*")


@dataclass(frozen=True)
class Example:
    letters: str  # what to tap: zdshbz
    word: str  # what it finds: 最低生活保障


def _initials_of(word: str) -> str:
    readings = _run_readings(word)
    return _initials(readings) if all(readings) else ""


def _candidates(db: Database) -> list[str]:
    titles = [
        title
        for (title,) in db.execute(
            "SELECT i.title FROM items i JOIN search_docs d ON d.rowid = i.rowid AND d.item_id = i.id "
            "ORDER BY i.kind = 'guide' DESC, i.rowid DESC LIMIT ?",
            [MAX_TITLES],
        )
    ]
    # Four letters are quick to tap and still find one title; then three, five, six.
    words = sorted(
        {w for pair in aliases.pairs(db) for w in pair if 3 <= len(w) <= 6},
        key=lambda w: (abs(len(w) - 4.2), w),
    )
    found = [w for w in words if any(w in title for title in titles)]
    for title in titles:
        for run in runs(title):
            word = _LEADING.sub("", run)[:WORD_CHARS]
            if len(word) == WORD_CHARS and is_han(word):
                found.append(word)
    return list(dict.fromkeys(found))


def initials_example(db: Database) -> Example | None:
    """A word of a title and its initials that find it first, or None (an empty library)."""
    for word in _candidates(db)[:MAX_TRIES]:
        letters = _initials_of(word)
        if len(letters) < 3:
            continue
        hits = search(db, letters, limit=1)
        if hits and word in hits[0].title:
            return Example(letters, word)
    return None
