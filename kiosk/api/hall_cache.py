"""The queue's snapshot, read once per change however many calling pages and displays ask for it.

`Queue.snapshot()` reads every service and window (and its cost grows with the day's tickets), while
every action's answer and every feed update needs it. `HallCache` counts the queue's events (each one a
committed transition) and `get()` reads the snapshot again only after one, or when the one it has is
older than `MAX_AGE` (opening hours and estimates move with the clock alone). It listens to the queue
for as long as the queue lives (the API's for the life of the process).
"""

from __future__ import annotations

import threading
import time

from kiosk.queue import Snapshot

MAX_AGE = 5.0  # seconds


class HallCache:
    def __init__(self, queue, last_calls: int = 10):
        self.queue = queue
        self.last_calls = last_calls
        self._lock = threading.Lock()
        self._changes = 0
        self._cached: tuple[int, float, Snapshot] | None = None  # (changes seen, read at, snapshot)
        queue.subscribe(self._changed)

    def _changed(self, _event) -> None:
        with self._lock:
            self._changes += 1

    def get(self) -> Snapshot:
        with self._lock:
            changes, cached = self._changes, self._cached
        if cached is not None and cached[0] == changes and time.monotonic() - cached[1] < MAX_AGE:
            return cached[2]
        snapshot = self.queue.snapshot(self.last_calls)
        with self._lock:
            # a change told while it was read may or may not be in it: keep it only if none was
            if self._changes == changes:
                self._cached = (changes, time.monotonic(), snapshot)
        return snapshot
