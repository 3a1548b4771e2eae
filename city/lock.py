"""The publish lock: `city publish` and `city gc` never run at the same time on one city home.

An exclusive `flock` on `<home>/publish.lock`, so it holds across processes and is released by the kernel
if a process dies. Publishing takes it around building a collection (which adds blobs to the repository)
and signing the version; `city gc` takes it around reading the roots and removing files, so it can never
remove a blob a publish has just added and is about to name. The reference server and `city export`
only read and do not take it.

Re-entrant within a thread: the CLI holds it around building and publishing, and `publish()` takes it
again. Waits up to `wait` seconds for another holder, then refuses with a CityError.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from city.home import CityError, CityHome

LOCK_FILE = "publish.lock"

_held: dict[tuple[str, int], int] = {}  # (lock file, thread) -> depth
_guard = threading.Lock()


@contextmanager
def publish_lock(home: CityHome, wait: float = 60.0) -> Iterator[None]:
    path = Path(home.path / LOCK_FILE).resolve()
    slot = (str(path), threading.get_ident())
    with _guard:
        depth = _held.get(slot, 0)
        if depth:
            _held[slot] = depth + 1
    if depth:
        try:
            yield
        finally:
            with _guard:
                _held[slot] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CityError(
                        "another `city publish` or `city gc` is running on this city home; try again later",
                        "另一个发布或清理任务（city publish / city gc）正在进行，请稍后再试",
                    ) from None
                time.sleep(0.05)
        with _guard:
            _held[slot] = 1
        try:
            yield
        finally:
            with _guard:
                del _held[slot]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
