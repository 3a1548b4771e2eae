"""The kiosk's Wayland session as the packaged units start it, with no screen attached: weston with the
project's `weston.ini` (kiosk shell, app ids per output, its two outputs renamed to the test backend's),
and each unit's `ExecStart=` and `Environment=` read from `packaging/systemd/`. Test-only.

Weston runs on its X11 backend inside Xvfb with two outputs (X1: the touch screen, X2: the TV), not on
its headless backend: weston 10's headless backend has no seat, and its kiosk shell puts a window on
screen only by activating it through a seat, so every client stays unmapped there (found here: the
touch UI got its configure, drew one frame and never got a frame callback). A kiosk PC always has the
touch screen's seat."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from pathlib import Path

from monkey import Display  # tests/helpers, on the path from tests/conftest.py

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "packaging" / "systemd"
WESTON_INI = ROOT / "packaging" / "weston" / "weston.ini"
OUTPUTS = {"HDMI-A-1": "X1", "HDMI-A-2": "X2"}  # weston.ini's connectors → the X11 backend's outputs
INSTALLED_BIN = "/opt/zwgk-kiosk/venv/bin/"


def unit_service(name: str) -> dict[str, list[str]]:
    """The [Service] keys of a unit file, each with its values in order (Environment= repeats)."""
    section = ""
    keys: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line:
            key, value = line.split("=", 1)
            keys.setdefault(key, []).append(value)
    return keys


def unit_command(name: str) -> list[str]:
    """The unit's ExecStart= as arguments after the installed `kiosk` (the test runs the same command
    line from this checkout)."""
    command = shlex.split(unit_service(name)["ExecStart"][0])
    assert command[0].startswith(INSTALLED_BIN), command
    return command[1:]


def unit_environment(name: str) -> dict[str, str]:
    return dict(value.split("=", 1) for value in unit_service(name).get("Environment", []))


def seconds(value: str) -> float:
    """A systemd time span as seconds ("10", "10s", "500ms", "1min")."""
    match = re.fullmatch(r"([0-9.]+)\s*(ms|s|min)?", value.strip())
    assert match, value
    number, unit = float(match.group(1)), match.group(2) or "s"
    return number * {"ms": 0.001, "s": 1.0, "min": 60.0}[unit]


class Weston:
    """weston --backend=x11-backend.so (two outputs, side by side on an Xvfb) with the project's
    weston.ini, on its own socket."""

    def __init__(self, runtime_dir: Path, width: int = 1280, height: int = 800):
        runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.runtime_dir = runtime_dir
        self.size = (width, height)
        self.xvfb = Display((2 * width, height)).__enter__()
        self.socket = f"wayland-zwgk-test-{os.getpid()}"
        config = WESTON_INI.read_text(encoding="utf-8")
        for connector, output in OUTPUTS.items():
            assert f"name={connector}" in config, connector
            config = config.replace(f"name={connector}", f"name={output}")
        self.config = runtime_dir / "weston.ini"
        self.config.write_text(config, encoding="utf-8")
        self.log = runtime_dir / "weston.log"
        command = [
            "weston",
            "--backend=x11-backend.so",
            "--use-pixman",
            f"--output-count={len(OUTPUTS)}",
            f"--config={self.config}",
            f"--socket={self.socket}",
            f"--width={width}",
            f"--height={height}",
            f"--log={self.log}",
            "--debug",  # lets weston-screenshooter take the screenshots below
        ]
        self.process = subprocess.Popen(
            command,
            env=dict(os.environ, XDG_RUNTIME_DIR=str(runtime_dir), DISPLAY=self.xvfb.name),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not (runtime_dir / self.socket).exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"weston did not start:\n{self.log_text()}")
            time.sleep(0.05)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def client_environment(self) -> dict[str, str]:
        return {"XDG_RUNTIME_DIR": str(self.runtime_dir), "WAYLAND_DISPLAY": self.socket}

    def screenshot(self, into: Path) -> Path:
        """Both outputs side by side as one PNG (weston-screenshooter names it by the time)."""
        into.mkdir(parents=True, exist_ok=True)
        before = set(into.glob("wayland-screenshot-*.png"))
        subprocess.run(
            ["weston-screenshooter"], cwd=into, env=dict(os.environ, **self.client_environment()), timeout=30
        )
        taken = sorted(set(into.glob("wayland-screenshot-*.png")) - before)
        assert taken, "weston-screenshooter wrote no file"
        return taken[-1]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.xvfb.__exit__(None, None, None)
