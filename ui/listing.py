"""Listing: a QML element that loads one browse list (issues, a TOC, sections, a section's documents…).

The lists are those the functions of `kiosk.features` declare; this module names none of them.

Each list screen makes its own ``Listing { source: "section"; argument: "市政府文件" }``; it loads in a
worker when both are set and exposes `rows` (a list of plain dicts from `kiosk.browse`).

A list remembers the services' `content_version` it was loaded at. When its screen comes back after the
content changed (a sync, a staff notice), `refreshIfStale()` loads it again; the old rows stay until
the new ones replace them (`rowsReplaced`), so the screen never flashes empty.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.features import registry
from ui import context
from ui.refcounts import emit, release_when_destroyed
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1


def load(source: str, argument: str) -> tuple[str, list[dict]]:
    """(title, rows) for a list, from the function that declares it (`kiosk.features`); runs in a worker."""
    return registry().list_source(source).rows(context.services().library.opened_browse(), argument)


@QmlElement
class Listing(QObject):
    changed = Signal()
    rowsReplaced = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._source = ""
        self._argument = ""
        self._title = ""
        self._rows: list[dict] = []
        self._loading = False
        self._error = ""
        self._token = 0
        self._version = -1  # the services' content_version the rows were loaded at
        self._worker = Worker(self, self._finished, self._failed)
        release_when_destroyed(self)

    def _set_source(self, value: str) -> None:
        if value != self._source:
            self._source = value
            self.reload()

    def _set_argument(self, value: str) -> None:
        if value != self._argument:
            self._argument = value
            if self._source:
                self.reload()

    @Slot()
    def reload(self) -> None:
        if self._source not in registry().list_sources:
            return
        source, argument = self._source, self._argument
        self._version = (
            context.services().library.content_version
        )  # read before loading: rows at least as new
        self._loading = True
        self._error = ""
        emit(self, "changed")
        self._token = self._worker.submit(source, lambda: load(source, argument))

    @Slot(result=bool)
    def refreshIfStale(self) -> bool:
        """Load the list again if the content changed since it was loaded; whether it does."""
        if (
            self._source not in registry().list_sources
            or self._version == context.services().library.content_version
        ):
            return False
        self.reload()
        return True

    def _finished(self, token: int, tag: str, result: object) -> None:
        if token != self._token:
            return
        self._title, self._rows = result  # type: ignore[misc]
        self._loading = False
        emit(self, "changed")
        emit(self, "rowsReplaced")

    def _failed(self, token: int, tag: str, message: str) -> None:
        if token != self._token:
            return
        self._rows = []
        self._loading = False
        self._error = message
        emit(self, "changed")

    source = Property(str, lambda self: self._source, _set_source, notify=changed)
    argument = Property(str, lambda self: self._argument, _set_argument, notify=changed)
    title = Property(str, lambda self: self._title, notify=changed)
    rows = Property(list, lambda self: self._rows, notify=changed)
    count = Property(int, lambda self: len(self._rows), notify=changed)
    loading = Property(bool, lambda self: self._loading, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)
