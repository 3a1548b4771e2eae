"""The 办事指南 screens' view-models: `GuideCatalog` (browse by 公民类/企业类, 主题, department, A–Z) and
`GuidePage` (one guide, its checklist printed on the receipt printer).

The rules are in `kiosk/guides.py`, `kiosk/guides_page.py` and `kiosk/guides_checklist.py`; these load them
on a worker (nothing of the library loads before the first frame) and hold presentation state only.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from ui import context
from ui.refcounts import emit, release_when_destroyed
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1


def _catalogue(audience: str, by: str, value: str) -> dict:
    """What a catalogue screen shows for (audience, by, value); runs on a worker."""
    from content.guides_catalog import catalogue
    from kiosk import guides

    entries = catalogue(context.services().library.opened_store())
    shown: dict = {"audiences": guides.audiences(entries), "groups": [], "letters": [], "rows": []}
    if by == "letter" and not value:
        shown["letters"] = guides.letters(entries, audience)
    elif by in ("theme", "department") and not value:
        shown["groups"] = guides.groups(entries, audience, by)
    else:
        shown["rows"] = guides.guides(entries, audience, by, value)
    shown["title"] = guides.title(audience, by, value)
    return shown


@QmlElement
class GuideCatalog(QObject):
    """One catalogue view: set `audience` ('' all, 公民类, 企业类), `by` ('' the guides themselves,
    theme, department, letter) and `value` (a group's name: its guides)."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._asked = ("", "", "")
        self._opened = False
        self._shown: dict = {}
        self._loading = False
        self._error = ""
        self._token = 0
        self._version = -1
        self._worker = Worker(self, self._finished, self._failed)
        release_when_destroyed(self)

    def _set(self, index: int, value: str) -> None:
        asked = list(self._asked)
        if asked[index] != value:
            asked[index] = value
            self._asked = (asked[0], asked[1], asked[2])
            self._opened = True  # the resident asked for this list (recorded once it is shown)
            self._load()

    def _load(self) -> None:
        audience, by, value = self._asked
        self._version = context.services().library.content_version
        self._loading = True
        self._error = ""
        emit(self, "changed")
        self._token = self._worker.submit("catalogue", lambda: _catalogue(audience, by, value))

    @Slot(result=bool)
    def refreshIfStale(self) -> bool:
        """Load again if the content changed since (a sync brought guides); whether it does."""
        if self._version == context.services().library.content_version:
            return False
        self._load()
        return True

    def _finished(self, token: int, tag: str, result: object) -> None:
        if token != self._token:
            return  # QML sets audience, by and value one after another: only the last load counts
        self._shown, self._loading = result, False  # type: ignore[assignment]
        emit(self, "changed")
        if self._opened:  # once per list the resident opens, not on a refresh after a sync
            self._opened = False
            context.services().usage.event("list_opened", list="guide")

    def _failed(self, token: int, tag: str, message: str) -> None:
        if token == self._token:
            self._shown, self._loading, self._error = {}, False, message
            emit(self, "changed")

    audience = Property(str, lambda self: self._asked[0], lambda self, v: self._set(0, v), notify=changed)
    by = Property(str, lambda self: self._asked[1], lambda self, v: self._set(1, v), notify=changed)
    value = Property(str, lambda self: self._asked[2], lambda self, v: self._set(2, v), notify=changed)
    title = Property(str, lambda self: self._shown.get("title", ""), notify=changed)
    audiences = Property(list, lambda self: self._shown.get("audiences", []), notify=changed)
    groups = Property(list, lambda self: self._shown.get("groups", []), notify=changed)
    letters = Property(list, lambda self: self._shown.get("letters", []), notify=changed)
    rows = Property(list, lambda self: self._shown.get("rows", []), notify=changed)
    loading = Property(bool, lambda self: self._loading, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)


def _page(item_id: str, generation: int) -> dict:
    from kiosk.guides_hall import hall_for_residents
    from kiosk.guides_page import guide_page

    services = context.services()
    store = services.library.opened_store()
    page = guide_page(store, store.get(item_id), hall_for_residents(services.data_dir))
    services.session.record_opened(item_id, generation)  # the idle reset forgets it
    return page


def _print(item_id: str) -> None:
    from kiosk.guides_checklist import print_checklist

    services = context.services()
    print_checklist(services.config, services.data_dir, services.library.opened_store(), item_id)
    services.usage.event("checklist_printed", item_id=item_id)


@QmlElement
class GuidePage(QObject):
    """One guide for its page; `printChecklist()` prints its 材料清单, `left()` (the page leaving the
    stack) records that the guide was read and for how long."""

    changed = Signal()
    printChanged = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._item_id = ""
        self._page: dict = {}
        self._loading = False
        self._error = ""
        self._token = 0
        self._opened = 0.0
        self._print_state = ""  # "", "printing", "done" or the printer's problem in Chinese
        self._worker = Worker(self, self._finished, self._failed)
        self._printer = Worker(self, self._printed, self._print_failed)
        release_when_destroyed(self)

    def _set_item_id(self, value: str) -> None:
        if value == self._item_id:
            return
        self._item_id = value
        generation = context.services().session.generation
        self._loading, self._error = True, ""
        emit(self, "changed")
        self._token = self._worker.submit("guide", lambda: _page(value, generation))

    def _finished(self, token: int, tag: str, result: object) -> None:
        if token == self._token:
            self._page, self._loading = result, False  # type: ignore[assignment]
            self._opened = time.monotonic()
            emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        if token == self._token:
            self._loading, self._error = False, message
            emit(self, "changed")

    @Slot()
    def left(self) -> None:
        """The resident left the guide: record that it was read, and for how long."""
        if self._opened:
            seconds = min(86_400, round(time.monotonic() - self._opened))
            self._opened = 0.0
            context.services().usage.event("guide_viewed", item_id=self._item_id, seconds=seconds)

    @Slot()
    def printChecklist(self) -> None:
        if self._print_state == "printing" or not self._page:
            return
        item_id = self._item_id
        self._print_state = "printing"
        emit(self, "printChanged")
        self._printer.submit("print", lambda: _print(item_id))

    def _printed(self, token: int, tag: str, result: object) -> None:
        self._print_state = "done"
        emit(self, "printChanged")

    def _print_failed(self, token: int, tag: str, message: str) -> None:
        self._print_state = message
        emit(self, "printChanged")

    @Slot()
    def clearPrintState(self) -> None:
        if self._print_state != "printing":
            self._print_state = ""
            emit(self, "printChanged")

    itemId = Property(str, lambda self: self._item_id, _set_item_id, notify=changed)
    loading = Property(bool, lambda self: self._loading, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)
    title = Property(str, lambda self: self._page.get("title", ""), notify=changed)
    department = Property(str, lambda self: self._page.get("department", ""), notify=changed)
    demoNote = Property(str, lambda self: self._page.get("demoNote", ""), notify=changed)
    window = Property(str, lambda self: self._page.get("window", ""), notify=changed)
    blocks = Property(list, lambda self: self._page.get("blocks", []), notify=changed)
    hasMaterials = Property(bool, lambda self: bool(self._page.get("materials")), notify=changed)
    canPrint = Property(bool, lambda self: bool(context.services().config["devices.printer"]), constant=True)
    printState = Property(str, lambda self: self._print_state, notify=printChanged)
