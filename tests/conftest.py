"""Fixtures shared by the tests of several parts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis's per-example deadline is a timed assertion, and the test machines are shared and noisy (a
# 0.1 ms example once took 266 ms under load): time is measured in bench/, never asserted here. Where a
# test gives its own settings, they are applied over this profile.
settings.register_profile("zwgk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("zwgk")

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))  # tests/helpers is not a package
# the `browser` and `browser_factory` fixtures (headless Chromium through Selenium) and the default voice
# pack (`default_pack`, built with espeak-ng) for every test
pytest_plugins = ["browser", "voice_pack"]


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """The environment the `city` and `kiosk` commands read: their data directories under `tmp_path` and a
    kiosk configuration without the bundled gazette (`tmp_path / "kiosk.toml"`, which a test may extend).
    Returns `tmp_path`."""
    monkeypatch.setenv("CITY_DATA_DIR", str(tmp_path / "city"))
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "kiosk"))
    config = tmp_path / "kiosk.toml"
    config.write_text("[content]\nbundled_gazette = false\n", encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(config))
    return tmp_path


@pytest.fixture
def diagnoses(monkeypatch):
    """Counts device diagnoses (each entry one `DeviceService.diagnose` call), which still run."""
    import kiosk.devices

    calls: list[int] = []
    real = kiosk.devices.DeviceService.diagnose

    def counted(self):
        calls.append(1)
        return real(self)

    monkeypatch.setattr(kiosk.devices.DeviceService, "diagnose", counted)
    return calls


@pytest.fixture
def speak_english(tmp_path):
    """`speak_english(catalogue)` makes `catalogue` ({Chinese: English}) the kiosk's language in use, as a
    `kiosk/locale/en.json` would; the Chinese is back after the test."""
    import json

    from kiosk import i18n

    def use(catalogue: dict[str, str]) -> None:
        folder = tmp_path / "english-catalogue"
        folder.mkdir(exist_ok=True)
        (folder / "en.json").write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
        i18n.set_language("en", folder)

    yield use
    i18n.set_language(i18n.SOURCE)
