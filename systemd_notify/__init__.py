"""Telling systemd how the process is doing: the sd_notify protocol (``READY=1``, ``WATCHDOG=1``, …).

One datagram per message to the AF_UNIX socket named by ``$NOTIFY_SOCKET`` (a leading ``@`` means the
abstract namespace), as sd_notify(3) describes. Written here rather than taken from `sdnotify` or
`systemd-python`: the protocol is these few lines of the standard library, the package's virtual
environment then needs no C extension built against libsystemd on each architecture, and `kiosk run`,
`kiosk display`, `city serve` and the tests share one implementation. A package of its own, importing
only the standard library, because those three may not import each other (tests/test_architecture.py). Without ``$NOTIFY_SOCKET`` (not started by a
``Type=notify`` unit) every call does nothing.
"""

from __future__ import annotations

import os
import socket


class Notifier:
    """Sends state changes to the service manager; a no-op when there is none."""

    def __init__(self, address: str | None = None):
        address = os.environ.get("NOTIFY_SOCKET", "") if address is None else address
        self.address = "\0" + address[1:] if address.startswith("@") else address

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def send(self, *fields: str) -> bool:
        """Send ``KEY=value`` fields as one message; False when there is no socket or it fails."""
        if not self.enabled:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto("\n".join(fields).encode(), self.address)
        except OSError:
            return False
        return True

    def ready(self, status: str = "") -> bool:
        return self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        return self.send("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.send("STOPPING=1")


def watchdog_interval() -> float | None:
    """Seconds between ``WATCHDOG=1`` pings (half of ``WatchdogSec=``), or None when no watchdog is set
    for this process (``$WATCHDOG_USEC`` unset or for another PID)."""
    pid = os.environ.get("WATCHDOG_PID")
    if pid and pid != str(os.getpid()):
        return None
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec / 2e6 if usec > 0 else None
