"""AppState: the kiosk-wide view-model (QML singleton ``Kiosk.AppState``).

Holds what every screen shows or obeys: the zone and hall names, the clock, whether the library is
ready or the kiosk is in maintenance, the home tiles, the theme (normal or high-contrast large type) and
font step, and the idle reset: `kiosk.idle.IdlePolicy` decides when a countdown runs and when the
resident session is cleared and `homeRequested` sends every screen home; two seconds later, the
resident's screens gone, `ui.memory.release` gives back the memory they held. So it does two seconds
after the library opened (it may have re-indexed) and after a sync changed the content (both free
heap glibc would otherwise keep), unless a resident is using the kiosk by then.

When the content changes while the kiosk runs (a background sync or staff's 立即同步 applied a new
channel version, staff changed a local notice) a `ContentChange` comes on the services' bus, on the
changing thread; AppState takes the news on the GUI thread, shows the new home tiles at once (the home
screen sits under every other screen, so a resident reading or searching finds it current when they
come back) and raises `contentVersion`. It never navigates: lists and search results under the
resident's eyes stay as they are, and are brought up to date when their screen comes back
(`Listing.refreshIfStale`).
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Q_ARG, Property, QCoreApplication, QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QmlElement, QmlSingleton, qmlEngine

from kiosk import theme
from kiosk.events import ContentChange
from kiosk.features import registry
from kiosk.i18n import N_, tr, translate
from kiosk.idle import IdlePolicy, Tick, anything_to_forget
from ui import context, memory
from ui.refcounts import emit
from ui.worker import GuiCall, Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

FONT_STEPS = (1.0, 1.2, 1.45, 1.75)
OPEN_AFTER_FIRST_FRAME_MS = 300
RELEASE_AFTER_RESET_MS = 2000
BASE_BODY_PX = 28
MIN_TEXT_PX = 24
WEEKDAYS = (N_("星期一"), N_("星期二"), N_("星期三"), N_("星期四"), N_("星期五"), N_("星期六"), N_("星期日"))
_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


@QmlElement
@QmlSingleton
class AppState(QObject):
    themeChanged = Signal()
    clockChanged = Signal()
    statusChanged = Signal()
    idleChanged = Signal()
    homeRequested = Signal()
    resetDone = Signal()
    navigateRequested = Signal(str, "QVariantMap")
    backRequested = Signal()
    screenChanged = Signal()
    contentChanged = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._services = context.services()
        config = self._services.config
        self._high_contrast = False
        self._font_step = 0
        self._ready = False
        self._maintenance = ""
        self._functions: list[dict] = []
        self.idle_policy = IdlePolicy(self._idle_timeout, int(config["ui.idle_countdown"]))
        self._clock = ""
        self._date = ""
        self._worker = Worker(self, self._finished, self._failed)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self._tick)
        self._tick_timer.start()
        # After an idle reset, once the resident's screens are destroyed: give their memory back.
        self._release_timer = QTimer(self)
        self._release_timer.setSingleShot(True)
        self._release_timer.setInterval(RELEASE_AFTER_RESET_MS)
        self._release_timer.timeout.connect(self._release_memory)
        self._update_clock()
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        # Tiles computed at `content_version` N replace tiles of an earlier version, never a later one.
        self._tiles_version = -1
        self._content_version = self._services.library.content_version
        remove = self._services.bus.subscribe(ContentChange, GuiCall(self, self._content_changed))
        self.destroyed.connect(lambda *_: remove())
        # The first frame shows the tiles of the last start, and the library opens just after it (not
        # competing with the first frame for the interpreter); its own tiles replace them when open.
        self._functions = self._services.library.last_tiles()
        self._ready = bool(self._functions)
        if self._ready:
            QTimer.singleShot(OPEN_AFTER_FIRST_FRAME_MS, self.refreshFunctions)
        else:
            self._worker.submit("open", self._open)

    # --- startup ---------------------------------------------------------------------------------

    def _open(self) -> tuple[str, list[dict], int]:
        library = self._services.library
        library.ensure_open()
        if library.browse is None:
            return library.maintenance or tr("资料库无法打开，请联系工作人员。"), [], library.content_version
        version = library.content_version  # read first: the tiles below are at least this new
        functions = library.tiles()
        library.remember_tiles(functions, version)
        return "", functions, version

    def _finished(self, token: int, tag: str, result: object) -> None:
        maintenance, functions, version = result  # type: ignore[misc]
        self._release_timer.start()  # opening may have migrated or re-indexed the library
        if not maintenance and version < self._tiles_version:
            return  # a content change delivered newer tiles meanwhile
        self._show_tiles(functions, version, maintenance)

    def _show_tiles(self, functions: list[dict], version: int, maintenance: str = "") -> None:
        self._tiles_version = version
        if (maintenance, functions, True) == (self._maintenance, self._functions, self._ready):
            return  # the same tiles: the home screen keeps its delegates (and a finger on one)
        self._maintenance = maintenance
        self._functions = functions
        self._ready = True
        emit(self, "statusChanged")

    def _content_changed(self, change: ContentChange) -> None:
        """On the GUI thread: a `ContentChange` from the services' bus."""
        if change.version <= self._content_version:
            return
        self._content_version = change.version
        if change.version > self._tiles_version and not self._maintenance:
            self._show_tiles(change.tiles, change.version)
        log.info("content changed (%s): home tiles refreshed", change.reason)
        emit(self, "contentChanged")
        if change.reason == "sync":
            self._release_timer.start()  # applying a sync freed what it held: give that back too

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._maintenance = message
        self._ready = True
        emit(self, "statusChanged")

    @Slot()
    def refreshFunctions(self) -> None:
        self._worker.submit("open", self._open)

    # --- idle reset ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS:
            self.touch()
        return False

    @Slot()
    def touch(self) -> None:
        if self.idle_policy.touch():
            emit(self, "idleChanged")

    def _idle_timeout(self) -> int:
        return int(self._services.config["kiosk.idle_timeout"])  # staff may change it while running

    def _tick(self) -> None:
        self._update_clock()
        forget = anything_to_forget(
            self._services.session.is_empty(), self._away_from_home, self._font_step, self._high_contrast
        )
        tick = self.idle_policy.tick(forget)
        if tick is Tick.RESET:
            screen = self._screen
            self.resetNow()  # first: recording must never keep a resident's data on screen
            self._services.usage.event("idle_reset", screen=screen)
        elif tick is Tick.COUNTING:
            emit(self, "idleChanged")

    _away_from_home = False
    _screen = "home"

    # --- navigation (screens ask; Main.qml's StackView obeys) -------------------------------------

    @Slot(str, "QVariantMap")
    def open(self, name: str, props: dict) -> None:
        """Open a screen by name, or a home function (its key) where its declaration says."""
        if name in registry():
            name, route_props = registry().route(name)
            props = {**route_props, **props}
        emit(self, "navigateRequested", Q_ARG(str, name), Q_ARG("QVariantMap", props))

    @Slot(str)
    def openFeature(self, key: str) -> None:
        """Open a home function where its declaration (`kiosk.features`) says."""
        self.open(key, {})

    @Slot()
    def back(self) -> None:
        emit(self, "backRequested")

    @Slot()
    def home(self) -> None:
        emit(self, "homeRequested")

    @Slot(str, int)
    def setScreen(self, name: str, depth: int) -> None:
        self._away_from_home = depth > 1
        if name != self._screen:
            self._screen = name
            emit(self, "screenChanged")

    currentScreen = Property(str, lambda self: self._screen, notify=screenChanged)
    staffCorner = Property(str, lambda self: self._services.config["ui.staff_corner"], constant=True)
    staffHoldMs = Property(
        int, lambda self: int(self._services.config["ui.staff_hold_seconds"]) * 1000, constant=True
    )

    @Slot()
    def resetNow(self) -> None:
        """Forget the resident: clear the session, reset type size and contrast, and go home."""
        log.info("idle reset")
        self.idle_policy.reset()
        emit(self, "homeRequested")  # first close the resident's screens, then forget what they held
        self._services.session.clear()
        changed = self._font_step != 0 or self._high_contrast
        self._font_step = 0
        self._high_contrast = False
        if changed:
            emit(self, "themeChanged")
        emit(self, "idleChanged")
        emit(self, "resetDone")
        self._release_timer.start()

    def _release_memory(self) -> None:
        """After an idle reset, a sync or the library's opening: give memory back, unless a resident is
        using the kiosk by then (the next idle reset gives it back)."""
        if not self._services.session.is_empty() or self._away_from_home:
            return
        engine = qmlEngine(self)
        if engine is not None:
            memory.release(engine)

    @Slot()
    def hideKeyboard(self) -> None:
        QGuiApplication.inputMethod().hide()

    @Slot()
    def showKeyboard(self) -> None:
        QGuiApplication.inputMethod().show()

    @Slot()
    def quitKiosk(self) -> None:
        log.info("staff left kiosk mode")
        QCoreApplication.quit()

    idleCountdown = Property(int, lambda self: self.idle_policy.countdown, notify=idleChanged)
    idleTimeout = Property(int, lambda self: self._idle_timeout(), notify=idleChanged)

    # --- clock -----------------------------------------------------------------------------------

    def _update_clock(self) -> None:
        now = datetime.now()
        clock = now.strftime("%H:%M")
        day = tr(
            "{year}年{month}月{day}日 {weekday}",
            year=now.year,
            month=now.month,
            day=now.day,
            weekday=translate(WEEKDAYS[now.weekday()]),
        )
        if clock != self._clock or day != self._date:
            self._clock, self._date = clock, day
            emit(self, "clockChanged")

    clockText = Property(str, lambda self: self._clock, notify=clockChanged)
    dateText = Property(str, lambda self: self._date, notify=clockChanged)

    # --- status ----------------------------------------------------------------------------------

    # The configuration now: the setup wizard changes them while the kiosk runs (a ContentChange "hall").
    hallName = Property(str, lambda self: self._services.config["kiosk.hall_name"], notify=contentChanged)
    tier = Property(str, lambda self: self._services.config["kiosk.tier"], notify=contentChanged)
    ready = Property(bool, lambda self: self._ready, notify=statusChanged)
    maintenance = Property(str, lambda self: self._maintenance, notify=statusChanged)
    functions = Property(list, lambda self: self._functions, notify=statusChanged)
    contentVersion = Property(int, lambda self: self._content_version, notify=contentChanged)

    # --- theme -----------------------------------------------------------------------------------

    @Slot()
    def toggleContrast(self) -> None:
        self._high_contrast = not self._high_contrast
        emit(self, "themeChanged")

    @Slot(int)
    def setFontStep(self, step: int) -> None:
        step = max(0, min(len(FONT_STEPS) - 1, step))
        if step != self._font_step:
            self._font_step = step
            emit(self, "themeChanged")

    @Slot()
    def fontLarger(self) -> None:
        self.setFontStep(self._font_step + 1)

    @Slot()
    def fontSmaller(self) -> None:
        self.setFontStep(self._font_step - 1)

    def font_factor(self) -> float:
        factor = float(self._services.config["kiosk.font_scale"]) * FONT_STEPS[self._font_step]
        return factor * (1.15 if self._high_contrast else 1.0)

    def px(self, base: float) -> int:
        return max(MIN_TEXT_PX, round(base * self.font_factor()))

    def palette(self) -> dict[str, str]:
        return theme.palette(self._high_contrast)

    highContrast = Property(bool, lambda self: self._high_contrast, notify=themeChanged)
    fontStep = Property(int, lambda self: self._font_step, notify=themeChanged)
    fontSteps = Property(int, lambda self: len(FONT_STEPS), constant=True)
    bodyPx = Property(int, lambda self: self.px(BASE_BODY_PX), notify=themeChanged)
    smallPx = Property(int, lambda self: self.px(24), notify=themeChanged)
    titlePx = Property(int, lambda self: self.px(36), notify=themeChanged)
    headlinePx = Property(int, lambda self: self.px(46), notify=themeChanged)
    fontFamily = Property(str, lambda self: "Noto Sans CJK SC", constant=True)
    bg = Property(str, lambda self: self.palette()["bg"], notify=themeChanged)
    surface = Property(str, lambda self: self.palette()["surface"], notify=themeChanged)
    textColor = Property(str, lambda self: self.palette()["text"], notify=themeChanged)
    subtext = Property(str, lambda self: self.palette()["subtext"], notify=themeChanged)
    primary = Property(str, lambda self: self.palette()["primary"], notify=themeChanged)
    onPrimary = Property(str, lambda self: self.palette()["onPrimary"], notify=themeChanged)
    accent = Property(str, lambda self: self.palette()["accent"], notify=themeChanged)
    onAccent = Property(str, lambda self: self.palette()["onAccent"], notify=themeChanged)
    qrBackground = Property(str, lambda self: self.palette()["qr"], notify=themeChanged)
    border = Property(str, lambda self: self.palette()["border"], notify=themeChanged)
    mark = Property(str, lambda self: self.palette()["mark"], notify=themeChanged)
    pressed = Property(str, lambda self: self.palette()["pressed"], notify=themeChanged)
    tileAlt = Property(str, lambda self: self.palette()["tileAlt"], notify=themeChanged)
    ok = Property(str, lambda self: self.palette()["ok"], notify=themeChanged)
    header = Property(str, lambda self: self.palette()["header"], notify=themeChanged)
    headerText = Property(str, lambda self: self.palette()["headerText"], notify=themeChanged)
