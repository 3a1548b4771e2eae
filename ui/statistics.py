"""Statistics: the view-model of the 数据统计 staff screen (`StatisticsScreen.qml`).

Presentation only: the figures come from the `statistics` service (`kiosk.statistics`) on a worker, the
export to a USB stick too; this holds the period shown, the last report, the sticks found and the
outcome of the last export.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.i18n import tr
from ui import context
from ui.refcounts import emit, release_when_destroyed
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
class Statistics(QObject):
    changed = Signal()
    exportChanged = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._period = "today"
        self._report: dict = {}
        self._loading = False
        self._error = ""
        self._token = 0
        self._worker = Worker(self, self._finished, self._failed)
        self._folders: list[str] = []
        self._export_state = ""  # "", "exporting", "done"
        self._export_message = ""
        self._exporter = Worker(self, self._exported, self._export_failed)
        release_when_destroyed(self)

    @Slot(str)
    def load(self, period: str) -> None:
        """Show `period` ("today", "week", "month"), read again on a worker."""
        services = context.services()
        self._period = period
        self._loading = True
        emit(self, "changed")
        statistics = services.statistics
        self._token = self._worker.submit(
            "report", lambda: (statistics.report(period), statistics.usb_folders())
        )

    def _finished(self, token: int, tag: str, result: object) -> None:
        if token != self._token:
            return
        self._report, self._folders = result  # type: ignore[misc]
        self._loading = False
        self._error = ""
        emit(self, "changed")
        emit(self, "exportChanged")

    def _failed(self, token: int, tag: str, message: str) -> None:
        if token != self._token:
            return
        self._loading = False
        self._error = message
        emit(self, "changed")

    @Slot(str)
    def exportMonth(self, folder: str) -> None:
        """This month as XLSX and CSV into `folder` (a USB stick), on a worker."""
        if self._export_state == "exporting":
            return
        services = context.services()
        self._export_state = "exporting"
        self._export_message = ""
        emit(self, "exportChanged")
        self._exporter.submit("export", lambda: services.statistics.export_month(Path(folder)))

    def _exported(self, token: int, tag: str, result: object) -> None:
        names = "、".join(Path(path).name for path in result)  # type: ignore[attr-defined]
        self._export_state = "done"
        self._export_message = tr("已导出到U盘：{names}", names=names)
        emit(self, "exportChanged")

    def _export_failed(self, token: int, tag: str, message: str) -> None:
        self._export_state = "failed"
        self._export_message = message
        emit(self, "exportChanged")

    def _get(self, key: str, default: object) -> object:
        return self._report.get(key, default)

    period = Property(str, lambda self: self._period, notify=changed)
    loading = Property(bool, lambda self: self._loading, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)
    first = Property(str, lambda self: self._get("first", ""), notify=changed)
    last = Property(str, lambda self: self._get("last", ""), notify=changed)
    totalUses = Property(int, lambda self: self._get("total_uses", 0), notify=changed)
    idleResets = Property(int, lambda self: self._get("idle_resets", 0), notify=changed)
    ratings = Property(int, lambda self: self._get("ratings", 0), notify=changed)
    rating = Property(str, lambda self: str(self._get("rating", "") or ""), notify=changed)
    notSent = Property(int, lambda self: self._get("not_sent", 0), notify=changed)
    perDay = Property(list, lambda self: self._get("per_day", []), notify=changed)
    perFunction = Property(list, lambda self: self._get("per_function", []), notify=changed)
    mostRead = Property(list, lambda self: self._get("most_read", []), notify=changed)
    searches = Property(list, lambda self: self._get("searches", []), notify=changed)
    queue = Property(list, lambda self: self._get("queue", []), notify=changed)
    usbFolders = Property(list, lambda self: self._folders, notify=exportChanged)
    exportState = Property(str, lambda self: self._export_state, notify=exportChanged)
    exportMessage = Property(str, lambda self: self._export_message, notify=exportChanged)
