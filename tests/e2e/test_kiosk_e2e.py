"""End-to-end: the real `kiosk demo` in a subprocess (offscreen), driven through the test control
channel that `tests/helpers/kiosk_with_control.py` adds, with real mouse clicks: type `jiegan` on the on-screen Pinyin keyboard, pick 秸秆, open a found
document, open its 解读, then wait out the idle timeout and check the kiosk is home and forgot it all."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Control:
    def __init__(self, port: int, proc: subprocess.Popen):
        self.proc = proc
        deadline = time.monotonic() + 60
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the kiosk did not open its control channel") from None
                time.sleep(0.2)
        self.file = self.sock.makefile("rwb")

    def __call__(self, **request) -> dict:
        self.file.write((json.dumps(request, ensure_ascii=False) + "\n").encode())
        self.file.flush()
        reply = json.loads(self.file.readline().decode())
        assert "error" not in reply, reply
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

    def wait_found(self, name: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            found = self(cmd="find", name=name)
            if found["found"]:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} did not appear")
            time.sleep(0.1)

    def click_text_when_still(self, text: str, within: str, timeout: float = 10.0) -> None:
        """Click the text once it has stopped moving: the keyboard slides in and the candidate list
        settles after each key, and a tap computed mid-animation lands on another key."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            items = self(cmd="text_items", within=within)["items"]
            here = next(((i["x"], i["y"]) for i in items if i["text"] == text), None)
            if here is not None and here == last:
                assert self(cmd="click_text", text=text, within=within)["clicked"], text
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never settled in {within}: {[i['text'] for i in items]}")
            last = here
            time.sleep(0.15)

    def click(self, name: str) -> None:
        self.wait_found(name)
        assert self(cmd="click", name=name)["clicked"], name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def kiosk_process(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text("[kiosk]\nidle_timeout = 15\n\n[ui]\nidle_countdown = 3\n", encoding="utf-8")
    port = _free_port()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_TEST_CONTROL": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "helpers" / "kiosk_with_control.py"),
            "--config",
            str(config),
            "demo",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield Control(port, proc)
    finally:
        proc.terminate()
        try:
            output = proc.communicate(timeout=10)[0].decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            proc.kill()
            output = proc.communicate()[0].decode("utf-8", "replace")
        assert "Traceback" not in output, output


@pytest.mark.slow
def test_pinyin_search_open_document_and_its_interpretation_then_idle_reset(kiosk_process):
    kiosk = kiosk_process
    kiosk.wait(lambda s: s["ready"] and s["screen"] == "home", 60, "home screen")

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
