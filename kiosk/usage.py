"""Anonymous usage records (`content.records.record_usage`: counts, never query text): the `usage`
service of `kiosk.services`.

Recorded only on an enrolled kiosk (there is a city to deliver them to; an unenrolled kiosk would only
fill its outbox). The write (synchronous=FULL) runs on a thread of its own, never the caller's; a full
outbox is logged and shown to staff (`warning`), never raised.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.config import Config

if TYPE_CHECKING:
    from content.store import Library

log = logging.getLogger(__name__)

FULL_WARNING = "待上传记录已达上限，使用统计暂停记录，请检查与市级平台的网络连接"


class Enrolled(Protocol):
    enrolled: bool


class UsageRecords:
    """Queues anonymous usage records into the outbox of the library they are about."""

    def __init__(self, config: Config, enrolment: Enrolled):
        self.config = config
        self.enrolment = enrolment
        self.warning = ""  # Chinese: a usage record could not be written (the outbox is full)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def record(self, store: Library, event: str, **fields: Any) -> None:
        """Queue one record into `store`'s outbox; returns at once."""
        if not self.enrolment.enrolled:
            return
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="usage")
            self._pool.submit(self._write, store, event, fields)

    def _write(self, store: Library, event: str, fields: dict[str, Any]) -> None:
        from content.outbox import OutboxFull
        from content.records import record_usage
        from kiosk.sync_service import outbox_for

        try:
            record_usage(outbox_for(store, self.config), event, **fields)
            self.warning = ""
        except OutboxFull as exc:
            log.warning("usage record not written: %s", exc)
            self.warning = FULL_WARNING
        except Exception:  # noqa: BLE001 - statistics must never disturb a resident
            log.exception("usage record %s not written", event)

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until the queued records are written (tests, shutdown)."""
        with self._lock:
            pool = self._pool
        if pool is not None:
            pool.submit(lambda: None).result(timeout)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
