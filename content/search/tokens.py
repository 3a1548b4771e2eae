"""The CJK bigram tokenizer: turns text into the token string stored in the FTS5 `unicode61` table.

Written by hand on purpose. SQLite's own tokenizers cannot index two-character Chinese words
(`trigram` never matches under three characters, `unicode61` keeps a whole run of Han characters as one
token), the stdlib `sqlite3` module cannot register a native FTS5 tokenizer, and a dictionary segmenter
(jieba) misses words its dictionary splits differently (measured recall 0.987, precision 0.76 in
../shared/reference/search-sync.md). Overlapping bigrams, as Lucene's CJKAnalyzer does, have perfect
recall with phrase queries. So Python produces the tokens and FTS5 `unicode61` only splits on spaces.

For a run of Han characters `abcd` the tokens are `ab bc cd d`: every bigram, and the last character on
its own, so that a one-character query `d*` (a prefix query) finds every occurrence of `d`, including at
the end of a run. Letters and digits become lower-case words. Everything else separates runs.

Bump TOKENIZER_VERSION whenever the output of `tokens()` changes for any input: the index stamped with
another version is rebuilt when the library opens.
"""

from __future__ import annotations

import re
import unicodedata
from array import array

TOKENIZER_VERSION = "cjk-bigram-2"

# CJK Unified Ideographs, Extension A, compatibility ideographs, Extensions B–H, and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"[{HAN}]+|[^\W_{HAN}]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")


def normalize(text: str) -> str:
    """NFKC (full-width letters, digits and brackets become half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[str]:
    """The text's runs of Han characters and of other letters/digits, normalised, in order."""
    joined = "\x00".join(_RUN.findall(text)).lower()
    if not unicodedata.is_normalized("NFKC", joined):
        # Rare path (full-width letters or digits, compatibility ideographs): normalising may move run
        # boundaries, so split again.
        return _RUN.findall(unicodedata.normalize("NFKC", joined).lower())
    return joined.split("\x00") if joined else []


def is_han(text: str) -> bool:
    return bool(_HAN_RUN.fullmatch(text))


def bigrams(run: str) -> list[str]:
    """The bigram phrase a query's Han run must match (a lone character stays itself)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def han_tokens(run: str) -> list[str]:
    """What `tokens()` produces for one Han run: its bigrams and its last character."""
    return [run] if len(run) == 1 else [*bigrams(run), run[-1]]


_SEP = "\x00"
_PAIR_FIXUPS = re.compile("\x00[^ ] |([^ ])\x00 ")
_PUA = 0xF0000  # Supplementary Private Use Area-A: placeholders for non-Han words (never in runs)
_PUA_CHAR = re.compile("[\U000f0000-\U000ffffd]")


def tokens(text: str) -> str:
    """The space-separated token string indexed for `text` (see the module docstring).

    Building ~700 bigrams per 2 KB body one Python string at a time costs ~230 µs; here every adjacent
    pair is produced at once by interleaving two UTF-32 arrays (~25 µs), then the pairs that straddle a
    run boundary are fixed up with one regex pass. Words (letters/digits) stand in as one placeholder
    character each during the pairing, so they come out whole and in place.
    """
    found = runs(text)
    if not found:
        return ""
    words: list[str] = []
    for i, run in enumerate(found):
        if not _HAN_RUN.match(run):
            if len(words) >= 0xFFFD:  # absurd input: keep the remaining words out of the pairing
                found = found[:i]
                break
            found[i] = chr(_PUA + len(words))
            words.append(run)
    joined = _SEP.join(found) + _SEP
    codes = array("I")
    codes.frombytes(joined.encode("utf-32-le"))
    n = len(codes) - 1
    pairs = array("I", bytes(12 * n))
    pairs[0::3] = codes[:-1]
    pairs[1::3] = codes[1:]
    pairs[2::3] = array("I", [32]) * n
    out = _PAIR_FIXUPS.sub(lambda m: m[1] + " " if m[1] else "", pairs.tobytes().decode("utf-32-le")).rstrip()
    if words:
        out = _PUA_CHAR.sub(lambda m: words[ord(m[0]) - _PUA], out)
    return out
