"""Real headless Chromium for page tests: Debian's `chromium` driven through `chromium-driver` by Selenium.

The fixtures are a plugin of `tests/conftest.py`, so every test can ask for them by name.
`browser` is a fresh Chromium (its own profile, so no cookies or storage from another test);
`browser_factory(width=…, height=…, mobile=False)` makes more of them (two windows' staff at once, a
phone-sized screen), all quit when the test ends. They run headless, without the sandbox when the
tests run as root (Chromium refuses to start otherwise), in Chinese with Noto Sans CJK SC as the page
fonts, and record the page's console: `console_errors(driver)` returns what the page logged as
errors (a test should assert it is empty; `network=True` adds failed loads). `screenshot(driver, path)`
saves a PNG of the page. A test is skipped only when Chromium or its driver is not installed
(`quickstart.py` installs both).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CJK_FONT = "Noto Sans CJK SC"


def _options(width: int, height: int, mobile: bool, profile: Path):
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    options.add_argument("--headless=new")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")  # /dev/shm is small in containers
    options.add_argument("--disable-gpu")
    options.add_argument("--no-first-run")
    options.add_argument("--lang=zh-CN")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--hide-scrollbars")
    fonts = {"standard": CJK_FONT, "sansserif": CJK_FONT, "serif": CJK_FONT}
    options.add_experimental_option(
        "prefs",
        {
            "intl.accept_languages": "zh-CN,zh",
            **{f"webkit.webprefs.fonts.{kind}.Hans": name for kind, name in fonts.items()},
            **{f"webkit.webprefs.fonts.{kind}.Zyyy": name for kind, name in fonts.items()},
        },
    )
    if mobile:
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0, "touch": True}},
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def start_chromium(width: int = 1280, height: int = 900, *, mobile: bool = False):
    """A new headless Chromium; the caller quits it (`driver.quit()`)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = Path(tempfile.mkdtemp(prefix="zwgk-chromium-"))
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=_options(width, height, mobile, profile))
    driver.set_page_load_timeout(30)
    driver._zwgk_profile = profile  # removed by quit_chromium
    return driver


def quit_chromium(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(driver._zwgk_profile, ignore_errors=True)


def console_errors(driver, *, network: bool = False) -> list[str]:
    """The page's script errors since the last call (uncaught exceptions, console.error); with `network`
    also failed loads (an error status the test asked for is one)."""
    sources = {"javascript", "console-api"} | ({"network"} if network else set())
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and entry.get("source") in sources
    ]


def screenshot(driver, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    return path


def _require_chromium() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (python3 quickstart.py test installs them)")


@pytest.fixture
def browser_factory() -> Iterator[Callable[..., object]]:
    _require_chromium()
    started = []

    def make(width: int = 1280, height: int = 900, *, mobile: bool = False):
        driver = start_chromium(width, height, mobile=mobile)
        started.append(driver)
        return driver

    yield make
    for driver in started:
        quit_chromium(driver)


@pytest.fixture
def browser(browser_factory):
    return browser_factory()
