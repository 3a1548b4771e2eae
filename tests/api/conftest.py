"""Fixtures of the API's tests: a real kiosk API on loopback over real services and a real `queue.db`
configured with a small hall, on a clock the test sets (a weekday morning in the hall's time)."""

from __future__ import annotations

from datetime import datetime

import pytest
from api_hall import CST, HALL, Clock, KioskWithQueue

from kiosk.api.runner import ApiRunner
from kiosk.config import defaults
from kiosk.queue import Queue, parse_config
from kiosk.services import build


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
