"""Sync control: whether this kiosk is enrolled, the background sync, staff's 立即同步, and what staff
read about sync (the `sync` service of `kiosk.services`).

The background sync (`kiosk.sync_service.SyncService`) starts when the library opens, if the kiosk was
built with `background=True` (`kiosk run`, `kiosk demo`), `sync.enabled` is on and the kiosk is
enrolled. A sync that applies a new channel version tells the library service, which publishes the
content change. The sync machinery is imported only when a sync runs, so building this is cheap.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Config
from kiosk.events import Bus, LibraryOpened
from kiosk.health import DeviceHealth
from kiosk.i18n import translate
from kiosk.library_service import LibraryService
from kiosk.sync_text import describe_run, local_time, staff_view
from kiosk.usage import UsageRecords

if TYPE_CHECKING:
    from content.store import Library
    from kiosk.sync_service import RunResult, SyncService

log = logging.getLogger(__name__)


class Enrolment:
    """Whether an enrolment file is installed (checked when the library opens and when staff look)."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.enrolled = False

    def check(self) -> bool:
        """Read the file again (a damaged one counts as not enrolled, and is logged)."""
        from kiosk import enrolment

        try:
            self.enrolled = enrolment.load(self.data_dir) is not None
        except Exception as exc:  # noqa: BLE001 - a damaged file: not enrolled; `kiosk enrol` says why
            log.warning("enrolment file unreadable: %s", exc)
            self.enrolled = False
        return self.enrolled


class SyncControl:
    """The background sync's start and stop, staff's 立即同步 and the 同步 section of the staff screen."""

    def __init__(
        self,
        config: Config,
        data_dir: Path,
        bus: Bus,
        library: LibraryService,
        devices: DeviceHealth,
        enrolment: Enrolment,
        usage: UsageRecords,
        *,
        background: bool = False,
    ):
        self.config = config
        self.data_dir = data_dir
        self.library = library
        self.devices = devices
        self.enrolment = enrolment
        self.usage = usage
        self.background = background  # sync on the schedule once the library is open
        self.service: SyncService | None = None  # the background sync, while it runs
        self._lock = threading.Lock()
        bus.subscribe(LibraryOpened, self._library_opened)

    @property
    def enrolled(self) -> bool:
        return self.enrolment.enrolled

    def _library_opened(self, event: LibraryOpened) -> None:
        self.enrolment.check()
        if self.background:
            self.start()

    def start(self, first_delay: float | None = None) -> bool:
        """Start the background sync if `sync.enabled`, the kiosk is enrolled and the library open.

        Called on the thread that opened the library (never the GUI thread); the service's own thread
        waits a random jitter (or `first_delay` seconds) before its first sync."""
        with self._lock:
            if self.service is not None or self.library.store is None:
                return self.service is not None
            if not self.config["sync.enabled"]:
                log.info("background sync off (sync.enabled = false)")
                return False
            if not self.enrolled:
                log.info("background sync off: this kiosk is not enrolled (kiosk enrol FILE)")
                return False
            self.service = self._make(self.library.store)
            self.service.start(first_delay)
        log.info("background sync started")
        return True

    def _make(self, store: Library) -> SyncService:
        from kiosk.sync_service import SyncService

        return SyncService(
            store, self.config, self.data_dir, faults=self.devices.faults, on_result=self._done
        )

    def _done(self, result: RunResult) -> None:
        """After every sync run: a new channel version applied is a content change."""
        report = result.sync
        if report is not None and not report.up_to_date:
            self.library.changed("sync")

    def now(self) -> str:
        """One sync now (staff's 立即同步): pull, heartbeat, push. Blocking; returns the outcome in Chinese.

        Waits for a background sync under way rather than running beside it."""
        store = self.library.opened_store()
        service = self.service or self._make(store)
        return describe_run(service.run_now())

    def overview(self) -> dict[str, Any]:
        """What the staff screen's 同步 section shows (figures and their text, JSON-able); nothing made up
        when unenrolled."""
        if not self.enrolment.check():  # `kiosk enrol` may have run since the start
            return staff_view({"enrolled": False})
        store = self.library.store
        if store is None:
            return staff_view({"enrolled": True, "available": False})
        from content.sync import sync_status
        from kiosk import city_files
        from kiosk.sync_service import outbox_for

        status = sync_status(store)
        outbox = outbox_for(store, self.config).status()
        return staff_view(
            {
                "enrolled": True,
                "available": True,
                "background": self.service is not None,
                "enabled": bool(self.config["sync.enabled"]),
                "channel": status.channel or "",
                "version": "" if status.version is None else str(status.version),
                "lastSuccess": local_time(status.last_success),
                "lastAttempt": local_time(status.last_attempt),
                "lastError": status.last_error_zh or status.last_error or "",
                "stale": bool(status.stale_since),
                "staleSince": status.stale_since or "",
                "pending": outbox.pending,
                "capacity": outbox.capacity,
                "warning": translate(outbox.warning_zh or "") or self.usage.warning,
                "cityFiles": city_files.status_lines(self.data_dir),
            }
        )

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            service, self.service = self.service, None
        if service is not None:
            service.stop(timeout)
