"""Cutting a document's paragraphs into screen pages of large type, by the characters a line holds.

A Han character or full-width sign is one unit wide, anything else half; a paragraph starts on a new
line with a two-unit indent. The lines are cut here and drawn with those breaks at a fixed line height,
so a page holds what was counted for it."""

from __future__ import annotations

import math

INDENT = "\u3000\u3000"


def _units(ch: str) -> float:
    # Han, kana, full-width forms, and the quotes and dashes a CJK font draws full width
    return 1.0 if ord(ch) >= 0x2E80 or 0x2000 <= ord(ch) <= 0x206F else 0.5


def width(text: str) -> float:
    return sum(_units(ch) for ch in text)


def lines_of(paragraph: str, per_line: int) -> list[str]:
    lines, line, used = [], INDENT, 2.0
    for ch in paragraph.strip():
        w = _units(ch)
        if used + w > per_line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    lines.append(line)
    return lines


def paginate(
    paragraphs: list[str], per_line: int, per_page: int, max_pages: int
) -> tuple[list[list[str]], bool]:
    """Pages (each a list of paragraph pieces) and whether the text went on past `max_pages`."""
    pages: list[list[str]] = []
    page: list[str] = []
    used = 0
    for paragraph in paragraphs:
        pieces = lines_of(paragraph, per_line)
        while pieces:
            room = per_page - used
            if room <= 0:
                pages.append(page)
                page, used = [], 0
                if len(pages) == max_pages:
                    return pages, True
                continue
            take, pieces = pieces[:room], pieces[room:]
            page.append("\n".join(take))  # the lines as cut here, so Qt breaks them the same way
            used += len(take)
    if page:
        pages.append(page)
    return pages[:max_pages], len(pages) > max_pages


def capacity(area_width: float, area_height: float, text_px: int, line_height: float) -> tuple[int, int]:
    """(characters a line holds, lines a page holds) for a text box of the given size: a Han character is
    `text_px` wide in the CJK fonts, a line `line_height` px high (a fixed line height in the QML)."""
    per_line = max(4, math.floor(area_width * 0.97 / text_px) - 1)  # one to spare: kerning, wide Latin
    per_page = max(2, math.floor(area_height / line_height))
    return per_line, per_page
