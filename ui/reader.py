"""Reader: a QML element that loads one document, 解读, notice or guide for reading.

The text comes as Qt rich text rendered in Python (`kiosk.richtext`) for the current font size and
contrast; `setStyle` re-renders it when the resident changes the type size.

A document stays open as loaded when a sync updates or removes it meanwhile: if it can no longer be
re-rendered (removed), the resident keeps reading the text on screen, never an error in its place.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.richtext import Style
from ui import context
from ui.appstate import HIGH_CONTRAST, NORMAL
from ui.refcounts import emit, release_when_destroyed
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


def style_for(body_px: int, high_contrast: bool) -> Style:
    palette = HIGH_CONTRAST if high_contrast else NORMAL
    return Style(
        body_px=body_px,
        text=palette["text"],
        heading=palette["primary"] if not high_contrast else "#ffd600",
        rule=palette["border"],
        table_head="#e6eefa" if not high_contrast else "#333333",
        mark_bg=palette["mark"],
        mark_fg="#000000",
    )


@QmlElement
class Reader(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._item_id = ""
        self._body_px = 28
        self._high_contrast = False
        self._doc: dict = {}
        self._loading = False
        self._error = ""
        self._token = 0
        self._worker = Worker(self, self._finished, self._failed)
        release_when_destroyed(self)

    def _set_item_id(self, value: str) -> None:
        if value != self._item_id:
            self._item_id = value
            self._load()

    @Slot(int, bool)
    def setStyle(self, body_px: int, high_contrast: bool) -> None:
        if (body_px, high_contrast) != (self._body_px, self._high_contrast):
            self._body_px, self._high_contrast = body_px, high_contrast
            if self._item_id:
                self._load(record=False)

    def _load(self, record: bool = True) -> None:
        item_id, style = self._item_id, style_for(self._body_px, self._high_contrast)
        services = context.services()
        generation = services.session.generation
        self._loading = True
        emit(self, "changed")
        self._token = self._worker.submit(
            "document",
            lambda: services.opened_browse().document(item_id, style, record=record, generation=generation),
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
        if self._doc.get("id") == self._item_id:  # a restyle of the page on screen: keep it
            log.info("document %s not re-rendered (%s); the page on screen stays", self._item_id, message)
        else:
            self._error = message
        emit(self, "changed")

    def _field(self, key: str) -> object:
        return self._doc.get(key, "")

    itemId = Property(str, lambda self: self._item_id, _set_item_id, notify=changed)
    loading = Property(bool, lambda self: self._loading, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)
    title = Property(str, lambda self: self._field("title"), notify=changed)
    kind = Property(str, lambda self: self._field("kind"), notify=changed)
    kindName = Property(str, lambda self: self._field("kindName"), notify=changed)
    docNumber = Property(str, lambda self: self._field("docNumber"), notify=changed)
    date = Property(str, lambda self: self._field("date"), notify=changed)
    issuer = Property(str, lambda self: self._field("issuer"), notify=changed)
    html = Property(str, lambda self: self._field("html"), notify=changed)
    url = Property(str, lambda self: self._field("url"), notify=changed)
    qr = Property(str, lambda self: self._field("qr"), notify=changed)
    level = Property(str, lambda self: self._field("level"), notify=changed)
    validity = Property(
        str,
        lambda self: (
            f"{self._doc['validFrom']} 至 {self._doc['validTo']}" if self._doc.get("kind") == "notice" else ""
        ),
        notify=changed,
    )
    related = Property(list, lambda self: self._doc.get("related", []), notify=changed)
    photos = Property(list, lambda self: self._doc.get("photos", []), notify=changed)
    annexes = Property(list, lambda self: self._doc.get("annexes", []), notify=changed)
