"""Rate limits for the local API: a token bucket per key (a window, or a client address), in memory.

A window at a counter acts a few times a minute; a page that loops, a script guessing pairing codes or a
stuck key held down is slowed to `rate` actions a second after a burst of `burst`, and told when to come
back. The buckets kept are bounded (the least recently used go first), so many addresses cannot make
the kiosk hold many buckets.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, rate: float, burst: int, *, max_keys: int = 4096, clock: Callable[[], float] | None = None
    ):
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key: (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one token of `key`'s bucket: 0.0 if allowed, else the seconds until one is back."""
        at_now = self.clock() if self.clock else now()
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.burst), at_now))
            tokens = min(float(self.burst), tokens + (at_now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, at_now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, at_now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait


def now() -> float:
    """The limiters' clock (looked up at each call, so a test can hold it still)."""
    return time.monotonic()


def retry_after(wait: float) -> str:
    """The `Retry-After` header for a wait in seconds (whole seconds, at least 1)."""
    return str(max(1, math.ceil(wait)))
