"""The kiosk's sync service: one sync (pull the channel, push the outbox) and the background schedule.

Qt-free and thread-based: `SyncService` runs `run_once` every `sync.interval_minutes` plus a random
jitter (so a county's kiosks do not all call at the top of the hour), records a heartbeat, and stops
when asked. The UI shows `status()`; the CLI calls `run_once` directly.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.channel import Limits
from content.errors import ContentError
from content.outbox import Outbox, OutboxFull, Uploader, UploadReport
from content.records import record_heartbeat
from content.store import Library
from content.sync import SyncClient, SyncReport, sync_status
from content.transport import DirectorySource, HttpSource, Source, TransportSettings
from kiosk import __version__, enrolment
from kiosk.config import Config

log = logging.getLogger(__name__)
MB = 2**20


def transport_settings(config: Config) -> TransportSettings:
    return TransportSettings(
        timeout=float(config["sync.timeout_seconds"]),
        retries=config["sync.retries"],
        bandwidth=config["sync.bandwidth_kbps"] * 1024,
        ca_bundle=config["sync.ca_bundle"],
        proxy=config["sync.proxy"],
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
    before_upload: Callable[[], None] | None = None,
) -> RunResult:
    """Pull the channel (from `location`, or the configured/enrolled URL), then push the outbox
    (`before_upload` runs in between: a heartbeat then reports the version just applied)."""
    enrolled = enrolment.load(data_dir)
    if enrolled is None:
        raise enrolment.EnrolmentError(
            "this kiosk is not enrolled", "本机尚未登记：请先执行 kiosk enrol 登记文件"
        )
    result = RunResult()
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
    if before_upload:
        before_upload()
    if upload and (location is None or isinstance(source, HttpSource)):
        uploader = Uploader(
            outbox_for(library, config),
            config["sync.upload_url"] or enrolled.upload_url,
            enrolled.kiosk_id,
            enrolled.credential,
            transport_settings(config),
        )
        try:
            result.upload = uploader.upload()
        except Exception as exc:  # noqa: BLE001 - an upload problem must not stop the schedule
            result.upload_error = f"{type(exc).__name__}: {exc}"
        finally:
            uploader.close()
    return result


class SyncService:
    """Background sync on a schedule with jitter, plus heartbeats. Start once, stop at exit."""

    def __init__(
        self,
        library: Library,
        config: Config,
        data_dir: Path,
        *,
        faults: Callable[[], Iterable[str]] = lambda: (),
        on_result: Callable[[RunResult], None] | None = None,
    ):
        self.library = library
        self.config = config
        self.data_dir = data_dir
        self.faults = faults
        self.on_result = on_result
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._running = threading.Lock()  # one sync at a time (the schedule and staff's 立即同步)
        self.runs = 0

    def next_delay(self) -> float:
        jitter = self.config["sync.jitter_minutes"] * 60
        return self.config["sync.interval_minutes"] * 60 + random.uniform(0, jitter)

    def start(self, first_delay: float | None = None) -> None:
        if self._thread is not None:
            return
        delay = (
            random.uniform(0, self.config["sync.jitter_minutes"] * 60) if first_delay is None else first_delay
        )
        self._thread = threading.Thread(target=self._loop, args=(delay,), name="sync-service", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)
            self._thread = None

    def heartbeat(self) -> None:
        try:
            record_heartbeat(self.library, outbox_for(self.library, self.config), __version__, self.faults())
        except OutboxFull as exc:
            log.warning("heartbeat not recorded: %s", exc)

    def run_now(self) -> RunResult:
        with self._running:
            result = run_once(self.library, self.config, self.data_dir, before_upload=self.heartbeat)
            self.runs += 1
        if self.on_result:
            self.on_result(result)
        return result

    def _loop(self, delay: float) -> None:
        while not self._stop.wait(delay):
            try:
                self.run_now()
            except Exception:  # noqa: BLE001 - the schedule goes on; the error is in the status
                log.exception("background sync failed")
            delay = self.next_delay()

    def status(self) -> dict[str, Any]:
        return {
            "sync": sync_status(self.library).to_dict(),
            "outbox": outbox_for(self.library, self.config).status().to_dict(),
        }
