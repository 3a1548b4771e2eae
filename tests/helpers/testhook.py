"""A control channel for end-to-end tests: a local TCP server speaking JSON lines.

Started by `kiosk_with_control.py` beside it, never by the production kiosk. It lets a test process
find QML items by objectName or visible text and click them with real mouse events, and read the
app's state — so an end-to-end test drives the real app as a finger would. For the random-tap run
(`monkey.py`) and the memory benchmark it also lists what a finger could touch now (`targets`, in
screen coordinates), opens a screen by name, sets a view-model's property or calls its slot, lists the
library's documents and reports RSS after a garbage collection. Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import gc
import json
import logging
import os
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest

from ui import items as qml_items
from ui import memory

log = logging.getLogger(__name__)


class ControlServer:
    def __init__(self, window: QQuickWindow, port: int):
        self.window = window
        self.server = QTcpServer()
        self.server.newConnection.connect(self._accept)
        if not self.server.listen(QHostAddress.SpecialAddress.LocalHost, port):
            raise RuntimeError(f"test control port {port} unavailable")
        self._clients: list[QTcpSocket] = []
        log.warning("test control channel listening on 127.0.0.1:%d", port)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            self._clients.append(socket)

    def _read(self, socket: QTcpSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine()).decode("utf-8").strip()
            if not line:
                continue
            try:
                reply = self.handle(json.loads(line))
            except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            socket.write((json.dumps(reply, ensure_ascii=False) + "\n").encode("utf-8"))
            socket.flush()

    # --- commands --------------------------------------------------------------------------------

    def _find(self, name: str) -> QQuickItem | None:
        return qml_items.find(self.window, name)

    def _center(self, item: QQuickItem) -> QPoint:
        point = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        return QPoint(round(point.x()), round(point.y()))

    def _click_point(self, point: QPoint) -> None:
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)

    def _texts(self, root: QQuickItem | None) -> list[tuple[str, QQuickItem]]:
        return [
            (str(i.property("text")), i)
            for i in qml_items.walk(root or self.window.contentItem())
            if i.inherits("QQuickText") and qml_items.shown(i) and i.property("text")
        ]

    def _state(self) -> dict[str, Any]:
        from ui import context

        services = context.services()
        return {
            "screen": _app_state(self.window, "currentScreen"),
            "ready": bool(_app_state(self.window, "ready")),
            "countdown": _app_state(self.window, "idleCountdown"),
            "idle_timeout": _app_state(self.window, "idleTimeout"),
            "session_empty": services.session.is_empty(),
            "session_search": services.session.search_text,
            "stack": self.window.findChild(QQuickItem, "stack") is not None,
            "font_step": _app_state(self.window, "fontStep"),
            "high_contrast": bool(_app_state(self.window, "highContrast")),
            "pid": os.getpid(),
        }

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        from ui import context

        cmd = request.get("cmd")
        if cmd == "state":
            return self._state()
        if cmd == "targets":
            return {"targets": self._targets(), "window": self._window_rect(), "state": self._state()}
        if cmd == "open":
            _app_singleton(self.window).open(request["screen"], request.get("props", {}))
            return {"opened": True}
        if cmd == "set":  # a view-model singleton's property, as its screen would set it
            from PySide6.QtQml import qmlEngine

            singleton = qmlEngine(self.window).singletonInstance("Kiosk", request["singleton"])
            return {"set": bool(singleton.setProperty(request["property"], request["value"]))}
        if cmd == "call":  # a slot of a view-model singleton, as its screen would call it
            from PySide6.QtQml import qmlEngine

            singleton = qmlEngine(self.window).singletonInstance("Kiosk", request["singleton"])
            getattr(singleton, request["slot"])(*request.get("args", []))
            return {"called": True}
        if cmd == "documents":
            store = context.services().library.store
            return {"ids": [item.id for item in store.items("document")] if store is not None else []}
        if cmd == "collect":
            from PySide6.QtQml import qmlEngine

            gc.collect()
            qmlEngine(self.window).collectGarbage()
            return {"rss_kb": memory.rss_kb()}
        if cmd == "find":
            item = self._find(request["name"])
            if item is None:
                return {"found": False}
            return {"found": True, "text": str(item.property("text") or ""), "height": item.height()}
        if cmd == "click":
            item = self._find(request["name"])
            if item is None:
                return {"clicked": False}
            self._click_point(self._center(item))
            return {"clicked": True}
        if cmd == "texts":
            root = self._find(request["within"]) if request.get("within") else None
            return {"texts": [t for t, _ in self._texts(root)]}
        if cmd == "text_items":
            root = self._find(request["within"]) if request.get("within") else None
            found = []
            for text, item in self._texts(root):
                center = self._center(item)
                found.append({"text": text, "x": center.x(), "y": center.y()})
            return {"items": found, "window": [self.window.width(), self.window.height()]}
        if cmd == "click_text":
            root = self._find(request["within"]) if request.get("within") else None
            for text, item in self._texts(root):
                if text == request["text"]:
                    self._click_point(self._center(item))
                    return {"clicked": True}
            return {"clicked": False}
        return {"error": f"unknown command {cmd!r}"}

    # --- what a finger could touch --------------------------------------------------------------

    def _window_rect(self) -> list[int]:
        origin = self.window.mapToGlobal(QPoint(0, 0))
        return [origin.x(), origin.y(), self.window.width(), self.window.height()]

    def _targets(self) -> list[dict[str, Any]]:
        """Every shown, enabled item that takes a touch, with the part of it not clipped away (screen
        coordinates): ``tap`` for mouse areas, buttons, text fields and the keyboard's keys, ``flick``
        for scrollable views. Items under another one are listed too: a finger may land on the cover."""
        window = QRectF(0, 0, self.window.width(), self.window.height())
        found = []
        for item in qml_items.walk(self.window.contentItem()):
            kind = _touch_kind(item)
            if kind is None or not item.isEnabled() or not qml_items.shown(item):
                continue
            rect = item.mapRectToScene(QRectF(0, 0, item.width(), item.height())) & window
            parent = item.parentItem()
            while parent is not None and not rect.isEmpty():
                if parent.clip():
                    rect &= parent.mapRectToScene(QRectF(0, 0, parent.width(), parent.height()))
                parent = parent.parentItem()
            if rect.width() < 4 or rect.height() < 4:
                continue
            top_left = self.window.mapToGlobal(rect.topLeft().toPoint())
            found.append(
                {
                    "kind": kind,
                    "name": _name(item),
                    "type": item.metaObject().className(),
                    "rect": [top_left.x(), top_left.y(), round(rect.width()), round(rect.height())],
                }
            )
        return found


_TAP_TYPES = ("QQuickMouseArea", "QQuickAbstractButton", "QQuickTextInput", "QQuickTextEdit")


def _touch_kind(item: QQuickItem) -> str | None:
    if item.inherits("QQuickFlickable"):
        return "flick" if item.property("interactive") else None
    if any(item.inherits(t) for t in _TAP_TYPES):
        return "tap"
    if item.metaObject().indexOfProperty("keyType") >= 0 and item.property("displayText") is not None:
        return "tap"  # a key of the Qt Virtual Keyboard (its touch area is one MultiPointTouchArea)
    return None


def _name(item: QQuickItem) -> str:
    """The item's objectName, or its parent's (a button's mouse area is named by the button)."""
    for _ in range(2):
        if item.objectName() or item.parentItem() is None:
            break
        item = item.parentItem()
    return item.objectName()


def _app_singleton(window: QQuickWindow) -> Any:
    from PySide6.QtQml import qmlEngine

    engine = qmlEngine(window)
    return engine.singletonInstance("Kiosk", "AppState") if engine else None


def _app_state(window: QQuickWindow, prop: str) -> Any:
    state = _app_singleton(window)
    return state.property(prop) if state is not None else None
