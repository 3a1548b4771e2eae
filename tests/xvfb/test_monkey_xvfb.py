"""The real `kiosk demo` on a virtual X display (Xvfb, Qt's xcb platform and its default threaded render
loop, as on a kiosk) under random touches: 750 taps, long presses and swipes in portrait 1080×1920 and
750 in landscape 1920×1080, reaching every screen, font step and both themes, then every document of the
bundled gazette at every font step. Fails on a crash (the kiosk exits) or any line the kiosk prints that
is not its own (a Qt or QML warning, a traceback).

The touches are seeded (``KIOSK_MONKEY_SEED`` picks another run; a failure names its seed).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
import monkey  # noqa: E402 - tests/helpers is not a package

TOUCHES = 750  # per orientation
SECONDS = 240  # per orientation: a bound, not a target; the run must still reach TOUCHES
SEED = int(os.environ.get("KIOSK_MONKEY_SEED", "9"))


def _alive_and_quiet(kiosk: monkey.Kiosk, what: str) -> None:
    code = kiosk.exit_code()
    output = kiosk.output()
    assert code is None, f"the kiosk ended ({what}, seed {SEED}) with exit code {code}:\n{output[-3000:]}"
    warnings = monkey.qt_warnings(output)
    assert not warnings, f"the kiosk printed ({what}, seed {SEED}):\n" + "\n".join(warnings[:30])


@pytest.mark.slow
@pytest.mark.parametrize("size", [monkey.PORTRAIT, monkey.LANDSCAPE], ids=["portrait", "landscape"])
def test_random_touches_on_a_real_display(size, tmp_path):
    with monkey.Display(size) as display, monkey.Kiosk(display, tmp_path / "data") as kiosk:
        touches = monkey.Monkey(kiosk, SEED + size[0])
        try:
            report = touches.run(TOUCHES, SECONDS)
        except (ConnectionError, OSError) as exc:
            report = touches.report
            pytest.fail(f"{exc} after {report.total} touches\n{kiosk.output()[-3000:]}")
        finally:
            touches.finger.close()
        _alive_and_quiet(kiosk, f"after {report.total} touches")
        assert report.total >= TOUCHES, f"only {report.total} touches in {SECONDS} s"
        assert report.touches["long press"] and report.touches["swipe"], report.touches
        assert report.screens >= monkey.SCREENS, f"never reached {monkey.SCREENS - report.screens}"
        assert report.font_steps == {0, 1, 2, 3} and report.contrast == {False, True}, report


@pytest.mark.slow
def test_every_document_at_every_font_step_on_a_real_display(tmp_path):
    with monkey.Display(monkey.PORTRAIT) as display, monkey.Kiosk(display, tmp_path / "data") as kiosk:
        documents = len(kiosk.control(cmd="documents")["ids"])
        try:
            report = monkey.read_every_document(kiosk, time.monotonic() + SECONDS)
        except (ConnectionError, OSError) as exc:
            pytest.fail(f"{exc}\n{kiosk.output()[-3000:]}")
        _alive_and_quiet(kiosk, f"after {report.documents_read} documents")
        assert documents >= 10 and report.documents_read == documents
        assert report.font_steps == {0, 1, 2, 3}, report
