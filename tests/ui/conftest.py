"""Qt setup for the UI tests: offscreen platform and the on-screen keyboard set before any
QApplication exists, a kiosk on the bundled gazette per test, and helpers that find QML items by
objectName (walking childItems, which also reaches Repeater/ListView delegates) and click them."""

from __future__ import annotations

import os
import shutil

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ["QT_QUICK_CONTROLS_STYLE"] = "Basic"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtQuick import QQuickItem, QQuickWindow  # noqa: E402

from kiosk import setup_wizard  # noqa: E402
from kiosk.config import defaults  # noqa: E402
from kiosk.services import Services, build  # noqa: E402
from ui import app as ui_app  # noqa: E402
from ui import items as qml_items  # noqa: E402
from ui import worker  # noqa: E402

ui_app.prepare_environment()


def import_gazette(path: Path) -> Path:
    services = build(defaults(), path, bundled=True)
    services.library.open()
    assert services.library.store is not None, services.library.maintenance
    services.close()
    return path


@pytest.fixture(scope="session")
def gazette_dir(tmp_path_factory) -> Path:
    """A data directory with the bundled gazette imported once (copied per test); once per run also when
    each test runs in its own process (tests/helpers/fork_each_test.py shares the directory)."""
    shared = os.environ.get("ZWGK_SHARED_GAZETTE")
    if not shared:
        return import_gazette(tmp_path_factory.mktemp("gazette"))
    path, ready = Path(shared) / "gazette", Path(shared) / "gazette.ready"
    if not ready.exists():
        import_gazette(path)
        ready.touch()
    return path


@pytest.fixture
def data_dir(gazette_dir, tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(gazette_dir, target)
    # Staff finished the setup wizard here: the PIN pad leads to the staff screen (test_setup_wizard_screen
    # has its own fresh kiosk, where the wizard opens).
    (target / setup_wizard.STATE_FILE).write_text('{"dismissed": true}', encoding="utf-8")
    return target


@pytest.fixture
def config():
    return defaults().with_values(kiosk__idle_timeout=15, ui__idle_countdown=3, ui__staff_hold_seconds=2)


@pytest.fixture
def services(config, data_dir) -> Services:
    return build(config, data_dir)


class Kiosk:
    """A loaded kiosk window and ways to find and click what is on it."""

    def __init__(self, qtbot, engine, window: QQuickWindow, services: Services):
        self.qtbot = qtbot
        self.engine = engine
        self.window = window
        self.services = services
        self.app_state = engine.singletonInstance("Kiosk", "AppState")
        self.search = engine.singletonInstance("Kiosk", "Search")
        self.staff = engine.singletonInstance("Kiosk", "Staff")

    def items(self, root: QQuickItem | None = None):
        return qml_items.walk(root or self.window.contentItem())

    def visible(self, item: QQuickItem) -> bool:
        return qml_items.shown(item)

    def find(self, name: str, *, visible_only: bool = True) -> QQuickItem | None:
        for item in self.items():
            if item.objectName() == name and (not visible_only or self.visible(item)):
                return item
        return None

    def get(self, name: str, timeout: int = 5000) -> QQuickItem:
        found: list[QQuickItem] = []

        def present() -> bool:
            item = self.find(name)
            if item is None:
                return False
            found.append(item)
            return True

        self.qtbot.waitUntil(present, timeout=timeout)
        return found[-1]

    def center(self, item: QQuickItem) -> QPoint:
        point = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        return QPoint(round(point.x()), round(point.y()))

    def scroll_into_view(self, item: QQuickItem) -> None:
        """Scroll the enclosing Flickable (as a finger would) until the item is inside it."""
        flick = item.parentItem()
        while flick is not None and not flick.inherits("QQuickFlickable"):
            flick = flick.parentItem()
        if flick is None:
            return
        top = item.mapToItem(flick.property("contentItem"), QPointF(0, 0)).y()
        view = flick.height()
        current = flick.property("contentY")
        if top < current or top + item.height() > current + view:
            limit = max(0.0, flick.property("contentHeight") - view)
            flick.setProperty("contentY", min(limit, max(0.0, top - view / 3)))
            self.qtbot.wait(50)

    def click(self, name_or_item, timeout: int = 5000) -> None:
        item = self.get(name_or_item, timeout) if isinstance(name_or_item, str) else name_or_item
        self.scroll_into_view(item)
        self.qtbot.mouseClick(self.window, Qt.MouseButton.LeftButton, pos=self.settled_center(item))

    def settled_center(self, item: QQuickItem) -> QPoint:
        """The item's centre once layout has settled: a section that just opened above it is laid out at
        the next frame, and a tap computed before that lands where the item was."""
        here = self.center(item)
        for _ in range(20):
            self.qtbot.wait(20)
            now = self.center(item)
            if now == here:
                return now
            here = now
        return here

    def screen(self) -> str:
        return self.app_state.property("currentScreen")

    def wait_screen(self, name: str, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: self.screen() == name, timeout=timeout)

    def texts(self, root: QQuickItem | None = None) -> list[str]:
        return [
            str(item.property("text"))
            for item in self.items(root)
            if item.inherits("QQuickText") and self.visible(item) and item.property("text")
        ]

    def reader_text(self) -> str:
        """The text the reader has laid out (its blocks on screen and just beyond), '' when none."""
        body = self.find("readerBody")
        return "\n".join(self.texts(body)) if body is not None else ""

    def reader_px(self) -> int:
        """The pixel size of the reader's first body text on screen."""
        first = next(i for i in self.items(self.get("readerBody")) if i.objectName() == "blockText")
        return first.property("font").pixelSize()


def open_kiosk(qtbot, services: Services, size=(1080, 1920)) -> Kiosk:
    engine, window = ui_app.load(services, size)
    kiosk = Kiosk(qtbot, engine, window, services)
    qtbot.waitExposed(window)
    window.requestActivate()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: kiosk.app_state.property("ready"), timeout=10000)
    return kiosk


def close_kiosk(kiosk: Kiosk) -> None:
    kiosk.app_state.home()  # pop every screen while the engine is whole
    kiosk.qtbot.wait(50)
    worker.wait_idle(5.0)
    kiosk.window.close()
    kiosk.window.deleteLater()
    kiosk.qtbot.wait(10)
    kiosk.engine.deleteLater()
    kiosk.qtbot.wait(10)
    kiosk.services.close()


@pytest.fixture
def kiosk(qtbot, qapp, services):
    kiosk = open_kiosk(qtbot, services)
    yield kiosk
    close_kiosk(kiosk)
