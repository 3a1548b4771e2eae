"""`python tests/packaging/freezable_kiosk.py ARGS…`: the `kiosk` command line with one test hook: once
the file named by ``$KIOSK_TEST_FREEZE`` appears, the GUI thread sleeps for the seconds written in it
(removing the file first), as a deadlocked or endlessly busy event loop would. Test-only."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for kiosk/ and ui/

from PySide6.QtCore import QTimer  # noqa: E402

import ui.app  # noqa: E402
from kiosk.cli import main  # noqa: E402

_load = ui.app.load
FREEZE = Path(os.environ["KIOSK_TEST_FREEZE"])


def _freeze_when_asked() -> None:
    if FREEZE.exists():
        seconds = float(FREEZE.read_text() or "60")
        FREEZE.unlink()
        time.sleep(seconds)  # on the GUI thread: no event is handled, no timer fires


def _load_with_freeze(*args, **kwargs):
    engine, window = _load(*args, **kwargs)
    timer = QTimer(window, interval=50)
    timer.timeout.connect(_freeze_when_asked)
    timer.start()
    return engine, window


ui.app.load = _load_with_freeze
sys.exit(main())
