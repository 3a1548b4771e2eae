"""The kiosk's sync service: one sync (pull the channel, push the outbox) and the background schedule.

Qt-free and thread-based. `SyncService` has two timers, each on a thread of its own: the sync runs
`run_once` every `sync.interval_minutes` plus a random jitter (so a county's kiosks do not all call at
the top of the hour) and records a heartbeat after it applies (the city then sees the new version);
the heartbeat records the device's health every `sync.heartbeat_minutes` and pushes the outbox without
pulling the channel, so the city's fleet view stays fresh when content syncs hourly or daily. A
heartbeat that cannot be delivered stays in the outbox and is retried with its backoff. One upload runs
at a time. Both threads stop when asked. The UI shows `status()`; the CLI calls `run_once` directly.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.channel import Limits
from content.errors import ContentError
from content.outbox import Outbox, OutboxFull, Uploader, UploadReport
from content.record_schema import RecordInvalid
from content.records import record_heartbeat
from content.store import Library
from content.sync import SyncClient, SyncReport, sync_status
from content.transport import DirectorySource, HttpSource, Source, TransportSettings
from kiosk import __version__, city_files, enrolment
from kiosk.config import Config
from kiosk.i18n import tr
from kiosk.staff import StaffAuth

log = logging.getLogger(__name__)
MB = 2**20


def transport_settings(config: Config) -> TransportSettings:
    return TransportSettings(
        timeout=float(config["sync.timeout_seconds"]),
        retries=config["sync.retries"],
        bandwidth=config["sync.bandwidth_kbps"] * 1024,
        ca_bundle=config["sync.ca_bundle"],
        proxy=config["sync.proxy"],
        connections=config["sync.connections"],
    )


def limits(config: Config) -> Limits:
    manifest = config["sync.max_manifest_mb"] * MB
    return Limits(
        max_root=manifest,
        max_shard=manifest,
        max_blob=config["sync.max_blob_mb"] * MB,
        max_total=config["sync.max_update_mb"] * MB,
    )


def make_source(location: str, config: Config) -> Source:
    """A URL gives the HTTP source; anything else is a folder (a USB stick)."""
    if location.startswith(("http://", "https://")):
        return HttpSource(location, transport_settings(config))
    return DirectorySource(Path(location))


def outbox_for(library: Library, config: Config) -> Outbox:
    return Outbox(library, capacity=config["sync.outbox_max"])


@dataclass
class RunResult:
    sync: SyncReport | None = None
    sync_error: ContentError | None = None
    upload: UploadReport | None = None
    upload_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sync": self.sync.to_dict() if self.sync else None,
            "sync_error": {"en": str(self.sync_error), "zh": self.sync_error.zh} if self.sync_error else None,
            "upload": self.upload.to_dict() if self.upload else None,
            "upload_error": self.upload_error,
        }


def run_once(
    library: Library,
    config: Config,
    data_dir: Path,
    location: str | None = None,
    *,
    upload: bool = True,
    pull: bool = True,
    before_upload: Callable[[], None] | None = None,
) -> RunResult:
    """Pull the channel (from `location`, or the configured/enrolled URL), then push the outbox
    (`before_upload` runs in between: a heartbeat then reports the version just applied).

    `pull=False` only pushes (a heartbeat between syncs); `upload=False` only pulls."""
    enrolled = enrolment.load(data_dir)
    if enrolled is None:
        raise enrolment.EnrolmentError(
            "this kiosk is not enrolled", tr("本机尚未登记：请先执行 kiosk enrol 登记文件")
        )
    result = RunResult()
    source: Source | None = None
    if pull:
        source = make_source(location or config["sync.channel_url"] or enrolled.channel_url, config)
        client = SyncClient(
            library,
            data_dir / "sync",
            pinned=enrolled.trusted_keys,
            channel=enrolled.channel,
            limits=limits(config),
        )
        try:
            result.sync = client.sync(source)
        except ContentError as exc:
            result.sync_error = exc
        finally:
            source.close()
        if result.sync is not None:
            city_files.apply(data_dir, enrolled.kiosk_id)
    if before_upload:
        before_upload()
    if upload and (location is None or isinstance(source, HttpSource)):
        try:
            uploader = Uploader(
                outbox_for(library, config),
                config["sync.upload_url"] or enrolled.upload_url,
                enrolled.kiosk_id,
                enrolled.credential,
                transport_settings(config),
            )
            try:
                result.upload = uploader.upload()
            finally:
                uploader.close()
        except Exception as exc:  # noqa: BLE001 - an upload problem must not stop the schedule
            result.upload_error = f"{type(exc).__name__}: {exc}"
    return result


class SyncService:
    """Background sync on a schedule with jitter, plus heartbeats on their own timer. Start once, stop at exit.

    `interval` and `heartbeat_interval` (seconds) override `sync.interval_minutes` and
    `sync.heartbeat_minutes` (tests use fractions of a second); `clock` is the monotonic clock the
    heartbeat timer reads."""

    def __init__(
        self,
        library: Library,
        config: Config,
        data_dir: Path,
        *,
        faults: Callable[[], Iterable[str]] = lambda: (),
        on_result: Callable[[RunResult], None] | None = None,
        interval: float | None = None,
        heartbeat_interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.library = library
        self.config = config
        self.data_dir = data_dir
        self.faults = faults
        self.on_result = on_result
        self.interval = config["sync.interval_minutes"] * 60.0 if interval is None else interval
        self.heartbeat_interval = (
            config["sync.heartbeat_minutes"] * 60.0 if heartbeat_interval is None else heartbeat_interval
        )
        self.clock = clock
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running = threading.Lock()  # one sync at a time (the schedule and staff's 立即同步)
        self._uploading = threading.Lock()  # one upload at a time (a sync's and the heartbeat's)
        self._next_beat = 0.0  # clock() time the heartbeat timer fires next
        self.runs = 0
        self.beats = 0  # heartbeats pushed by the heartbeat timer (a sync's own are not counted)

    def next_delay(self) -> float:
        jitter = self.config["sync.jitter_minutes"] * 60
        return self.interval + random.uniform(0, jitter)

    def start(self, first_delay: float | None = None, first_beat: float | None = None) -> None:
        """Start both timers: the first sync after `first_delay` (default: a random jitter), the first
        heartbeat after `first_beat` (default: a small random offset, at most a minute)."""
        if self._threads:
            return
        self._stop.clear()
        delay = (
            random.uniform(0, self.config["sync.jitter_minutes"] * 60) if first_delay is None else first_delay
        )
        beat = random.uniform(0, min(60.0, self.heartbeat_interval)) if first_beat is None else first_beat
        self._next_beat = self.clock() + beat
        self._threads = [
            threading.Thread(target=self._loop, args=(delay,), name="sync-service", daemon=True),
            threading.Thread(target=self._heartbeat_loop, name="sync-heartbeat", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop both timers; waits up to `timeout` for a sync or upload under way to finish."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.warning("%s still busy at stop; left to finish on its own", thread.name)
        self._threads = []

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    @property
    def next_heartbeat(self) -> float:
        """When (on `clock`) the heartbeat timer fires next; every heartbeat recorded moves it on."""
        return self._next_beat

    def heartbeat(self) -> None:
        """Record one heartbeat in the outbox; the heartbeat timer restarts. A full outbox or a heartbeat
        that does not fit its schema is logged: the next one is tried on time all the same."""
        self._next_beat = self.clock() + self.heartbeat_interval
        try:
            record_heartbeat(
                self.library,
                outbox_for(self.library, self.config),
                __version__,
                self.faults(),
                self._staff_lockouts(),
            )
        except (OutboxFull, RecordInvalid) as exc:
            log.warning("heartbeat not recorded: %s", exc)

    def _staff_lockouts(self) -> dict[str, Any] | None:
        """The staff lock's counts for the city (None, and the heartbeat goes without, if unreadable)."""
        try:
            return StaffAuth(self.data_dir, self.config["kiosk.staff_pin_hash"]).lockouts()
        except Exception:  # noqa: BLE001 - the staff lock's trouble must not cost the device heartbeat
            log.exception("staff lockouts not read for the heartbeat")
            return None

    def run_now(self) -> RunResult:
        """One sync: pull the channel, then a heartbeat (with the version just applied) and the push."""
        with self._running:
            result = run_once(self.library, self.config, self.data_dir, upload=False)
            pushed = self._push()
            result.upload, result.upload_error = pushed.upload, pushed.upload_error
            self.runs += 1
        if self.on_result:
            self.on_result(result)
        return result

    def beat_now(self) -> RunResult:
        """One heartbeat and a push of the outbox, no pull. Delivery problems are logged, never raised:
        the records stay in the outbox and are retried with its backoff."""
        result = self._push()
        self.beats += 1
        if result.upload_error:
            log.warning("heartbeat upload failed (kept in the outbox): %s", result.upload_error)
        elif result.upload is not None and result.upload.refused:
            log.warning("heartbeat upload refused by the city (kept in the outbox)")
        elif result.upload is not None and result.upload.failed:
            log.warning("heartbeat upload: %d records not delivered, retried later", result.upload.failed)
        return result

    def _push(self) -> RunResult:
        with self._uploading:
            return run_once(
                self.library, self.config, self.data_dir, pull=False, before_upload=self.heartbeat
            )

    def _loop(self, delay: float) -> None:
        while not self._stop.wait(delay):
            try:
                self.run_now()
            except Exception:  # noqa: BLE001 - the schedule goes on; the error is in the status
                log.exception("background sync failed")
            delay = self.next_delay()

    def _heartbeat_loop(self) -> None:
        while True:
            wait = self._next_beat - self.clock()
            if wait > 0:
                if self._stop.wait(wait):
                    return
                continue  # a sync's heartbeat may have moved the next one meanwhile
            self._next_beat = self.clock() + self.heartbeat_interval  # a failing beat does not spin
            try:
                self.beat_now()
            except Exception:  # noqa: BLE001 - the heartbeat goes on; the record (if written) waits
                log.exception("heartbeat failed")

    def status(self) -> dict[str, Any]:
        return {
            "sync": sync_status(self.library).to_dict(),
            "outbox": outbox_for(self.library, self.config).status().to_dict(),
        }
