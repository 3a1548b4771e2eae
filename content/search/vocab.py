"""The library's words with their pinyin, so pinyin finds words that appear only in bodies (`jiegan` → 秸秆).

Titles and keywords have their own pinyin index (`content.search.pinyin`); bodies are too large to spell
out. Instead the index keeps a vocabulary: every Han bigram of the library (titles, keywords, bodies),
with its pinyin in full (`jiegan`, with the other in-word readings of its polyphones) and its initials
(`jg`), in `search_vocab`. It is built with the index from the bigram tokens already made, and only ever
grows (an update or delete leaves a word behind; a query checks that its words are still in the text).

A pinyin query is read as a chain of bigrams that overlap by one character (地下 + 下水 for `dixiashui`),
each spelled by the next stretch of the letters; chains that occur in the text as a phrase are the words
meant, most documents first. Initials (`mxzz` for 苜蓿种植) are read the same way, but only when few
words fit ("unambiguous enough"): two letters fit hundreds of bigrams, so they are read only as alias
words. Words are read up to 3 characters from full pinyin and 4 from initials: a longer reading has
many chains of common bigrams, and checking that the text holds one that it does not costs a phrase
query over their whole doclists (~10 ms each at 200,000 documents); titles, where the longer names
are, have their own pinyin index.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from content.search import pinyin
from content.search.tokens import bigrams, is_han

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS search_vocab (
        full TEXT NOT NULL,
        word TEXT NOT NULL,
        split INTEGER NOT NULL,
        initials TEXT NOT NULL,
        PRIMARY KEY (full, word)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS search_vocab_word ON search_vocab (word)",
    "CREATE INDEX IF NOT EXISTS search_vocab_initials ON search_vocab (initials, word)",
]
MAX_SYLLABLE = 6  # zhuang
MAX_SPELLED_CHARS = 3  # the longest word read from full pinyin (see above)
MAX_INITIAL_CHARS = 4  # the longest word read from initials
MAX_FRONTIER = 48  # partial chains that occur in the text (more: too ambiguous to be worth it)
MAX_GROWN = 400  # partial chains looked at in one step, before checking which occur
MAX_WORDS = 3  # words a full pinyin query is read as
MAX_INITIAL_WORDS = 2  # more words fitting the initials means ambiguous
MAX_VARIANTS = 2  # other readings of a bigram's polyphones, spelled too
_COUNT_CAP = 10  # documents counted per word to order the words meant (enough to tell rare from common)
MAX_COUNTED = 16  # words counted at most, in the order the letters read them


@dataclass(frozen=True)
class _Link:
    text: str  # the Han characters read so far
    end: int  # letters consumed
    last: int  # where the last character's letters start


def spellings(word: str) -> list[tuple[str, str, int, str]]:
    """(full, word, split, initials) rows of one Han bigram: its reading, then other in-word readings."""
    readings = pinyin._run_readings(word)
    if len(readings) != 2 or not all(readings):
        return []
    initials = readings[0][0] + readings[1][0]
    rows = [("".join(readings), word, len(readings[0]), initials)]
    for i, char in enumerate(word):
        for other in pinyin._char_readings(char)[:MAX_VARIANTS]:
            if other == readings[i] or not other:
                continue
            pair = (other, readings[1]) if i == 0 else (readings[0], other)
            # Initials keep the word's own reading: a rare reading's initial (系 ji) only adds noise.
            rows.append(("".join(pair), word, len(pair[0]), initials))
    return list(dict.fromkeys(rows))[: 1 + MAX_VARIANTS]


def add(db: Database, tokens: Iterable[str]) -> None:
    """Add the Han bigrams among `tokens` that the vocabulary does not hold yet (in the caller's
    transaction). Only new words are spelled: the vocabulary is read back, not kept in memory."""
    # tokens() makes every two-character non-ASCII token of Han characters (but for rare scripts with
    # letters, which have no pinyin and are skipped below); str.isascii is ~10× cheaper than a regex.
    words = [t for t in tokens if len(t) == 2 and not t.isascii()]
    if not words:
        return
    new = db.execute(
        "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT word FROM search_vocab)",
        [json.dumps(words, ensure_ascii=False)],
    ).fetchall()
    rows = [row for (word,) in new for row in spellings(word)]
    db.conn.executemany(
        "INSERT OR IGNORE INTO search_vocab (full, word, split, initials) VALUES (?, ?, ?, ?)", rows
    )


def _next_char(char: str) -> str:
    return chr(ord(char) + 1)


def _spelled_links(db: Database, letters: str, link: _Link | None) -> list[_Link]:
    """The chains one bigram longer than `link` whose spelling continues the letters."""
    start = 0 if link is None else link.last
    prefixes = [letters[start:k] for k in range(start + 2, min(len(letters), start + 2 * MAX_SYLLABLE) + 1)]
    if link is None:
        rows = db.execute(
            f"SELECT word, full, split FROM search_vocab WHERE full IN ({','.join('?' * len(prefixes))})",
            prefixes,
        ).fetchall()
    else:
        last = link.text[-1]
        rows = db.execute(
            f"SELECT word, full, split FROM search_vocab WHERE full IN ({','.join('?' * len(prefixes))}) "
            "AND word >= ? AND word < ? AND split = ?",
            [*prefixes, last, _next_char(last), link.end - link.last],
        ).fetchall()
    out = []
    for word, full, split in rows:
        text = word if link is None else link.text + word[1]
        out.append(_Link(text, start + len(full), start + split))
    return out


def _initial_links(db: Database, letters: str, link: _Link | None) -> list[_Link]:
    """The chains one bigram longer than `link` whose initials continue the letters."""
    start = 0 if link is None else link.end - 1
    wanted = letters[start : start + 2]
    if len(wanted) < 2:
        return []
    if link is None:
        rows = db.execute(
            "SELECT DISTINCT word FROM search_vocab WHERE initials = ? LIMIT ?", [wanted, MAX_FRONTIER + 1]
        ).fetchall()
        return [_Link(w, 2, 1) for (w,) in rows]
    last = link.text[-1]
    rows = db.execute(
        "SELECT DISTINCT word FROM search_vocab WHERE initials = ? AND word >= ? AND word < ? LIMIT ?",
        [wanted, last, _next_char(last), MAX_FRONTIER + 1],
    ).fetchall()
    return [_Link(link.text + w[1], link.end + 1, link.end) for (w,) in rows]


def _chains(db: Database, letters: str, step, initials: bool, max_chars: int) -> list[str] | None:
    """Every chain that reads all the letters; None when there are too many to choose from."""
    done: list[str] = []
    frontier: list[_Link | None] = [None]
    while frontier:
        grown: list[_Link] = []
        for link in frontier:
            grown.extend(step(db, letters, link))
            if len(grown) > MAX_GROWN:
                return None
        if initials or len(grown) > MAX_FRONTIER:
            # Any two bigrams that share a character chain up; keep the chains the text really holds
            # (for pinyin only when there are many: a check is a phrase query, up to ~10 ms at 200,000
            # documents; initials fit so many chains that they are always checked).
            grown = [link for link in grown if len(link.text) < 3 or _occurs(db, link.text)]
        if len(grown) > MAX_FRONTIER:
            return None
        frontier = []
        for link in grown:
            if link.end == len(letters):
                done.append(link.text)
            elif len(link.text) < max_chars and link.end < len(letters):
                frontier.append(link)
        if initials and len(done) > MAX_FRONTIER:
            return None
    return list(dict.fromkeys(done))


def _occurs(db: Database, text: str) -> bool:
    try:
        return bool(
            db.execute(
                "SELECT 1 FROM search_text WHERE search_text MATCH ? LIMIT 1",
                ['"' + " ".join(bigrams(text)) + '"'],
            ).fetchone()
        )
    except sqlite3.OperationalError:
        return False


def _in_text(db: Database, words: list[str]) -> list[str]:
    """The words that occur in the library as written, most documents first (counted up to a cap).

    Without a word list, bigrams that straddle two words (的保 in 我市的保障, 销渠 in 营销渠道) are in the
    vocabulary too; they are rarer than the word spelled the same, so a word found in fewer than half
    as many documents as the best one is dropped, and so is one starting with 的 (never a word's start
    but in 的确)."""
    counted = []
    for word in words[:MAX_COUNTED]:
        if word.startswith("的"):
            continue
        expression = '"' + " ".join(bigrams(word)) + '"'
        try:
            (n,) = db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_text WHERE search_text MATCH ? LIMIT ?)",
                [expression, _COUNT_CAP],
            ).fetchone()
        except sqlite3.OperationalError:
            n = 0
        if n:
            counted.append((-n, word))
    counted.sort()
    return [w for n, w in counted if 2 * -n >= -counted[0][0]]


def spelled_words(db: Database, letters: str, titles: Iterable[str] = ()) -> list[str]:
    """The library's words these letters spell in full pinyin, most documents first, at most
    `MAX_WORDS`. Those in `titles` (the titles the query's pinyin matched) are the ones meant: shengyu
    is 生育 of 生育登记 there, however many bodies say 剩余."""
    if not 4 <= len(letters) <= MAX_SPELLED_CHARS * MAX_SYLLABLE:
        return []
    spelled = _chains(db, letters, _spelled_links, initials=False, max_chars=MAX_SPELLED_CHARS) or []
    titles = list(titles)
    named = [w for w in spelled if any(w in title for title in titles)]
    return _in_text(db, named or spelled)[:MAX_WORDS]


def initial_words(db: Database, letters: str) -> list[str]:
    """The library's words these letters are the initials of, when that is unambiguous enough: at most
    `MAX_INITIAL_WORDS` words fit (after the rarer readings of a spelling are dropped, see `_in_text`)."""
    if not 3 <= len(letters) <= MAX_INITIAL_CHARS:  # two letters fit a few hundred bigrams
        return []
    candidates = _chains(db, letters, _initial_links, initials=True, max_chars=MAX_INITIAL_CHARS)
    if not candidates or len(candidates) > MAX_COUNTED:
        return []
    found = _in_text(db, candidates)
    return found if len(found) <= MAX_INITIAL_WORDS else []


def spelled_alike(db: Database, word: str) -> list[str]:
    """Other words of the library with the same pinyin as `word` (秸杆 → 秸秆): a typo's likely meaning."""
    full = "".join(pinyin._run_readings(word)) if is_han(word) else ""
    if len(full) < 4:
        return []
    spelled = _chains(db, full, _spelled_links, initials=False, max_chars=MAX_SPELLED_CHARS) or []
    return _in_text(db, [w for w in spelled if w != word and len(w) == len(word)])[:MAX_WORDS]
