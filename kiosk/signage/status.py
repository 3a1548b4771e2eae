"""What the kiosk knows of its displays: their heartbeats (what each shows, since when, its errors) and
their screenshots. The device heartbeat to the city carries `lines()` ("公示屏 hall：正在显示 公示牌（08:00
起）", "公示屏 hall：20 分钟未收到心跳"), so the fleet view sees each screen.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.i18n import tr
from kiosk.signage.files import read_json, signage_dir, write_bytes, write_json

log = logging.getLogger(__name__)

STALE_SECONDS = 300  # five missed heartbeats (one a minute)
MAX_ERRORS = 10
MAX_SCREENSHOT = 400 * 1024  # bytes of JPEG; the display downscales until it fits
SCREENSHOTS_KEPT = 5  # per display, newest kept
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class HeartbeatInvalid(ValueError):
    """A heartbeat or screenshot the kiosk refuses (English for the display's log; nothing is kept)."""


def _text(payload: dict[str, Any], key: str, limit: int) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise HeartbeatInvalid(f"{key} must be text of at most {limit} characters")
    return value


def check_id(display_id: Any) -> str:
    if not isinstance(display_id, str) or not _ID.match(display_id):
        raise HeartbeatInvalid("display must be 1-64 letters, digits or _.-")
    return display_id


def check_heartbeat(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise HeartbeatInvalid("a heartbeat is a JSON object")
    since = _text(payload, "since", 32)
    try:
        datetime.fromisoformat(since)
    except ValueError:
        raise HeartbeatInvalid("since must be an ISO time") from None
    errors = payload.get("errors", [])
    if not isinstance(errors, list) or not all(isinstance(e, str) for e in errors):
        raise HeartbeatInvalid("errors must be a list of text")
    return {
        "display": check_id(payload.get("display")),
        "showing": _text(payload, "showing", 40),
        "since": since[:16],
        "size": _text(payload, "size", 16),
        "online": bool(payload.get("online", True)),
        "errors": [" ".join(e.split())[:200] for e in errors[:MAX_ERRORS]],
    }


class Displays:
    """The displays' last heartbeats and screenshots under ``signage/`` (thread-safe)."""

    def __init__(self, data_dir: Path):
        self.dir = signage_dir(data_dir)
        self.path = self.dir / "displays.json"
        self._lock = threading.Lock()

    def beat(self, payload: Any, now: datetime) -> dict[str, Any]:
        beat = {**check_heartbeat(payload), "seen_at": now.isoformat(timespec="seconds")}
        known = self.all()
        with self._lock:
            known[beat["display"]] = beat
            write_json(self.path, known)
        return beat

    def all(self) -> dict[str, dict[str, Any]]:
        """The last heartbeat of each display ({} when the file is damaged: the next beats rebuild it)."""
        with self._lock:
            try:
                return read_json(self.path, {})
            except (ValueError, OSError) as exc:
                log.error("signage: %s unreadable: %s", self.path, exc)
                return {}

    def lines(self, now: datetime) -> list[str]:
        """One line per display for the device heartbeat, and one per error it reported."""
        lines = []
        for display_id, beat in sorted(self.all().items()):
            name = tr("公示屏 {display_id}", display_id=display_id)
            silent = (now - datetime.fromisoformat(beat["seen_at"])).total_seconds()
            if silent >= STALE_SECONDS:
                lines.append(tr("{name}：{minutes} 分钟未收到心跳", name=name, minutes=int(silent // 60)))
                continue
            since = datetime.fromisoformat(beat["since"])
            when = since.strftime("%H:%M") if since.date() == now.date() else since.strftime("%m-%d %H:%M")
            lines.append(
                tr("{name}：正在显示 {showing}（{when} 起）", name=name, showing=beat["showing"], when=when)
            )
            lines += [f"{name}：{error}" for error in beat["errors"]]
        return lines

    def save_screenshot(self, display_id: str, jpeg: bytes, now: datetime) -> Path:
        """Keep a display's screenshot (a JPEG of at most MAX_SCREENSHOT bytes); the oldest beyond
        SCREENSHOTS_KEPT are removed."""
        display_id = check_id(display_id)
        if not jpeg.startswith(b"\xff\xd8\xff") or not jpeg.rstrip(b"\0").endswith(b"\xff\xd9"):
            raise HeartbeatInvalid("a screenshot is a whole JPEG image")
        if len(jpeg) > MAX_SCREENSHOT:
            raise HeartbeatInvalid(f"a screenshot may be at most {MAX_SCREENSHOT} bytes, not {len(jpeg)}")
        folder = self.dir / "screenshots" / display_id
        path = folder / f"{now.strftime('%Y%m%dT%H%M%S')}.jpg"
        with self._lock:
            write_bytes(path, jpeg)
            for old in sorted(folder.glob("*.jpg"))[:-SCREENSHOTS_KEPT]:
                old.unlink(missing_ok=True)
        return path

    def latest_screenshot(self, display_id: str) -> Path | None:
        shots = sorted((self.dir / "screenshots" / check_id(display_id)).glob("*.jpg"))
        return shots[-1] if shots else None
