"""Staff: the staff screen's view-model (QML singleton ``Kiosk.Staff``).

Unlocks with the PIN (checked by `kiosk.staff`, lock after five wrong tries), then presents what the
staff desk (`kiosk.staff_desk`) says: the tier and its compliance, device status from the health cache
(重新检测 refreshes it on a worker), content statistics, sync with the city (立即同步), local notices
(post / edit / withdraw with a photo) and the settings with their bounds. Leaving staff mode, or the
idle reset, locks it again. Everything that blocks runs on the worker.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton

from kiosk.i18n import tr
from kiosk.staff import RECOVERY_DIGITS, Attempt
from ui import context
from ui.refcounts import emit
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1


def _overview() -> dict:
    return context.services().staff.overview()


@QmlElement
@QmlSingleton
class Staff(QObject):
    changed = Signal()
    noticeSaved = Signal()
    draftChanged = Signal()  # apart from `changed`: typing into the draft must not rebuild the screen

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._unlocked = False
        self._message = ""
        self._message_is_error = True
        self._checking = False
        self._overview: dict = {}
        self._syncing = False
        self._sync_result = ""
        self._rechecking = False
        # A new notice typed but not yet published, kept while staff mode is left (the idle reset, 退出)
        # so it is not lost; in memory only, never on disk.
        self._draft: dict | None = None
        self._worker = Worker(self, self._finished, self._failed)
        this = weakref.ref(self)
        context.services().session.on_clear(lambda: (s := this()) is not None and s.lock())

    # --- PIN -------------------------------------------------------------------------------------

    @Slot(str)
    def attempt(self, pin: str) -> None:
        staff = context.services().staff.auth
        if not staff.has_pin():
            self._message = tr("尚未设置工作人员 PIN，请技术人员用 kiosk staff set-pin 设置。")
            emit(self, "changed")
            return
        self._checking = True
        self._message = ""
        emit(self, "changed")
        self._worker.submit("pin", lambda: staff.attempt(pin))

    @Slot()
    def lock(self) -> None:
        self._unlocked = False
        self._overview = {}
        self._message = ""
        self._sync_result = ""
        emit(self, "changed")

    # --- sync with the city ----------------------------------------------------------------------

    @Slot()
    def syncNow(self) -> None:
        """立即同步: one pull + push in a worker (it waits for a background sync under way)."""
        if not self._unlocked or self._syncing:
            return
        services = context.services()
        self._syncing = True
        self._sync_result = tr("正在同步，请稍候……")
        emit(self, "changed")
        self._worker.submit("sync", lambda: (services.sync.now(), _overview()))

    @Slot()
    def refresh(self) -> None:
        if self._unlocked:
            self._worker.submit("overview", _overview)

    @Slot()
    def recheckDevices(self) -> None:
        """重新检测: a fresh diagnosis of the devices on the worker, then the overview with it."""
        if not self._unlocked or self._rechecking:
            return
        devices = context.services().devices
        self._rechecking = True
        emit(self, "changed")
        self._worker.submit("recheck", lambda: (devices.refresh(), _overview())[1])

    # --- local notices ---------------------------------------------------------------------------

    @Slot(str, str, str, str, str, str)
    def saveNotice(
        self, item_id: str, title: str, text: str, valid_from: str, valid_to: str, photo: str
    ) -> None:
        services = context.services()
        if not self._unlocked or services.library.store is None:
            return
        level = services.config["kiosk.tier"]
        from kiosk import notices

        draft = notices.NoticeDraft(
            title, text, valid_from, valid_to, level, photo=Path(photo) if photo else None
        )

        def save() -> dict:  # through the services, so the home tiles and lists follow
            if item_id:
                services.notices.edit(item_id, draft)
            else:
                services.notices.post(draft)
            return _overview()

        self._worker.submit("saved", save)

    @Slot(str)
    def withdrawNotice(self, item_id: str) -> None:
        services = context.services()
        if not self._unlocked or services.library.store is None:
            return

        def withdraw() -> dict:
            services.notices.withdraw(item_id)
            return _overview()

        self._worker.submit("overview", withdraw)

    # --- settings --------------------------------------------------------------------------------

    @Slot(str, int)
    def stepSetting(self, key: str, steps: int) -> None:
        """Move a setting by `steps` taps of its 加/减 button (its step and bounds are the staff desk's)."""
        if not self._unlocked:
            return
        staff = context.services().staff

        def save() -> dict:
            staff.step_setting(key, steps)
            return _overview()

        self._worker.submit("overview", save)

    # --- results ---------------------------------------------------------------------------------

    def _finished(self, token: int, tag: str, result: object) -> None:
        if tag == "pin":
            self._checking = False
            self._message_is_error = True
            if result.ok:  # type: ignore[attr-defined]
                self._unlocked = True
                self._message = ""
                self._worker.submit("overview", _overview)
            else:
                self._message = _refusal(result)  # type: ignore[arg-type]
        elif tag == "sync":
            self._syncing = False
            outcome, overview = result  # type: ignore[misc]
            if not self._unlocked:
                return
            self._sync_result = outcome
            self._overview = overview
        else:
            if tag == "recheck":
                self._rechecking = False
            if not self._unlocked:
                return
            self._overview = result  # type: ignore[assignment]
            self._message = tr("已保存。") if tag == "saved" else ""
            self._message_is_error = False
            if tag == "saved":
                self._set_draft(None)
                emit(self, "noticeSaved")
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._checking = False
        if tag == "recheck":
            self._rechecking = False
        if tag == "sync":
            self._syncing = False
            self._sync_result = tr("同步失败：{error}", error=message)
            if self._unlocked:
                self._worker.submit("overview", _overview)  # the last error is in the status now
        else:
            self._message = message
            self._message_is_error = True
        emit(self, "changed")

    # --- the draft of a new notice -----------------------------------------------------------------

    @Slot(str, str, str, str)
    def keepDraft(self, title: str, text: str, valid_from: str, valid_to: str) -> None:
        fields = {"title": title, "text": text, "validFrom": valid_from, "validTo": valid_to}
        self._set_draft(fields if any(v.strip() for v in fields.values()) else None)

    @Slot()
    def discardDraft(self) -> None:
        self._set_draft(None)

    def _set_draft(self, draft: dict | None) -> None:
        had = self._draft is not None
        self._draft = draft
        if had != (draft is not None):
            emit(self, "draftChanged")

    def _get(self, key: str, default: object) -> object:
        return self._overview.get(key, default)

    unlocked = Property(bool, lambda self: self._unlocked, notify=changed)
    checking = Property(bool, lambda self: self._checking, notify=changed)
    message = Property(str, lambda self: self._message, notify=changed)
    messageIsError = Property(bool, lambda self: self._message_is_error, notify=changed)
    draft = Property("QVariant", lambda self: self._draft, notify=draftChanged)
    tier = Property(str, lambda self: self._get("tier", ""), notify=changed)
    compliant = Property(bool, lambda self: bool(self._get("compliant", False)), notify=changed)
    facilities = Property(list, lambda self: self._get("facilities", []), notify=changed)
    devices = Property(list, lambda self: self._get("devices", []), notify=changed)
    stats = Property("QVariantMap", lambda self: self._get("stats", {}), notify=changed)
    localNotices = Property(list, lambda self: self._get("notices", []), notify=changed)
    photoChoices = Property(list, lambda self: self._get("photos", []), notify=changed)
    idleTimeout = Property(int, lambda self: int(self._get("idleTimeout", 0)), notify=changed)
    fontScale = Property(float, lambda self: float(self._get("fontScale", 1.0)), notify=changed)
    sections = Property(list, lambda self: self._get("sections", []), notify=changed)
    settings = Property("QVariantMap", lambda self: self._get("settings", {}), notify=changed)
    rechecking = Property(bool, lambda self: self._rechecking, notify=changed)
    sync = Property("QVariantMap", lambda self: self._get("sync", {}), notify=changed)
    syncing = Property(bool, lambda self: self._syncing, notify=changed)
    syncResult = Property(str, lambda self: self._sync_result, notify=changed)


def _refusal(result: Attempt) -> str:
    """What the PIN pad says about a refused PIN (or recovery code, once the lock waits for one)."""
    minutes = max(1, (result.locked_for + 59) // 60)
    if result.recovery:
        if result.locked_for:
            return tr("恢复码错误次数过多，请 {minutes} 分钟后再试，或请技术人员解锁。", minutes=minutes)
        if result.tries_left:
            return tr(
                "已锁定：请输入设置 PIN 时打印的 {digits} 位恢复码（还可再试 {tries} 次），或请技术人员解锁。",
                digits=RECOVERY_DIGITS,
                tries=result.tries_left,
            )
        return tr(
            "已锁定：请输入设置 PIN 时打印的 {digits} 位恢复码，或请技术人员解锁。", digits=RECOVERY_DIGITS
        )
    if result.locked_for:
        return tr("错误次数过多，已锁定，请 {minutes} 分钟后再试。", minutes=minutes)
    return tr("PIN 不正确，还可以再试 {tries} 次。", tries=result.tries_left)
