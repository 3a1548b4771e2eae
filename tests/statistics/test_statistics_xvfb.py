"""数据统计 on a real display: the real `kiosk demo` under Xvfb (Qt's xcb platform, OpenGL through Mesa,
its default threaded render loop), reached by touch through the staff corner, PIN and the staff section,
every period shown; Qt Graphs draws its charts there without a word (offscreen it says it has no OpenGL:
see tests/ui/test_statistics_screen.py). A screenshot of each period is kept in the test's directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
import monkey  # noqa: E402 - tests/helpers is not a package


def shot(display: monkey.Display, path: Path) -> None:
    if shutil.which("import"):  # ImageMagick, for a person to look at; the test does not depend on it
        subprocess.run(
            ["import", "-display", display.name, "-window", "root", str(path)], timeout=30, check=False
        )


@pytest.mark.slow
def test_the_statistics_screen_draws_its_charts_on_a_real_display(tmp_path):
    with monkey.Display(monkey.PORTRAIT) as display, monkey.Kiosk(display, tmp_path / "data") as kiosk:
        touches = monkey.Monkey(kiosk, 16)
        control = kiosk.control
        try:
            control(cmd="open", screen="reader", props={"itemId": control(cmd="documents")["ids"][0]})
            control.wait(lambda s: s["screen"] == "reader", 20, "the reader")
            control(cmd="open", screen="search", props={})  # leaving the reader records the read
            control.wait(lambda s: s["screen"] == "search", 20, "the search screen")
            touches._start_burst(0)  # home, then the staff corner and PIN, by touch  # noqa: SLF001
            for _ in range(3):
                if control(cmd="state")["screen"] == "staff":
                    break
                touches._enter_staff()  # noqa: SLF001 - the corner's long press and the PIN, by touch
            assert touches.tap_name("openStatistics"), "no 数据统计 button on the staff screen"
            control.wait(lambda s: s["screen"] == "statistics", 20, "the statistics screen")
            for period in ("today", "week", "month"):
                assert touches.tap_name(f"period_{period}")
                deadline = time.monotonic() + 20
                while "居民使用" not in control(cmd="find", name="statisticsSummary").get("text", ""):
                    assert time.monotonic() < deadline, "the summary never came"
                    time.sleep(0.2)
                time.sleep(0.5)
                shot(display, tmp_path / f"statistics-{period}.png")
            summary = control(cmd="find", name="statisticsSummary")["text"]
            texts = control(cmd="texts", within="chartPerFunction")["texts"]
        finally:
            touches.finger.close()
        output = kiosk.output()
        assert kiosk.exit_code() is None, output[-3000:]
        assert not monkey.qt_warnings(output), "\n".join(monkey.qt_warnings(output)[:30])
    assert "居民使用" in summary and "政府信息查询" in texts, (summary, texts)
