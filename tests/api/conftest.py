"""Fixtures of the API's tests: a real kiosk API on loopback over real services and a real `queue.db`
configured with a small hall, on a clock the test sets (a weekday morning in the hall's time)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kiosk.api.runner import ApiRunner
from kiosk.config import defaults
from kiosk.queue import Queue, parse_config
from kiosk.services import build

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


class KioskWithQueue:
    """The kiosk's services with its queue (`services.queue`), as the API is given them."""

    def __init__(self, services, queue):
        self._services = services
        self.queue = queue

    def __getattr__(self, name):
        return getattr(self._services, name)


class Kiosk:
    def __init__(self, services: KioskWithQueue, api: ApiRunner):
        self.services = services
        self.queue = services.queue
        self.api = api
        self.url = api.url

    def token(self, window: int) -> str:
        return self.queue.issue_token(window)

    def bearer(self, window: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(window)}"}


@pytest.fixture
def kiosk(tmp_path):
    base = build(defaults(), tmp_path / "data", bundled=False)
    queue = Queue.open(tmp_path / "data", clock=Clock(datetime(2026, 12, 4, 10, 0, tzinfo=CST)))
    queue.configure(parse_config(HALL))
    services = KioskWithQueue(base, queue)
    api = ApiRunner(services, "127.0.0.1", 0)
    api.start()
    yield Kiosk(services, api)
    api.stop()
    queue.close()
    base.close()
