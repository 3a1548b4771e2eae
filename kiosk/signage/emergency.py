"""Emergency notices (紧急通知): posted by staff or sent by the city, they interrupt whatever the display
plays until withdrawn or until their end time. Kept in ``signage/emergency.json``; the display gets
them with their end time and takes them down itself when that passes, even with the kiosk unreachable.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from content.emergency_notice import MAX_TEXT, MAX_TITLE, EmergencyInvalid, check_words
from kiosk.i18n import tr
from kiosk.signage.files import read_json, signage_dir, write_json

__all__ = ["MAX_TEXT", "MAX_TITLE", "SOURCES", "Emergencies", "Emergency", "EmergencyInvalid", "check"]

SOURCES = ("staff", "city")


@dataclass(frozen=True)
class Emergency:
    id: str
    title: str
    text: str
    issued_at: str  # local time, ISO to the minute
    until: str = ""  # local time, ISO to the minute; '' until withdrawn
    source: str = "staff"

    def active(self, now: datetime) -> bool:
        return not self.until or now < datetime.fromisoformat(self.until)


def _minute(value: datetime) -> str:
    return value.replace(second=0, microsecond=0).isoformat(timespec="minutes")


def check(title: str, text: str, until: str, now: datetime) -> tuple[str, str, str]:
    """The notice's title, text and end time, cleaned, or EmergencyInvalid."""
    title, text = check_words(title, text)
    if until:
        try:
            end = datetime.fromisoformat(until)
        except ValueError:
            raise EmergencyInvalid(
                f"{until!r} is not a time", tr("结束时间“{until}”无效（应如 2026-12-04T18:00）", until=until)
            ) from None
        if end.tzinfo is not None:
            raise EmergencyInvalid("the end time must be local time", tr("结束时间请写本地时间，不带时区"))
        if end <= now:
            raise EmergencyInvalid("the end time has passed", tr("结束时间已经过去"))
        until = _minute(end)
    return title, text, until


class Emergencies:
    """The emergency notices of this kiosk's displays (thread-safe: the API serves them from its threads)."""

    def __init__(self, data_dir: Path):
        self.path = signage_dir(data_dir) / "emergency.json"
        self._lock = threading.Lock()

    def _load(self) -> list[Emergency]:
        return [Emergency(**row) for row in read_json(self.path, [])]

    def post(
        self, title: str, text: str, until: str = "", *, now: datetime, source: str = "staff"
    ) -> Emergency:
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        title, text, until = check(title, text, until, now)
        notice = Emergency(f"em-{uuid.uuid4().hex[:10]}", title, text, _minute(now), until, source)
        with self._lock:
            write_json(self.path, [asdict(e) for e in self._load() if e.active(now)] + [asdict(notice)])
        return notice

    def withdraw(self, notice_id: str) -> bool:
        """Take a notice down; False when there was none of that id."""
        with self._lock:
            notices = self._load()
            kept = [e for e in notices if e.id != notice_id]
            if len(kept) == len(notices):
                return False
            write_json(self.path, [asdict(e) for e in kept])
            return True

    def replace_city(self, notices: list[Emergency], now: datetime) -> bool:
        """Make the city's notices exactly `notices` (staff's stay); whether anything changed."""
        with self._lock:
            kept = [e for e in self._load() if e.active(now)]
            new = [e for e in kept if e.source != "city"] + [e for e in notices if e.active(now)]
            if new == kept:
                return False
            write_json(self.path, [asdict(e) for e in new])
            return True

    def current(self, now: datetime) -> list[Emergency]:
        """The notices not withdrawn and not yet ended, oldest first."""
        with self._lock:
            return [e for e in self._load() if e.active(now)]
