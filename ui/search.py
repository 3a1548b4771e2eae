"""Search: the search screen's view-model (QML singleton ``Kiosk.Search``).

Results update as the resident types: a keystroke starts its query at once when no query is running;
while one runs, further keystrokes are coalesced and only the latest text runs next (so a fast typist
never queues a backlog, and a slow one never waits for a timer). Results of superseded queries are
dropped. In 拼音首字母 mode the resident taps letters on our
own keypad (no input method); the letters are searched as initials. The keypad's example (`example`: the
letters and the word they find) comes from the library that is loaded (`kiosk.search_example`), checked
by running that search. The idle reset empties it. A pinyin query read as a word of the library says so
(`meant`: 您要找的是不是：秸秆). When nothing is found, `suggestions` are queries to run or documents to
open (`kind` "query" / "document").
Results found before the content changed (a sync) are searched again when the search screen comes back
(`refreshIfStale`), never while the resident looks at them.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton

from kiosk import theme
from kiosk.richtext import Style
from ui import context
from ui.refcounts import emit
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

MAX_RESULTS = 30
MAX_QUERY = 40


def _initials_example(services) -> dict[str, str]:
    """The keypad's example, on the worker (the search modules load after the first frame)."""
    from kiosk.search_example import initials_example

    return initials_example(services.library.opened_store())


@QmlElement
@QmlSingleton
class Search(QObject):
    changed = Signal()
    resultsChanged = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._text = ""
        self._initials = False
        self._results: list[dict] = []
        self._suggestions: list[dict] = []
        self._meant = ""
        self._example: dict = {}
        self._example_version = -1  # the content_version the example was found for
        self._searched = ""  # the query the current results are for
        self._searching = False
        self._error = ""
        self._high_contrast = False
        self._token = 0
        self._worker = Worker(self, self._finished, self._failed)
        self._running = False  # a query is in the worker
        self._pending = False  # the text changed while it ran
        self._version = -1  # the services' content_version of the latest query
        this = weakref.ref(self)
        context.services().session.on_clear(lambda: (s := this()) is not None and s.clear())

    # --- input -----------------------------------------------------------------------------------

    def _set_text(self, value: str) -> None:
        value = value[:MAX_QUERY]
        if value == self._text:
            return
        self._text = value
        emit(self, "changed")
        if value.strip():
            self._searching = True
            if self._running:
                self._pending = True
            else:
                self._run()
        else:
            self._pending = False
            self._token += 1  # drop any search still running
            self._results, self._suggestions, self._searched, self._searching = [], [], "", False
            self._meant = ""
            context.services().session.set_search_text("")
            emit(self, "resultsChanged")
        emit(self, "changed")

    @Slot(str)
    def typeLetter(self, letter: str) -> None:
        """A tap on the initials keypad."""
        if len(letter) == 1 and letter.isascii() and letter.isalpha():
            self._set_text(self._text + letter.lower())

    @Slot()
    def backspace(self) -> None:
        self._set_text(self._text[:-1])

    @Slot()
    def clear(self) -> None:
        self._pending = False
        self._token += 1  # drop any search still running
        self._text = ""
        self._results, self._suggestions, self._searched = [], [], ""
        self._meant = ""
        self._searching = False
        self._error = ""
        emit(self, "changed")
        emit(self, "resultsChanged")

    @Slot(bool)
    def setInitialsMode(self, on: bool) -> None:
        if on != self._initials:
            self._initials = on
            self.clear()

    @Slot(result=bool)
    def refreshIfStale(self) -> bool:
        """Search the same text again if the content changed since; whether it does."""
        if not self._text.strip() or self._version == context.services().library.content_version:
            return False
        self._searching = True
        if self._running:
            self._pending = True
        else:
            self._run()
        emit(self, "changed")
        return True

    @Slot()
    def loadExample(self) -> None:
        """Find the keypad's example for the library as it is now (once per content version)."""
        services = context.services()
        version = services.library.content_version
        if version == self._example_version or services.library.store is None:
            return
        self._example_version = version
        self._worker.submit("example", lambda: _initials_example(services))

    @Slot(bool)
    def setHighContrast(self, on: bool) -> None:
        self._high_contrast = on

    # --- running ---------------------------------------------------------------------------------

    def _run(self) -> None:
        services = context.services()
        query = self._text.strip()
        self._pending = False
        if not query:
            self._searching = False
            emit(self, "changed")
            return
        self._running = True
        self._version = services.library.content_version
        palette = theme.palette(self._high_contrast)
        style = Style(mark_bg=palette["mark"], mark_fg=palette["markText"])
        generation = services.session.generation
        self._token = self._worker.submit(
            "search", lambda: services.library.opened_browse().search(query, MAX_RESULTS, style, generation)
        )

    def _finished(self, token: int, tag: str, result: object) -> None:
        if tag == "example":
            self._example = result if isinstance(result, dict) else {}
            emit(self, "changed")
            return
        self._running = False
        if self._pending:
            self._run()  # the resident typed on: run the latest text (this result is already stale)
            return
        if token != self._token or not isinstance(result, dict):
            return
        self._results = result["hits"]
        self._suggestions = result["suggestions"]
        self._meant = result.get("meant", "")
        self._searched = result["query"]
        self._searching = False
        self._error = ""
        emit(self, "changed")
        emit(self, "resultsChanged")

    def _failed(self, token: int, tag: str, message: str) -> None:
        if tag == "example":
            self._example_version = -1  # try again next time
            return
        self._running = False
        if self._pending:
            self._run()
            return
        if token != self._token:
            return
        self._searching = False
        self._error = message
        emit(self, "changed")

    text = Property(str, lambda self: self._text, _set_text, notify=changed)
    initialsMode = Property(bool, lambda self: self._initials, notify=changed)
    searching = Property(bool, lambda self: self._searching, notify=changed)
    searched = Property(str, lambda self: self._searched, notify=resultsChanged)
    error = Property(str, lambda self: self._error, notify=changed)
    results = Property(list, lambda self: self._results, notify=resultsChanged)
    suggestions = Property(list, lambda self: self._suggestions, notify=resultsChanged)
    meant = Property(str, lambda self: self._meant, notify=resultsChanged)
    example = Property("QVariantMap", lambda self: self._example, notify=changed)
    resultCount = Property(int, lambda self: len(self._results), notify=resultsChanged)
