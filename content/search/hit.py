"""A search result as the CLI's JSON and the touch UI show it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Hit:
    id: str
    kind: str  # document / interpretation / notice / guide
    title: str
    doc_number: str  # for a 解读, the 文号 of the document it interprets
    date: str
    snippet: str  # HTML: escaped text, matches in <mark>…</mark>
    score: float  # higher is better
    title_html: str = ""  # the title, escaped, matches marked
    match: str = ""  # why it matched: docnum, title-3, text-1, pinyin, guide-3, …
    meant: str = ""  # the library words a pinyin query was read as (秸秆 for jiegan), for 您要找的是不是

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
