"""The staff's 公示屏 page view-model (`StaffDisplayScreen.qml`): the emergency notices up now, posting one
for a chosen time, withdrawing one, what each display reports, a pairing code for a display on another PC,
sending the displays' newest screenshots to the city, and the hall's playlist (list, add, delete). The rules are in `kiosk.signage`; this
runs `services.signage_desk` on the worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.i18n import tr, translate
from kiosk.signage.playlist_desk import DAYPARTS, EntryInvalid
from ui import context
from ui.refcounts import emit, release_when_destroyed
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1


def _desk():
    return context.services().signage_desk


def _overview() -> dict[str, Any]:
    desk = _desk()
    return {"notices": desk.notices(), "displays": desk.display_lines(), "playlist": desk.playlist.entries()}


@QmlElement
class StaffSignage(QObject):
    changed = Signal()
    posted = Signal()  # the form may be emptied

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._overview: dict[str, Any] = {}
        self._message = ""
        self._error = False
        self._worker = Worker(self, self._finished, self._failed)
        release_when_destroyed(self)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self._worker.submit("overview", _overview)

    def _submit(self, tag: str, fn) -> None:
        self._message, self._error = "", False
        emit(self, "changed")
        self._worker.submit(tag, fn)

    @Slot(str, str, int)
    def post(self, title: str, text: str, hours: int) -> None:
        def run() -> dict[str, Any]:
            notice = _desk().post(title, text, hours)
            return {
                **_overview(),
                "done": tr(
                    "已发布紧急通知“{title}”，{until}。", title=notice["title"], until=notice["until"]
                ),
            }

        self._submit("posted", run)

    @Slot(str)
    def withdraw(self, notice_id: str) -> None:
        def run() -> dict[str, Any]:
            done = tr("已撤回。") if _desk().withdraw(notice_id) else tr("这条紧急通知已不在插播。")
            return {**_overview(), "done": done}

        self._submit("withdrawn", run)

    @Slot(str, str, str, str, list, str, int, int)
    def addEntry(
        self, show: str, item: str, date_from: str, date_to: str, weekdays: list, daypart: str, priority: int,
        seconds: int,
    ) -> None:  # fmt: skip
        form = {"show": show, "from": date_from, "to": date_to, "weekdays": [int(d) for d in weekdays]}
        form |= {"daypart": daypart, "priority": priority, "seconds": seconds, "item": item.strip()}

        def run() -> dict[str, Any]:
            try:
                added = _desk().playlist.add(form)
            except EntryInvalid as exc:
                return {**_overview(), "fieldErrors": exc.errors, "error": tr("播放项有误，请按提示修改。")}
            return {
                **_overview(),
                "done": tr("已添加播放项：{name}，{when}。", name=added["name"], when=added["when"]),
            }

        self._submit("entryAdded", run)

    @Slot(str)
    def deleteEntry(self, entry_id: str) -> None:
        def run() -> dict[str, Any]:
            try:
                done = tr("已删除。") if _desk().playlist.delete(entry_id) else tr("这个播放项已不在列表中。")
            except EntryInvalid as exc:
                return {**_overview(), "error": exc.errors["form"]}
            return {**_overview(), "done": done}

        self._submit("entryDeleted", run)

    @Slot()
    def pairDisplay(self) -> None:
        def run() -> dict[str, Any]:
            offer = _desk().pairing_code()
            done = tr(
                "配对码 {code}（{minutes} 分钟内有效，用一次）。在公示屏电脑上运行：{command}",
                code=offer["code"],
                minutes=offer["minutes"],
                command=offer["command"],
            )
            done += f"\n{offer['note']}" if offer["note"] else ""
            return {**_overview(), "done": done}

        self._submit("pairing", run)

    @Slot()
    def sendScreenshots(self) -> None:
        self._submit("sent", lambda: {**_overview(), "done": _desk().send_screenshots()})

    def _finished(self, token: int, tag: str, result: Any) -> None:
        self._overview = result
        self._message, self._error = result.get("error") or result.get("done", ""), bool(result.get("error"))
        if tag == "posted":
            emit(self, "posted")
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._message, self._error = message, True
        emit(self, "changed")

    notices = Property(list, lambda self: self._overview.get("notices", []), notify=changed)
    playlist = Property(list, lambda self: self._overview.get("playlist", []), notify=changed)
    fieldErrors = Property("QVariantMap", lambda self: self._overview.get("fieldErrors", {}), notify=changed)
    dayparts = Property(
        list, lambda self: [[key, translate(name)] for key, name, _ in DAYPARTS], constant=True
    )
    displays = Property(list, lambda self: self._overview.get("displays", []), notify=changed)
    message = Property(str, lambda self: self._message, notify=changed)
    messageIsError = Property(bool, lambda self: self._error, notify=changed)
