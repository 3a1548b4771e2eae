"""What the library already publishes about what a resident describes on the 信息公开申请 form (outside
kiosk/applications/, which may not read the library): information already public needs no application
(Art. 36(一) answers such an application with where it is published), so the form offers the closest
documents to read first.

A description is a sentence ("2022年打击非法采矿专项行动的实施方案"), which the library's search, made for a
few words, matches as a whole or not at all. So the titles are compared with it instead: by the Chinese
character pairs they share, each weighted by how rare it is among the titles (关于, 通知, 实施 weigh little),
and a title is offered when it holds most of the description's weight. Written here because no library in
the project's set ranks short Chinese texts against each other; the titles of a county's library (some
thousands) are scored in a few milliseconds.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from content.store import Library

READABLE = ("document", "interpretation")  # what the reader opens; notices expire, guides are not 信息
MIN_TEXT = 4  # Chinese characters before anything is looked up
MIN_SHARE = 0.5  # of the description's weight a title must hold
MIN_PAIRS = 3  # shared pairs, so a two-word description does not match every title with one of them
# How residents ask, not what they ask about: taken out before comparing.
ASKING = (
    "申请公开",
    "请公开",
    "请提供",
    "请问",
    "我想了解",
    "我想要",
    "我要",
    "相关信息",
    "有关信息",
    "的信息",
)
MIN_RARE = 2  # shared pairs found in at most a tenth of the titles: 关于印发的通知 matches nothing


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def pairs(text: str) -> set[str]:
    """The adjacent pairs of Chinese characters in `text` (digits, Latin and punctuation split runs)."""
    return {a + b for a, b in zip(text, text[1:], strict=False) if _is_han(a) and _is_han(b)}


def related_documents(library: Library, text: str, limit: int = 3) -> list[dict[str, Any]]:
    """Up to `limit` documents or 解读 (id, title, docNumber, kind), best first; [] for a short text."""
    text = text[:500]
    for phrase in ASKING:
        text = text.replace(phrase, " ")
    if sum(map(_is_han, text)) < MIN_TEXT:
        return []
    wanted = pairs(text)
    titles = library.titles(READABLE)
    title_pairs = [pairs(title) for _, _, title, _ in titles]
    seen_in = Counter(p for each in title_pairs for p in each & wanted)
    weight = {p: math.log((1 + len(titles)) / (1 + seen_in[p])) + 1 for p in wanted}
    rare = {p for p in wanted if seen_in[p] <= max(2, len(titles) // 10)}
    total = sum(weight.values())
    scored = []
    for (item_id, kind, title, number), held in zip(titles, title_pairs, strict=True):
        shared = held & wanted
        if len(shared) < MIN_PAIRS or len(shared & rare) < MIN_RARE:
            continue
        if (share := sum(weight[p] for p in shared) / total) >= MIN_SHARE:
            scored.append((share, item_id, kind, title, number))
    scored.sort(key=lambda row: -row[0])  # stable: equal shares stay newest first
    return [{"id": i, "title": t, "docNumber": n, "kind": k} for _, i, k, t, n in scored[:limit]]
