"""数据统计 on a real display: the real `kiosk demo` under Xvfb (Qt's xcb platform, OpenGL through Mesa,
its default threaded render loop), reached by touch through the staff corner, PIN and the staff section,
every period shown; Qt Graphs draws its charts there without a word (offscreen it says it has no OpenGL:
see tests/ui/test_statistics_screen.py). A screenshot of each period is kept in the test's directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import defaults
from kiosk.usage import UsageRecords

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
import monkey  # noqa: E402 - tests/helpers is not a package

# Items of the bundled gazette the demo imports: three documents and a 解读 of the first.
DOCUMENTS = ("gz-d24868-2022-02-06", "gz-d24868-2022-02-16", "gz-d24868-2022-02-02")
INTERPRETATION = "gz-d24868-2022-02-21"


def shot(display: monkey.Display, path: Path) -> None:
    if shutil.which("import"):  # ImageMagick, for a person to look at; the test does not depend on it
        subprocess.run(
            ["import", "-display", display.name, "-window", "root", str(path)], timeout=30, check=False
        )


class NotEnrolled:
    enrolled = False


def a_week_of_use(data_dir: Path) -> None:
    """Records of the last seven days in the demo's statistics database, through `usage.event` with its
    clock set back, before the kiosk starts: the charts have something to draw."""
    now = datetime.now(UTC)
    usage = UsageRecords(defaults(), NotEnrolled(), data_dir)
    for day in range(7):
        usage.clock = lambda d=day: now - timedelta(days=d)
        for n in range(3 + (day * 5) % 7):
            usage.event("read", item_kind="document", item_id=DOCUMENTS[n % 3], seconds=40 + 20 * n)
        usage.event("read", item_kind="interpretation", item_id=INTERPRETATION, seconds=120)
        usage.event("list_opened", list="notice")
        for cls, results in (("words", 4), ("question", 0), ("letters", 0), ("doc_number", 1)):
            usage.event("search", query_class=cls, results=results, opened=results > 0)
        for service, wait in (("A", 300 + 60 * day), ("B", 900)):
            usage.event("queue_ticket", event="issued", service=service, priority=False)
            usage.event("queue_ticket", event="called", service=service, window="3", wait_seconds=wait)
    usage.close()


@pytest.mark.slow
def test_the_statistics_screen_draws_its_charts_on_a_real_display(tmp_path):
    a_week_of_use(tmp_path / "data")
    with monkey.Display(monkey.PORTRAIT) as display, monkey.Kiosk(display, tmp_path / "data") as kiosk:
        touches = monkey.Monkey(kiosk, 16)
        control = kiosk.control
        try:
            control(cmd="open", screen="reader", props={"itemId": DOCUMENTS[0]})
            control.wait(lambda s: s["screen"] == "reader", 20, "the reader")
            control(cmd="open", screen="search", props={})  # leaving the reader records the read
            control.wait(lambda s: s["screen"] == "search", 20, "the search screen")
            touches._start_burst(0)  # home, then the staff corner and PIN, by touch  # noqa: SLF001
            control.wait(lambda s: s["screen"] == "staff", 20, "staff mode")
            deadline = time.monotonic() + 20
            while not touches.tap_name("openStatistics"):  # once the staff screen has laid out its sections
                assert time.monotonic() < deadline, "no 数据统计 button on the staff screen"
                time.sleep(0.3)
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
