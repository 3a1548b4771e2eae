"""Turn the lines of one gazette document (as converted from print) into clean markdown.

Written by hand because no markdown or PDF library knows this format: the converter left heading
levels that follow font sizes rather than structure, paragraphs cut in two at page breaks, page
headers, letter-spaced words and tables as tab-separated lines. What this module does, in order:

1. split the lines into blocks (paragraphs, headings, list items, tab-separated table rows);
2. decide which blocks are headings, from the numbering printed in the text (``一、``, ``（一）``,
   ``1.``, ``5.1``, ``附录 A``) rather than from the converter's ``#`` marks, which are only a hint;
3. join paragraphs cut by a page break (the first part ends mid-sentence, the second does not start
   a new item);
4. give headings levels from their numbering depth, starting at ``##`` (the title is the item's);
5. render tables as markdown tables, merging a table continued on the next page.

Everything is linear in the input; no regular expression has nested quantifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from content.gazette_text import (
    CJK,
    CN_NUMERAL,
    clean_inline,
    has_cjk,
    is_cjk_char,
    squeeze_list_spaces,
    wide_brackets,
)

_CN = f"[{CN_NUMERAL}]{{1,4}}"
_MARKERS: list[tuple[str, re.Pattern[str], int]] = [
    ("article", re.compile(f"^第{_CN}条"), 0),
    ("chapter", re.compile(f"^第{_CN}[章部篇]"), 1),
    ("cn", re.compile(f"^{_CN}、"), 1),
    ("paren", re.compile(f"^[（(]\\s*{_CN}\\s*[）)]"), 2),
    ("pnum", re.compile(r"^[（(]\d{1,2}[）)]"), 4),
    ("num", re.compile(r"^\d{1,2}\s*(?:[.．](?!\d)|、)"), 3),
    ("appendix", re.compile(r"^附\s*录\s*[A-Z]\b"), 1),
    ("annex", re.compile(r"^附\s*件\s*\d{0,2}$"), 0),
    ("clause", re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,4}|[A-Z](?:\.\d{1,2}){1,4})\s+\S"), 0),
]
_CLAUSE_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,4}|[A-Z](?:\.\d{1,2}){1,4})")
_BOLD_ARTICLE = re.compile(f"^\\*\\*第{_CN}条\\*\\*")
_LIST_NUMBER = re.compile(r"^\d{1,2}\. (?=\S)")
_SPACED_CLAUSE = re.compile(r"^((?:[A-Z]|\d{1,2})(?:\.\d{1,2}){0,4})\. (?=\d)")
_DOT_LEADER = re.compile(r"^(?P<text>\S.*?)\s*(?:\.{3,}|…{2,})\s*(?P<page>[IVXLC\d]{1,6})\s*$")
_TITLE_NOUNS = (
    "方案",
    "规划",
    "名单",
    "目录",
    "名录",
    "办法",
    "措施",
    "计划",
    "指南",
    "意见",
    "通知",
    "表",
    "前言",
    "目次",
    "规定",
    "细则",
    "决定",
    "报告",
)
_TERMINAL = set("。！？；：!?;:…")
_OPEN = "（(《“‘【〔[<＜"
_CLOSE = "）)》”’】〕]>＞"
_CONTINUES = set("，、,") | set(_OPEN)
_STARTS_CONTINUATION = set("，。、；：）》”%,;:)")
_PARTICLES = set("的地得了着之等")
_LABEL = re.compile(f"^[{CJK}]{{2,8}}[：:]")
_ANNEX_LIST = re.compile(r"^附\s*件\s*[：:]\s*(?P<rest>.+)$")
_ANNEX_SPLIT = re.compile(r"(?:^|\s)\d{1,2}\s*[.．、]\s*")


@dataclass
class Block:
    kind: str  # para / heading / list / table
    lines: list[str] = field(default_factory=list)  # para: text lines joined by hard breaks
    src_level: int = 0  # the converter's heading level (number of #), 0 if none
    bold: bool = False
    marker: str = ""
    depth: int | None = None
    rows: list[list[str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass
class Body:
    markdown: str
    annexes: list[str]


def marker_of(text: str) -> tuple[str, int] | None:
    for name, pattern, depth in _MARKERS:
        if pattern.match(text):
            if name == "clause":
                number = _CLAUSE_NUMBER.match(text)
                parts = number.group(0).count(".") + 1 if number else 1
                return name, min(parts, 4)
            return name, depth
    return None


def _normalise_marker(text: str) -> str:
    """``(二) 多园`` → ``（二）多园``; ``D. 4. 4. 2`` → ``D.4.4.2``."""
    text = re.sub(f"^[（(]\\s*({_CN}|\\d{{1,2}})\\s*[）)]\\s*", r"（\1）", text)
    while _SPACED_CLAUSE.match(text):
        text = _SPACED_CLAUSE.sub(r"\1.", text, count=1)
    return text


def _clean(text: str) -> str:
    """Inline clean-up that keeps the space after a standard's clause number (``5.1 概述``) and
    after a list number (``1. 基础类``)."""
    text = _normalise_marker(text.strip())
    article = _BOLD_ARTICLE.match(text)
    if article:  # **第一条** 对……: the space after the article number stays
        return article.group(0) + " " + clean_inline(text[article.end() :])
    item = _LIST_NUMBER.match(text)
    if item:
        return item.group(0) + clean_inline(text[item.end() :])
    m = _CLAUSE_NUMBER.match(text)
    if (
        m
        and len(text) > m.end()
        and text[m.end()] == " "
        and (m.group(0)[0].isalpha() or "." in m.group(0) or marker_of(text) == ("clause", 1))
    ):
        return m.group(0) + " " + clean_inline(text[m.end() :])
    return clean_inline(text)


def _clean_keep_columns(text: str) -> str:
    return wide_brackets(squeeze_list_spaces(_normalise_marker(text.strip())))


def _strip_bold(text: str) -> tuple[str, bool]:
    s = text.strip()
    if s.startswith("**") and s.endswith("**") and len(s) > 4:
        return s.replace("**", " ").strip(), True
    return s, False


# --- 1. blocks --------------------------------------------------------------------------------


def split_blocks(lines: list[str]) -> list[Block]:
    """Blank-line separated blocks; a ``#`` line, a run of table rows and a list are blocks of their own."""
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.extend(_make_blocks(current))
            current.clear()

    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            flush()
            continue
        if line.lstrip().startswith("#"):
            flush()
            blocks.extend(_make_blocks([line]))
            continue
        if current and ("\t" in line) != ("\t" in current[-1]):
            flush()
        current.append(line)
    flush()
    return blocks


def _make_blocks(lines: list[str]) -> list[Block]:
    first = lines[0].strip()
    if all("\t" in ln for ln in lines):
        leaders = [
            _DOT_LEADER.match(ln.replace("\t", " ").strip()) if len(ln) < 200 else None for ln in lines
        ]
        if all(leaders):
            return [Block("list", [f"- {_clean(m.group('text'))}" for m in leaders if m])]
        return [Block("table", rows=[[c.strip() for c in ln.split("\t")] for ln in lines])]
    if first.startswith("#"):
        level = len(first) - len(first.lstrip("#"))
        text = first.lstrip("#").strip()
        text, bold = _strip_bold(text)
        return [Block("heading", [text], src_level=level, bold=bold)]
    if first.startswith("- ") or first.startswith("* "):
        return _list_blocks(lines)
    # bold runs printed on one line: **A.1 咨询引导区****A.1.1 问询台**
    if len(lines) == 1 and first.startswith("**") and "****" in first:
        return [Block("para", [p.strip("*").strip()], bold=True) for p in first.split("****") if p.strip("*")]
    stripped = [_strip_bold(ln) for ln in lines]
    bold = all(b for _, b in stripped)
    texts = [t.rstrip() for t, _ in stripped]
    return [Block("para", texts, bold=bold)]


def _list_blocks(lines: list[str]) -> list[Block]:
    items: list[list[str]] = []
    for ln in lines:
        s = ln.rstrip()
        if re.match(r"^\s*[-*] ", s):
            items.append([s])
        elif items:
            items[-1].append(s.strip())
        else:
            items.append([s])
    # A single item carried over several lines is a paragraph with hard breaks in print
    # (``- （一）投入产出控制指标执行标准  ⏎ 我市鼓励……``), not a list.
    if len(items) == 1 and len(items[0]) > 1:
        head = re.sub(r"^\s*[-*] ", "", items[0][0])
        return [Block("para", [head.strip(), *items[0][1:]])]
    out = []
    for item in items:
        indent = len(item[0]) - len(item[0].lstrip())
        body = re.sub(r"^\s*[-*] ", "", item[0]).strip()
        text = _join_hard_lines([body, *item[1:]])
        # a list of names and positions keeps the space between its columns (张才芳 市委副书记)
        cleaned = _clean(text) if any(c in text for c in "，。；,;") else _clean_keep_columns(text)
        out.append("  " * (indent // 2) + "- " + cleaned)
    return [Block("list", out)]


def _join_hard_lines(lines: list[str]) -> str:
    out = Running(lines[0].strip())
    for nxt in lines[1:]:
        nxt = nxt.strip()
        if not can_join(out, nxt, hard_break=True):
            out.add("  \n")
        out.add(nxt)
    return out.text()


# --- 2. headings ------------------------------------------------------------------------------


def _short_heading_like(text: str, limit: int = 30) -> bool:
    """Short, and no sentence inside (a final 。 is allowed: ``（一）指导思想。``)."""
    body = text[:-1] if text.endswith("。") else text
    return (
        0 < len(text) <= limit
        and not any(c in body for c in "。；！？;!?")
        and not text.endswith(("：", ":", "，", ","))
    )


def _is_title_like(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return t.endswith(_TITLE_NOUNS) or t in ("前言", "目次", "目录")


def detect_headings(blocks: list[Block]) -> None:
    """Decide which blocks are headings and their numbering depth (in place)."""
    # Split a paragraph whose first hard-broken line is a numbered heading from its text.
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "para" and len(b.lines) > 1:
            first = _normalise_marker(b.lines[0])
            mk = marker_of(first)
            if mk and mk[0] in ("paren", "cn", "num", "pnum") and _short_heading_like(first):
                blocks[i : i + 1] = [Block("para", [b.lines[0]]), Block("para", b.lines[1:])]
        i += 1

    for b in blocks:
        if b.kind in ("para", "heading"):
            b.lines = [_normalise_marker(ln) for ln in b.lines]
            mk = marker_of(b.lines[0].strip())
            if mk:
                b.marker, b.depth = mk
    candidates = [b for b in blocks if b.kind in ("para", "heading")]

    def explicit(b: Block) -> bool:
        return (b.kind == "heading" and len(b.text) <= 60) or (
            b.bold and bool(b.marker) and len(b.text) <= 40
        )

    def plain_candidate(b: Block) -> bool:
        return b.kind == "para" and len(b.lines) == 1 and _short_heading_like(b.text.strip())

    by_marker: dict[str, list[int]] = {}
    for idx, b in enumerate(candidates):
        if b.marker:
            by_marker.setdefault(b.marker, []).append(idx)

    sib_pos = {idx: pos for positions in by_marker.values() for pos, idx in enumerate(positions)}
    decided: list[bool] = []
    for idx, b in enumerate(candidates):
        text = b.text.strip()
        if b.marker == "article":
            heading = False
        elif explicit(b):
            heading = True
        elif b.marker in ("clause", "appendix", "annex"):
            heading = plain_candidate(b) and not text.endswith("。")
        elif b.marker and plain_candidate(b):
            sibs = by_marker[b.marker]
            pos = sib_pos[idx]
            # a heading if its numbered siblings are: the previous one as decided, the next one
            # only if the converter marked it as a heading
            prev_heading = pos > 0 and decided[sibs[pos - 1]]
            next_heading = pos + 1 < len(sibs) and explicit(candidates[sibs[pos + 1]])
            heading = prev_heading or next_heading
        else:
            heading = False
        decided.append(heading)
    for b, heading in zip(candidates, decided, strict=True):
        if heading:
            b.kind = "heading"
        elif b.kind == "heading":
            b.kind = "para"
    _merge_structural_headings(blocks)
    _assign_depths(blocks)


def _merge_structural_headings(blocks: list[Block]) -> None:
    """``附录 A`` + ``(规范性)`` + title, and ``附件 1`` + title, become one heading each."""
    i = 0
    while i < len(blocks):
        b = blocks[i]
        text = re.sub(r"\s+", " ", " ".join(x.strip() for x in b.lines)).strip()
        if b.marker == "appendix" and b.kind in ("para", "heading") and len(text) <= 60:
            parts = [text]
            j = i + 1
            while j < len(blocks) and j <= i + 2 and blocks[j].kind in ("para", "heading"):
                nxt = " ".join(x.strip() for x in blocks[j].lines).strip()
                if len(nxt) > 40 or marker_of(nxt):
                    break
                parts.append(nxt)
                j += 1
            blocks[i:j] = [Block("heading", [" ".join(parts)], marker="appendix", depth=1)]
        elif b.marker == "annex" and b.kind in ("para", "heading"):
            text = re.sub(r"^附\s*件\s*", "附件", text)
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if (
                nxt
                and nxt.kind in ("para", "heading")
                and not nxt.marker
                and len(nxt.text) <= 40
                and (nxt.kind == "heading" or nxt.bold or _is_title_like(nxt.text))
            ):
                blocks[i : i + 2] = [
                    Block("heading", [f"{text} {nxt.text.strip()}"], marker="annex", depth=0)
                ]
            else:
                blocks[i] = Block("heading", [text], marker="annex", depth=0)
        i += 1


def _assign_depths(blocks: list[Block]) -> None:
    last_by_level: dict[int, int] = {}
    first = True
    for b in blocks:
        if b.kind != "heading":
            continue
        if b.depth is None or (b.marker == "" and b.depth is None):
            if first or _is_title_like(b.text):
                b.depth = 0
            else:
                b.depth = last_by_level.get(b.src_level, 1)
        if b.src_level:
            last_by_level[b.src_level] = b.depth
        first = False


# --- 3. page breaks ---------------------------------------------------------------------------


_BRACKET_CHARS = frozenset("（(《“）)》”")
_PUNCT = frozenset("，。、；：,;:")
_CLAUSE_PUNCT = frozenset("，、；,;")
_HEAD = 100  # the characters that decide whether a paragraph starts with a marker


class Running:
    """A paragraph being joined line by line, with what ``can_join`` asks of it kept up to date (its
    last visible character, unclosed brackets, punctuation, spaces between words, its start), so that
    joining n lines costs O(n) rather than a rescan of the whole paragraph for every line."""

    def __init__(self, text: str = "") -> None:
        self._parts: list[str] = []
        self._raw = 0  # characters added, trailing whitespace included
        self.length = 0  # characters without the trailing whitespace
        self.depth = 0  # brackets, 《 and “ opened and not closed
        self.marks: set[str] = set()  # which of _PUNCT occur
        self.last = ""  # the last character that is not whitespace
        self.inner_space = False  # a " " between two visible characters
        self._space_pending = False  # a " " after the last visible character
        self._head = ""
        self.add(text)

    def add(self, text: str) -> None:
        if self._raw < _HEAD:
            self._head += text[: _HEAD - self._raw]
        self._parts.append(text)
        core = text.strip()
        if not core:
            self._raw += len(text)
            self._space_pending = self._space_pending or (bool(self.last) and " " in text)
            return
        lead = text[: len(text) - len(text.lstrip())]
        if (self.last and (self._space_pending or " " in lead)) or " " in core:
            self.inner_space = True
        self._space_pending = " " in text[len(text.rstrip()) :]
        self.length = self._raw + len(text.rstrip())
        self._raw += len(text)
        self.last = core[-1]
        self.marks.update(_PUNCT.intersection(core))
        if not _BRACKET_CHARS.isdisjoint(core):
            for ch in core:
                if ch in "（(《“":
                    self.depth += 1
                elif ch in "）)》”" and self.depth:
                    self.depth -= 1

    def rstrip(self) -> None:
        """Drop the trailing whitespace."""
        while self._parts and not self._parts[-1].strip():
            self._parts.pop()
        if self._parts:
            self._parts[-1] = self._parts[-1].rstrip()
        self._raw = self.length
        self._head = self._head[: self.length]
        self._space_pending = False

    def head(self) -> str:
        """The start of the text without trailing whitespace (all of it when it is short)."""
        return self._head[: min(_HEAD, self.length)]

    def text(self) -> str:
        return "".join(self._parts)


def can_join(a: str | Running, b: str, hard_break: bool = False) -> bool:
    """Whether paragraph ``b`` continues paragraph ``a`` (a sentence cut by a page or line break)."""
    run = a if isinstance(a, Running) else Running(a)
    b = b.lstrip()
    if not run.last or not b:
        return False
    if marker_of(b) or b.startswith(("#", "- ", "* ", "**", "——", "|", "附件", "备注")):
        return False
    last, first = run.last, b[0]
    starts_text = is_cjk_char(first) or first.isdigit() or first in _STARTS_CONTINUATION
    if not starts_text:
        return False
    if run.depth:
        return True
    if re.match(r"^(?:19|20)\d{2}\s*[-年]", b):
        return False
    if last in _CLOSE and first in _PARTICLES:  # “保护为主……” ⏎ 的工作方针
        return True
    if _LABEL.match(b):
        return False
    has_punct = bool(run.marks)
    # Text that ends without 。；： is cut, also after a closing quote or a Latin word (金属3D ⏎ 打印)
    # when it is running text; a closing bracket may end a paragraph (（责任单位：……）).
    ends_open = (
        is_cjk_char(last)
        or last in _CONTINUES
        or (last.isdigit() and is_cjk_char(first))
        or (
            has_punct
            and not hard_break
            and is_cjk_char(first)
            and (last in "”》" or last.isascii() and last.isalnum())
        )
    )
    if not ends_open or last in _TERMINAL:
        return False
    if hard_break:
        return is_cjk_char(last) or last in _CONTINUES
    # a short line without punctuation is a sentence cut by the page only if it is solid text;
    # words set apart by spaces are a layout line (a cover: ``2022 - 03 - 31 实施``)
    return has_punct or bool(marker_of(run.head())) or (run.length >= 8 and not run.inner_space)


def join_page_breaks(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    tail: Running | None = None  # the last line of out[-1] while paragraphs are joined onto it
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and b.kind == "para"
            and not b.bold
            and prev.kind in ("para", "list")
            and not prev.bold
        ):
            tail = tail or Running(prev.lines[-1])
            # a list item is continued only when it is a cut sentence, not a short entry (王 征 …)
            sentence = prev.kind == "para" or not _CLAUSE_PUNCT.isdisjoint(tail.marks) or tail.depth > 0
            if sentence and can_join(tail, b.lines[0]):
                tail.rstrip()
                tail.add(b.lines[0].strip())
                if len(b.lines) > 1:
                    prev.lines[-1] = tail.text()
                    prev.lines.extend(b.lines[1:])
                    tail = None
                continue
        if tail is not None and prev is not None:
            prev.lines[-1] = tail.text()
            tail = None
        out.append(b)
    if tail is not None:
        out[-1].lines[-1] = tail.text()
    return out


# --- 4/5. rendering ---------------------------------------------------------------------------


def _merge_tables(blocks: list[Block]) -> list[Block]:
    """A table continued on the next page (same width; the header row repeated or not) is one table."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if b.kind == "table" and prev is not None and prev.kind == "table":
            width = max(len(r) for r in prev.rows)
            if max(len(r) for r in b.rows) == width:
                rows = b.rows[1:] if b.rows[0] == prev.rows[0] else b.rows
                prev.rows.extend(rows)
                continue
        out.append(b)
    return out


def _cell(text: str) -> str:
    return clean_inline(text.replace("**", "")).replace("|", "\\|")


def render_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    # drop columns that are empty in every row (trailing tabs)
    keep = [c for c in range(width) if any(c < len(r) and r[c].strip() for r in rows)]
    grid = [[_cell(r[c]) if c < len(r) else "" for c in keep] for r in rows]
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * len(keep)]
    lines += ["| " + " | ".join(r) + " |" for r in grid[1:]]
    return "\n".join(lines)


def _render_para(b: Block) -> str:
    text = _join_hard_lines(b.lines) if len(b.lines) > 1 else b.lines[0]
    rendered = "  \n".join(_clean(part) for part in text.split("  \n"))
    return f"**{rendered}**" if b.bold else rendered


def render(blocks: list[Block]) -> str:
    depths = sorted({b.depth or 0 for b in blocks if b.kind == "heading"})
    level = {d: min(2 + i, 6) for i, d in enumerate(depths)}
    parts = []
    for b in blocks:
        if b.kind == "heading" and b.marker == "annex":
            head, _, rest = " ".join(x.strip() for x in b.lines).partition(" ")
            text = re.sub(r"\s+", "", head) + (" " + _clean(rest) if rest.strip() else "")
            parts.append("#" * level[b.depth or 0] + " " + text)
        elif b.kind == "heading":
            text = _clean(" ".join(x.strip() for x in b.lines))
            parts.append("#" * level[b.depth or 0] + " " + text)
        elif b.kind == "table":
            parts.append(render_table(b.rows))
        elif b.kind == "list":
            parts.append("\n".join(b.lines))
        else:
            parts.append(_render_para(b))
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def annex_titles(blocks: list[Block]) -> list[str]:
    """Annex titles from the ``附件：1. …  2. …`` line, else from the ``附件 N`` headings."""
    for b in blocks:
        if b.kind != "para":
            continue
        text = " ".join(x.strip() for x in b.lines)
        m = _ANNEX_LIST.match(text)
        if m:
            names = [n.strip() for n in _ANNEX_SPLIT.split(m.group("rest")) if n.strip()]
            return [_clean(n.strip("《》")) for n in names]
    titles = []
    for b in blocks:
        if b.kind == "heading" and b.marker == "annex":
            name = re.sub(r"^附\s*件\s*\d{0,2}\s*", "", b.text).strip()
            if name:
                titles.append(_clean(name))
    return titles


def build_body(lines: list[str]) -> Body:
    """Clean markdown (and annex titles) from the lines of one document, title and head removed."""
    blocks = split_blocks(lines)
    detect_headings(blocks)
    blocks = join_page_breaks(blocks)
    blocks = _merge_tables(blocks)
    annexes = annex_titles(blocks)
    return Body(render(blocks) if blocks else "", annexes)


def has_text(text: str) -> bool:
    return has_cjk(text) or any(c.isalnum() for c in text)
