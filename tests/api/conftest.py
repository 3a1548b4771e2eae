"""Fixtures of the API's tests: a real kiosk API on loopback over the kiosk's real services, whose queue
(`queue.db`) is configured with a small hall and runs on a clock the test sets (a weekday morning)."""

from __future__ import annotations

from datetime import datetime

import pytest
from api_hall import CST, HALL, Clock

from kiosk.api.runner import ApiRunner
from kiosk.config import defaults
from kiosk.queue import parse_config
from kiosk.services import Services, build


class Kiosk:
    def __init__(self, services: Services, api: ApiRunner):
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
    services = build(defaults(), tmp_path / "data", bundled=False)
    services.queue.clock = Clock(datetime(2026, 12, 4, 10, 0, tzinfo=CST))
    services.queue.configure(parse_config(HALL))
    api = ApiRunner(services, "127.0.0.1", 0)
    api.start()
    yield Kiosk(services, api)
    api.stop()
    services.close()
