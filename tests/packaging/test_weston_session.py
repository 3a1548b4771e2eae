"""Boot to kiosk with no screen attached: weston's kiosk shell with the packaged weston.ini, the touch UI started with
its unit's command line and environment (QT_QPA_PLATFORM=wayland), reaching READY=1 on a real Wayland
compositor, placed by its app id full screen on the output, then frozen, killed the way systemd's
watchdog kills (SIGABRT) and back on screen after the unit's RestartSec=.

The unit's WatchdogSec=10 would make the freeze last 10 s here; the test hands the kiosk a 1 s watchdog
through WATCHDOG_USEC as systemd would (the GUI-thread ping is what is under test, not the number)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from notify_socket import NotifySocket
from weston_session import Weston, seconds, unit_command, unit_environment, unit_service

HERE = Path(__file__).resolve().parent
UNIT = "zwgk-kiosk.service"
WATCHDOG_SECONDS = 1.0
APP_ID = "zwgk-kiosk"


@pytest.fixture
def weston(tmp_path):
    session = Weston(tmp_path / "run")
    yield session
    session.stop()


def start_touch_ui(
    tmp_path: Path, weston: Weston, notify: str, attempt: int
) -> tuple[subprocess.Popen, Path]:
    config = tmp_path / "kiosk.toml"
    config.write_text("[content]\nbundled_gazette = true\n", encoding="utf-8")
    environment = dict(os.environ)
    environment.pop("QT_QPA_PLATFORM", None)
    environment.pop("DISPLAY", None)
    environment.update(unit_environment(UNIT))
    environment.update(
        weston.client_environment(),
        KIOSK_DATA_DIR=str(tmp_path / "data"),
        KIOSK_CONFIG=str(config),
        KIOSK_TEST_FREEZE=str(tmp_path / "freeze"),
        NOTIFY_SOCKET=notify,
        WATCHDOG_USEC=str(int(WATCHDOG_SECONDS * 1_000_000)),
        WAYLAND_DEBUG="client",  # the protocol on stderr: which app id, which size the shell gave
    )
    wire = tmp_path / f"wayland-{attempt}.log"
    with wire.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "freezable_kiosk.py"), *unit_command(UNIT)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return process, wire


def end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def placed_full_screen(wire: Path) -> tuple[bool, list[tuple[int, int]]]:
    """(the app id was set to ours, the sizes the shell configured the toplevel with)."""
    text = wire.read_text(encoding="utf-8", errors="replace")
    app_id = re.search(rf'xdg_toplevel@\d+\.set_app_id\("{APP_ID}"\)', text) is not None
    sizes = [(int(w), int(h)) for w, h in re.findall(r"xdg_toplevel@\d+\.configure\((\d+), (\d+),", text)]
    return app_id, sizes


def assert_home_on_the_touch_output(shot: Path, size: tuple[int, int]) -> None:
    """The touch output (left) shows the home screen's blue title bar across its whole width."""
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    width, height = size
    assert image.size == (2 * width, height), image.size
    for x in (10, width // 2, width - 10):
        red, green, blue = image.getpixel((x, 20))
        assert blue > 100 and blue > red + 40, (x, (red, green, blue))  # the zone's blue, edge to edge


@pytest.mark.slow
def test_the_touch_ui_boots_on_weston_kiosk_shell_and_the_watchdog_restarts_a_frozen_one(tmp_path, weston):
    assert unit_environment(UNIT)["QT_QPA_PLATFORM"] == "wayland"
    restart_after = seconds(unit_service(UNIT)["RestartSec"][0])
    with NotifySocket() as listener:
        kiosk, wire = start_touch_ui(tmp_path, weston, listener.name, 1)
        try:
            ready = listener.wait_for("READY", 90)
            assert ready is not None, wire.read_text(errors="replace")[-3000:]
            assert ready["STATUS"] == "home screen shown"
            app_id, sizes = placed_full_screen(wire)
            assert app_id, "the touch UI did not give weston its app id"
            assert (1280, 800) in sizes, sizes  # kiosk-shell made it full screen on the output
            assert listener.wait_for("WATCHDOG", 5) is not None
            shot = weston.screenshot(tmp_path / "shots")
            assert_home_on_the_touch_output(shot, weston.size)

            (tmp_path / "freeze").write_text("120")  # a hung GUI thread
            last_ping = time.monotonic()
            while time.monotonic() - last_ping < WATCHDOG_SECONDS:  # what systemd's watchdog measures
                if listener.receive(0.05) == {"WATCHDOG": "1"} and (tmp_path / "freeze").exists():
                    last_ping = time.monotonic()
            assert kiosk.poll() is None  # alive, silent: only the watchdog can tell
            killed_at = time.monotonic()
            kiosk.send_signal(signal.SIGABRT)  # systemd's WatchdogSignal=
            assert kiosk.wait(20) != 0
            time.sleep(restart_after)
            kiosk, wire = start_touch_ui(tmp_path, weston, listener.name, 2)
            assert listener.wait_for("READY", 90) is not None, wire.read_text(errors="replace")[-3000:]
            back_after = time.monotonic() - killed_at
            assert placed_full_screen(wire)[0]
        finally:
            end(kiosk)
    assert weston.process.poll() is None, weston.log_text()  # the session outlives the kiosk's restart
    print(f"back on screen {back_after:.1f} s after the watchdog kill (RestartSec={restart_after:g})")
