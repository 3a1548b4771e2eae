"""The touch UI under a ``Type=notify`` systemd unit: ``READY=1`` once the home screen shows, then
``WATCHDOG=1`` from a timer on the GUI thread, so a frozen event loop stops the pings and systemd kills
and restarts the kiosk (``WatchdogSec=``). The protocol itself is `systemd_notify`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk.i18n import tr
from systemd_notify import Notifier, watchdog_interval

READY_POLL_MS = 50


class Supervision(QObject):
    """Watches for the first shown home screen (or maintenance screen), then keeps the watchdog fed."""

    def __init__(self, engine: QQmlApplicationEngine, window: QQuickWindow, notifier: Notifier):
        super().__init__(window)
        self._state = engine.singletonInstance("Kiosk", "AppState")
        self._window = window
        self._notifier = notifier
        self._ready_timer = QTimer(self, interval=READY_POLL_MS)
        self._ready_timer.timeout.connect(self._check_ready)
        self._ready_timer.start()
        interval = watchdog_interval()
        self.watchdog_timer = QTimer(self, interval=max(1, round(interval * 1000)) if interval else 0)
        self.watchdog_timer.timeout.connect(self._notifier.watchdog)
        if interval:
            self.watchdog_timer.start()

    def _check_ready(self) -> None:
        if not (self._window.isExposed() and self._state.property("ready")):
            return
        self._ready_timer.stop()
        maintenance = self._state.property("maintenance")
        self._notifier.ready(
            tr("系统维护中 maintenance: {reason}", reason=maintenance) if maintenance else "home screen shown"
        )


def start(engine: QQmlApplicationEngine, window: QQuickWindow) -> Supervision | None:
    """Start reporting to the service manager; None (nothing to do) when not started by one."""
    notifier = Notifier()
    return Supervision(engine, window, notifier) if notifier.enabled else None
