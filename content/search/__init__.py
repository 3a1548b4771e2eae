"""Chinese search over the offline library: documents, 解读, notices and service guides.

`search(db, query, limit)` returns ranked `Hit`s; `suggestions(db, query)` offers other queries and
documents (`Suggestion`) when nothing matched. Two-character words and phrases (CJK bigrams in FTS5, `content.search.tokens`), pinyin in full
and initials (`content.search.pinyin`), 文号 in any typed form (`content.search.docnum`), abbreviations
(`content.search.aliases`), several terms with closer ones ranked higher (`content.search.query`),
BM25 with title hits first (`content.search.engine`), pinyin of words anywhere (`content.search.vocab`),
questions (`content.search.question`), traditional characters (`content.search.fold`). The index lives in
`content.search.index`.
"""

from __future__ import annotations

from content.search.engine import search
from content.search.hit import Hit
from content.search.suggest import Suggestion, suggest, suggestions

__all__ = ["Hit", "Suggestion", "search", "suggest", "suggestions"]
