"""The displays' playlist and emergency notices as the city publishes them (`city signage …`).

After a sync, `city_signage/playlist.json` and `city_signage/emergency.json` (as received, see
`city/signage_publish.py`) are put in the signage store as the **city** source, beside staff's:

- the playlist: checked again with the same code (`content/playlist.py`) and kept as
  `signage/playlist.city.json`. **Precedence**: the hall's own playlist (`signage/playlist.json`, set by
  staff) plays where there is one; else the city's; else the tier's default (`in_force`).
- emergency notices: the city's notices in the store (`Emergencies`, source "city") become exactly the
  ones received, with their end times in local time; staff's notices stay. A notice the city withdrew
  (or whose end passed) comes down; the display also takes an ended one down by itself. A list is
  applied once: a city notice staff take down at the hall stays down until the city's list changes.

A record that is not right is refused and logged: the city source in force stays.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from content.channel import parse_time
from content.emergency_notice import CITY_NOTICES_TYPE, EmergencyInvalid, check_words
from content.errors import ContentError
from content.playlist import CITY_FOLDER as FOLDER
from content.playlist import CITY_PLAYLIST_TYPE, PlaylistInvalid, parse
from kiosk.i18n import tr, translate
from kiosk.signage.emergency import Emergencies, Emergency
from kiosk.signage.files import read_json, signage_dir, write_json

log = logging.getLogger(__name__)

CITY_PLAYLIST = "playlist.city.json"
CITY_NOTICES = "emergency.city.json"  # the city's list as last applied


class RecordRefused(ValueError):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def in_force(data_dir: Path) -> Any | None:
    """The playlist to play, as JSON: staff's, else the city's, else None (the tier's default)."""
    for name in ("playlist.json", CITY_PLAYLIST):
        data = read_json(signage_dir(data_dir) / name, None)
        if data is not None:
            return data
    return None


def _record(path: Path, kind: str, field: str) -> Any | None:
    try:
        value = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (UnicodeDecodeError, ValueError):
        raise RecordRefused(f"{path.name}: not JSON", tr("市级公示屏内容不是有效的 JSON")) from None
    if not (
        isinstance(value, dict) and value.get("type") == kind and value.get("format") == 1 and field in value
    ):
        raise RecordRefused(f"{path.name}: not a {kind} record", tr("市级公示屏内容格式不符"))
    return value[field]


def _playlist(data_dir: Path) -> bool:
    target = signage_dir(data_dir) / CITY_PLAYLIST
    raw = _record(data_dir / FOLDER / "playlist.json", CITY_PLAYLIST_TYPE, "playlist")
    if raw is None:
        if target.exists():
            target.unlink()
            return True
        return False
    plan = parse(raw).to_json()
    if read_json(target, None) == plan:
        return False
    write_json(target, plan)
    return True


def parse_notice(raw: Any) -> Emergency:
    if not isinstance(raw, dict) or set(raw) != {"id", "title", "text", "issued_at", "until"}:
        raise RecordRefused("an emergency notice has the wrong fields", tr("市级紧急通知格式不符"))
    if not all(isinstance(raw[k], str) for k in raw) or not raw["id"].isalnum() or len(raw["id"]) > 32:
        raise RecordRefused("an emergency notice has the wrong fields", tr("市级紧急通知格式不符"))
    title, text = check_words(raw["title"], raw["text"])

    def local(value: str) -> str:
        moment = parse_time(value, tr("市级紧急通知的时间")).astimezone().replace(tzinfo=None, second=0)
        return moment.isoformat(timespec="minutes")

    until = local(raw["until"]) if raw["until"] else ""
    return Emergency(f"city-{raw['id']}", title, text, local(raw["issued_at"]), until, "city")


def _emergencies(data_dir: Path, now: datetime) -> bool:
    raw = _record(data_dir / FOLDER / "emergency.json", CITY_NOTICES_TYPE, "notices")
    if raw is not None and not isinstance(raw, list):
        raise RecordRefused("notices is not a list", tr("市级紧急通知格式不符"))
    notices = [parse_notice(n) for n in raw or []]
    applied = signage_dir(data_dir) / CITY_NOTICES
    if read_json(applied, None) == [asdict(n) for n in notices]:
        return False  # applied before: a notice staff took down here stays down
    changed = Emergencies(data_dir).replace_city(notices, now)
    write_json(applied, [asdict(n) for n in notices])
    return changed


def apply(data_dir: Path, kiosk_id: str, now: datetime | None = None) -> tuple[str, str]:
    """Put the city's playlist and notices in the store: (state, Chinese line for staff)."""
    now = now or datetime.now()
    problems, changed = [], False
    for name, step in (("playlist", _playlist), ("emergencies", lambda d: _emergencies(d, now))):
        try:
            changed |= step(data_dir)
        except (RecordRefused, PlaylistInvalid, EmergencyInvalid, ContentError) as exc:
            log.error("signage: the city's %s refused, the one in force stays: %s", name, exc)
            problems.append(exc.zh)
    if problems:
        return "refused", tr(
            "市级公示屏内容未生效，仍使用原内容：{reason}", reason="；".join(translate(p) for p in problems)
        )
    if not changed:
        return "unchanged", ""
    current = [e for e in Emergencies(data_dir).current(now) if e.source == "city"]
    return "applied", tr("市级公示屏内容已更新（紧急通知 {count} 条）", count=len(current))
