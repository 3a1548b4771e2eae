"""The real touch UI under a stand-in for systemd: `kiosk run` sends READY=1 once its home screen is
shown, WATCHDOG=1 at half of WatchdogSec= from the GUI thread, and no more pings while its event loop
is frozen (`freezable_kiosk.py` puts the GUI thread to sleep on request), so systemd would kill it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from notify_socket import NotifySocket

HERE = Path(__file__).resolve().parent
WATCHDOG_USEC = 400_000  # WatchdogSec=0.4: a ping every 0.2 s


def start_kiosk(tmp_path: Path, notify: str, **env: str) -> subprocess.Popen:
    config = tmp_path / "kiosk.toml"
    config.write_text("[content]\nbundled_gazette = true\n", encoding="utf-8")
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_CONFIG": str(config),
        "KIOSK_TEST_FREEZE": str(tmp_path / "freeze"),
        "NOTIFY_SOCKET": notify,
        **env,
    }
    return subprocess.Popen(
        [sys.executable, str(HERE / "freezable_kiosk.py"), "run", "--window"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


@pytest.mark.slow
def test_ready_once_home_is_shown_then_watchdog_pings_that_stop_when_the_event_loop_freezes(tmp_path):
    with NotifySocket() as listener:
        kiosk = start_kiosk(tmp_path, listener.name, WATCHDOG_USEC=str(WATCHDOG_USEC))
        try:
            ready = listener.wait_for("READY", 60)
            assert ready is not None, stop(kiosk)
            assert ready["READY"] == "1" and ready["STATUS"] == "home screen shown"
            started = time.monotonic()
            while time.monotonic() - started < 2.0:
                assert listener.receive(1.0) == {"WATCHDOG": "1"}
            pings = [t for t, fields in listener.messages if "WATCHDOG" in fields and t >= started]
            assert 6 <= len(pings) <= 14, len(pings)  # every 0.2 s, give or take a busy machine

            (tmp_path / "freeze").write_text("3")  # the GUI thread sleeps 3 s
            while (tmp_path / "freeze").exists():
                assert kiosk.poll() is None
                listener.receive(0.05)
            frozen_at = time.monotonic()
            assert listener.receive(2.0) is None  # 2 s = five WatchdogSec= without a ping: systemd kills
            assert kiosk.poll() is None  # alive but silent: only the watchdog can tell
            assert listener.wait_for("WATCHDOG", 5) is not None  # the loop runs again after the sleep
            assert time.monotonic() - frozen_at >= 2.5
        finally:
            output = stop(kiosk)
        assert "Traceback" not in output, output


def test_without_a_watchdog_the_kiosk_says_ready_and_never_pings(tmp_path):
    with NotifySocket() as listener:
        kiosk = start_kiosk(tmp_path, listener.name)
        try:
            assert listener.wait_for("READY", 60) is not None, stop(kiosk)
            assert listener.receive(1.0) is None
        finally:
            stop(kiosk)


@pytest.mark.slow
def test_a_crash_loop_holds_the_kiosk_at_the_maintenance_screen_with_the_fault_in_its_heartbeat(tmp_path):
    from kiosk.crash_loop import BURST, maintenance
    from kiosk.health import DeviceHealth

    for _ in range(BURST):  # a kiosk that dies at every start, as systemd would restart it
        crashing = start_kiosk(tmp_path, "", QT_QPA_PLATFORM="no-such-platform")
        output = stop_after_exit(crashing)
        assert crashing.returncode != 0, output
    with NotifySocket() as listener:
        kiosk = start_kiosk(tmp_path, listener.name)
        try:
            ready = listener.wait_for("READY", 60)
            assert ready is not None, stop(kiosk)
            assert ready["STATUS"] == f"系统维护中 maintenance: {maintenance()}"
            assert kiosk.poll() is None  # held, not flapping
            faults = DeviceHealth(config_of(tmp_path), tmp_path / "data").faults()
            assert any("crash loop" in fault for fault in faults), faults
        finally:
            stop(kiosk)


def stop_after_exit(process: subprocess.Popen) -> str:
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        return stop(process)
    return output


def config_of(tmp_path: Path):
    from kiosk.config import load

    return load(tmp_path / "kiosk.toml")
