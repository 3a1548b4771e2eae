"""Reader: a QML element that loads one document, 解读, notice or guide for reading.

The text comes as reader blocks (`kiosk.richtext`: headings, paragraphs, list items, table rows) that
the reader screen lays out itself, so a change of type size or contrast re-renders nothing here.

A document stays open as loaded when a sync updates or removes it meanwhile: it is loaded once, when
it is opened, and the resident keeps reading the text on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.i18n import tr
from kiosk.printout import print_item
from ui import context
from ui.refcounts import emit, release_when_destroyed
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
class Reader(QObject):
    changed = Signal()
    printChanged = Signal()  # apart from `changed`, which re-sets the blocks (and the page's place)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._item_id = ""
        self._doc: dict = {}
        self._loading = False
        self._error = ""
        self._token = 0
        self._worker = Worker(self, self._finished, self._failed)
        self._print_state = ""  # "", "printing", "done" or the printer's problem in Chinese
        self._printer = Worker(self, self._printed, self._print_failed)
        release_when_destroyed(self)

    def _set_item_id(self, value: str) -> None:
        if value != self._item_id:
            self._item_id = value
            self._load()

    def _load(self) -> None:
        item_id = self._item_id
        services = context.services()
        generation = services.session.generation
        self._loading = True
        emit(self, "changed")
        self._token = self._worker.submit(
            "document",
            lambda: services.library.opened_browse().document(item_id, generation=generation),
        )

    def _finished(self, token: int, tag: str, result: object) -> None:
        if token != self._token:
            return
        self._doc = result  # type: ignore[assignment]
        self._loading = False
        self._error = ""
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        if token != self._token:
            return
        self._loading = False
        self._error = message
        emit(self, "changed")

    @Slot()
    def leave(self) -> None:
        """The resident leaves the reader: the read is recorded with its seconds (never waits)."""
        browse = context.services().library.browse
        if browse is not None and self._item_id:
            browse.left(self._item_id)

    @Slot()
    def printOut(self) -> None:
        """Print the document's key points and a QR code on the receipt printer (on a worker)."""
        if self._print_state == "printing" or not self._item_id:
            return
        services = context.services()
        config, data_dir, item_id = services.config, services.data_dir, self._item_id
        self._print_state = "printing"
        emit(self, "printChanged")
        self._printer.submit(
            "print", lambda: print_item(config, data_dir, services.library.opened_browse(), item_id)
        )

    def _printed(self, token: int, tag: str, result: object) -> None:
        self._print_state = "done"
        emit(self, "printChanged")

    def _print_failed(self, token: int, tag: str, message: str) -> None:
        self._print_state = message
        emit(self, "printChanged")

    @Slot()
    def clearPrintState(self) -> None:
        """The outcome of the last print has been on screen long enough."""
        if self._print_state != "printing":
            self._print_state = ""
            emit(self, "printChanged")

    def _can_print(self) -> bool:
        return bool(context.services().config["devices.printer"])

    def _field(self, key: str) -> object:
        return self._doc.get(key, "")

    itemId = Property(str, lambda self: self._item_id, _set_item_id, notify=changed)
    canPrint = Property(bool, _can_print, constant=True)
    printState = Property(str, lambda self: self._print_state, notify=printChanged)
    loading = Property(bool, lambda self: self._loading, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)
    title = Property(str, lambda self: self._field("title"), notify=changed)
    kind = Property(str, lambda self: self._field("kind"), notify=changed)
    kindName = Property(str, lambda self: self._field("kindName"), notify=changed)
    docNumber = Property(str, lambda self: self._field("docNumber"), notify=changed)
    date = Property(str, lambda self: self._field("date"), notify=changed)
    issuer = Property(str, lambda self: self._field("issuer"), notify=changed)
    blocks = Property(list, lambda self: self._doc.get("blocks", []), notify=changed)
    text = Property(str, lambda self: self._field("text"), notify=changed)
    url = Property(str, lambda self: self._field("url"), notify=changed)
    qr = Property(str, lambda self: self._field("qr"), notify=changed)
    level = Property(str, lambda self: self._field("level"), notify=changed)
    validity = Property(
        str,
        lambda self: (
            tr("{start} 至 {end}", start=self._doc["validFrom"], end=self._doc["validTo"])
            if self._doc.get("kind") == "notice"
            else ""
        ),
        notify=changed,
    )
    related = Property(list, lambda self: self._doc.get("related", []), notify=changed)
    photos = Property(list, lambda self: self._doc.get("photos", []), notify=changed)
    annexes = Property(list, lambda self: self._doc.get("annexes", []), notify=changed)
