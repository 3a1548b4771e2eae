"""Markdown of the library → reader blocks: the units the touch reader shows one by one.

The gazette's markdown uses headings, paragraphs, hard line breaks (two trailing spaces), bullet and
numbered lists, **bold**, backslash escapes, and tables either as pipe tables or as tab-separated lines
(annex lists such as 名录). Qt's own markdown reader knows neither the tab tables nor our sizing, so the
conversion is written here: small, total (any text gives valid blocks, nothing raw passes through), and
unit-tested.

The reader is a list view of these blocks, not one rich-text document: it draws only what is on screen,
and tables are drawn cell by cell in QML. Qt 6.12's scene graph crashes (SIGSEGV in
``QSGBatchRenderer::Renderer::prepareAlphaBatches`` on the xcb/OpenGL renderer; 6.11 and 6.8 do not) when
a rich-text ``Text`` holding a bordered table of more than about a dozen cells is laid out again, as every
change of type size does (reproducer: docs/qt-bugs/richtext-table-relayout-crash.md); so
no block ever holds a table. A block's ``html`` is the inline subset of Qt's StyledText (``<b>``,
``<br/>``, escaped text); size and colour are the reader's, so a change of type size or contrast
re-renders nothing in Python.

Block kinds (each a dict, so it crosses into QML as a plain map):

- ``heading``: ``level`` 1–6, ``html``;
- ``paragraph``: ``html``;
- ``item``: a list item, ``marker`` as printed ("3." or "•"), ``html``;
- ``row``: one table row, ``cells`` of ``{"html", "x", "w"}`` (left edge and width as fractions of the
  table's width, so spanning cells line up), ``head`` for a header row, ``first``/``last`` for the table's
  outer rows;
- ``rule``: a horizontal rule.

Search snippets' <mark> become styled spans (`snippet_html`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from kiosk import theme

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_URL = re.compile(r"https?://[^\s<>\"'（）()，。；、]+")
_RULE = re.compile(r"\s*([-*_])(\s*\1){2,}\s*")

# A table column gets a share of the width by its widest cell in display columns (plus two for the cell's
# padding), within these bounds: a 序号 column stays narrow, a long 项目名称 column does not squeeze the
# others to one character.
_MIN_COLUMN, _MAX_COLUMN = 4, 24

Block = dict[str, Any]


@dataclass(frozen=True)
class Style:
    """Colours of a search snippet's highlight (by default the normal theme's, `kiosk.theme`)."""

    mark_bg: str = theme.NORMAL["mark"]
    mark_fg: str = theme.NORMAL["markText"]


def _inline(text: str) -> str:
    """Escape a line and apply the inline markup we support (bold, escapes)."""
    placeholders: list[str] = []

    def keep(match: re.Match[str]) -> str:
        placeholders.append(match.group(1))
        return f"\x00{len(placeholders) - 1}\x00"

    text = _ESCAPE.sub(keep, text)
    out = html.escape(text, quote=False)
    out = _BOLD.sub(lambda m: f"<b>{m.group(1)}</b>", out)
    out = out.replace("**", "")
    return re.sub(r"\x00(\d+)\x00", lambda m: html.escape(placeholders[int(m.group(1))], quote=False), out)


def _cells_pipe(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]], header: bool) -> list[Block]:
    """One `row` block per row. Trailing empty cells of a short row fold into its last cell (a group
    heading such as 一、传统美术 spans the table)."""
    width = max(len(r) for r in rows)
    trimmed = []
    for row in rows:
        cells = list(row)
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        trimmed.append(cells)
    widest = [_MIN_COLUMN] * width
    for cells in trimmed:
        for n, cell in enumerate(cells):
            if n < len(cells) - 1 or len(cells) == width:  # spanning cells do not widen a column
                widest[n] = max(widest[n], min(_MAX_COLUMN, _display_width(cell) + 2))
    total = sum(widest)
    edges = [sum(widest[:n]) / total for n in range(width + 1)]
    blocks = []
    for index, cells in enumerate(trimmed):
        out = []
        for n, cell in enumerate(cells):
            end = width if n == len(cells) - 1 else n + 1
            out.append({"html": _inline(cell), "x": edges[n], "w": edges[end] - edges[n]})
        blocks.append(
            {
                "kind": "row",
                "cells": out,
                "head": header and index == 0,
                "first": index == 0,
                "last": index == len(trimmed) - 1,
            }
        )
    return blocks


def to_blocks(markdown: str) -> list[Block]:
    """Convert library markdown to reader blocks."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[Block] = []
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            out.append({"kind": "paragraph", "html": "".join(paragraph)})
            paragraph.clear()

    i = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.rstrip()
        hard_break = raw.endswith("  ")
        if not line.strip():
            flush_paragraph()
            i += 1
            continue
        # Tables: a pipe table (header + separator) or a run of tab-separated lines.
        if "|" in line and i + 1 < len(lines) and _PIPE_SEPARATOR.match(lines[i + 1]):
            flush_paragraph()
            rows = [_cells_pipe(line)]
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_cells_pipe(lines[i]))
                i += 1
            out.extend(_table(rows, header=True))
            continue
        if "\t" in line.strip("\t") or line.count("\t") >= 2:
            flush_paragraph()
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append([c.strip() for c in lines[i].rstrip("\n").split("\t")])
                i += 1
            out.extend(_table(rows, header=len(rows) > 1))
            continue
        heading = _HEADING.match(line)
        if heading:
            flush_paragraph()
            out.append(
                {"kind": "heading", "level": len(heading.group(1)), "html": _inline(heading.group(2).strip())}
            )
            i += 1
            continue
        if _RULE.fullmatch(line):
            flush_paragraph()
            out.append({"kind": "rule"})
            i += 1
            continue
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if bullet or numbered:
            flush_paragraph()
            text = bullet.group(1) if bullet else numbered.group(2)  # type: ignore[union-attr]
            item = [_inline(text.strip())]
            i += 1
            # A hard break continues the item on the next line (as the TOC does).
            while hard_break and i < len(lines) and lines[i].strip() and not _BULLET.match(lines[i]):
                hard_break = lines[i].endswith("  ")
                item.append("<br/>" + _inline(lines[i].strip()))
                i += 1
            marker = f"{numbered.group(1)}." if numbered else "•"  # type: ignore[union-attr]
            out.append({"kind": "item", "marker": marker, "html": "".join(item)})
            continue
        paragraph.append(_inline(line.strip()) + ("<br/>" if hard_break else ""))
        i += 1
    flush_paragraph()
    return out


def plain_text(blocks: list[Block]) -> str:
    """The blocks' text without markup, one block a line (cells separated by tabs)."""

    def text(fragment: str) -> str:
        return html.unescape(re.sub(r"<[^>]*>", "", fragment.replace("<br/>", "\n")))

    lines = []
    for block in blocks:
        if block["kind"] == "row":
            lines.append("\t".join(text(c["html"]) for c in block["cells"]))
        elif block["kind"] == "item":
            lines.append(f"{block['marker']} {text(block['html'])}")
        elif "html" in block:
            lines.append(text(block["html"]))
    return "\n".join(lines)


def snippet_html(snippet: str, style: Style | None = None) -> str:
    """A search snippet with <mark>…</mark> → escaped rich text with styled highlights."""
    style = style or Style()
    parts = re.split(r"(<mark>.*?</mark>)", snippet)
    out = []
    for part in parts:
        if part.startswith("<mark>") and part.endswith("</mark>"):
            inner = html.escape(part[6:-7], quote=False)
            out.append(
                f'<span style="background-color:{style.mark_bg}; color:{style.mark_fg}; font-weight:bold;">{inner}</span>'
            )
        else:
            out.append(html.escape(part.replace("<mark>", "").replace("</mark>", ""), quote=False))
    return "".join(out)


def first_url(*texts: str) -> str:
    """The first http(s) URL in the texts, for the QR code of the online version."""
    for text in texts:
        match = _URL.search(text or "")
        if match:
            return match.group(0).rstrip(".,;:")
    return ""
