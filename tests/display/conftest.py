"""Fixtures of the display's tests: the kiosk's real services and local API on loopback over a test data
directory holding the bundled gazette (imported once, copied per test), which the display process reads
like a hall's TV does, and the display itself on a clock the test moves."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from kiosk.api.runner import ApiRunner  # noqa: E402
from kiosk.config import defaults  # noqa: E402
from kiosk.services import build  # noqa: E402

SHOTS = os.environ.get("DISPLAY_SCREENSHOTS")  # a folder to keep the screenshots in (docs/screenshots)


class KioskApi:
    def __init__(self, services, data_dir: Path):
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


@pytest.fixture(scope="session")
def gazette_data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("display-gazette")
    services = build(defaults(), path, bundled=True)
    services.library.open()
    assert services.library.store is not None, services.library.maintenance
    services.close()
    return path


@pytest.fixture
def kiosk_api(gazette_data, tmp_path):
    data_dir = tmp_path / "kiosk"
    shutil.copytree(gazette_data, data_dir)
    services = build(defaults(), data_dir, bundled=False)
    services.library.ensure_open()
    api = KioskApi(services, data_dir)
    api.start()
    yield api
    api.stop()
    services.close()


class Clock:
    """The display's clock, moved by the test: today (the kiosk's notices are valid by the real date)."""

    def __init__(self, at: time = time(9, 30)):
        self.now = datetime.combine(date.today(), at)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def set(self, at: time) -> None:
        self.now = datetime.combine(self.now.date(), at)


@pytest.fixture
def clock() -> Clock:
    return Clock()
