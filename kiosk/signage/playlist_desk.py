"""Staff's playlist, Qt-free: the hall's own playlist listed in words, an entry added from choosers (what
plays, dates from–to, weekdays, a daypart, priority, seconds a page), an entry deleted. Each change is
checked by the playlist's own rules (`kiosk.signage.playlist.parse`), every error placed beside its field
in Chinese, and nothing is kept from a bad one; a good one is saved as the hall's own
`signage/playlist.json` (what `kiosk display --set-playlist` writes) and announced as a content change, so
the displays fetch it at once. Without a hall playlist the page starts from the tier's default.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.i18n import N_, tr, translate
from kiosk.signage import playlist as playlists
from kiosk.signage.files import read_json, signage_dir, write_json

if TYPE_CHECKING:
    from kiosk.library_service import LibraryService

log = logging.getLogger(__name__)

# The page's daypart chooser: its key, its name, the time windows it stands for.
DAYPARTS = (
    ("all", N_("全天"), ()),
    ("morning", N_("上午 08:00–12:00"), ("08:00-12:00",)),
    ("afternoon", N_("下午 14:00–18:00"), ("14:00-18:00",)),
    ("office", N_("办公时间（上午和下午）"), ("08:00-12:00", "14:00-18:00")),
    ("evening", N_("晚间 18:00–22:00"), ("18:00-22:00",)),
)
FIELDS = ("show", "item", "from", "to", "weekdays", "times", "priority", "seconds")
DAY_NAMES = "一二三四五六日"
_WHERE = re.compile(r"^第(\d+)项(?:\.([a-z_]+))?")
# The rules' words for a JSON author, said as the page's choosers say it.
FOR_THE_PAGE = {"show 为 item 时须写明内容编号": N_("选“单篇内容”时请填写内容编号")}


class EntryInvalid(ValueError):
    """An entry the playlist's rules refuse: `errors` maps a field of the page to its Chinese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(f"playlist entry refused: {', '.join(sorted(errors))}")
        self.errors = errors
        self.zh = tr("播放项有误，未保存：{errors}", errors="；".join(errors.values()))


def _weekdays_text(days: tuple[int, ...]) -> str:
    if days == playlists.WEEK:
        return tr("每天")
    if days == (1, 2, 3, 4, 5):
        return tr("工作日")
    return tr("星期{days}", days="、".join(DAY_NAMES[d - 1] for d in days))


def describe(entry: playlists.Entry) -> dict[str, Any]:
    """One entry as the page lists it."""
    dates = (
        tr("{start} 至 {end}", start=entry.date_from or tr("即日"), end=entry.date_to or tr("长期"))
        if entry.date_from or entry.date_to
        else tr("长期")
    )
    times = "、".join(f"{a}–{b}" for a, b in entry.times) or tr("全天")
    name = playlists.SHOWS.get(entry.show, entry.show) + (f"（{entry.item}）" if entry.item else "")
    return {
        "id": entry.id,
        "name": name,
        "when": f"{dates}，{_weekdays_text(entry.weekdays)}，{times}",
        "detail": tr("每页 {seconds} 秒，优先级 {priority}", seconds=entry.seconds, priority=entry.priority),
    }


def placed(errors: list[str], index: int) -> dict[str, str]:
    """The rules' errors about entry `index` (1-based) by the page's field; others under `form`."""
    found: dict[str, str] = {}
    for error in errors:
        # content.playlist's checker: Message("{where}：{problem}", …) for a field, the problem alone otherwise
        values = getattr(error, "values", {})
        where, message = values.get("where", ""), values.get("problem", error)
        match = _WHERE.match(where)
        if match and int(match.group(1)) == index:
            field = match.group(2) or ("to" if "结束日期" in message else "form")  # content's word
            field = {"id": "form", "title": "form"}.get(field, field)
        else:
            field, message = "form", error
        found.setdefault(field if field in FIELDS else "form", translate(FOR_THE_PAGE.get(message, message)))
    return found


class PlaylistDesk:
    def __init__(self, data_dir: Path, library: LibraryService, tier: Callable[[], str]):
        self.path = signage_dir(data_dir) / "playlist.json"
        self.library = library
        self.tier = tier

    def current(self) -> playlists.Playlist:
        """The hall's own playlist, else the tier's default (a damaged file too: logged)."""
        try:
            data = read_json(self.path, None)
            return playlists.default_playlist(self.tier()) if data is None else playlists.parse(data)
        except (ValueError, OSError) as exc:
            log.error("signage: %s unusable, the page starts from the default: %s", self.path, exc)
            return playlists.default_playlist(self.tier())

    def entries(self) -> list[dict[str, Any]]:
        return [describe(e) for e in self.current().entries]

    def add(self, form: dict[str, Any]) -> dict[str, Any]:
        """Add an entry from the page's choosers; `EntryInvalid` places each error by its field."""
        plan = self.current()
        taken = {e.id for e in plan.entries}
        number = next(n for n in range(1, len(taken) + 2) if f"staff-{n}" not in taken)
        chosen = form.get("daypart", "all")
        daypart = {key: times for key, _, times in DAYPARTS}.get(chosen) if isinstance(chosen, str) else None
        if daypart is None:
            raise EntryInvalid({"times": tr("请从列表中选择时段")})
        raw = {
            "id": f"staff-{number}",
            "show": form.get("show"),
            "seconds": form.get("seconds"),
            "priority": form.get("priority"),
            "from": form.get("from", ""),
            "to": form.get("to", ""),
            "weekdays": form.get("weekdays"),
            "times": list(daypart),
        }
        if form.get("item"):
            raw["item"] = form["item"]
        data = plan.to_json()
        data["entries"].append(raw)
        try:
            saved = playlists.parse(data)
        except playlists.PlaylistInvalid as exc:
            raise EntryInvalid(placed(exc.errors, len(data["entries"]))) from None
        self._save(saved)
        return describe(saved.entries[-1])

    def delete(self, entry_id: str) -> bool:
        plan = self.current()
        kept = [e for e in plan.to_json()["entries"] if e["id"] != entry_id]
        if len(kept) == len(plan.entries):
            return False
        if not kept:
            raise EntryInvalid({"form": tr("至少要保留一个播放项（公示屏不能没有内容）")})
        self._save(playlists.parse({**plan.to_json(), "entries": kept}))
        return True

    def _save(self, plan: playlists.Playlist) -> None:
        write_json(self.path, plan.to_json())
        self.library.changed("signage")
