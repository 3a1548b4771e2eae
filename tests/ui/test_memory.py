"""The kiosk gives memory back: threads share two malloc arenas (`ui.memory.limit_arenas`, called when
the application starts), and the idle reset, a sync that changed the content and the library's opening
are followed by `ui.memory.release` (never while a resident uses the kiosk). The RSS it saves is
measured in bench/bench_ui_memory.py, not here."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.events import ContentChange
from ui import memory

ROOT = Path(__file__).resolve().parents[2]

# Eight threads allocate at once, then glibc's malloc_info counts the arenas (<heap nr=…> elements).
ARENAS_SCRIPT = """
import ctypes, ctypes.util, re, sys, tempfile, threading
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "limit":
    from ui import memory
    memory.limit_arenas()
barrier = threading.Barrier(8)
def work():
    barrier.wait()
    keep = [bytearray(2000) for _ in range(200)]
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
with tempfile.NamedTemporaryFile() as out:
    f = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, f)
    libc.fclose(f)
    print(len(re.findall("<heap nr=", open(out.name).read())))
"""


def _arenas(mode: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", ARENAS_SCRIPT, str(ROOT), mode], capture_output=True, text=True, check=True
    )
    return int(result.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_threads_share_at_most_two_malloc_arenas():
    assert _arenas("default") > memory.ARENAS  # glibc gives the busy threads arenas of their own
    assert _arenas("limit") <= memory.ARENAS


def test_the_idle_reset_gives_memory_back(kiosk, caplog):
    kiosk.click("homeSearch")
    kiosk.click("modeInitials")
    for letter in "ljxq":
        kiosk.click(f"key_{letter}")
    kiosk.qtbot.waitUntil(lambda: kiosk.search.property("resultCount") > 0)
    kiosk.click("result_0")
    kiosk.wait_screen("reader")

    with caplog.at_level(logging.INFO, logger="ui.memory"):
        caplog.clear()  # the release after the library opened
        kiosk.app_state.resetNow()
        kiosk.wait_screen("home")
        assert not [r for r in caplog.records if "memory given back" in r.getMessage()]  # not while closing
        kiosk.qtbot.waitUntil(
            lambda: any("memory given back" in r.getMessage() for r in caplog.records), timeout=5000
        )
    given = next(r.args[0] for r in caplog.records if "memory given back" in r.getMessage())
    assert set(given) == {"garbage", "components", "scene graph", "malloc"}
    assert kiosk.find("readerScreen", visible_only=False) is None


def released(caplog) -> list[dict]:
    return [r.args[0] for r in caplog.records if "memory given back" in r.getMessage()]


def test_opening_the_library_and_a_sync_that_changed_the_content_give_memory_back(kiosk, caplog):
    with caplog.at_level(logging.INFO, logger="ui.memory"):
        # the release after the library opened (it may have re-indexed)
        kiosk.qtbot.waitUntil(lambda: bool(released(caplog)), timeout=5000)
        caplog.clear()
        library = kiosk.services.library
        change = ContentChange("sync", library.content_version + 1, library.tiles())
        threading.Thread(target=kiosk.services.bus.publish, args=(change,)).start()  # as the sync does
        kiosk.qtbot.waitUntil(lambda: bool(released(caplog)), timeout=5000)
        assert set(released(caplog)[0]) == {"garbage", "components", "scene graph", "malloc"}


def test_memory_is_not_released_under_a_residents_fingers(kiosk, caplog):
    kiosk.click("homeSearch")
    kiosk.wait_screen("search")
    with caplog.at_level(logging.INFO, logger="ui.memory"):
        caplog.clear()
        kiosk.app_state._release_memory()  # the timer fired while a resident searches
        assert not released(caplog)
        kiosk.app_state.resetNow()
        kiosk.wait_screen("home")
        kiosk.qtbot.waitUntil(lambda: bool(released(caplog)), timeout=5000)  # once they are gone
