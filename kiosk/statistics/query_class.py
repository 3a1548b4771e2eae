"""How a search was typed, as the records and staff's 无结果搜索 chart name it: never what was typed.

`doc_number` a 文号 (定政发〔2022〕7号), `question` a question as residents ask it (怎么办低保), `letters`
pinyin or its initials (guotulvhua, gtlh), `words` Chinese words (秸秆禁烧), `other` anything else
(digits, punctuation, a mix). The classes are `content.record_schema.QUERY_CLASSES`, named for staff in
`kiosk.statistics.report.CLASS_NAMES`.
"""

from __future__ import annotations

import re
import unicodedata

from content.search import docnum, question

_LETTERS = re.compile(r"[A-Za-z\s']+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\s]+")


def classify(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip()
    if docnum.find_in_query(folded) is not None:
        return "doc_number"
    if question.read(folded).text != folded:
        return "question"
    if _LETTERS.fullmatch(folded):
        return "letters"
    if _HAN.fullmatch(folded):
        return "words"
    return "other"
