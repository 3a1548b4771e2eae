"""Giving memory back when nobody is at the kiosk (after the idle reset).

`limit_arenas()`, called before Qt starts its threads, keeps malloc from spreading the heap over one
arena per thread. A resident's visit leaves behind what the next resident may never need: compiled QML
components of screens no longer shown, the scene graph's cached resources (with Mesa's software OpenGL,
as on a kiosk without a GPU driver, these are ordinary process memory), the JavaScript heap, and heap
pages that malloc keeps after everything on them was freed. `release(engine)` drops them; each is
rebuilt on demand when the next resident touches the screen. It returns what each step gave back (RSS,
KB) and logs it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlEngine
from PySide6.QtQuick import QQuickWindow

log = logging.getLogger(__name__)


# mallopt(M_ARENA_MAX): glibc gives every thread that allocates its own 64 MB heap arena; the kiosk's
# render thread, Mesa's rasteriser threads and the workers each kept tens of MB of free fragments.
_M_ARENA_MAX = -8
ARENAS = 2


def limit_arenas() -> None:
    """At most `ARENAS` malloc arenas for the threads started after this call (glibc only)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(_M_ARENA_MAX, ARENAS)


def rss_kb() -> int:
    """This process's resident set (KB); 0 where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def _malloc_trim() -> None:
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):  # glibc only
        libc.malloc_trim(0)


def _windows() -> list[QQuickWindow]:
    return [w for w in QGuiApplication.topLevelWindows() if isinstance(w, QQuickWindow)]


def release(engine: QQmlEngine) -> dict[str, int]:
    """Drop what an idle kiosk does not need; returns KB of RSS each step gave back."""
    steps = {
        "garbage": lambda: (gc.collect(), engine.collectGarbage()),
        "components": engine.trimComponentCache,
        "scene graph": lambda: [w.releaseResources() for w in _windows()],
        "malloc": _malloc_trim,
    }
    given: dict[str, int] = {}
    for name, step in steps.items():
        before = rss_kb()
        step()
        given[name] = before - rss_kb()
    log.info("idle: memory given back (KB) %s, RSS now %d MB", given, rss_kb() // 1024)
    return given
