"""End-to-end: the real `kiosk demo` in a subprocess on a virtual X display (Xvfb, Qt's xcb platform and
its default threaded render loop, as on a kiosk), driven through the test control channel that
`tests/helpers/kiosk_with_control.py` adds, with real pointer events through the X server: type `jiegan`
on the on-screen Pinyin keyboard, pick 秸秆, open a found document, open its 解读, then wait out the idle
timeout and check the kiosk is home and forgot it all.

It runs on Xvfb rather than offscreen: the tests in tests/ui already drive the QML offscreen in-process,
and offscreen rendering (no render thread) once hid a crash that the real display showed at once."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
import monkey  # noqa: E402 - tests/helpers is not a package


class Driver:
    """Finds items through the control channel and touches them through the X server."""

    def __init__(self, kiosk: monkey.Kiosk):
        assert kiosk.control is not None
        self.control = kiosk.control
        self.kiosk = kiosk
        self.finger = monkey.Finger(kiosk.display)

    def __call__(self, **request) -> dict:
        return self.control(**request)

    def wait(self, predicate, timeout: float = 10.0, what: str = "") -> dict:
        return self.control.wait(predicate, timeout, what)

    def wait_found(self, name: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            found = self(cmd="find", name=name)
            if found["found"]:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} did not appear")
            time.sleep(0.1)

    def _tap_window_point(self, x: int, y: int) -> None:
        left, top, _, _ = self(cmd="targets")["window"]
        self.finger.tap(left + x, top + y)

    def click_text_when_still(self, text: str, within: str, timeout: float = 10.0) -> None:
        """Tap the text once it has stopped moving: the keyboard slides in and the candidate list
        settles after each key, and a tap computed mid-animation lands on another key."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            items = self(cmd="text_items", within=within)["items"]
            here = next(((i["x"], i["y"]) for i in items if i["text"] == text), None)
            if here is not None and here == last:
                self._tap_window_point(*here)
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never settled in {within}: {[i['text'] for i in items]}")
            last = here
            time.sleep(0.15)

    def click(self, name: str) -> None:
        self.wait_found(name)
        target = next((t for t in self(cmd="targets")["targets"] if t["name"] == name), None)
        assert target is not None, f"{name} takes no touch"
        x, y, w, h = target["rect"]
        self.finger.tap(x + w // 2, y + h // 2)


@pytest.fixture
def kiosk_process(tmp_path):
    with (
        monkey.Display(monkey.PORTRAIT) as display,
        monkey.Kiosk(display, tmp_path / "data", idle_timeout=15, idle_countdown=3) as kiosk,
    ):
        driver = Driver(kiosk)
        try:
            yield driver
        finally:
            driver.finger.close()
        assert kiosk.exit_code() is None, kiosk.output()
        assert not monkey.qt_warnings(kiosk.output())


@pytest.mark.slow
def test_pinyin_search_open_document_and_its_interpretation_then_idle_reset(kiosk_process):
    kiosk = kiosk_process
    kiosk.click("homeSearch")
    kiosk.wait(lambda s: s["screen"] == "search", what="search screen")
    kiosk.wait_found("inputPanel")  # the on-screen keyboard opened for the focused field
    for letter in "jiegan":
        kiosk.click_text_when_still(letter, "inputPanel")
    kiosk.click_text_when_still("秸秆", "inputPanel")
    kiosk.wait(lambda s: s["session_search"] == "秸秆", what="search for 秸秆")
    kiosk.wait_found("result_0")

    kiosk.click("result_0")
    kiosk.wait(lambda s: s["screen"] == "reader", what="reader")
    kiosk.wait_found("readerTitle")
    assert kiosk(cmd="find", name="readerKind")["text"] == "政策文件"
    kiosk.click("interpretationButton")
    deadline = time.monotonic() + 10
    while kiosk(cmd="find", name="readerKind")["text"] != "政策解读":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert "解读" in kiosk(cmd="find", name="readerTitle")["text"]
    assert not kiosk(cmd="state")["session_empty"]

    # Nobody touches the screen: 15 s, a 3 s countdown, then home with everything forgotten.
    kiosk.wait(lambda s: s["countdown"] >= 0, 25, "idle countdown")
    assert "即将返回首页" in kiosk(cmd="texts", within="idleOverlay")["texts"]
    state = kiosk.wait(lambda s: s["screen"] == "home", 10, "home after idle reset")
    assert state["session_empty"] and state["session_search"] == ""
    kiosk.click("homeSearch")
    kiosk.wait(lambda s: s["screen"] == "search", what="search screen again")
    assert kiosk(cmd="find", name="searchField")["text"] == ""
    assert not kiosk(cmd="find", name="result_0")["found"]
