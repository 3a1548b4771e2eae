"""The devices' health: one diagnosis kept and reused (the `devices` service of `kiosk.services`).

Probing a port can take seconds, so heartbeats, the tiers check and the staff screen read the last
diagnosis while it is younger than `FAULTS_TTL`; "重新检测" asks for a fresh one (`refresh`, on a
worker). Only this service probes devices.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import tiers
from kiosk.config import Config

if TYPE_CHECKING:
    from kiosk.devices import DiagReport

log = logging.getLogger(__name__)

FAULTS_TTL = 600.0  # seconds a diagnosis is reused


class DeviceHealth:
    """The last diagnosis of the configured devices, made by whoever asks first and kept for the others."""

    def __init__(self, config: Config, data_dir: Path, locks: Callable[[], list[str]] = list):
        self.config = config
        self.data_dir = data_dir
        self.locks = locks  # the PIN locks' lines (staff mode, windows): `kiosk.services.build` joins them
        self._last: tuple[float, DiagReport] | None = None  # (monotonic time, report)
        self._diagnosing = threading.Lock()  # one diagnosis at a time

    def report(self) -> DiagReport | None:
        """The last diagnosis if younger than FAULTS_TTL, else a new one (None if diagnosing failed).

        Callers that come while a diagnosis runs wait for it and share its result."""
        with self._diagnosing:
            if self._last is not None and time.monotonic() - self._last[0] < FAULTS_TTL:
                return self._last[1]
            return self._diagnose()

    def refresh(self) -> DiagReport | None:
        """Diagnose every configured device now (blocking: call on a worker); None if diagnosing failed."""
        with self._diagnosing:
            return self._diagnose()

    def _diagnose(self) -> DiagReport | None:
        try:
            from kiosk.devices import DeviceService

            report = DeviceService(self.config, self.data_dir).diagnose()
        except Exception as exc:  # noqa: BLE001 - a heartbeat goes out even if diagnosis fails
            log.warning("device diagnosis failed: %s", exc)
            if self._last is None:
                return None
            report = self._last[1]  # keep the last known state; asked again after FAULTS_TTL
        self._last = (time.monotonic(), report)
        return report

    def faults(self) -> list[str]:
        """Faults for heartbeats: the devices' ("小票打印机：缺纸", from a diagnosis at most FAULTS_TTL old)
        and a crash loop holding this kiosk (`kiosk.crash_loop`), and what each display screen shows or
        that it went silent (`kiosk.signage.status`), and a locked staff or window PIN."""
        from kiosk.crash_loop import StartLog
        from kiosk.signage.status import Displays

        report = self.report()
        return [
            *(report.faults() if report is not None else []),
            *StartLog(self.data_dir).faults(),
            *Displays(self.data_dir).lines(datetime.now()),
            *self._locks(),
        ]

    def _locks(self) -> list[str]:
        try:
            return self.locks()
        except Exception:  # noqa: BLE001 - a damaged queue.db or lock file must not cost the heartbeat
            log.exception("PIN locks not read for the heartbeat")
            return []

    def states(self) -> Callable[[str], tiers.DeviceState]:
        """A `device_state` for `kiosk.tiers.check`, from the kept diagnosis (diagnosed on first need)."""
        return tiers.device_states(self.config, self.data_dir, report=self.report)
