"""Boot to kiosk with no screen attached: weston's kiosk shell with the packaged weston.ini, each program
started with its unit's command line and environment (QT_QPA_PLATFORM=wayland). The touch UI reaches
READY=1 on a real Wayland compositor, placed by its app id full screen on the touch output, then is
frozen, killed the way systemd's watchdog kills (SIGABRT) and back on screen after the unit's
RestartSec=; `kiosk display` goes on the second output beside it.

The unit's WatchdogSec=10 would make the freeze last 10 s here; the test hands the kiosk a 1 s watchdog
through WATCHDOG_USEC as systemd would (the GUI-thread ping is what is under test, not the number)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from notify_socket import NotifySocket
from weston_session import Weston, seconds, unit_command, unit_environment, unit_service

HERE = Path(__file__).resolve().parent
UNIT = "zwgk-kiosk.service"
DISPLAY_UNIT = "zwgk-kiosk-display.service"
WATCHDOG_SECONDS = 1.0
APP_IDS = {UNIT: "zwgk-kiosk", DISPLAY_UNIT: "zwgk-kiosk-display"}


@pytest.fixture
def weston(tmp_path):
    session = Weston(tmp_path / "run")
    yield session
    session.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_unit(
    unit: str, tmp_path: Path, weston: Weston, notify: str, attempt: int, api_port: int
) -> tuple[subprocess.Popen, Path]:
    """The unit's command and environment, on the test's compositor, data directory and API port; the
    Wayland protocol it speaks goes to the returned log (which app id, which size the shell gave)."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f"[content]\nbundled_gazette = true\n\n[api]\nport = {api_port}\n", encoding="utf-8")
    environment = dict(os.environ)
    environment.pop("QT_QPA_PLATFORM", None)
    environment.pop("DISPLAY", None)
    environment.update(unit_environment(unit))
    environment.update(
        weston.client_environment(),
        KIOSK_DATA_DIR=str(tmp_path / "data"),
        KIOSK_CONFIG=str(config),
        KIOSK_TEST_FREEZE=str(tmp_path / "freeze"),
        NOTIFY_SOCKET=notify,
        WATCHDOG_USEC=str(int(WATCHDOG_SECONDS * 1_000_000)),
        WAYLAND_DEBUG="client",
    )
    wire = tmp_path / f"wayland-{unit}-{attempt}.log"
    with wire.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "freezable_kiosk.py"), *unit_command(unit)],
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


def placed_full_screen(wire: Path, unit: str) -> tuple[bool, list[tuple[int, int]]]:
    """(the unit's app id was set, the sizes the shell configured the toplevel with)."""
    text = wire.read_text(encoding="utf-8", errors="replace")
    app_id = re.search(rf'xdg_toplevel@\d+\.set_app_id\("{APP_IDS[unit]}"\)', text) is not None
    sizes = [(int(w), int(h)) for w, h in re.findall(r"xdg_toplevel@\d+\.configure\((\d+), (\d+),", text)]
    return app_id, sizes


def assert_blue_across(shot: Path, size: tuple[int, int], output: int) -> None:
    """Output `output` (0: the touch screen, on the left; 1: the TV) shows the zone's blue at its top from
    edge to edge: the home screen's title bar, the display's blue board."""
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    width, height = size
    assert image.size == (2 * width, height), image.size
    for x in (10, width // 2, width - 10):
        red, green, blue = image.getpixel((output * width + x, 20))
        assert blue >= 80 and blue > red + 40 and blue > green + 30, (output, x, (red, green, blue))


@pytest.mark.slow
def test_the_touch_ui_boots_on_weston_kiosk_shell_and_the_watchdog_restarts_a_frozen_one(tmp_path, weston):
    assert unit_environment(UNIT)["QT_QPA_PLATFORM"] == "wayland"
    restart_after = seconds(unit_service(UNIT)["RestartSec"][0])
    with NotifySocket() as listener:
        kiosk, wire = start_unit(UNIT, tmp_path, weston, listener.name, 1, free_port())
        try:
            ready = listener.wait_for("READY", 90)
            assert ready is not None, wire.read_text(errors="replace")[-3000:]
            assert ready["STATUS"] == "home screen shown"
            app_id, sizes = placed_full_screen(wire, UNIT)
            assert app_id, "the touch UI did not give weston its app id"
            assert weston.size in sizes, sizes  # kiosk-shell made it full screen on the output
            assert listener.wait_for("WATCHDOG", 5) is not None
            assert_blue_across(weston.screenshot(tmp_path / "shots"), weston.size, 0)

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
            kiosk, wire = start_unit(UNIT, tmp_path, weston, listener.name, 2, free_port())
            assert listener.wait_for("READY", 90) is not None, wire.read_text(errors="replace")[-3000:]
            back_after = time.monotonic() - killed_at
            assert placed_full_screen(wire, UNIT)[0]
        finally:
            end(kiosk)
    assert weston.process.poll() is None, weston.log_text()  # the session outlives the kiosk's restart
    print(f"back on screen {back_after:.1f} s after the watchdog kill (RestartSec={restart_after:g})")


@pytest.mark.slow
def test_the_touch_ui_and_the_display_each_on_their_output(tmp_path, weston):
    """A hall with a TV: the touch UI on the touch output and `kiosk display` (its own process, reading the
    touch UI's local API) on the second, each READY=1, each placed by its app id from weston.ini."""
    port = free_port()
    with NotifySocket() as touch, NotifySocket() as tv:
        kiosk, kiosk_wire = start_unit(UNIT, tmp_path, weston, touch.name, 1, port)
        display, display_wire = start_unit(DISPLAY_UNIT, tmp_path, weston, tv.name, 1, port)
        try:
            assert touch.wait_for("READY", 90) is not None, kiosk_wire.read_text(errors="replace")[-3000:]
            assert tv.wait_for("READY", 90) is not None, display_wire.read_text(errors="replace")[-3000:]
            app_id, sizes = placed_full_screen(display_wire, DISPLAY_UNIT)
            assert app_id and weston.size in sizes, sizes
            time.sleep(3)  # the display's first content from the API
            shot = weston.screenshot(tmp_path / "shots")
            assert_blue_across(shot, weston.size, 0)
            assert_blue_across(shot, weston.size, 1)
        finally:
            end(display)
            end(kiosk)
