"""Low-level text clean-up for print-converted gazette markdown: spaces, brackets, numbers and dates.

The gazette is typeset for print and then converted to markdown, which leaves stray spaces inside
words (``节能减排综合 实施方案``, ``陈 凯``, ``解 读``), spaces inside numbers (``〔2022〕3 号``,
``2022 年 4 月 22 日``) and half-width brackets and punctuation next to Chinese text. These helpers
undo that. They are pure string functions with linear-time regular expressions (no nested
quantifiers), so arbitrary input can never make them hang.
"""

from __future__ import annotations

import re
from datetime import date

# CJK ideographs (basic + extension A + compatibility) and the full-width punctuation that sits
# between them in running text.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_CJK_RE = re.compile(f"[{CJK}]")
_WIDE = f"{CJK}{CJK_PUNCT}"

CN_NUMERAL = "一二三四五六七八九十百零〇两"

# A space run with a CJK character (or full-width punctuation) on one side and any visible
# character on the other is a typesetting artefact: Chinese text has no word spaces.
_SPACE_NEAR_WIDE = re.compile(f"(?<=[{_WIDE}])[ \u3000\u00a0]+(?=\\S)|(?<=\\S)[ \u3000\u00a0]+(?=[{_WIDE}])")
_MULTI_SPACE = re.compile(r"[ \u3000\u00a0]{2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\ufeff]")

_DOC_NUMBER = re.compile(
    r"^(?P<prefix>[^\s\d〔〕\[\]［］()（）]{1,16}?)\s*(?P<open>[〔\[［(（])\s*(?P<year>(?:19|20)\d{2})\s*"
    r"(?P<close>[〕\]］)）])\s*(?P<num>\d{1,4})\s*号$"
)
_CN_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_SPACED_DATE = re.compile(r"\b((?:19|20)\d{2}) ?- ?(\d{1,2}) ?- ?(\d{1,2})\b")
_PAREN_PAIR = re.compile(r"\(([^()\n]{0,120})\)")


def clean_input(text: str) -> str:
    """Normalise line ends, drop control and zero-width characters, expand full-width spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.replace("\u3000", " ").replace("\u00a0", " ")


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def is_cjk_char(ch: str) -> bool:
    return bool(ch) and _CJK_RE.match(ch) is not None


def squeeze_spaces(text: str) -> str:
    """Remove spaces next to CJK characters (``省 委`` → ``省委``, ``2022 年`` → ``2022年``)."""
    text = _SPACE_NEAR_WIDE.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def squeeze_list_spaces(text: str) -> str:
    """For lists of names and positions, where a space separates columns (``张才芳 市委副书记``):
    join only letter-spaced words (``陈 凯``, ``组 长``), keep the column spaces."""
    tokens = text.split()
    if not tokens:
        return ""
    out = [tokens[0]]
    for tok in tokens[1:]:
        prev = out[-1]
        tok_single = len(tok) == 1 and is_cjk_char(tok)
        prev_single = len(_last_word(prev)) == 1 and is_cjk_char(tok[0])
        if tok_single or prev_single:
            out[-1] = prev + tok
        else:
            out.append(tok)
    return " ".join(out)


def _last_word(token: str) -> str:
    """The trailing run of CJK ideographs of a token (``员：李`` → ``李``)."""
    i = len(token)
    while i > 0 and is_cjk_char(token[i - 1]):
        i -= 1
    return token[i:]


def wide_brackets(text: str) -> str:
    """Half-width brackets and punctuation next to Chinese text become full-width, as printed."""

    def pair(m: re.Match[str]) -> str:
        inner = m.group(1)
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if has_cjk(inner) or any(is_cjk_char(c) or c in "，。、；：" for c in before + after):
            return f"（{inner}）"
        return m.group(0)

    text = _PAREN_PAIR.sub(pair, text)
    # a bracket whose partner was printed full-width: （市科技局、市市场监管局)
    text = re.sub(f"(?<=[{_WIDE}])\\)", "）", text)
    text = re.sub(f"\\((?=[{CJK}])", "（", text)
    text = re.sub(f"(?<=[{_WIDE}]),|,(?=[{_WIDE}])", "，", text)
    text = re.sub(f"(?<=[{_WIDE}]);|;(?=[{_WIDE}])", "；", text)
    text = re.sub(f"(?<=[{CJK}]):|:(?=[{CJK}])", "：", text)
    return text


def clean_inline(text: str) -> str:
    """The clean-up applied to a paragraph, heading or title: squeeze spaces, widen brackets."""
    text = _SPACED_DATE.sub(r"\1-\2-\3", text)
    return squeeze_spaces(wide_brackets(text))


def clean_title(text: str) -> str:
    """A title as printed: markdown marks stripped, no stray spaces, full-width brackets."""
    text = re.sub(r"^#{1,6}\s*", "", text.strip())
    text = text.replace("**", "").strip()
    return clean_inline(text)


def normalise_doc_number(text: str) -> str | None:
    """``定政发字〔2022〕3 号`` → ``定政发字〔2022〕3号``; None when the text is not a 文号."""
    m = _DOC_NUMBER.match(text.strip().replace("**", ""))
    if not m:
        return None
    prefix = re.sub(r"\s+", "", m.group("prefix"))
    if not has_cjk(prefix):
        return None
    return f"{prefix}{m.group('open')}{m.group('year')}{m.group('close')}{int(m.group('num'))}号"


def parse_cn_date(text: str) -> str | None:
    """The first ``2022 年 4 月 22 日`` in the text as ISO ``2022-04-22`` (None if none or invalid)."""
    m = _CN_DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        return None


def is_date_line(text: str) -> bool:
    """A line that is only a date (the issue date under a 文号, or under a signature)."""
    s = text.strip().replace("**", "")
    m = _CN_DATE.fullmatch(s)
    return m is not None and parse_cn_date(s) is not None


def match_key(text: str) -> str:
    """A key for comparing titles: no spaces, markdown marks, bracket or quote variants."""
    text = re.sub(r"^#{1,6}", "", text.strip()).replace("**", "")
    text = re.sub(r"\s+", "", text)
    table = str.maketrans(
        {"(": "（", ")": "）", "[": "〔", "]": "〕", '"': "“", "'": "‘", "”": "“", "’": "‘"}
    )
    return text.translate(table)
