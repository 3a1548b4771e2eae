"""What the screen shows at a moment, Qt-free: from the kiosk's content (as `/api/display/content` gives
it, or as the cache kept it), the layout and a clock.

- `lit(playlist, now)`: whether the screen is on (`screen_on` weekdays and times);
- `playing(playlist, now)`: the entries that may play now (date range, weekdays, time windows), only
  those of the highest priority;
- `slides(...)`: an entry's slides: a notice per page (公示牌; none valid → the hall's name and the
  time, never a blank screen), the gazette's cover with its 目录 and then its pages (电子阅报栏), one
  item's pages; a video as a slide of its own;
- `Rotation`: which slide is up, advancing by each slide's seconds on the clock it is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from display.i18n import tr
from display.pages import capacity, paginate, width

TITLE_PX = 76  # the sizes the QML uses (Display.qml), chosen for 5 m (README: the display screen)
BODY_PX = 60
BODY_LINE = 90  # px, Display.qml's fixed line height of the body text
META_PX = 48
COVER_TITLE_PX = 88
COVER_STEP = META_PX * 1.45 + 20  # one 目录 line and the column's spacing
MARGIN = 72
HEADER = 150  # the zone's header band
SIDE = 440  # the calls column in landscape (a band of this height in portrait)
QR = 200
MAX_PAGES = 6  # of one document; then 全文请到一体机查阅
MODES = {"notices": "公示牌", "gazette": "电子阅报栏", "item": "单篇内容"}
EMERGENCY_MODE = "紧急通知"
OFF_MODE = "熄屏"
NO_END = "长期有效"  # a notice's validTo when it has no end date (the kiosk's notice records)
DAY_NAMES = "一二三四五六日"  # 星期一 … 星期日, a character each
Media = Callable[[str, str], str]  # (item id, sha256) → a file URL in the cache, '' if not there


@dataclass(frozen=True)
class Layout:
    width: int  # the content's size, after rotation
    height: int
    calls: bool = False  # the calls list takes a column (landscape) or a band (portrait)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def inner_width(self) -> int:
        return self.width - 2 * MARGIN - (SIDE if self.calls and self.landscape else 0)

    def text_area(self, title_lines: int, meta_lines: int) -> tuple[float, float]:
        # the title, the facts, the gap under them and the footer line (Display.qml's pageView)
        h = (
            self.height
            - HEADER
            - 2 * MARGIN
            - (title_lines * TITLE_PX + meta_lines * META_PX) * 1.45
            - 12
            - 32
        )
        h -= META_PX * 1.45
        if self.calls and not self.landscape:
            h -= SIDE
        return self.inner_width, h


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:5])


def _in_times(times: Sequence[str], now: datetime) -> bool:
    if not times:
        return True
    minute = now.hour * 60 + now.minute
    return any(_minutes(w[:5]) <= minute < _minutes(w[6:]) for w in times)


def lit(playlist: dict[str, Any], now: datetime) -> bool:
    on = playlist.get("screen_on") or {}
    return now.isoweekday() in on.get("weekdays", range(1, 8)) and _in_times(on.get("times", []), now)


def plays(entry: dict[str, Any], now: datetime) -> bool:
    today = now.date().isoformat()
    return (
        (not entry.get("from") or entry["from"] <= today)
        and (not entry.get("to") or today <= entry["to"])
        and now.isoweekday() in entry.get("weekdays", range(1, 8))
        and _in_times(entry.get("times", []), now)
    )


def playing(playlist: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """The entries that may play now, of the highest priority among them."""
    active = [e for e in playlist.get("entries", []) if plays(e, now)]
    top = max((e.get("priority", 0) for e in active), default=0)
    return [e for e in active if e.get("priority", 0) == top]


def emergencies(content: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    return [
        e
        for e in content.get("emergencies", [])
        if not e.get("until") or now < datetime.fromisoformat(e["until"])
    ]


def validity(page: dict[str, Any]) -> str:
    if page.get("validTo") in ("", NO_END, None):
        return tr("有效期：自{start}起长期有效", start=page.get("validFrom", ""))
    return tr("有效期：{start} 至 {end}", start=page.get("validFrom", ""), end=page["validTo"])


def chinese_day(day: date) -> str:
    return tr(
        "{year}年{month}月{day}日 星期{weekday}",
        year=day.year,
        month=day.month,
        day=day.day,
        weekday=DAY_NAMES[day.weekday()],
    )


def _document_slides(
    page: dict[str, Any], kind: str, seconds: int, layout: Layout, media: Media, failed: set[str]
) -> list[dict[str, Any]]:
    level = tr("{level}级", level=page["level"]) if page.get("level") else ""
    facts = [level or page.get("kindName", ""), page.get("docNumber", ""), page.get("issuer", "")]
    facts.append(validity(page) if kind == "notice" else page.get("date", ""))
    meta = "\u3000".join(f for f in facts if f)
    head_width = layout.inner_width - (QR + 32 if page.get("qr") else 0)  # the QR code sits beside the head
    title_lines = min(2, math.ceil(width(page["title"]) * TITLE_PX / head_width))
    meta_lines = min(2, math.ceil(width(meta) * META_PX / head_width))
    per_line, per_page = capacity(*layout.text_area(title_lines, meta_lines), BODY_PX, BODY_LINE)
    images = [u for u in (media(page["id"], sha) for sha in page.get("images", [])) if u]
    if images:  # a picture takes the lower part of the first page
        per_page = max(2, per_page // 2)
    texts, more = paginate(page.get("paragraphs", []), per_line, per_page, MAX_PAGES)
    texts = texts or [[]]
    common = {
        "kind": kind,
        "title": page["title"],
        "meta": meta,
        "qr": page.get("qr", ""),
        "seconds": seconds,
    }
    slides = [
        {
            **common,
            "paragraphs": text,
            "image": images[0] if images and n == 0 else "",
            "pageText": tr("第 {page} / {pages} 页", page=n + 1, pages=len(texts)) if len(texts) > 1 else "",
            "more": tr("全文请到一体机查阅") if more and n == len(texts) - 1 else "",
        }
        for n, text in enumerate(texts)
    ]
    for sha in page.get("videos", []):
        url = media(page["id"], sha)
        if url and url not in failed:
            slides.append({**common, "kind": "video", "source": url, "paragraphs": [], "image": "",
                           "pageText": "", "more": ""})  # fmt: skip
    return slides


def _cover_slides(gazette: dict[str, Any], seconds: int, layout: Layout) -> list[dict[str, Any]]:
    height = layout.height - HEADER - 2 * MARGIN - (SIDE if layout.calls and not layout.landscape else 0)
    title_lines = min(3, math.ceil(width(gazette["title"]) * COVER_TITLE_PX / layout.inner_width))
    per_page = max(3, int((height - title_lines * COVER_TITLE_PX * 1.45 - META_PX * 1.45 - 40) // COVER_STEP))
    toc = gazette.get("toc", [])
    chunks = [toc[i : i + per_page] for i in range(0, len(toc), per_page)] or [[]]
    return [
        {
            "kind": "cover",
            "title": gazette["title"],
            "date": gazette.get("date", ""),
            "entries": chunk,
            "pageText": tr("目录 {page} / {pages}", page=n + 1, pages=len(chunks))
            if len(chunks) > 1
            else tr("目录"),
            "seconds": seconds,
        }
        for n, chunk in enumerate(chunks)
    ]


def slides(
    entry: dict[str, Any],
    content: dict[str, Any],
    layout: Layout,
    media: Media,
    failed: set[str] = frozenset(),
) -> list[dict[str, Any]]:
    """An entry's slides (each with its `seconds`); [] when it has nothing to show (no issue yet, an item
    the library dropped)."""
    seconds = int(entry.get("seconds", 20))
    if entry["show"] == "notices":
        found = [
            s
            for n in content.get("notices", [])
            for s in _document_slides(n, "notice", seconds, layout, media, failed)
        ]
        return found or [{"kind": "idle", "seconds": seconds}]
    if entry["show"] == "gazette":
        gazette = content.get("gazette")
        if not gazette:
            return []
        pages = [
            s
            for p in gazette.get("pages", [])
            for s in _document_slides(p, "page", seconds, layout, media, failed)
        ]
        return _cover_slides(gazette, seconds, layout) + pages
    item = (content.get("items") or {}).get(entry.get("item", ""))
    return _document_slides(item, "page", seconds, layout, media, failed) if item else []


@dataclass
class Shown:
    """One slide on screen and what it belongs to."""

    slide: dict[str, Any]
    mode: str  # 公示牌 / 电子阅报栏 / …, for the heartbeat
    index: int


class Rotation:
    """The slides of the entries playing now, one after the other, each for its seconds.

    `show(now, key, build)`: `key` names what is playing (content version, entries, layout); when it
    changes the slides are built again (`build() -> [(mode, slide), …]`) and the rotation goes on from
    the start. A clock set back (or a jump of hours) restarts the current slide rather than racing."""

    def __init__(self) -> None:
        self.key: Any = None
        self.items: list[tuple[str, dict[str, Any]]] = []
        self.index = 0
        self.started: datetime | None = None

    def show(
        self, now: datetime, key: Any, build: Callable[[], list[tuple[str, dict[str, Any]]]]
    ) -> Shown | None:
        if key != self.key:
            self.key, self.items, self.index, self.started = key, build(), 0, now
        if not self.items:
            return None
        assert self.started is not None
        elapsed = (now - self.started).total_seconds()
        if elapsed < 0 or elapsed > 3600:
            self.started, elapsed = now, 0.0
        while elapsed >= self.items[self.index][1]["seconds"]:
            elapsed -= self.items[self.index][1]["seconds"]
            self.index = (self.index + 1) % len(self.items)
        self.started = now - timedelta(seconds=elapsed)
        mode, slide = self.items[self.index]
        return Shown(slide, mode, self.index)

    def skip(self, now: datetime) -> None:
        """Go on to the next slide now (a video that cannot play)."""
        if self.items:
            self.index = (self.index + 1) % len(self.items)
            self.started = now
