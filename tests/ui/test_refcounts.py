"""PySide 6.12 reference-count slips must not add up in a kiosk that runs for weeks (see ui.refcounts).

Before the fix every ``.emit()`` dropped a reference to ``True``: the memory benchmark aborted with
"Fatal Python error: bool_dealloc: deallocating True or False" after about a hundred navigations.
These tests count references instead of waiting for the abort, so they fail cleanly and fast.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ui import refcounts

UI_DIR = Path(__file__).resolve().parents[2] / "ui"
# Calls that drop references in PySide 6.12 and that the UI can avoid.
LEAKY_CALLS = {"emit", "processEvents", "sendPostedEvents"}


def counts() -> tuple[int, int, int]:
    return sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)


def dropped(before: tuple[int, int, int]) -> dict[str, int]:
    """References lost since `before` (increases are harmless: they only ever make the count larger)."""
    return {
        name: max(0, b - a) for name, b, a in zip(("True", "False", "None"), before, counts(), strict=True)
    }


class Probe(QObject):
    changed = Signal()


def test_emit_helper_keeps_every_reference(qapp):
    probe = Probe()
    before = counts()
    for _ in range(5000):
        refcounts.emit(probe, "changed")
    assert dropped(before) == {"True": 0, "False": 0, "None": 0}


def test_none_true_false_cannot_reach_zero():
    assert refcounts.pinned()


def test_ui_code_avoids_the_leaking_calls():
    offenders = []
    for path in sorted(UI_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in LEAKY_CALLS
            ):
                offenders.append(f"{path.name}:{node.lineno} .{node.func.attr}()")
    assert offenders == [], "use ui.refcounts.emit() / a QEventLoop instead"


def test_view_models_drop_no_references_over_thousands_of_updates(kiosk):
    """The paths the benchmark crashed on: notify signals of bool properties, read back, many times."""
    state, search = kiosk.app_state, kiosk.search
    qtbot = kiosk.qtbot
    qtbot.waitUntil(lambda: not search.property("searching"))
    before = counts()
    for n in range(3000):
        search.setInitialsMode(n % 2 == 0)  # clear(): changed + resultsChanged
        search.setProperty("text", "")
        state.setScreen("search" if n % 2 else "home", 1)  # screenChanged
        assert search.property("initialsMode") is (n % 2 == 0)
        assert search.property("searching") is False
        assert state.property("ready") is True
        assert state.property("highContrast") is False
    for n in range(100):  # worker round trips: a query per keystroke, results delivered on this thread
        search.setProperty("text", "jx"[: n % 2 + 1])
        qtbot.waitUntil(lambda: not search.property("searching"), timeout=5000)
    state.setScreen("home", 1)
    lost = dropped(before)
    # None may lose a few to Qt calls made by QML and pytest-qt; True and False none at all.
    assert lost["True"] == 0 and lost["False"] == 0, lost
    assert lost["None"] < 20, lost
