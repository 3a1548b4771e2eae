"""A control channel for end-to-end tests: a local TCP server speaking JSON lines.

Started by `kiosk_with_control.py` beside it, never by the production kiosk. It lets a test process
find QML items by objectName or visible text and click them with real mouse events, and read the
app's state — so an end-to-end test drives the real app as a finger would. Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest

from ui import items as qml_items

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

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        from ui import context

        cmd = request.get("cmd")
        if cmd == "state":
            engine_state = self.window.findChild(QQuickItem, "stack")
            services = context.services()
            return {
                "screen": _app_state(self.window, "currentScreen"),
                "ready": bool(_app_state(self.window, "ready")),
                "countdown": _app_state(self.window, "idleCountdown"),
                "session_empty": services.session.is_empty(),
                "session_search": services.session.search_text,
                "stack": engine_state is not None,
            }
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


def _app_state(window: QQuickWindow, prop: str) -> Any:
    from PySide6.QtQml import qmlEngine

    engine = qmlEngine(window)
    state = engine.singletonInstance("Kiosk", "AppState") if engine else None
    return state.property(prop) if state is not None else None
