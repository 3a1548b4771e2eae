"""Pairing a window's phone or PC with its calling page: a one-time code shown as a QR in staff mode.

Staff mode asks `WindowPairing.offer(window)` and shows the offer's `url` as a QR code (and its `code`
for typing). Opening it on the phone shows the calling page's pairing step; confirming there exchanges
the code, once and within `TTL` seconds, for the window's own token (`Queue.issue_token`), which the
page keeps as an HttpOnly cookie. A code is 128 random bits and never logged; codes live only in this
process (the kiosk's local API runs in it), so a restart simply asks staff to show the QR again.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.api.urls import public_base

TTL = 600.0  # seconds a pairing code can be used
MAX_OFFERS = 64


@dataclass(frozen=True)
class PairingOffer:
    window: int
    code: str
    url: str
    expires_in: float  # seconds


class WindowPairing:
    def __init__(self, config, *, clock: Callable[[], float] = time.monotonic):
        self.config = config
        self.clock = clock
        self._offers: dict[str, tuple[int, float]] = {}  # code: (window, expires at)
        self._lock = threading.Lock()

    def offer(self, window: int) -> PairingOffer:
        """A new one-time pairing code for `window` (the window's earlier unused codes stay valid)."""
        code = secrets.token_urlsafe(16)
        now = self.clock()
        with self._lock:
            self._expire(now)
            while len(self._offers) >= MAX_OFFERS:
                self._offers.pop(next(iter(self._offers)))
            self._offers[code] = (window, now + TTL)
        return PairingOffer(window, code, f"{public_base(self.config)}/pair/{code}", TTL)

    def peek(self, code: str) -> int | None:
        """The window a valid code pairs with, without using it up (the page shows it before confirming)."""
        with self._lock:
            self._expire(self.clock())
            entry = self._offers.get(code)
            return entry[0] if entry else None

    def claim(self, code: str) -> int | None:
        """Use a code up: its window, or None when it is unknown, used or expired."""
        with self._lock:
            self._expire(self.clock())
            entry = self._offers.pop(code, None)
            return entry[0] if entry else None

    def _expire(self, now: float) -> None:
        for code in [c for c, (_, until) in self._offers.items() if until <= now]:
            del self._offers[code]
