"""Snippets and highlighting: the text around the best match, HTML-escaped, matches in `<mark>…</mark>`.

The FTS tables are contentless, so FTS5's own `snippet()` cannot be used; the few hits shown are cut
from `items.body_md` here. Matching is done on a copy with full-width letters and digits folded to
half-width and lower-cased, which keeps every character at its position, so the original text is shown.
"""

from __future__ import annotations

import html
import re

from content.search.fold import fold

SNIPPET_CHARS = 80
LEAD_CHARS = 20

# Only full-width letters and digits need folding (needles hold letters, digits and Han characters);
# str.translate over a whole body costs ~70 µs, so fold by regex and only when there is any.
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_MARKDOWN = re.compile(
    r"^\s{0,3}(?:#{1,6}\s+|[-*+]\s+|>\s*|\|)|\*\*|__|`|!?\[([^\]]*)\]\([^)]*\)|\s*\|\s*", re.M
)
_SPACES = re.compile(r"\s+")


def plain(markdown: str) -> str:
    """Markdown reduced to running text: no heading marks, list bullets, emphasis, table pipes or links."""
    text = _MARKDOWN.sub(lambda m: m[1] if m[1] is not None else " " if "|" in m[0] else "", markdown)
    return _SPACES.sub(" ", text).strip()


def _folded(text: str) -> str:
    text = fold(text)
    folded = _FULL_WIDTH.sub(lambda m: chr(ord(m[0]) - 0xFEE0), text) if _FULL_WIDTH.search(text) else text
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded


def _spans(folded: str, needles: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping match spans of the needles (longest first), in text order."""
    taken: list[tuple[int, int]] = []
    for needle in needles:
        if not needle:
            continue
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            if all(end <= a or start >= b for a, b in taken):
                taken.append((start, end))
            start = folded.find(needle, end)
    return sorted(taken)


def mark(text: str, needles: list[str]) -> str:
    """All of `text`, escaped, with every occurrence of the needles marked."""
    return _render(text, _spans(_folded(text), needles), 0, len(text))


def _render(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    out, pos = [], lo
    for a, b in spans:
        if a < lo or b > hi:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:hi]))
    return "".join(out)


def snippet(markdown: str, needles: list[str], size: int = SNIPPET_CHARS) -> str:
    """About `size` characters of the body around the window with the most distinct matches.

    Without any match (a title or 文号 hit), the beginning of the body."""
    text = plain(markdown)
    folded = _folded(text)
    spans = _spans(folded, needles)[:200]
    if not spans:
        cut = text[:size]
        return html.escape(cut) + ("…" if len(text) > size else "")
    best_start, best_score = spans[0][0], -1
    for a, _ in spans:
        window = {folded[x:y] for x, y in spans if a <= x and y <= a + size - LEAD_CHARS}
        if len(window) > best_score:
            best_start, best_score = a, len(window)
    lo = max(0, best_start - LEAD_CHARS)
    hi = min(len(text), lo + size)
    lo = max(0, min(lo, hi - size))
    body = _render(text, spans, lo, hi)
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")
