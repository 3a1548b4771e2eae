"""Markdown of the library → the HTML subset Qt's rich text (QTextDocument) renders well.

The gazette's markdown uses headings, paragraphs, hard line breaks (two trailing spaces), bullet and
numbered lists, **bold**, backslash escapes, and tables either as pipe tables or as tab-separated lines
(annex lists such as 名录). Qt's own markdown reader knows neither the tab tables nor our sizing, and
QTextDocument ignores most CSS, so the conversion is written here: small, total (any text gives valid
HTML, nothing raw passes through), and unit-tested. Search snippets' <mark> become styled spans too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_URL = re.compile(r"https?://[^\s<>\"'（）()，。；、]+")


@dataclass(frozen=True)
class Style:
    """Colours and sizes (px) of the rendered text; the reader passes its font step and contrast."""

    body_px: int = 28
    text: str = "#1a1a1a"
    heading: str = "#0b3d91"
    rule: str = "#8a8a8a"
    table_head: str = "#e6eefa"
    mark_bg: str = "#ffe066"
    mark_fg: str = "#000000"


def _inline(text: str, style: Style) -> str:
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


def _table(rows: list[list[str]], style: Style, header: bool) -> str:
    width = max(len(r) for r in rows)
    pad = max(6, style.body_px // 3)
    parts = [
        f'<table border="1" cellspacing="0" cellpadding="{pad}" width="100%" '
        f'style="border-color:{style.rule}; border-style:solid; margin-top:8px; margin-bottom:8px;">'
    ]
    for index, row in enumerate(rows):
        cells = [c for c in row]
        while cells and not cells[-1] and len(cells) > 1 and width > 1:
            cells.pop()
        is_head = header and index == 0
        bg = f' bgcolor="{style.table_head}"' if is_head else ""
        parts.append(f"<tr{bg}>")
        for n, cell in enumerate(cells):
            span = width - len(cells) + 1 if n == len(cells) - 1 and len(cells) < width else 1
            colspan = f' colspan="{span}"' if span > 1 else ""
            content = _inline(cell, style)
            if is_head:
                content = f"<b>{content}</b>"
            parts.append(f"<td{colspan}>{content}</td>")
        parts.append("</tr>")
    parts.append("</table>")
    return "".join(parts)


def to_html(markdown: str, style: Style | None = None) -> str:
    """Convert library markdown to Qt rich text."""
    style = style or Style()
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    paragraph: list[str] = []
    list_kind: str | None = None

    def flush_paragraph() -> None:
        if paragraph:
            out.append(
                f'<p style="margin-top:0px; margin-bottom:{style.body_px // 2}px;">'
                + "".join(paragraph)
                + "</p>"
            )
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_kind
        if list_kind:
            out.append(f"</{list_kind}>")
            list_kind = None

    def open_list(kind: str) -> None:
        nonlocal list_kind
        if list_kind != kind:
            close_list()
            out.append(f'<{kind} style="margin-top:0px; margin-bottom:{style.body_px // 2}px;">')
            list_kind = kind

    i = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.rstrip()
        hard_break = raw.endswith("  ")
        if not line.strip():
            flush_paragraph()
            close_list()
            i += 1
            continue
        # Tables: a pipe table (header + separator) or a run of tab-separated lines.
        if "|" in line and i + 1 < len(lines) and _PIPE_SEPARATOR.match(lines[i + 1]):
            flush_paragraph()
            close_list()
            rows = [_cells_pipe(line)]
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_cells_pipe(lines[i]))
                i += 1
            out.append(_table(rows, style, header=True))
            continue
        if "\t" in line.strip("\t") or line.count("\t") >= 2:
            flush_paragraph()
            close_list()
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append([c.strip() for c in lines[i].rstrip("\n").split("\t")])
                i += 1
            out.append(_table(rows, style, header=len(rows) > 1))
            continue
        heading = _HEADING.match(line)
        if heading:
            flush_paragraph()
            close_list()
            level = len(heading.group(1))
            scale = {1: 1.45, 2: 1.3, 3: 1.18, 4: 1.08}.get(level, 1.0)
            px = round(style.body_px * scale)
            out.append(
                f'<p style="margin-top:{style.body_px // 2}px; margin-bottom:{style.body_px // 3}px;">'
                f'<span style="font-size:{px}px; font-weight:bold; color:{style.heading};">'
                f"{_inline(heading.group(2).strip(), style)}</span></p>"
            )
            i += 1
            continue
        if re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
            flush_paragraph()
            close_list()
            out.append("<hr/>")
            i += 1
            continue
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if bullet or numbered:
            flush_paragraph()
            open_list("ul" if bullet else "ol")
            text = (bullet or numbered).group(bullet and 1 or 2)  # type: ignore[union-attr]
            item = [_inline(text.strip(), style)]
            i += 1
            # A hard break continues the item on the next line (as the TOC does).
            while hard_break and i < len(lines) and lines[i].strip() and not _BULLET.match(lines[i]):
                hard_break = lines[i].endswith("  ")
                item.append("<br/>" + _inline(lines[i].strip(), style))
                i += 1
            value = f' value="{numbered.group(1)}"' if numbered else ""
            out.append(f"<li{value}>{''.join(item)}</li>")
            continue
        close_list()
        paragraph.append(_inline(line.strip(), style) + ("<br/>" if hard_break else ""))
        i += 1
    flush_paragraph()
    close_list()
    return "".join(out)


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
