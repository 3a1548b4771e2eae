"""文号 (document numbers) in any form a resident types, normalised so they can be looked up exactly.

A 文号 is an issuer prefix, a year and a serial number: 定政发字〔2022〕3号. People type it with half-width
or full-width brackets, square brackets, parentheses, no brackets at all, spaces anywhere, with or without
the 字 that some series carry (定政办字 vs 定政办), and without 号. All of these normalise to the printed
form with 〔〕 and no spaces. Two keys are kept: the exact one (字 as written) and a loose one without a
trailing 字, because people drop it; exact matches rank first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from content.search.tokens import HAN

_OPEN = r"\[\(〔【［（{<《〈「『"
_CLOSE = r"\]\)〕】］）}>》〉」』"
_DOCNUM = re.compile(
    rf"(?P<prefix>[{HAN}]{{1,16}})?\s*"
    rf"(?P<open>[{_OPEN}])?\s*(?P<year>(?:19|20)\d{{2}})\s*(?P<close>[{_CLOSE}])?\s*"
    rf"(?:第\s*)?(?P<number>\d{{1,5}})\s*(?P<hao>号)?"
)


@dataclass(frozen=True)
class DocNumber:
    prefix: str  # 定政发字 (may be empty when only 〔2022〕7号 was typed)
    year: int
    number: int

    @property
    def exact(self) -> str:
        """The printed form: 定政发字〔2022〕3号."""
        return f"{self.prefix}〔{self.year}〕{self.number}号"

    @property
    def loose(self) -> str:
        """The printed form without a trailing 字 on the prefix: 定政发〔2022〕3号."""
        prefix = self.prefix[:-1] if self.prefix.endswith("字") and len(self.prefix) > 1 else self.prefix
        return f"{prefix}〔{self.year}〕{self.number}号"

    @property
    def year_number(self) -> str:
        """The start of `key`: all series' documents with this year and number sort together."""
        return f"{self.year}-{self.number}|"

    @property
    def key(self) -> str:
        """The indexed lookup key: year, number, prefix without a trailing 字 (2022-3|定政发)."""
        prefix = self.prefix[:-1] if self.prefix.endswith("字") and len(self.prefix) > 1 else self.prefix
        return f"{self.year_number}{prefix}"


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse(text: str) -> DocNumber | None:
    """A 文号 as stored in the library (the whole string must be one, with a prefix)."""
    m = _DOCNUM.fullmatch(_clean(text))
    if not m or not m["prefix"]:
        return None
    return DocNumber(m["prefix"], int(m["year"]), int(m["number"]))


def find_in_query(text: str) -> DocNumber | None:
    """The 文号 inside what a resident typed, if the query holds one.

    Accepted: a Han prefix of two or more characters followed by a year and a number (定政发2022 7号,
    定政发[2022]7, 关于定政发〔2022〕7号的解读), or, without a prefix, a bracketed year and a number with
    号 (〔2022〕7号). A bare "2022 7" is not a 文号. The prefix may carry extra leading words; `prefixes()`
    gives the candidates to look up.
    """
    cleaned = _clean(text)
    for m in _DOCNUM.finditer(cleaned):
        prefix = m["prefix"] or ""
        if len(prefix) >= 2:
            return DocNumber(prefix, int(m["year"]), int(m["number"]))
        if m["open"] and m["close"] and m["hao"]:
            return DocNumber("", int(m["year"]), int(m["number"]))
    return None


def candidates(found: DocNumber) -> list[DocNumber]:
    """Lookup candidates, longest prefix first: 关于定政发 → 关于定政发, 于定政发, 定政发, 政发."""
    if not found.prefix:
        return []
    return [DocNumber(found.prefix[i:], found.year, found.number) for i in range(0, len(found.prefix) - 1)]
