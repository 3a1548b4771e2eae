"""The small hall the API's tests use (two services open all day, three windows) and a settable clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))

HALL = {
    "queue": {"priority_every": 2, "recalls_before_no_show": 2, "call_timeout_minutes": 0},
    "service": [
        {"key": "shebao", "name": "社保医保", "prefix": "A"},
        {"key": "hukou", "name": "户籍办理", "prefix": "B"},
    ],
    "window": [
        {"number": 1, "name": "1号窗口", "services": ["shebao", "hukou"]},
        {"number": 2, "name": "2号窗口", "services": ["shebao"]},
        {"number": 3, "name": "3号窗口", "services": ["hukou"]},
    ],
}


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now
