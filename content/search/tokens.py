"""The CJK bigram tokenizer: turns text into the token string stored in the FTS5 tables.

Written by hand on purpose. SQLite's own tokenizers cannot index two-character Chinese words
(`trigram` never matches under three characters, `unicode61` keeps a whole run of Han characters as one
token), the stdlib `sqlite3` module cannot register a native FTS5 tokenizer, and a dictionary segmenter
(jieba) misses words its dictionary splits differently (measured recall 0.987, precision 0.76 in
../shared/reference/search-sync.md). Overlapping bigrams, as Lucene's CJKAnalyzer does, have perfect
recall with phrase queries. So Python produces the tokens and FTS5 (`ascii`) only splits on spaces.

For a run of Han characters `abcd` the tokens are `ab bc cd d`: every bigram, and the last character on
its own, so that a one-character query `d*` (a prefix query) finds every occurrence of `d`, including at
the end of a run. Letters and digits become lower-case words. Everything else separates runs.
Traditional characters are folded to simplified ones first (`content.search.fold`), full-width letters
and digits to half-width (NFKC), so 舊小區 and ＡＢＣ are indexed and searched as 旧小区 and abc.

Bump TOKENIZER_VERSION whenever the output of `tokens()` changes for any input: the index stamped with
another version is rebuilt when the library opens.
"""

from __future__ import annotations

import re
import unicodedata
from array import array

from content.search.fold import fold

TOKENIZER_VERSION = "cjk-bigram-3"

# CJK Unified Ideographs, Extension A, compatibility ideographs, Extensions B–H, and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"[{HAN}]+|[^\W_{HAN}]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")


def normalize(text: str) -> str:
    """NFKC (full-width letters, digits and brackets become half-width), lower case, simplified."""
    return fold(unicodedata.normalize("NFKC", text).lower())


def runs(text: str) -> list[str]:
    """The text's runs of Han characters and of other letters/digits, normalised, in order."""
    joined = "\x00".join(_RUN.findall(fold(text))).lower()
    if not unicodedata.is_normalized("NFKC", joined):
        # Rare path (full-width letters or digits, compatibility ideographs): normalising may move run
        # boundaries, so split again.
        joined = "\x00".join(_RUN.findall(unicodedata.normalize("NFKC", joined).lower()))
    if not joined.replace("\x00", "").isalnum():
        # Rare path: unassigned code points inside the Han blocks, which FTS5 treats as separators.
        joined = "\x00".join(_RUN.findall("".join(c if c.isalnum() else "\x00" for c in joined)))
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
_NON_TOKEN = re.compile(r"[\W_]+")  # \W also covers unassigned code points, which FTS5 splits on too
_WORD = re.compile(rf"([^\x00{HAN}]+)")  # once separators are \x00, whatever is not Han is a word
_LEADING_SEP_PAIRS = re.compile("\x00[^ ] ")
_MARK = "\ue000"  # stands in for a word during the pairing (private use, so \W: never left in the text)
_MARKED = f"{_SEP}{_MARK}{_SEP}"


def reference_tokens(text: str) -> str:
    """`tokens()` the obvious way, one run at a time (used for unusual text, and to test `tokens()`)."""
    out: list[str] = []
    for run in runs(text):
        out.extend(han_tokens(run) if is_han(run) else [run])
    return " ".join(out)


def tokens(text: str) -> str:
    """The space-separated token string indexed for `text` (see the module docstring).

    Building ~700 bigrams per 2 KB body one Python string at a time costs ~230 µs; here separators are
    collapsed in one regex pass, every adjacent pair is produced at once by interleaving two UTF-32
    arrays, and the pairs that straddle a run boundary are dropped or cut in one more pass. Words
    (letters/digits) stand in as one marker character each during the pairing and are put back in
    order with one split, so they come out whole and in place. Text that NFKC would change takes the
    per-run path.
    """
    collapsed = _NON_TOKEN.sub(_SEP, fold(text))
    if not unicodedata.is_normalized("NFKC", collapsed):
        return reference_tokens(text)
    parts = _WORD.split(collapsed)  # [between, word, between, word, …, between]
    words = [w.lower() for w in parts[1::2]]
    joined = (_MARKED.join(parts[0::2]) if words else collapsed) + _SEP
    codes = array("I")
    codes.frombytes(joined.encode("utf-32-le"))
    n = len(codes) - 1
    if n < 1:
        return ""
    pairs = array("I", bytes(12 * n))
    pairs[0::3] = codes[:-1]
    pairs[1::3] = codes[1:]
    pairs[2::3] = array("I", [32]) * n
    # Pairs that start at a separator go; in pairs that end at one ("X\x00 ") only the separator goes,
    # leaving the run's last character as a unigram. A word's marker is left once, as "M ".
    out = _LEADING_SEP_PAIRS.sub("", pairs.tobytes().decode("utf-32-le")).replace(_SEP, "").rstrip()
    if words:
        pieces = out.split(_MARK)
        merged = [pieces[0]]
        for word, piece in zip(words, pieces[1:], strict=True):
            merged.append(word)
            merged.append(piece)
        out = "".join(merged)
    return out
