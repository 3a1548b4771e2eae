"""`city signage …`: the playlist and the emergency notices (紧急通知) of every hall's displays.

The city keeps what it publishes under its home (`city_signage/playlist.json`, `city_signage/emergency.json`)
and publishes both as the `city_signage` collection, `file:city_signage/playlist.json` and
`file:city_signage/emergency.json`, applied by each kiosk after its next sync (`kiosk/signage/channel.py`):

    {"type": "zwgk-city-playlist", "format": 1, "playlist": {…the playlist format, checked…}}
    {"type": "zwgk-city-emergencies", "format": 1, "notices": [{"id", "title", "text", "issued_at",
     "until"}]}                      # times in UTC ("…Z"); until "" means until withdrawn

A playlist is checked with the kiosk's own code (`content/playlist.py`) and a notice's words likewise
(`content/emergency_notice.py`) before anything is signed. Each publish carries the whole list of the
city's notices still in force: a withdrawn or ended one is simply no longer in it.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from city.home import CityError, CityHome
from city.lock import publish_lock
from city.publish import Collection, publish
from city.repo import PublishResult
from content.channel import Entry, canonical_json, format_time, parse_time
from content.emergency_notice import CITY_NOTICES_TYPE as EMERGENCIES_TYPE
from content.emergency_notice import EmergencyInvalid, check_words
from content.playlist import CITY_FOLDER as FOLDER
from content.playlist import CITY_PLAYLIST_TYPE as PLAYLIST_TYPE
from content.playlist import PlaylistInvalid, parse

MAX_HOURS = 24 * 14


def _path(home: CityHome, name: str) -> Path:
    return home.path / FOLDER / name


def _publish(home: CityHome) -> PublishResult:
    with publish_lock(home):  # blobs are added under the lock: `city gc` must not run in between
        entries = []
        for name in ("emergency.json", "playlist.json"):
            if _path(home, name).exists():
                data = _path(home, name).read_bytes()
                entries.append(Entry("file", f"file:{FOLDER}/{name}", home.repo.add_blob(data), len(data)))
        return publish(home, Collection(FOLDER, entries))


def _keep(home: CityHome, name: str, value: dict | None) -> None:
    path = _path(home, name)
    if value is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(canonical_json(value))
    part.replace(path)


def publish_playlist(home: CityHome, path: Path | None) -> PublishResult:
    """Check the playlist in `path` (JSON) and publish it; None withdraws the city's playlist."""
    if path is None:
        _keep(home, "playlist.json", None)
        return _publish(home)
    try:
        plan = parse(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise CityError(f"{path}: {exc}", f"无法读取 {path}（{exc.strerror}），未发布") from None
    except (UnicodeDecodeError, ValueError) as exc:
        zh = exc.zh if isinstance(exc, PlaylistInvalid) else f"{path} 不是有效的 JSON"
        raise CityError(f"{path}: {exc}", f"{zh}\n未发布") from None
    _keep(home, "playlist.json", {"type": PLAYLIST_TYPE, "format": 1, "playlist": plan.to_json()})
    return _publish(home)


def _notices(home: CityHome, now: datetime) -> list[dict]:
    path = _path(home, "emergency.json")
    notices = json.loads(path.read_bytes())["notices"] if path.exists() else []
    return [n for n in notices if not n["until"] or parse_time(n["until"], "until") > now]


def post_emergency(home: CityHome, title: str, text: str, hours: int, now: datetime | None = None) -> str:
    """Publish an emergency notice to every hall for `hours` (0: until withdrawn); its id."""
    now = now or datetime.now(UTC)
    try:
        title, text = check_words(title, text)
    except EmergencyInvalid as exc:
        raise CityError(str(exc), f"{exc.zh}，未发布") from None
    if not 0 <= hours <= MAX_HOURS:
        raise CityError(
            f"--hours must be 0-{MAX_HOURS}", f"插播时长应为 0 到 {MAX_HOURS} 小时（0 为直到撤回）"
        )
    notice_id = uuid.uuid4().hex[:10]
    until = format_time(now + timedelta(hours=hours)) if hours else ""
    notice = {"id": notice_id, "title": title, "text": text, "issued_at": format_time(now), "until": until}
    _keep(
        home,
        "emergency.json",
        {"type": EMERGENCIES_TYPE, "format": 1, "notices": [*_notices(home, now), notice]},
    )
    _publish(home)
    return notice_id


def withdraw_emergency(home: CityHome, notice_id: str, now: datetime | None = None) -> PublishResult:
    """Take the city's notice `notice_id` down on every hall (CityError when there is none in force)."""
    notices = _notices(home, now or datetime.now(UTC))
    kept = [n for n in notices if n["id"] != notice_id]
    if len(kept) == len(notices):
        raise CityError(f"no emergency notice {notice_id} in force", f"没有正在插播的紧急通知 {notice_id}")
    _keep(home, "emergency.json", {"type": EMERGENCIES_TYPE, "format": 1, "notices": kept})
    return _publish(home)
