"""Telling systemd how `city serve` is doing (the `Type=notify` unit, packaging/systemd/zwgk-city.service):
``READY=1`` once the server answers its own ``GET /v1/health`` (the socket is bound, the app and the
database are up), ``WATCHDOG=1`` from the event loop at half of ``WatchdogSec=`` (a blocked event loop stops
the pings, and systemd restarts the service), ``STOPPING=1`` when it shuts down.

With ``--workers N`` each worker process does the same (the unit says ``NotifyAccess=all``); systemd names
only the parent in ``$WATCHDOG_PID``, so the parent reads the interval and hands it on in the environment
(`for_workers`). The protocol itself is `systemd_notify`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass

from systemd_notify import Notifier, watchdog_interval

log = logging.getLogger(__name__)

ADDRESS = "ZWGK_CITY_ADDRESS"  # host:port the workers check themselves on
WATCHDOG = "ZWGK_CITY_WATCHDOG_SECONDS"
READY_WITHIN = 60.0  # seconds the server may take to answer its own health check
_LOOPBACK = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}


@dataclass(frozen=True)
class Supervision:
    host: str
    port: int
    watchdog: float | None  # seconds between pings, None without a watchdog

    @classmethod
    def of_this_process(cls, host: str, port: int) -> Supervision:
        return cls(host, port, watchdog_interval())

    @classmethod
    def from_environment(cls) -> Supervision | None:
        """What the parent of `--workers N` handed on (None outside systemd: nothing to tell)."""
        address = os.environ.get(ADDRESS, "")
        if ":" not in address:
            return None
        host, _, port = address.rpartition(":")
        seconds = os.environ.get(WATCHDOG, "")
        return cls(host, int(port), float(seconds) if seconds else None)

    def for_workers(self) -> dict[str, str]:
        return {ADDRESS: f"{self.host}:{self.port}", WATCHDOG: str(self.watchdog or "")}


async def answers_health(host: str, port: int) -> bool:
    """Whether the server on host:port answers ``GET /v1/health`` with 200."""
    try:
        reader, writer = await asyncio.open_connection(_LOOPBACK.get(host, host), port)
    except OSError:
        return False
    try:
        writer.write(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 5)
        return status.split(b" ")[1:2] == [b"200"]
    except (OSError, TimeoutError):
        return False
    finally:
        writer.close()


async def _announce_ready(notifier: Notifier, supervision: Supervision) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + READY_WITHIN
    while loop.time() < deadline:
        if await answers_health(supervision.host, supervision.port):
            notifier.ready(f"serving on {supervision.host}:{supervision.port}")
            return
        await asyncio.sleep(0.05)
    log.error("city serve: no answer from its own /v1/health within %.0f s; READY=1 not sent", READY_WITHIN)


async def _ping(notifier: Notifier, seconds: float) -> None:
    while True:
        notifier.watchdog()
        await asyncio.sleep(seconds)


def lifespan(supervision: Supervision | None):
    """The Starlette lifespan that tells systemd (a no-op without `supervision` or ``$NOTIFY_SOCKET``)."""

    @contextlib.asynccontextmanager
    async def run(app) -> AsyncIterator[None]:
        notifier = Notifier()
        if supervision is None or not notifier.enabled:
            yield
            return
        tasks = [asyncio.create_task(_announce_ready(notifier, supervision))]
        if supervision.watchdog:
            tasks.append(asyncio.create_task(_ping(notifier, supervision.watchdog)))
        try:
            yield
        finally:
            notifier.stopping()
            for task in tasks:
                task.cancel()

    return run
