"""The API's error page as a browser shows it: Chinese, no script errors (and the browser fixture works)."""

from __future__ import annotations

import pytest
from browser import console_errors  # tests/helpers, on the path from tests/conftest.py

from kiosk.api.runner import ApiRunner
from kiosk.config import defaults
from kiosk.services import build


@pytest.fixture
def api(tmp_path):
    services = build(defaults(), tmp_path / "data", bundled=False)
    runner = ApiRunner(services, "127.0.0.1", 0)
    runner.start()
    yield runner
    runner.stop()
    services.close()


def test_an_unknown_page_says_so_in_chinese(api, browser):
    browser.get(f"{api.url}/w/no-such-page")
    assert "没有这个地址" in browser.find_element("tag name", "body").text
    assert console_errors(browser) == []
