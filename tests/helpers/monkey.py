"""A random-tap driver ("monkey") for the real kiosk on a virtual X display.

`Display` starts Xvfb at a kiosk's screen size; `Kiosk` starts the real `kiosk demo` on it (Qt's xcb
platform, Qt's default render loop: no ``QSG_RENDER_LOOP``) with the end-to-end control channel
(`kiosk_with_control.py`); `Finger` taps, long-presses and swipes through the X server's XTEST
extension, so every touch is a real X pointer event that reaches Qt through xcb like a touch screen's. `Monkey` asks the kiosk what
can be touched now (`testhook` ``targets``) and touches one at random: seeded, bounded in touches and
time, reproducible up to the kiosk's own timing. Each burst of random touches starts from home with a
scripted entry (a home tile, search, the staff corner and PIN), a font step and a contrast, so every
screen, font step and theme is reached whatever the dice say. `read_every_document` opens each document
of the library and steps its type size through every step.

Used by tests/xvfb/ and bench/bench_ui_memory.py. Test-only: nothing in the kiosk imports it.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)
DEMO_PIN = "246810"
STAFF_HOLD_SECONDS = 3  # ui.staff_hold_seconds' default, which the demo keeps
FONT_STEPS = 4
NEVER_TOUCH = {"quitKiosk"}  # ends the kiosk, as staff mean it to
SCREENS = {"home", "library", "list", "notices", "pin", "reader", "search", "staff"}
# What the kiosk itself prints on the way (not a Qt or QML message).
_OWN_LINES = re.compile(
    r"test control channel listening|^政务公开专区 ·|演示工作人员 PIN|工作人员 PIN：|模拟设备|^本机接口（窗口叫号页面|^信息公开申请：演示密钥"
)


class Display:
    """Xvfb on a free display number, `size` (width, height) at 24 bits; a context manager."""

    def __init__(self, size: tuple[int, int]):
        self.size = size
        self.proc: subprocess.Popen | None = None
        self.name = ""

    def __enter__(self) -> Display:
        if not shutil.which("Xvfb"):
            raise RuntimeError("Xvfb is missing: `python3 quickstart.py test` installs it (package xvfb)")
        # Xvfb picks a free display number itself and writes it to the pipe once it accepts clients:
        # choosing one here raced with other test runs starting an Xvfb at the same moment.
        read, write = os.pipe()
        width, height = self.size
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write,),
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            ready, _, _ = select.select([pipe], [], [], 15)
            number = pipe.readline().strip() if ready else ""
        if not number.isdigit():
            self.proc.kill()
            raise RuntimeError("Xvfb did not start")
        self.name = f":{number}"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(10)


class Control:
    """The JSON-lines client of `testhook.ControlServer`."""

    def __init__(self, port: int, proc: subprocess.Popen, timeout: float = 90):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the kiosk did not open its control channel") from None
                time.sleep(0.2)
        self.file = self.sock.makefile("rwb")

    def __call__(self, **request) -> dict:
        self.file.write((json.dumps(request, ensure_ascii=False) + "\n").encode())
        self.file.flush()
        line = self.file.readline()
        if not line:
            raise ConnectionError("the kiosk closed its control channel (crashed or quit)")
        reply = json.loads(line.decode())
        if "error" in reply:
            raise RuntimeError(f"control command {request} failed: {reply['error']}")
        return reply

    def wait(self, predicate, timeout: float = 10.0, what: str = "") -> dict:
        deadline = time.monotonic() + timeout
        while True:
            state = self(cmd="state")
            if predicate(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}: {state}")
            time.sleep(0.1)

    def close(self) -> None:
        self.file.close()
        self.sock.close()


class Kiosk:
    """The real `kiosk demo` (portrait or ``--landscape``) on `display`, with the control channel; a
    context manager. Its output (stdout and stderr) goes to `log`; `output()` reads it."""

    def __init__(
        self, display: Display, data_dir: Path, *, idle_timeout: int = 3600, idle_countdown: int = 3
    ):
        self.display = display
        self.data_dir = data_dir
        self.idle_timeout = idle_timeout
        self.idle_countdown = idle_countdown
        self.proc: subprocess.Popen | None = None
        self.control: Control | None = None
        self.log = data_dir.parent / f"{data_dir.name}-kiosk.log"

    def __enter__(self) -> Kiosk:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir.parent / f"{self.data_dir.name}-kiosk.toml"
        config.write_text(
            f"[kiosk]\nidle_timeout = {self.idle_timeout}\n\n[ui]\nidle_countdown = {self.idle_countdown}\n",
            encoding="utf-8",
        )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k not in ("QSG_RENDER_LOOP", "QT_QUICK_BACKEND")}
        env.update(
            DISPLAY=self.display.name,
            QT_QPA_PLATFORM="xcb",
            KIOSK_DATA_DIR=str(self.data_dir),
            KIOSK_TEST_CONTROL=str(port),
            PYTHONUNBUFFERED="1",
        )
        args = ["--config", str(config), "demo"] + (["--landscape"] if self.landscape else [])
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, str(HERE / "kiosk_with_control.py"), *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.control = Control(port, self.proc)
        self.control.wait(lambda s: s["ready"] and s["screen"] == "home", 90, "the home screen")
        return self

    @property
    def landscape(self) -> bool:
        return self.display.size[0] > self.display.size[1]

    def __exit__(self, *exc: object) -> None:
        if self.control is not None:
            self.control.close()
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def output(self) -> str:
        return self.log.read_bytes().decode("utf-8", "replace")

    def exit_code(self) -> int | None:
        assert self.proc is not None
        return self.proc.poll()

    def rss_mb(self) -> float:
        """RSS after a Python and a QML garbage collection."""
        assert self.control is not None
        return self.control(cmd="collect")["rss_kb"] / 1024


# One warning Qt prints about itself, tolerated here and only here: QQmlDelegateModel complains when a
# ListView's model empties while a delegate beyond the view is still being built asynchronously
# ("DelegateModel::cancel: index out range 11 0", seen only in landscape random runs; the view shows the new
# model correctly). Which list triggers it is not pinned down yet (see the README's touch kiosk notes);
# every other Qt or QML line still fails the run.
_QT_SELF_NOTES = re.compile(r"DelegateModel::cancel: index out range \d+ \d+\s*$")


def qt_warnings(output: str) -> list[str]:
    """Lines of the kiosk's output that are not its own: Qt and QML warnings, tracebacks, aborts."""
    return [
        line
        for line in output.splitlines()
        if line.strip() and not _OWN_LINES.search(line) and not _QT_SELF_NOTES.search(line)
    ]


class Finger:
    """Real pointer events on `display` through the X server's XTEST extension (as xdotool sends them):
    the server moves its pointer and Qt gets them through xcb like a touch screen driver's. Calls
    libX11/libXtst directly: a process per touch (xdotool) cost more than the kiosk's answer."""

    def __init__(self, display: Display):
        try:
            self._x11 = ctypes.CDLL("libX11.so.6")
            self._xtst = ctypes.CDLL("libXtst.so.6")
        except OSError as exc:
            raise RuntimeError(f"{exc}: `python3 quickstart.py test` installs libxtst6") from None
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x11.XFlush.argtypes = self._x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._xtst.XTestFakeMotionEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong
        ]  # fmt: skip
        self._xtst.XTestFakeButtonEvent.argtypes = [
            ctypes.c_void_p,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_ulong,
        ]
        self._display = self._x11.XOpenDisplay(display.name.encode())
        if not self._display:
            raise RuntimeError(f"cannot open X display {display.name}")

    def close(self) -> None:
        if self._display:
            self._x11.XCloseDisplay(self._display)
            self._display = None

    def _move(self, x: int, y: int) -> None:
        self._xtst.XTestFakeMotionEvent(self._display, -1, x, y, 0)
        self._x11.XFlush(self._display)

    def _button(self, down: bool) -> None:
        self._xtst.XTestFakeButtonEvent(self._display, 1, int(down), 0)
        self._x11.XFlush(self._display)

    def tap(self, x: int, y: int) -> None:
        self.long_press(x, y, 0.04)

    def long_press(self, x: int, y: int, seconds: float) -> None:
        self._move(x, y)
        self._button(True)
        time.sleep(seconds)
        self._button(False)

    def swipe(self, start: tuple[int, int], end: tuple[int, int], seconds: float, steps: int = 10) -> None:
        self._move(*start)
        self._button(True)
        for i in range(1, steps + 1):
            time.sleep(seconds / steps)
            self._move(
                round(start[0] + (end[0] - start[0]) * i / steps),
                round(start[1] + (end[1] - start[1]) * i / steps),
            )
        self._button(False)


@dataclass
class Report:
    """What a run did: touches by kind, screens seen, font steps and themes seen."""

    touches: Counter = field(default_factory=Counter)
    screens: set[str] = field(default_factory=set)
    font_steps: set[int] = field(default_factory=set)
    contrast: set[bool] = field(default_factory=set)
    documents_read: int = 0

    @property
    def total(self) -> int:
        return sum(self.touches.values())


class Monkey:
    """Random touches on what the kiosk shows, from `seed`."""

    BURST = 40

    def __init__(self, kiosk: Kiosk, seed: int):
        assert kiosk.control is not None
        self.kiosk = kiosk
        self.control = kiosk.control
        self.finger = Finger(kiosk.display)
        self.rng = random.Random(seed)
        self.report = Report()

    # --- looking ---------------------------------------------------------------------------------

    def _observe(self) -> dict:
        return self._seen(self.control(cmd="state"))

    def _seen(self, state: dict) -> dict:
        self.report.screens.add(state["screen"])
        self.report.font_steps.add(state["font_step"])
        self.report.contrast.add(state["high_contrast"])
        return state

    def _targets(self, kind: str | None = None) -> list[dict]:
        reply = self.control(cmd="targets")
        self._seen(reply["state"])
        found = reply["targets"]
        return [t for t in found if t["name"] not in NEVER_TOUCH and (kind is None or t["kind"] == kind)]

    def _named(self, name: str) -> dict | None:
        return next((t for t in self._targets() if t["name"] == name), None)

    def _point(self, target: dict) -> tuple[int, int]:
        x, y, w, h = target["rect"]
        return x + round(w * self.rng.uniform(0.2, 0.8)), y + round(h * self.rng.uniform(0.2, 0.8))

    # --- touching --------------------------------------------------------------------------------

    def _tap(self, target: dict) -> None:
        self.finger.tap(*self._point(target))
        self.report.touches["tap"] += 1

    def tap_name(self, name: str) -> bool:
        target = self._named(name)
        if target is not None:
            self._tap(target)
        return target is not None

    def _random_touch(self, targets: list[dict]) -> None:
        taps = [t for t in targets if t["kind"] == "tap"]
        flicks = [t for t in targets if t["kind"] == "flick"]
        roll = self.rng.random()
        if flicks and (roll < 0.15 or not taps):
            x, y, w, h = self.rng.choice(flicks)["rect"]
            start = (x + round(w * self.rng.uniform(0.3, 0.7)), y + round(h * self.rng.uniform(0.25, 0.75)))
            vertical = self.rng.random() < 0.8
            distance = self.rng.uniform(0.15, 0.45) * (h if vertical else w) * self.rng.choice((-1, 1))
            end = (
                (start[0], round(start[1] + distance)) if vertical else (round(start[0] + distance), start[1])
            )
            self.finger.swipe(start, end, self.rng.uniform(0.05, 0.25))  # fast ones are flicks
            self.report.touches["swipe"] += 1
        elif taps and roll < 0.19:
            self.finger.long_press(*self._point(self.rng.choice(taps)), self.rng.uniform(0.45, 0.85))
            self.report.touches["long press"] += 1
        elif taps:
            self._tap(self.rng.choice(taps))

    def _enter_staff(self) -> None:
        corner = self._named("staffCorner")
        if corner is None:
            return
        self.finger.long_press(*self._point(corner), STAFF_HOLD_SECONDS + 0.4)
        self.report.touches["long press"] += 1
        if self._observe()["screen"] != "pin":
            return
        for key in [*DEMO_PIN, "ok"]:
            self.tap_name(f"pin_{key}")
        time.sleep(0.3)

    def _start_burst(self, number: int) -> None:
        """Home, then a font step and theme, then into one of the ways in (all by touch)."""
        for _ in range(4):  # back out of the PIN pad or staff mode, or go home
            state = self._observe()
            if state["screen"] == "home" and state["countdown"] < 0:
                break
            if not (
                self.tap_name("homeButton") or self.tap_name("headerHomeButton") or self.tap_name("staffExit")
            ):
                self.tap_name("backButton")
            time.sleep(0.2)
        wanted_step = number % FONT_STEPS
        for _ in range(FONT_STEPS):
            if self._observe()["font_step"] == wanted_step or not self.tap_name("homeFontButton"):
                break
        if self._observe()["high_contrast"] != (number % 3 == 2):
            self.tap_name("contrastButton")
        # Staff mode first: random taps on the PIN pad may lock it (5 wrong PINs) for the rest of the run.
        entries = ["staffCorner", "homeSearch"]
        entries += sorted(t["name"] for t in self._targets("tap") if t["name"].startswith("tile_"))
        entry = entries[number % len(entries)]
        if entry == "staffCorner":
            self._enter_staff()
        else:
            self.tap_name(entry)

    def run(self, touches: int, seconds: float) -> Report:
        """About `touches` touches (bursts start with a few scripted ones), or until `seconds` pass."""
        deadline = time.monotonic() + seconds
        start = self.report.total
        number = 0
        while self.report.total - start < touches and time.monotonic() < deadline:
            self._start_burst(number)
            number += 1
            for _ in range(self.BURST):
                if self.report.total - start >= touches or time.monotonic() > deadline:
                    break
                if self.kiosk.exit_code() is not None:
                    return self.report
                self._random_touch(self._targets())
        self._observe()
        return self.report


def read_every_document(kiosk: Kiosk, deadline: float) -> Report:
    """Open every document of the library in the reader and take it through every type size (字变大 to the
    largest, a page down at each step, 字变小 back), tapping the reader's real buttons."""
    assert kiosk.control is not None
    control = kiosk.control
    monkey = Monkey(kiosk, 0)
    report = monkey.report
    for item_id in control(cmd="documents")["ids"]:
        if time.monotonic() > deadline or kiosk.exit_code() is not None:
            break
        control(cmd="open", screen="reader", props={"itemId": item_id})
        control.wait(lambda s: s["screen"] == "reader", what=f"the reader on {item_id}")
        for _ in range(FONT_STEPS - 1):
            monkey.tap_name("fontLarger")
            monkey.tap_name("pageDown")
        monkey._observe()
        for _ in range(FONT_STEPS - 1):
            monkey.tap_name("fontSmaller")
        monkey.tap_name("homeButton")
        control.wait(lambda s: s["screen"] == "home", what="home")
        report.documents_read += 1
    return report


def temporary_data_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="kiosk-monkey-")) / "data"
