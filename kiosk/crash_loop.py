"""Crash-loop guard for `kiosk run`: a kiosk that keeps dying soon after it starts holds at 系统维护中.

systemd restarts a kiosk that dies (`Restart=always`); one that dies at every start would flap before
the residents' eyes and, at the unit's start limit, leave a black screen. Each `kiosk run` records its
start in `starts.json` in the data directory, and a start that has run for `STABLE_SECONDS` clears the
record. When `BURST` earlier starts are still on record (each died within a minute of starting) and
none is older than `FORGET_SECONDS`, this start holds: the touch screen shows 系统维护中 (the library
stays open underneath, so sync and heartbeats go on) and every heartbeat carries the fault while it
runs, so the city sees the kiosk in trouble. Counting starts that never lasted, rather than starts per
minute, does not depend on how fast a loaded machine starts Python. A start log that cannot be read or
written never holds a kiosk (a full disk is reported elsewhere).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.i18n import tr

log = logging.getLogger(__name__)

BURST = 5  # earlier starts that never lasted which make this one a crash loop
STABLE_SECONDS = 60.0  # a start that has run this long was not part of a loop
FORGET_SECONDS = 1800.0  # starts older than this are forgotten (a held kiosk retries on its next start)
FILE_NAME = "starts.json"
FAULT = (
    "kiosk: crash loop ({count} starts in a row died within {stable:g} s), holding at the maintenance screen"
)


def maintenance() -> str:
    """What the maintenance screen says while a crash loop holds the kiosk."""
    return tr(
        "一体机程序连续多次启动后意外退出，已暂停服务。请联系技术人员处理（kiosk doctor 查看原因，修复后重启一体机）。"
    )


class StartLog:
    """The recent starts of `kiosk run` in one data directory, and whether the running one is held."""

    def __init__(self, data_dir: Path, *, clock: Callable[[], float] = time.time):
        self.path = Path(data_dir) / FILE_NAME
        self.clock = clock

    def _read(self) -> tuple[list[float], bool]:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
            starts, held = state["starts"], state["held"]
        except (OSError, ValueError, TypeError, KeyError):
            return [], False  # none yet, or damaged: never a reason to hold a kiosk
        if not isinstance(starts, list):
            return [], False
        return sorted(t for t in starts if isinstance(t, (int, float)) and t == t), held is True

    def recent(self) -> list[float]:
        """The starts on record that are not forgotten yet, oldest first."""
        now = self.clock()
        return [t for t in self._read()[0] if now - FORGET_SECONDS <= t <= now]

    def record(self) -> str:
        """Record a start now; the maintenance message when this start is part of a crash loop, else ''."""
        earlier = self.recent()
        held = len(earlier) >= BURST
        starts = [*earlier, self.clock()][-(BURST + 1) :]
        self._write(starts, held)
        if held:
            log.error(
                "crash loop: %d starts in a row did not last, holding at the maintenance screen", len(starts)
            )
            return maintenance()
        return ""

    def stable(self) -> None:
        """This start has lasted `STABLE_SECONDS` (call only on a start that is not held): forget the starts."""
        self._write([], False)

    def _write(self, starts: list[float], held: bool) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{FILE_NAME}.{os.getpid()}")
            with open(temporary, "w", encoding="utf-8") as out:
                json.dump({"starts": starts, "held": held}, out)
                out.flush()
                os.fsync(out.fileno())  # a power cut right after a crash must not lose the start
            os.replace(temporary, self.path)
        except OSError as exc:
            log.warning("start not recorded (%s): crash loops go undetected until it can be", exc)

    def faults(self) -> list[str]:
        """What a heartbeat reports: the crash loop, for as long as the kiosk it held runs."""
        starts, held = self._read()
        if held:
            return [FAULT.format(count=len(starts), stable=STABLE_SECONDS)]
        return []
