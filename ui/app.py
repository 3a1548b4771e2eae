"""Starting the touch UI: environment, QML types, the engine and the window.

`prepare_environment()` must run before the QGuiApplication exists (the on-screen keyboard is an input
method chosen at start). `load()` registers the view-models, loads `Main.qml` for a design size and
returns the window; `run()` is what `kiosk run` and `kiosk demo` call.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLoggingCategory, QTranslator, QUrl
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk import i18n
from kiosk.features import registry
from kiosk.services import Services
from ui import context, memory, refcounts, supervision, worker

log = logging.getLogger(__name__)

UI_DIR = Path(__file__).resolve().parent
MAIN_QML = UI_DIR / "Main.qml"
KEYBOARD_STYLES = (
    UI_DIR / "keyboard"
)  # QtQuick/VirtualKeyboard/Styles/kiosk: the keyboard sized for elderly eyes
I18N_DIR = UI_DIR / "i18n"  # kiosk_<language>.qm: the QML's qsTr texts translated (see kiosk/i18n.py)
FONT_FAMILY = "Noto Sans CJK SC"
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)
# The screens are made and checked (tests/ui/test_layout.py) with 1080 px on the short side.
MIN_DESIGN_SIDE = 1080

# Qt's own Virtual Keyboard QML (PopupList) triggers this warning in Qt 6.12; it is not ours to fix and
# would fail every test run with qt_log_level_fail. Only this one category is silenced.
_LOG_RULES = "qt.qml.propertyCache.append.warning=false"


def prepare_environment() -> None:
    """Environment the UI needs, set before the QGuiApplication is created."""
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")
    QLoggingCategory.setFilterRules(_LOG_RULES)


def install_translation(language: str, directory: Path = I18N_DIR) -> QTranslator | None:
    """QML's qsTr texts in `language` from now on, when its translation exists (the Chinese otherwise)."""
    app = QCoreApplication.instance()
    if app is None or language == i18n.SOURCE:
        return None
    translator = QTranslator(app)
    if not translator.load(f"kiosk_{language}", str(directory)):
        log.warning("no QML translation for %s in %s: the Chinese text is shown", language, directory)
        return None
    app.installTranslator(translator)
    return translator


CORE_VIEW_MODELS = (
    "ui.appstate",
    "ui.listing",
    "ui.reader",
    "ui.search",
    "ui.staff",
    "ui.signage",
    "ui.setup_wizard",
)


def register_types() -> None:
    """Import the view-model modules (the kiosk's own and those its functions declare in
    `kiosk.features`): their @QmlElement decorators register module ``Kiosk``."""
    for name in dict.fromkeys((*CORE_VIEW_MODELS, *(m for f in registry().features for m in f.view_models))):
        importlib.import_module(name)


def application(argv: list[str] | None = None) -> QGuiApplication:
    refcounts.pin_singletons()
    memory.limit_arenas()  # before Qt's render thread and Mesa's threads exist
    prepare_environment()
    app = QGuiApplication.instance() or QGuiApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("zwgk-kiosk")
    app.setApplicationDisplayName(i18n.tr("政务公开专区"))
    app.setDesktopFileName("zwgk-kiosk")
    app.setFont(QFont(FONT_FAMILY))
    return app  # type: ignore[return-value]


def load(services: Services, size: tuple[int, int] = PORTRAIT) -> tuple[QQmlApplicationEngine, QQuickWindow]:
    """Load Main.qml laid out for `size` (width, height). Needs a QGuiApplication."""
    QLoggingCategory.setFilterRules(_LOG_RULES)
    context.set_services(services)
    install_translation(services.config["kiosk.language"])
    if not services.library.last_tiles():  # a first start: open while the QML compiles, show tiles when open
        services.library.start_opening()
    register_types()
    engine = QQmlApplicationEngine()
    engine.addImportPath(str(KEYBOARD_STYLES))
    engine.setInitialProperties({"designWidth": size[0], "designHeight": size[1]})
    engine.load(QUrl.fromLocalFile(str(MAIN_QML)))
    roots = engine.rootObjects()
    if not roots:
        raise RuntimeError("Main.qml failed to load (see the QML errors above)")
    window = roots[0]
    assert isinstance(window, QQuickWindow)
    return engine, window


def fit_to_screen(window: QQuickWindow, size: tuple[int, int]) -> bool:
    """Scale the window down to fit the desktop, keeping the design's aspect ratio (for `kiosk demo`).

    On a screen of the design's own size (a kiosk's touch screen) the demo fills it instead of leaving
    room for window decorations; returns whether it should be shown full screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return False
    if (screen.geometry().width(), screen.geometry().height()) == size:
        return True
    available = screen.availableGeometry()
    factor = min(1.0, (available.width() - 40) / size[0], (available.height() - 80) / size[1])
    window.resize(int(size[0] * factor), int(size[1] * factor))
    return False


def design_size(width: int, height: int) -> tuple[int, int]:
    """The size to lay the screens out at for a screen of width × height: its own shape, scaled up until
    its short side is 1080 px (Main.qml scales the whole down onto the screen). A 1280×800 panel is laid
    out at 1728×1080: laid out at its own size, four tiles of seven showed, their subtitles cut off."""
    short = min(width, height)
    if short >= MIN_DESIGN_SIDE:
        return width, height
    factor = MIN_DESIGN_SIDE / short
    return round(width * factor), round(height * factor)


def run(
    services: Services,
    *,
    fullscreen: bool,
    size: tuple[int, int] | None = None,
    on_quit: Callable[[], None] | None = None,
) -> int:
    """Run the touch UI until it quits; returns the exit code. `on_quit` runs when the event loop has
    ended, before the services close (the local API stops there)."""
    app = application()
    if size is None:
        screen = QGuiApplication.primaryScreen()
        geometry = screen.geometry() if screen else None
        size = design_size(geometry.width(), geometry.height()) if geometry and fullscreen else PORTRAIT
    engine, window = load(services, size)
    if fullscreen or fit_to_screen(window, size):
        from PySide6.QtCore import Qt

        window.setFlag(Qt.WindowType.FramelessWindowHint, True)
        if QGuiApplication.platformName() == "wayland":
            # weston's kiosk shell makes every window full screen on the output weston.ini names for its
            # app id; showFullScreen() would name Qt's first output itself, and the shell obeys that.
            window.show()
        else:
            window.showFullScreen()
    else:
        window.show()
    supervision.start(engine, window)  # READY=1 and the watchdog under a Type=notify unit
    code = app.exec()
    if on_quit is not None:
        on_quit()
    worker.wait_idle(5.0)
    del engine
    services.close()
    return code
