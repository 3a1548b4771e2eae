"""Starting the display process: its application (desktop file name `zwgk-kiosk-display`, so a Wayland
kiosk compositor can place it on its own output), `Display.qml` on the chosen output, the link to the
kiosk and the player. `run()` is what `kiosk display` calls."""

from __future__ import annotations

import ctypes
import logging
import os
import queue
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLoggingCategory, QTimer, QUrl
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from display.cache import Cache
from display.i18n import tr
from display.link import Link
from display.player import Player, Settings
from systemd_notify import Notifier, watchdog_interval

log = logging.getLogger(__name__)

QML = Path(__file__).resolve().parent / "Display.qml"
DESKTOP_FILE_NAME = "zwgk-kiosk-display"
FONT_FAMILY = "Noto Sans CJK SC"
LANDSCAPE = (1920, 1080)
# A video that cannot be opened is reported by the MediaPlayer's errorOccurred, which the player logs and
# puts in the heartbeat; Qt's FFmpeg backend also prints it as a warning of its own: said once is enough.
_LOG_RULES = "qt.multimedia.ffmpeg.mediadataholder.warning=false"


class DisplayError(Exception):
    """The display cannot start as asked (`zh` for the person at the terminal)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def pin_singletons() -> None:
    """PySide 6.12 on CPython 3.11 drops references to None/True/False on many calls; make them immortal
    as CPython 3.12 does (the touch UI's `ui.refcounts` does the same; display/ may not import ui/)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12) or hasattr(sys, "getobjects"):
        return
    for obj in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(obj))
        if count.value < 1 << 48:
            count.value += 1 << 48


def application() -> QGuiApplication:
    pin_singletons()
    QLoggingCategory.setFilterRules(_LOG_RULES)
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    app.setApplicationName("zwgk-kiosk-display")
    app.setApplicationDisplayName(tr("政务公开专区 公示屏"))
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setFont(QFont(FONT_FAMILY))
    return app  # type: ignore[return-value]


def load(size: tuple[int, int]) -> tuple[QQmlApplicationEngine, QQuickWindow]:
    engine = QQmlApplicationEngine()
    engine.setInitialProperties({"designWidth": size[0], "designHeight": size[1]})
    engine.load(QUrl.fromLocalFile(str(QML)))
    if not engine.rootObjects():
        raise RuntimeError("Display.qml failed to load (see the QML errors above)")
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    return engine, window


def start(
    api_url: str,
    cache_dir: Path,
    settings: Settings,
    size: tuple[int, int],
    clock: Callable[[], datetime] = datetime.now,
    *,
    poll: float = 60.0,
    max_backoff: float = 60.0,
) -> tuple[QQmlApplicationEngine, QQuickWindow, Player]:
    """The window, the link and the player, started (needs a QGuiApplication)."""
    engine, window = load(size)
    cache = Cache(cache_dir)
    link = Link(
        api_url,
        settings.display_id,
        cache,
        queue.Queue(),
        token_file=settings.token_file,
        poll=poll,
        max_backoff=max_backoff,
    )
    player = Player(window, link, cache, settings, clock)
    link.start()
    player.start()
    return engine, window, player


def run(
    api_url: str,
    cache_dir: Path,
    settings: Settings,
    *,
    output: str = "",
    size: tuple[int, int] | None = None,
) -> int:
    app = application()
    screens = {screen.name(): screen for screen in app.screens()}
    screen = screens.get(output) if output else app.primaryScreen()
    if output and screen is None:
        raise DisplayError(
            f"no output {output!r} (outputs: {', '.join(screens) or 'none'})",
            tr(
                "没有名为“{output}”的显示输出（现有：{outputs}）",
                output=output,
                outputs="、".join(screens) or tr("无"),
            ),
        )
    if size is None:
        geometry = screen.geometry() if screen else None
        size = (geometry.width(), geometry.height()) if geometry else LANDSCAPE
    engine, window, player = start(api_url, cache_dir, settings, size)
    if not output and app.platformName() == "wayland":
        # weston's kiosk shell puts the window full screen on the output weston.ini names for the app id
        # zwgk-kiosk-display; showFullScreen() would name the first output (the touch screen) itself.
        window.show()
    else:
        if screen is not None:
            window.setScreen(screen)
            window.setGeometry(screen.geometry().x(), screen.geometry().y(), *size)
        window.showFullScreen()
    log.info(
        "display %s: %dx%d on %s, reading %s",
        settings.display_id,
        *size,
        output or "the primary output",
        api_url,
    )
    notifier, interval = Notifier(), watchdog_interval()  # under a Type=notify unit; nothing otherwise
    watchdog = QTimer()
    if interval:  # pinged from the GUI thread: a hung event loop stops the pings and systemd restarts us
        watchdog.timeout.connect(notifier.watchdog)
        watchdog.start(int(interval * 1000))
    notifier.ready()
    code = app.exec()
    player.stop()
    player.link.stop()
    del engine
    return code
