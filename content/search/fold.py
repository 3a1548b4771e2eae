"""Folding traditional characters to simplified ones, so 舊小區 finds 旧小区 (and a traditional text is
found by a simplified query). Applied to what is indexed and to what is typed, before tokenizing.

The table is OpenCC's `TSCharacters.txt` (traditional → simplified, one character each way), read from
the `opencc-python-reimplemented` package's bundled copy of OpenCC's dictionaries (nothing is
downloaded). Only characters that are never simplified forms themselves are folded, each to OpenCC's
first choice: 後 → 后, 區 → 区, 發 → 发, but 乾 (乾坤), 著 (著作) and 麽 stay, since a simplified text
uses them as they are and folding them would also change their pinyin. One character becomes one, so
positions in the text do not move. Full-width letters and digits are folded by NFKC in `tokens`.

`TABLE_VERSION` names the data: it is part of the index stamp, so a new table rebuilds the index.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import metadata

DISTRIBUTION = "opencc-python-reimplemented"
_DICTIONARY = "opencc/dictionary/TSCharacters.txt"


def _read() -> str:
    return metadata.distribution(DISTRIBUTION).locate_file(_DICTIONARY).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def table() -> dict[int, str]:
    """Code point of a traditional-only character → its simplified form."""
    pairs: dict[str, str] = {}
    simplified: set[str] = set()
    for line in _read().splitlines():
        source, _, targets = line.partition("\t")
        choices = targets.split()
        if len(source) != 1 or not choices or any(len(c) != 1 for c in choices):
            continue
        simplified.update(choices)
        if choices[0] != source:
            pairs[source] = choices[0]
    return {ord(t): s for t, s in pairs.items() if t not in simplified}


# Characters outside the BMP (Extension B on) are looked for as one range: a character class listing
# any of them makes `re` test each listed character in turn (~650 ns per character of text, against ~3 ns
# for a class of BMP characters alone, which `re` compiles to a bitmap).
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table()) if c < 0x10000) + "]")


def fold(text: str) -> str:
    """`text` with traditional-only characters replaced by their simplified forms (same length).

    The usual text has none: two regex scans (~7 µs for 2 KB) are far cheaper than translating
    (~135 µs)."""
    if _pattern().search(text) is None and _ASTRAL.search(text) is None:
        return text
    return text.translate(table())


TABLE_VERSION = f"opencc-ts-{metadata.version(DISTRIBUTION)}"
