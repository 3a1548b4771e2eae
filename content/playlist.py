"""The display's playlist: what plays when (Anthias' date and time windows, Xibo's dayparts and priority).

A playlist is data, written by staff (`kiosk display --set-playlist`) or handed down by the city (`city
signage playlist FILE`), and checked here, by the kiosk and by the city before it signs one, before it is
kept:

```json
{"screen_on": {"weekdays": [1, 2, 3, 4, 5], "times": ["07:30-18:30"]},
 "entries": [{"id": "notices", "show": "notices", "seconds": 20, "priority": 0},
             {"id": "gazette", "show": "gazette", "seconds": 30, "weekdays": [1, 2, 3, 4, 5],
              "times": ["08:00-12:00", "14:00-18:00"], "from": "2026-12-01", "to": "2026-12-31"},
             {"id": "policy", "show": "item", "item": "doc-id", "priority": 10, "times": ["09:00-10:00"]}]}
```

`show` is `notices` (公示牌: the notices valid now), `gazette` (电子阅报栏: the latest issue) or `item` (one
library item). An entry plays on the dates from–to (inclusive, either open), on its weekdays (1 = Monday)
and in its time windows; of the entries that may play at a moment, only those of the highest priority
do. `screen_on` is when the screen is lit at all (absent: always). Every error is collected and named
by its place, in Chinese for staff (`PlaylistInvalid.errors`), and nothing is kept from a bad playlist.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from translatable import Joined, Message

CITY_FOLDER = "city_signage"  # the city's `file:city_signage/playlist.json` and `…/emergency.json`
CITY_PLAYLIST_TYPE = "zwgk-city-playlist"  # {"type", "format": 1, "playlist": the checked playlist}
SHOWS = {"notices": "公示牌", "gazette": "电子阅报栏", "item": "单篇内容"}
MAX_ENTRIES = 200
SECONDS = (5, 600)
PRIORITY = (0, 100)
WEEK = (1, 2, 3, 4, 5, 6, 7)
_TIMES = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
ENTRY_KEYS = {"id", "show", "item", "title", "seconds", "from", "to", "weekdays", "times", "priority"}


class PlaylistInvalid(ValueError):
    """A playlist that cannot be kept; `errors` are Chinese lines for staff, one per problem."""

    def __init__(self, errors: list[str]):
        super().__init__(f"invalid playlist: {len(errors)} problem(s)")
        self.errors = errors
        self.zh = Message(
            "播放列表有 {count} 处错误，未保存：\n  {errors}",
            count=len(errors),
            errors=Joined("\n  ", errors),
        )


@dataclass(frozen=True)
class Entry:
    id: str
    show: str
    item: str = ""
    title: str = ""
    seconds: int = 20
    date_from: str = ""  # ISO date, '' open
    date_to: str = ""
    weekdays: tuple[int, ...] = WEEK
    times: tuple[tuple[str, str], ...] = ()  # ("08:00", "12:00"); () all day
    priority: int = 0


@dataclass(frozen=True)
class Playlist:
    entries: tuple[Entry, ...]
    on_weekdays: tuple[int, ...] = WEEK
    on_times: tuple[tuple[str, str], ...] = ()  # () lit all day

    def to_json(self) -> dict[str, Any]:
        """The playlist as the local API serves it, in its own format with every default filled in."""
        return {
            "screen_on": {
                "weekdays": list(self.on_weekdays),
                "times": [f"{a}-{b}" for a, b in self.on_times],
            },
            "entries": [
                {
                    **{k: v for k, v in asdict(e).items() if k not in ("date_from", "date_to")},
                    "from": e.date_from,
                    "to": e.date_to,
                    "weekdays": list(e.weekdays),
                    "times": [f"{a}-{b}" for a, b in e.times],
                }
                for e in self.entries
            ],
        }


def default_playlist(tier: str) -> Playlist:
    """Without a playlist: the notice board everywhere, the gazette too where the tier has an 电子阅报栏
    (city and county halls, Appendices A–C)."""
    entries = [Entry("notices", "notices", seconds=20)]
    if tier in ("省", "市", "县"):
        entries.append(Entry("gazette", "gazette", seconds=30))
    return Playlist(tuple(entries))


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, zh: str) -> None:
        self.errors.append(Message("{where}：{problem}", where=where, problem=zh) if where else zh)

    def integer(self, value: Any, where: str, bounds: tuple[int, int]) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, Message("应为整数（现为 {shown}）", shown=_shown(value)))
            return None
        if not bounds[0] <= value <= bounds[1]:
            self.fail(
                where,
                Message(
                    "应在 {low} 到 {high} 之间（现为 {value}）", low=bounds[0], high=bounds[1], value=value
                ),
            )
            return None
        return value

    def text(self, value: Any, where: str, limit: int) -> str | None:
        if not isinstance(value, str):
            self.fail(where, Message("应为文字（现为 {shown}）", shown=_shown(value)))
            return None
        if len(value) > limit:
            self.fail(where, Message("不能超过 {limit} 个字", limit=limit))
            return None
        return value.strip()

    def day(self, value: Any, where: str) -> str:
        if value in (None, ""):
            return ""
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value).isoformat()
        except ValueError:
            self.fail(where, Message("应为日期，如 2026-12-01（现为 {shown}）", shown=_shown(value)))
            return ""

    def weekdays(self, value: Any, where: str) -> tuple[int, ...]:
        if value is None:
            return WEEK
        if not isinstance(value, list) or not value:
            self.fail(where, Message("应为星期几的列表，如 [1, 2, 3, 4, 5]（1 为星期一）"))
            return WEEK
        days = []
        for n, day in enumerate(value, 1):
            if isinstance(day, bool) or day not in WEEK:
                self.fail(
                    Message("{where}第{n}项", where=where, n=n),
                    Message("应为 1 到 7（1 为星期一，现为 {shown}）", shown=_shown(day)),
                )
            elif day in days:
                self.fail(Message("{where}第{n}项", where=where, n=n), Message("星期{day}重复", day=day))
            else:
                days.append(day)
        return tuple(sorted(days)) or WEEK

    def times(self, value: Any, where: str) -> tuple[tuple[str, str], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(where, Message('应为时段列表，如 ["08:00-12:00"]'))
            return ()
        windows = []
        for n, window in enumerate(value, 1):
            match = _TIMES.match(window) if isinstance(window, str) else None
            minutes = _minutes(match) if match else None
            if minutes is None:
                self.fail(
                    Message("{where}第{n}项", where=where, n=n),
                    Message("应为“时:分-时:分”，如 08:00-12:00（现为 {shown}）", shown=_shown(window)),
                )
            elif minutes[0] >= minutes[1]:
                self.fail(
                    Message("{where}第{n}项", where=where, n=n),
                    Message("结束时间应晚于开始时间（{window}；跨零点请分成两段）", window=window),
                )
            else:
                windows.append((window[:5], window[6:]))
        return tuple(sorted(windows))


def _minutes(match: re.Match[str]) -> tuple[int, int] | None:
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        return None
    return h1 * 60 + m1, h2 * 60 + m2


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:39] + "…"


def parse(data: Any) -> Playlist:
    """The checked playlist from its JSON value; raises `PlaylistInvalid` naming every problem."""
    check = _Checker()
    if not isinstance(data, dict):
        raise PlaylistInvalid([Message("播放列表应为一个对象，含 entries（播放项列表）")])
    for key in sorted(set(data) - {"entries", "screen_on"}):
        check.fail(_shown(key), Message("不是播放列表的字段（只有 entries 和 screen_on）"))
    on = data.get("screen_on") or {}
    if not isinstance(on, dict):
        check.fail("screen_on", Message("应为对象，含 weekdays 和 times"))
        on = {}
    for key in sorted(set(on) - {"weekdays", "times"}):
        check.fail(f"screen_on.{_shown(key)}", Message("不是字段（只有 weekdays 和 times）"))
    on_weekdays = check.weekdays(on.get("weekdays"), Message("亮屏星期"))
    on_times = check.times(on.get("times"), Message("亮屏时段"))
    raw = data.get("entries")
    if not isinstance(raw, list) or not raw:
        check.fail("entries", Message("至少要有一个播放项"))
        raw = []
    elif len(raw) > MAX_ENTRIES:
        check.fail(
            "entries",
            Message(
                "播放项不能超过 {max_entries} 个（现有 {count} 个）", max_entries=MAX_ENTRIES, count=len(raw)
            ),
        )
        raw = []
    entries, ids = [], set()
    for n, value in enumerate(raw, 1):
        entry = _entry(check, value, Message("第{n}项", n=n))
        if entry is None:
            continue
        if entry.id in ids:
            check.fail(Message("第{n}项", n=n), Message("编号“{id}”重复", id=entry.id))
        ids.add(entry.id)
        entries.append(entry)
    if check.errors:
        raise PlaylistInvalid(check.errors)
    return Playlist(tuple(entries), on_weekdays, on_times)


def _entry(check: _Checker, value: Any, where: str) -> Entry | None:
    if not isinstance(value, dict):
        check.fail(where, Message("播放项应为对象"))
        return None
    before = len(check.errors)
    for key in sorted(set(value) - ENTRY_KEYS):
        check.fail(f"{where}.{_shown(key)}", Message("不是播放项的字段"))
    entry_id = value.get("id")
    if not isinstance(entry_id, str) or not _ID.match(entry_id):
        check.fail(
            f"{where}.id", Message("编号应为 1–64 个字母、数字或 _.-（现为 {shown}）", shown=_shown(entry_id))
        )
    show = value.get("show")
    if not isinstance(show, str) or show not in SHOWS:
        check.fail(
            f"{where}.show",
            Message(
                "只能是 notices（公示牌）、gazette（电子阅报栏）或 item（现为 {shown}）", shown=_shown(show)
            ),
        )
    item = check.text(value.get("item", ""), f"{where}.item", 200) or ""
    if show == "item" and not item:
        check.fail(f"{where}.item", Message("show 为 item 时须写明内容编号"))
    if show != "item" and item:
        check.fail(f"{where}.item", Message("只有 show 为 item 时才写内容编号"))
    title = check.text(value.get("title", ""), f"{where}.title", 80) or ""
    seconds = check.integer(
        value.get("seconds", 20), Message("{where}.seconds（每页秒数）", where=where), SECONDS
    )
    priority = check.integer(
        value.get("priority", 0), Message("{where}.priority（优先级）", where=where), PRIORITY
    )
    date_from = check.day(value.get("from"), Message("{where}.from（开始日期）", where=where))
    date_to = check.day(value.get("to"), Message("{where}.to（结束日期）", where=where))
    if date_from and date_to and date_to < date_from:
        check.fail(
            where,
            Message("结束日期 {date_to} 早于开始日期 {date_from}", date_to=date_to, date_from=date_from),
        )
    weekdays = check.weekdays(value.get("weekdays"), Message("{where}.weekdays（星期）", where=where))
    times = check.times(value.get("times"), Message("{where}.times（时段）", where=where))
    if len(check.errors) > before:
        return None
    assert seconds is not None and priority is not None
    return Entry(entry_id, show, item, title, seconds, date_from, date_to, weekdays, times, priority)
