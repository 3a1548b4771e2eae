"""The kiosk's services, opened once per process: what `kiosk run`, `kiosk demo` and the tests start.

Opening never raises: a missing or corrupt database leaves `library` None and `maintenance` holding the
Chinese message the touch UI shows on its "系统维护中" screen (the English reason goes to the log).

The library modules (the store, its search engine and pypinyin's dictionaries: about a second) are
imported by `open_library`, on the thread that opens it, so the touch UI draws its first frame meanwhile:
its home tiles come from `last_tiles()` (what the library offered when it last opened), and the reading
services are reached through `opened_browse()`, which waits for the opening still under way.

When the content changes while the kiosk runs (a sync applied a new channel version, staff posted,
edited or withdrew a local notice), `content_changed()` bumps `content_version`, remembers the new home
tiles for the next start and tells the listeners added with `add_content_listener()` (the touch UI),
on the thread that made the change.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from content.errors import StoreUnavailable
from kiosk import tiers
from kiosk.config import Config
from kiosk.features import Facts, registry
from kiosk.session import Session
from kiosk.staff import StaffAuth, StaffSettings

if TYPE_CHECKING:
    from content.model import Item
    from content.store import Library
    from kiosk.browse import Browse
    from kiosk.notices import NoticeDraft
    from kiosk.sync_service import RunResult, SyncService

log = logging.getLogger(__name__)

HOME_TILES = "home-tiles.json"
FAULTS_TTL = 600.0  # seconds a device diagnosis is reused for heartbeats (probing a port can take seconds)


@dataclass(frozen=True)
class ContentChange:
    """The library's content changed: why ("sync" or "notice"), the `content_version` it made, and the
    home tiles the kiosk offers now."""

    reason: str
    version: int
    tiles: list[dict]


ContentListener = Callable[[ContentChange], None]


class LibraryUnavailable(Exception):
    """The library could not be opened; `zh` is the message residents see."""

    def __init__(self, zh: str):
        super().__init__("library unavailable")
        self.zh = zh


@dataclass
class Services:
    config: Config
    data_dir: Path
    session: Session = field(default_factory=Session)
    library: Library | None = None
    browse: Browse | None = None
    maintenance: str = ""  # Chinese reason the kiosk cannot serve residents, '' when it can
    staff: StaffAuth | None = None
    settings: StaffSettings | None = None
    bundled: bool | None = None  # import the bundled gazette into an empty library (None: the config says)
    background_sync: bool = False  # `kiosk run` / `kiosk demo`: sync on the schedule once the library is open
    sync: SyncService | None = None  # the background sync, when running
    enrolled: bool = False  # an enrolment file is installed (checked when the library opens)
    usage_warning: str = ""  # Chinese: a usage record could not be written (the outbox is full)
    content_version: int = 0  # goes up by one with every change of content while the process runs
    _listeners: list[ContentListener] = field(default_factory=list)
    _content_lock: threading.Lock = field(default_factory=threading.Lock)
    _tiles_lock: threading.Lock = field(default_factory=threading.Lock)
    _tiles_version: int = 0  # the content_version of the tiles last remembered
    _faults: tuple[float, list[str]] | None = None  # (monotonic time, faults) of the last diagnosis
    _faults_lock: threading.Lock = field(default_factory=threading.Lock)
    _usage: ThreadPoolExecutor | None = None
    _usage_lock: threading.Lock = field(default_factory=threading.Lock)
    _opened: threading.Event = field(default_factory=threading.Event)
    _opening: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, config: Config, data_dir: Path) -> Services:
        """The services without the library (cheap; the library opens in `open_library`)."""
        settings = StaffSettings(data_dir)
        config = settings.apply(config)
        return cls(
            config=config,
            data_dir=data_dir,
            staff=StaffAuth(data_dir, config["kiosk.staff_pin_hash"]),
            settings=settings,
        )

    def open_library(self) -> None:
        """Open the library (importing the bundled gazette into an empty one). Blocking: call off the GUI thread."""
        from content.store import Library
        from kiosk.browse import Browse

        try:
            try:
                from kiosk import library as library_service  # imports the gazette importer

                self.library = library_service.open_library(self.config, self.data_dir, bundled=self.bundled)
            except Exception as exc:  # noqa: BLE001 - an import that fails must not stop the kiosk
                if isinstance(exc, StoreUnavailable):
                    raise
                log.warning("bundled gazette not imported: %s", exc)
                self.library = Library(self.data_dir / "library.db", blobs_dir=self.data_dir / "blobs")
            self.browse = Browse(self.library, self.session, usage=self.record_usage)
            self.maintenance = ""
            self.enrolled = self.check_enrolled()
            if self.background_sync:
                self.start_sync()
        except Exception as exc:  # noqa: BLE001 - reported on the maintenance screen, never as a traceback
            log.error("library unavailable: %s", exc)
            self.library = None
            self.browse = None
            self.maintenance = getattr(exc, "zh", "") or "资料库无法打开，请联系工作人员。"
        finally:
            self._opened.set()

    def ensure_open(self) -> None:
        """Open the library unless it is open or failed to: one caller opens it, the others wait for that."""
        with self._opening:
            if self.library is None and not self.maintenance:
                self.open_library()

    def start_opening(self) -> None:
        """`ensure_open` on a thread of its own, so that opening overlaps whatever the caller does next."""
        threading.Thread(target=self.ensure_open, name="open-library", daemon=True).start()

    def opened_browse(self) -> Browse:
        """The reading services, once the library is open (waits for an opening under way)."""
        self.ensure_open()
        if self.browse is None:
            raise LibraryUnavailable(self.maintenance or "资料库暂时无法使用")
        return self.browse

    def last_tiles(self) -> list[dict]:
        """The home tiles as the library offered them when it last opened ([] if never or unreadable)."""
        try:
            tiles = json.loads((self.data_dir / HOME_TILES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return tiles if isinstance(tiles, list) and all(isinstance(t, dict) for t in tiles) else []

    def remember_tiles(self, tiles: list[dict], version: int = 0) -> None:
        """Keep the home tiles for the next start's first frame (best effort). `version` is the
        `content_version` read before the tiles were computed: tiles older than those kept are dropped."""
        path = self.data_dir / HOME_TILES
        with self._tiles_lock:  # the UI's opening and a sync's change may both write them
            if version < self._tiles_version:
                return
            self._tiles_version = version
            try:
                if self.last_tiles() == tiles:
                    return
                tmp = path.with_suffix(".tmp")
                tmp.write_text(json.dumps(tiles, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, path)
            except OSError as exc:
                log.warning("home tiles not kept: %s", exc)

    # --- content changes while running ---------------------------------------------------------------

    def add_content_listener(self, listener: ContentListener) -> Callable[[], None]:
        """Call `listener(change)` after every content change (on the changing thread, so a UI must hand
        it to its own thread); returns a function that removes it."""
        with self._content_lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._content_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def content_changed(self, reason: str) -> ContentChange | None:
        """The content changed: count it, remember the new home tiles and tell the listeners.

        Never raises (a listener's or the library's problem is logged); None when the library is closed."""
        try:
            with self._content_lock:
                browse = self.browse
                if browse is None:
                    return None
                self.content_version += 1
                change = ContentChange(reason, self.content_version, self.tiles())
                listeners = list(self._listeners)
        except Exception:  # noqa: BLE001 - the change itself is done; only the refresh failed
            log.exception("content changed (%s) but the home tiles could not be read", reason)
            return None
        self.remember_tiles(change.tiles, change.version)
        log.info(
            "content changed (%s): version %d, home tiles %s",
            reason,
            change.version,
            [t["key"] for t in change.tiles],
        )
        for listener in listeners:
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - one listener must not keep the others from hearing
                log.exception("content listener failed")
        return change

    def _sync_done(self, result: RunResult) -> None:
        """After every sync run: a new channel version applied is a content change."""
        report = result.sync
        if report is not None and not report.up_to_date:
            self.content_changed("sync")

    def wait_opened(self, timeout: float | None = None) -> bool:
        return self._opened.wait(timeout)

    def compliance(self, device_state: Callable[[str], tiers.DeviceState] | None = None) -> tiers.Compliance:
        """This kiosk's compliance with its tier; pass `device_state` to reuse a diagnosis already made."""
        stats = None
        if self.library is not None:
            try:
                stats = self.library.stats()
            except Exception:  # noqa: BLE001 - an unreadable library counts as no content
                stats = None
        state = device_state or tiers.device_states(self.config, self.data_dir)
        providers = registry().providers(self.config)
        return tiers.check(self.config["kiosk.tier"], state, stats, providers)

    def tiles(self) -> list[dict]:
        """The home tiles this kiosk offers now (its tier, devices and configuration applied)."""
        if self.library is None:
            return []
        return registry().tiles(Facts.of(self.library, self.config))

    # --- sync with the city ------------------------------------------------------------------------

    def check_enrolled(self) -> bool:
        """Whether an enrolment file is installed (a damaged one counts as not enrolled, and is logged)."""
        from kiosk import enrolment

        try:
            return enrolment.load(self.data_dir) is not None
        except Exception as exc:  # noqa: BLE001 - a damaged file: not enrolled; `kiosk enrol` says why
            log.warning("enrolment file unreadable: %s", exc)
            return False

    def start_sync(self, first_delay: float | None = None) -> bool:
        """Start the background sync if `sync.enabled`, the kiosk is enrolled and the library open.

        Called on the thread that opened the library (never the GUI thread); the service's own thread
        waits a random jitter (or `first_delay` seconds) before its first sync."""
        if self.sync is not None or self.library is None:
            return self.sync is not None
        if not self.config["sync.enabled"]:
            log.info("background sync off (sync.enabled = false)")
            return False
        if not self.enrolled:
            log.info("background sync off: this kiosk is not enrolled (kiosk enrol FILE)")
            return False
        self.sync = self._sync_service()
        self.sync.start(first_delay)
        log.info("background sync started")
        return True

    def _sync_service(self) -> SyncService:
        from kiosk.sync_service import SyncService

        assert self.library is not None
        return SyncService(
            self.library, self.config, self.data_dir, faults=self.device_faults, on_result=self._sync_done
        )

    def device_faults(self) -> list[str]:
        """Device faults for heartbeats ("小票打印机：缺纸"), from a diagnosis at most FAULTS_TTL old."""
        with self._faults_lock:
            if self._faults is not None and time.monotonic() - self._faults[0] < FAULTS_TTL:
                return list(self._faults[1])
            faults: list[str] = []
            try:
                from kiosk.devices import DeviceService

                faults = DeviceService(self.config, self.data_dir).faults()
            except Exception as exc:  # noqa: BLE001 - a heartbeat goes out even if diagnosis fails
                log.warning("device diagnosis for the heartbeat failed: %s", exc)
                faults = list(self._faults[1]) if self._faults else []
            self._faults = (time.monotonic(), faults)
            return list(faults)

    def sync_overview(self) -> dict[str, Any]:
        """What the staff screen's 同步 section shows (Chinese, JSON-able); nothing made up when unenrolled."""
        self.enrolled = self.check_enrolled()  # `kiosk enrol` may have run since the start
        if not self.enrolled:
            return {"enrolled": False}
        if self.library is None:
            return {"enrolled": True, "available": False}
        from content.sync import sync_status
        from kiosk.sync_service import outbox_for

        status = sync_status(self.library)
        outbox = outbox_for(self.library, self.config).status()
        return {
            "enrolled": True,
            "available": True,
            "background": self.sync is not None,
            "enabled": bool(self.config["sync.enabled"]),
            "channel": status.channel or "",
            "version": "" if status.version is None else str(status.version),
            "lastSuccess": local_time(status.last_success),
            "lastAttempt": local_time(status.last_attempt),
            "lastError": status.last_error_zh or status.last_error or "",
            "stale": bool(status.stale_since),
            "staleText": f"内容已过期，自 {local_time(status.stale_since)} 起未更新"
            if status.stale_since
            else "",
            "pending": outbox.pending,
            "capacity": outbox.capacity,
            "warning": outbox.warning_zh or self.usage_warning,
        }

    def sync_now(self) -> str:
        """One sync now (staff's 立即同步): pull, heartbeat, push. Blocking; returns the outcome in Chinese.

        Waits for a background sync under way rather than running beside it."""
        if self.library is None:
            raise LibraryUnavailable(self.maintenance or "资料库暂时无法使用")
        service = self.sync or self._sync_service()
        return describe_run(service.run_now())

    # --- local notices (staff) ---------------------------------------------------------------------

    def post_notice(self, draft: NoticeDraft) -> Item:
        """Post a local notice (`kiosk.notices.post`); the home tiles and lists follow."""
        from kiosk import notices

        item = notices.post(self._open_library(), draft)
        self.content_changed("notice")
        return item

    def edit_notice(self, item_id: str, draft: NoticeDraft) -> Item:
        from kiosk import notices

        item = notices.edit(self._open_library(), item_id, draft)
        self.content_changed("notice")
        return item

    def withdraw_notice(self, item_id: str) -> None:
        from kiosk import notices

        notices.withdraw(self._open_library(), item_id)
        self.content_changed("notice")

    def _open_library(self) -> Library:
        if self.library is None:
            raise LibraryUnavailable(self.maintenance or "资料库暂时无法使用")
        return self.library

    # --- anonymous usage statistics ------------------------------------------------------------------

    def record_usage(self, event: str, **fields: Any) -> None:
        """Queue one anonymous usage record (`content.records.record_usage`: counts, never query text).

        Recorded only on an enrolled kiosk (there is a city to deliver it to; an unenrolled kiosk would
        only fill its outbox). The write (synchronous=FULL) runs on a thread of its own, never the caller's;
        a full outbox is logged and shown to staff, never raised."""
        if not self.enrolled or self.library is None:
            return
        with self._usage_lock:
            if self._usage is None:
                self._usage = ThreadPoolExecutor(1, thread_name_prefix="usage")
            self._usage.submit(self._write_usage, self.library, event, fields)

    def _write_usage(self, library: Library, event: str, fields: dict[str, Any]) -> None:
        from content.outbox import OutboxFull
        from content.records import record_usage
        from kiosk.sync_service import outbox_for

        try:
            record_usage(outbox_for(library, self.config), event, **fields)
            self.usage_warning = ""
        except OutboxFull as exc:
            log.warning("usage record not written: %s", exc)
            self.usage_warning = "待上传记录已达上限，使用统计暂停记录，请检查与市级平台的网络连接"
        except Exception:  # noqa: BLE001 - statistics must never disturb a resident
            log.exception("usage record %s not written", event)

    def flush_usage(self, timeout: float = 5.0) -> None:
        """Wait until the queued usage records are written (tests, shutdown)."""
        with self._usage_lock:
            pool = self._usage
        if pool is not None:
            pool.submit(lambda: None).result(timeout)

    def stop_sync(self, timeout: float = 10.0) -> None:
        if self.sync is not None:
            self.sync.stop(timeout)
            self.sync = None

    def close(self) -> None:
        self.stop_sync()
        with self._usage_lock:
            pool, self._usage = self._usage, None
        if pool is not None:
            pool.shutdown(wait=True)
        if self.library is not None:
            self.library.close()
            self.library = None


def local_time(text: str | None) -> str:
    """'2024-05-01T00:30:00Z' → '2024-05-01 08:30' in the kiosk's local time ('' stays '')."""
    if not text:
        return ""
    try:
        return datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text


def describe_run(result: RunResult) -> str:
    """One line for staff about a sync run."""
    if result.sync_error is not None:
        parts = [f"同步失败：{result.sync_error.zh}"]
    elif result.sync is None:
        parts = ["未同步"]
    elif result.sync.up_to_date:
        parts = [f"内容已是最新（版本 {result.sync.to_version}）"]
    else:
        report = result.sync
        parts = [
            f"已更新到版本 {report.to_version}：新增 {report.added}，更新 {report.updated}，删除 {report.removed}"
        ]
    if result.upload is not None:
        if result.upload.refused:
            parts.append(f"记录上传被拒绝：{result.upload.refused}")
        elif result.upload.sent or not result.upload.failed:
            parts.append(f"上传记录 {result.upload.sent} 条")
        if result.upload.failed and not result.upload.refused:
            parts.append(f"{result.upload.failed} 条记录暂未上传，稍后自动重试")
    elif result.upload_error:
        parts.append("记录上传失败，稍后自动重试")
    return "；".join(parts)
