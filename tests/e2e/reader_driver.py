"""Run by tests/e2e/test_reader_xvfb.py in its own process under Xvfb (xcb, Qt's default render loop):
opens documents of the bundled gazette in the real reader and taps its real buttons.

    python reader_driver.py DATA_DIR [ITEM_ID ...]

Without item ids it opens every document whose text holds a table. For each: 字变大 up to the largest
step, a page down at each step, then 字变小 back to the smallest. Prints one line per document; a crash
ends the process with the signal, which the test reports.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from kiosk.config import load
from kiosk.services import build
from ui import app as ui_app
from ui.screenshot import find_item, spin


def main(data_dir: Path, wanted: list[str]) -> int:
    services = build(load(None), data_dir, bundled=True)
    qt_app = ui_app.application()  # noqa: F841 - kept alive for the run
    services.library.open()
    engine, window = ui_app.load(services, (1080, 1920))
    window.show()
    state = engine.singletonInstance("Kiosk", "AppState")

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            spin(10)

    def tap(name: str) -> None:
        item = find_item(window, name)
        if item is None:
            raise LookupError(f"no visible {name}")
        point = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point.toPoint())
        pump(0.3)

    browse = services.library.opened_browse()
    ids = wanted or [
        item.id
        for item in services.library.store.items("document")
        if any(b["kind"] == "row" for b in browse.document(item.id, record=False)["blocks"])
    ]
    for item_id in ids:
        state.open("reader", {"itemId": item_id})
        pump(1.0)
        steps = state.property("fontSteps")
        for _ in range(steps - 1):
            tap("fontLarger")
            tap("pageDown")
        for _ in range(steps - 1):
            tap("fontSmaller")
        print(f"read {item_id} at every step", flush=True)
        state.home()
        pump(0.2)
    window.close()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
