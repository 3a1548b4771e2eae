"""Staff: the staff screen's view-model (QML singleton ``Kiosk.Staff``).

Unlocks with the PIN (checked by `kiosk.staff`, lock after five wrong tries), then shows the tier and
its compliance, device status, content statistics, sync with the city (立即同步) and local notices (post / edit / withdraw with a
photo), and changes the idle timeout and default font scale. Leaving staff mode, or the idle reset,
locks it again.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton

from kiosk import tiers
from ui import context
from ui.refcounts import emit
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

DEVICES = (("devices.idcard", "身份证阅读器"), ("devices.printer", "小票打印机"))
PHOTO_DIRS = (Path("/media"), Path("/mnt"), Path("/run/media"))
PHOTO_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}


def find_photos(roots: list[Path], limit: int = 40) -> list[str]:
    """Image files on removable media (and the data dir's import folder), at most three levels deep."""
    found: list[str] = []
    for root in roots:
        if not root.is_dir():
            continue
        for depth in range(4):
            pattern = "/".join(["*"] * (depth + 1))
            try:
                for path in sorted(root.glob(pattern)):
                    if path.suffix.lower() in PHOTO_SUFFIXES and path.is_file():
                        found.append(str(path))
                        if len(found) >= limit:
                            return found
            except OSError:
                continue
    return found


def _overview() -> dict:
    from kiosk import notices  # the library's modules load after the first frame (kiosk.services)

    services = context.services()
    config = services.config
    state = tiers.device_states(config, services.data_dir)  # one diagnosis for both uses below
    compliance = services.compliance(state)
    devices = []
    for key, name in DEVICES:
        s = state(key)
        status = "未配置" if not s.configured else ("已连接" if s.answering else "设备未连接")
        devices.append(
            {
                "key": key,
                "name": name,
                "address": config[key],
                "status": status,
                "detail": s.detail,
                "ok": s.answering,
            }
        )
    stats: dict = {}
    local: list[dict] = []
    if services.library is not None and services.browse is not None:
        raw = services.library.stats()
        stats = {
            "documents": raw["by_kind"]["document"],
            "interpretations": raw["by_kind"]["interpretation"],
            "notices": raw["by_kind"]["notice"],
            "guides": raw["by_kind"]["guide"],
            "issues": raw["gazette_issues"],
            "localNotices": raw["by_origin"].get("local", 0),
        }
        for item in notices.local_notices(services.library):
            row = services.browse.summary(item)
            row.update(text=item.body_md, validFromIso=item.valid_from, validToIso=item.valid_to)
            local.append(row)
    return {
        "tier": config["kiosk.tier"],
        "compliant": compliance.compliant,
        "facilities": [f.to_dict() for f in compliance.facilities],
        "devices": devices,
        "stats": stats,
        "notices": local,
        "idleTimeout": config["kiosk.idle_timeout"],
        "fontScale": config["kiosk.font_scale"],
        "photos": find_photos([*PHOTO_DIRS, services.data_dir / "import"]),
        "sync": services.sync_overview(),
    }


@QmlElement
@QmlSingleton
class Staff(QObject):
    changed = Signal()
    noticeSaved = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._unlocked = False
        self._message = ""
        self._checking = False
        self._overview: dict = {}
        self._syncing = False
        self._sync_result = ""
        self._worker = Worker(self, self._finished, self._failed)
        this = weakref.ref(self)
        context.services().session.on_clear(lambda: (s := this()) is not None and s.lock())

    # --- PIN -------------------------------------------------------------------------------------

    @Slot(str)
    def attempt(self, pin: str) -> None:
        staff = context.services().staff
        if staff is None or not staff.has_pin():
            self._message = "尚未设置工作人员 PIN，请技术人员用 kiosk staff set-pin 设置。"
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
        self._sync_result = "正在同步，请稍候……"
        emit(self, "changed")
        self._worker.submit("sync", lambda: (services.sync_now(), _overview()))

    @Slot()
    def refresh(self) -> None:
        if self._unlocked:
            self._worker.submit("overview", _overview)

    # --- local notices ---------------------------------------------------------------------------

    @Slot(str, str, str, str, str, str)
    def saveNotice(
        self, item_id: str, title: str, text: str, valid_from: str, valid_to: str, photo: str
    ) -> None:
        services = context.services()
        if not self._unlocked or services.library is None:
            return
        level = services.config["kiosk.tier"]
        from kiosk import notices

        draft = notices.NoticeDraft(
            title, text, valid_from, valid_to, level, photo=Path(photo) if photo else None
        )

        def save() -> dict:  # through the services, so the home tiles and lists follow
            if item_id:
                services.edit_notice(item_id, draft)
            else:
                services.post_notice(draft)
            return _overview()

        self._worker.submit("saved", save)

    @Slot(str)
    def withdrawNotice(self, item_id: str) -> None:
        services = context.services()
        if not self._unlocked or services.library is None:
            return

        def withdraw() -> dict:
            services.withdraw_notice(item_id)
            return _overview()

        self._worker.submit("overview", withdraw)

    # --- settings --------------------------------------------------------------------------------

    @Slot(str, float)
    def saveSetting(self, key: str, value: float) -> None:
        services = context.services()
        if not self._unlocked or services.settings is None:
            return
        settings = services.settings
        if key == "kiosk.idle_timeout":
            value = int(value)

        def save() -> dict:
            settings.save(key, value)
            services.config = settings.apply(services.config)
            return _overview()

        self._worker.submit("overview", save)

    # --- results ---------------------------------------------------------------------------------

    def _finished(self, token: int, tag: str, result: object) -> None:
        if tag == "pin":
            self._checking = False
            if result.ok:  # type: ignore[attr-defined]
                self._unlocked = True
                self._message = ""
                self._worker.submit("overview", _overview)
            elif result.locked_for:  # type: ignore[attr-defined]
                minutes = max(1, (result.locked_for + 59) // 60)  # type: ignore[attr-defined]
                self._message = f"错误次数过多，已锁定，请 {minutes} 分钟后再试。"
            else:
                self._message = f"PIN 不正确，还可以再试 {result.tries_left} 次。"  # type: ignore[attr-defined]
        elif tag == "sync":
            self._syncing = False
            outcome, overview = result  # type: ignore[misc]
            if not self._unlocked:
                return
            self._sync_result = outcome
            self._overview = overview
        else:
            if not self._unlocked:
                return
            self._overview = result  # type: ignore[assignment]
            self._message = "已保存。" if tag == "saved" else ""
            if tag == "saved":
                emit(self, "noticeSaved")
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._checking = False
        if tag == "sync":
            self._syncing = False
            self._sync_result = f"同步失败：{message}"
            if self._unlocked:
                self._worker.submit("overview", _overview)  # the last error is in the status now
        else:
            self._message = message
        emit(self, "changed")

    def _get(self, key: str, default: object) -> object:
        return self._overview.get(key, default)

    unlocked = Property(bool, lambda self: self._unlocked, notify=changed)
    checking = Property(bool, lambda self: self._checking, notify=changed)
    message = Property(str, lambda self: self._message, notify=changed)
    tier = Property(str, lambda self: self._get("tier", ""), notify=changed)
    compliant = Property(bool, lambda self: bool(self._get("compliant", False)), notify=changed)
    facilities = Property(list, lambda self: self._get("facilities", []), notify=changed)
    devices = Property(list, lambda self: self._get("devices", []), notify=changed)
    stats = Property("QVariantMap", lambda self: self._get("stats", {}), notify=changed)
    localNotices = Property(list, lambda self: self._get("notices", []), notify=changed)
    photoChoices = Property(list, lambda self: self._get("photos", []), notify=changed)
    idleTimeout = Property(int, lambda self: int(self._get("idleTimeout", 0)), notify=changed)
    fontScale = Property(float, lambda self: float(self._get("fontScale", 1.0)), notify=changed)
    sync = Property("QVariantMap", lambda self: self._get("sync", {}), notify=changed)
    syncing = Property(bool, lambda self: self._syncing, notify=changed)
    syncResult = Property(str, lambda self: self._sync_result, notify=changed)
