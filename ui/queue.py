"""The 排队取号 view-models: `QueueBoard` (the resident's screen, `QueueScreen.qml`) and `QueueStaff` (the
staff section 排队叫号 in `StaffScreen.qml`).

The rules are in `kiosk.queue` and `kiosk.features.queue.QueueDesk`; these run the desk on the worker and
hold presentation state only: which step the resident is at (choose a service → the ID card, with
consent, when the service asks → confirm → the number), the last result and the message to show.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.i18n import tr
from ui import context
from ui.refcounts import emit, release_when_destroyed
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

CHOOSE, CARD, CONFIRM, DONE = "choose", "card", "confirm", "done"


def _desk():
    return context.services().queue_desk


@QmlElement
class QueueBoard(QObject):
    """Steps: `choose` (the services), `card` (consent, then read the card), `confirm`, `done` (the number)."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._board: dict[str, Any] = {}
        self._step = CHOOSE
        self._chosen: dict[str, Any] = {}
        self._card: dict[str, Any] = {}
        self._priority = False
        self._ticket: dict[str, Any] = {}
        self._busy = False
        self._message = ""
        self._guide = ""  # opened from a 办事指南: its service is chosen once the board is loaded
        self._worker = Worker(self, self._finished, self._failed)
        desk = _desk()  # left with 回到首页, the card read goes with the screen:
        self.destroyed.connect(lambda *_: desk.forget_card())
        release_when_destroyed(self)
        self.reload()

    def _set_guide(self, guide_id: str) -> None:
        self._guide = guide_id
        self._choose_guides_service()

    def _choose_guides_service(self) -> None:
        if not self._guide or self._step != CHOOSE:
            return
        service = next((s for s in self._board.get("services", []) if s["guide"] == self._guide), None)
        if service is not None:
            self._guide = ""  # once: 返回 shows every service
            self.choose(service["key"])

    def _run(self, tag: str, fn) -> None:
        self._busy = True
        self._message = ""
        emit(self, "changed")
        self._worker.submit(tag, fn)

    @Slot()
    def reload(self) -> None:
        self._run("board", lambda: _desk().board())

    @Slot(str)
    def choose(self, key: str) -> None:
        service = next((s for s in self._board.get("services", []) if s["key"] == key), None)
        if service is None or self._busy:
            return
        if not service["open"]:
            self._message = service["closedReason"]
            emit(self, "changed")
            return
        self._chosen, self._card, self._priority = service, {}, False
        self._step = CARD if service["idCard"] == "required" else CONFIRM
        emit(self, "changed")

    @Slot()
    def readCard(self) -> None:
        """The resident agreed (the screen's 同意并读卡): read the card on the reader."""
        if not self._busy:
            self._run("card", lambda: _desk().read_card(consent=True))

    @Slot()
    def offerCard(self) -> None:
        """From the confirm step of a service that may use the card: ask for it (for 绿色通道)."""
        self._step = CARD
        emit(self, "changed")

    @Slot()
    def skipCard(self) -> None:
        """An optional card not wanted: take the number without it."""
        self._step = CONFIRM
        emit(self, "changed")

    @Slot(bool)
    def setPriority(self, on: bool) -> None:
        self._priority = on
        emit(self, "changed")

    @Slot()
    def confirm(self) -> None:
        if self._busy or not self._chosen:
            return
        key, with_card, priority = self._chosen["key"], bool(self._card), self._priority
        self._run("take", lambda: _desk().take(key, with_card=with_card, priority=priority))

    @Slot()
    def reprint(self) -> None:
        if self._ticket and not self._busy:
            ticket_id = int(self._ticket["ticketId"])
            self._run("reprint", lambda: _desk().reprint(ticket_id))

    @Slot()
    def back(self) -> None:
        """One step back (a card read is forgotten)."""
        if self._card:
            self._worker.submit("forget", lambda: _desk().forget_card())
        self._step, self._chosen, self._card, self._priority, self._message = CHOOSE, {}, {}, False, ""
        emit(self, "changed")
        self.reload()

    def _finished(self, token: int, tag: str, result: Any) -> None:
        self._busy = False
        if tag == "board":
            self._board = result
            self._choose_guides_service()
        elif tag == "card":
            self._card = result
            self._priority = bool(result.get("offersPriority"))
            self._step = CONFIRM
        elif tag in ("take", "reprint"):
            self._ticket, self._step = result, DONE
            self._message = result.get("message", "")
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._busy = False
        self._message = message
        if tag == "take":  # e.g. the cap was reached meanwhile: back to the list, which says so
            self._step, self._card = CHOOSE, {}
            self._worker.submit("board", lambda: _desk().board())
            self._busy = True
        emit(self, "changed")

    guide = Property(str, lambda self: self._guide, _set_guide, notify=changed)
    configured = Property(bool, lambda self: bool(self._board.get("configured")), notify=changed)
    services = Property(list, lambda self: self._board.get("services", []), notify=changed)
    step = Property(str, lambda self: self._step, notify=changed)
    chosen = Property("QVariantMap", lambda self: self._chosen, notify=changed)
    card = Property("QVariantMap", lambda self: self._card, notify=changed)
    priority = Property(bool, lambda self: self._priority, notify=changed)
    ticket = Property("QVariantMap", lambda self: self._ticket, notify=changed)
    busy = Property(bool, lambda self: self._busy, notify=changed)
    message = Property(str, lambda self: self._message, notify=changed)


@QmlElement
class QueueStaff(QObject):
    """The staff section: services and windows (add, edit), a window's pairing QR, the reports."""

    changed = Signal()
    saved = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._overview: dict[str, Any] = {}
        self._pairing: dict[str, Any] = {}
        self._report: dict[str, Any] = {}
        self._message = ""
        self._error = False
        self._worker = Worker(self, self._finished, self._failed)
        release_when_destroyed(self)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self._worker.submit("overview", lambda: _desk().overview())

    def _submit(self, tag: str, fn) -> None:
        self._message, self._error = "", False  # the last outcome goes: the next one will say its own
        emit(self, "changed")
        self._worker.submit(tag, fn)

    @Slot("QVariantMap")
    def saveService(self, values: dict) -> None:
        values = _service_values(values)
        self._submit("saved", lambda: _desk().save_service(values))

    @Slot(int, str, "QVariantList")
    def saveWindow(self, number: int, name: str, services: list) -> None:
        values = {"number": number, "name": name, "services": [str(s) for s in services]}
        self._submit("saved", lambda: _desk().save_window(values))

    @Slot(int, str)
    def setWindowPin(self, window: int, pin: str) -> None:
        self._submit("pinSaved", lambda: _desk().set_window_pin(window, pin))

    @Slot(int)
    def revokeDevice(self, device: int) -> None:
        self._submit("revoked", lambda: _desk().revoke_device(device))

    @Slot()
    def revokeAllDevices(self) -> None:
        self._submit("revoked", lambda: _desk().revoke_all_devices())

    @Slot(int)
    def unlockWindowPin(self, window: int) -> None:
        self._submit("pinUnlocked", lambda: _desk().unlock_window_pin(window))

    @Slot(int)
    def pair(self, window: int) -> None:
        self._worker.submit("pair", lambda: _pair(window))

    @Slot(str)
    def report(self, period: str) -> None:
        self._worker.submit("report", lambda: _desk().report(period))

    @Slot()
    def exportReport(self) -> None:
        if self._report:
            period = self._report["period"]
            self._submit("exported", lambda: _desk().export_report(period))

    def _finished(self, token: int, tag: str, result: Any) -> None:
        self._message, self._error = "", False
        if tag in ("overview", "saved", "pinSaved", "pinUnlocked", "revoked"):
            self._overview = result
            if tag == "saved":
                self._message = tr("已保存。")
                emit(self, "saved")
            elif tag == "pinSaved":
                self._message = tr("已设置配对密码。")
            elif tag == "pinUnlocked":
                self._message = tr("已解除密码配对的锁定。")
            elif tag == "revoked":
                self._message = tr("已撤销配对，该设备需重新配对才能叫号。")
        elif tag == "pair":
            self._pairing = result
        elif tag == "report":
            self._report = result
        elif tag == "exported":
            self._message = tr("已导出：{result}", result=result)
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._message, self._error = message, True
        emit(self, "changed")

    configured = Property(bool, lambda self: bool(self._overview.get("configured")), notify=changed)
    services = Property(list, lambda self: self._overview.get("services", []), notify=changed)
    windows = Property(list, lambda self: self._overview.get("windows", []), notify=changed)
    printFailures = Property(
        int, lambda self: int(self._overview.get("printFailuresToday", 0)), notify=changed
    )
    devices = Property(list, lambda self: self._overview.get("devices", []), notify=changed)
    pairing = Property("QVariantMap", lambda self: self._pairing, notify=changed)
    reportRows = Property(list, lambda self: self._report.get("rows", []), notify=changed)
    reportSpan = Property(
        str,
        lambda self: (
            tr("{first} 至 {last}", first=self._report["first"], last=self._report["last"])
            if self._report
            else ""
        ),
        notify=changed,
    )
    message = Property(str, lambda self: self._message, notify=changed)
    messageIsError = Property(bool, lambda self: self._error, notify=changed)


def _pair(window: int) -> dict:
    from kiosk.qr import data_url

    services = context.services()
    pairing = getattr(
        services, "pairing", None
    )  # the local API's one-time codes, when it is part of the kiosk
    if pairing is None:
        from kiosk.queue import QueueError

        raise QueueError("no local API", tr("本机接口未开启，不能配对窗口"), "no_api")
    if services.queue.config.window(window) is None:
        from kiosk.queue import QueueError

        raise QueueError(f"no window {window}", tr("没有 {window} 号窗口", window=window), "unknown_window")
    offer = pairing.offer(window)
    name = services.queue.config.window(window).name
    return {"window": window, "name": name, "qr": data_url(offer.url), "minutes": int(offer.expires_in // 60)}


SERVICE_FIELDS = ("key", "name", "prefix", "first", "last", "daily_cap", "hours", "days", "id_card", "category",
                  "guide", "estimate_minutes")  # fmt: skip


def _service_values(values: dict) -> dict:
    """The staff form's values as the file has them: hours typed as "08:30-12:00、13:30-17:00", numbers
    typed as text (a number that is not one is left for the file's check to name)."""
    out = {name: values[name] for name in SERVICE_FIELDS if name in values}
    if isinstance(out.get("hours"), str):
        out["hours"] = [p for p in re.split(r"[、,，;；\s]+", out["hours"]) if p]
    for name in ("first", "last", "daily_cap", "estimate_minutes"):
        value = out.get(name)
        if isinstance(value, float) and value.is_integer():
            out[name] = int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            out[name] = int(value.strip())
    if isinstance(out.get("days"), list):
        out["days"] = [int(d) for d in out["days"]]
    return out
