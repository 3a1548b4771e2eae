"""The small hall the queue's tests use (two services open on weekdays, one needing the ID card, three
windows), valid ID numbers of three ages, and a settable clock (the hall's local time, UTC+8)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))

HALL = {
    "queue": {"priority_every": 2, "recalls_before_no_show": 2, "call_timeout_minutes": 10},
    "service": [
        {
            "key": "shebao",
            "name": "社保医保",
            "prefix": "A",
            "hours": ["08:30-12:00", "13:30-17:00"],
            "daily_cap": 50,
        },
        {"key": "hukou", "name": "户籍办理", "prefix": "B", "id_card": "required", "estimate_minutes": 8},
        {"key": "qiye", "name": "企业开办", "prefix": "C", "category": "企业类", "days": [1, 2, 3, 4, 5]},
    ],
    "window": [
        {"number": 1, "name": "1号窗口", "services": ["shebao", "hukou"]},
        {"number": 2, "name": "2号窗口", "services": ["shebao"]},
        {"number": 3, "name": "3号窗口", "services": ["hukou", "qiye"]},
    ],
}

# Valid GB 11643 numbers (check characters computed), born 1949, 1990 and 2001.
ELDER_ID = "11010519491231002X"
ADULT_ID = "110105199003071239"
YOUNG_ID = "440106200102280018"


class Clock:
    """The hall's wall clock, moved by the test."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
