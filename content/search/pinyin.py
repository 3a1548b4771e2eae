"""Pinyin spellings of titles and keywords, so `guotulvhua` and `gtlh` find 国土绿化.

pypinyin does the reading (with its phrase dictionary, so 银行 is yin hang and 重庆 chong qing). What is
indexed per title is two strings for an FTS5 `trigram` table, which matches any substring of three or
more letters: the full spelling without tones (`guotulvhua…`, ü as v, as keyboards type it) and the
initials (`gtlh…`). Runs of Han characters are separated by a space so a match never spans punctuation.

Heteronyms: pypinyin picks one reading per character from context, which is usually what people type,
but not always. For a character with other readings (行 xing/hang, 长 chang/zhang, 重 zhong/chong), a
short window around it (two characters either side) is added again with the other reading, at most
`MAX_VARIANTS` windows per title: a query that uses the other reading still matches, without the
combinatorial blow-up of spelling out every combination.

pypinyin costs ~0.25 ms per title; readings are cached per run of Han characters (titles repeat the
same runs: 定州市人民政府办公室关于印发, 的通知), which keeps bulk imports fast.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.constants import PHRASES_DICT

from content.search.tokens import _HAN_RUN, runs

MAX_VARIANTS = 4
WINDOW = 2
_LETTERS = re.compile(r"[a-zü]+")


@lru_cache(maxsize=65536)
def _run_readings(run: str) -> tuple[str, ...]:
    """One reading per character of a Han run (phrase-aware), without tones, ü written v."""
    out = lazy_pinyin(run, style=Style.NORMAL, v_to_u=False, errors=lambda chars: ["" for _ in chars])
    # `errors` yields nothing for characters pypinyin has no reading for; keep positions aligned.
    if len(out) != len(run):
        out = [(lazy_pinyin(ch, style=Style.NORMAL, errors=lambda c: [""]) or [""])[0] for ch in run]
    return tuple(out)


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFKD", syllable.replace("ü", "v"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _phrase_readings() -> dict[str, frozenset[str]]:
    """Readings each character takes inside real words (pypinyin's phrase dictionary).

    pypinyin lists rare readings for many characters (市 fu, 于 xu); only readings that occur in words
    are worth a variant, so they do not crowd out the useful ones (行 hang, 长 zhang, 重 chong)."""
    seen: dict[str, set[str]] = {}
    for phrase, readings in PHRASES_DICT.items():
        if len(phrase) != len(readings):
            continue
        for char, options in zip(phrase, readings, strict=True):
            seen.setdefault(char, set()).update(_toneless(o) for o in options)
    return {char: frozenset(r) for char, r in seen.items() if len(r) > 1}


@lru_cache(maxsize=32768)
def _char_readings(char: str) -> tuple[str, ...]:
    """The readings of a character that occur in words, without tones (empty when it has one)."""
    in_words = _phrase_readings().get(char)
    if not in_words:
        return ()
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda c: [[""]])
    ordered = [r for r in (found[0] if found else []) if r in in_words]
    return tuple(dict.fromkeys(ordered + sorted(in_words)))


def _initials(readings: tuple[str, ...] | list[str]) -> str:
    return "".join(r[0] for r in readings if r)


@lru_cache(maxsize=65536)
def _spell_run(run: str) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """Full spelling, initials, and heteronym window variants (full, initials) of one Han run."""
    readings = _run_readings(run)
    initials = _initials(readings)
    variants_full: list[str] = []
    variants_initials: list[str] = []
    for i, char in enumerate(run):
        others = [r for r in _char_readings(char) if r != readings[i]]
        if not others:
            continue
        lo, hi = max(0, i - WINDOW), min(len(run), i + WINDOW + 1)
        window = [*readings[lo:i], others[0], *readings[i + 1 : hi]]
        variants_full.append("".join(window))
        window_initials = _initials(window)
        if window_initials not in initials:
            variants_initials.append(window_initials)
    return "".join(readings), initials, tuple(variants_full), tuple(variants_initials)


def spell(text: str) -> tuple[str, str]:
    """(full, initials) of `text` for the pinyin index; empty strings when it has no Han characters."""
    full: list[str] = []
    initials: list[str] = []
    variants_full: list[str] = []
    variants_initials: list[str] = []
    for run in runs(text):
        if _HAN_RUN.match(run):
            run_full, run_initials, run_variants_full, run_variants_initials = _spell_run(run)
            full.append(run_full)
            initials.append(run_initials)
            variants_full.extend(run_variants_full)
            variants_initials.extend(run_variants_initials)
    full.extend(variants_full[:MAX_VARIANTS])
    initials.extend(dict.fromkeys(variants_initials[:MAX_VARIANTS]))
    return " ".join(full), " ".join(initials)


def query_letters(text: str) -> str:
    """The letters of a query that may be pinyin (`guo tu lv hua` → `guotulvhua`), or '' if it is not.

    A pinyin query is made of Latin letters and spaces only (ü typed as v or ü)."""
    letters = runs(text)
    if not letters or not all(_LETTERS.fullmatch(r) for r in letters):
        return ""
    return "".join(letters).replace("ü", "v")
