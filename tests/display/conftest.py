"""Fixtures of the display's tests: the kiosk's real services and local API on loopback over a test data
directory holding the bundled gazette, which the display process reads like a hall's TV does."""

from __future__ import annotations

import pytest

from kiosk.api.runner import ApiRunner
from kiosk.config import defaults
from kiosk.services import build


class KioskApi:
    def __init__(self, services, data_dir):
        self.services = services
        self.data_dir = data_dir
        self.runner: ApiRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start (or start again, on the same port) the API."""
        self.runner = ApiRunner(self.services, "127.0.0.1", self.port)
        self.runner.start()
        self.port = self.runner.port

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.stop()
            self.runner = None


@pytest.fixture
def kiosk_api(tmp_path):
    services = build(defaults(), tmp_path / "kiosk", bundled=True)
    services.library.ensure_open()
    api = KioskApi(services, tmp_path / "kiosk")
    api.start()
    yield api
    api.stop()
    services.close()
