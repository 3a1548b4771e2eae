"""Display width of receipt text and wrapping to a printer's columns.

On a Chinese printer in Chinese mode every multi-byte code prints as one 24-dot glyph (two columns) and
every ASCII byte as a 12-dot one. python-escpos's `block_text` counts code points instead and overflows a
58 mm line with Chinese (shared/reference/devices.md §4.3), hence this module.
"""

from __future__ import annotations

import unicodedata


def char_width(ch: str) -> int:
    if ch < "\x80":
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def truncate(text: str, columns: int) -> str:
    out, used = [], 0
    for ch in text:
        if used + char_width(ch) > columns:
            break
        out.append(ch)
        used += char_width(ch)
    return "".join(out)


def wrap(text: str, columns: int) -> list[str]:
    """Lines no wider than `columns`; ASCII words are kept whole where a space allows it."""
    if columns < 2:
        raise ValueError("need at least 2 columns")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for ch in paragraph:
            width = char_width(ch)
            if used + width > columns:
                cut = line.rfind(" ") if ch.isascii() and ch != " " and line[-1:].isascii() else -1
                if cut > 0 and line[cut + 1 :].isascii():
                    lines.append(line[:cut].rstrip())
                    line = line[cut + 1 :]
                else:
                    lines.append(line.rstrip())
                    line = ""
                used = display_width(line)
                if ch == " " and not line:
                    continue
            line += ch
            used += width
        lines.append(line.rstrip())
    return lines
