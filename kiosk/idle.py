"""The idle policy: when the kiosk forgets its resident.

After `kiosk.idle_timeout` seconds without a touch, if there is anything to forget (the resident typed
or opened something, left the home screen, or changed the type size or contrast), a countdown of
`ui.idle_countdown` seconds runs; a touch stops it, and at zero the kiosk resets. The touch UI calls
`touch()` on every input and `tick()` once a second, and does what `tick()` answers.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum


class Tick(Enum):
    NOTHING = "nothing"
    COUNTING = "counting"  # the countdown started or moved on: show `countdown`
    RESET = "reset"  # forget the resident and go home


def anything_to_forget(
    session_empty: bool, away_from_home: bool, font_step: int, high_contrast: bool
) -> bool:
    return not session_empty or away_from_home or font_step != 0 or high_contrast


class IdlePolicy:
    def __init__(self, timeout: Callable[[], int], countdown_from: int):
        self.timeout = timeout  # read at every tick: staff may change it while the kiosk runs
        self.countdown_from = countdown_from
        self.idle_seconds = 0
        self.countdown = -1  # seconds left, -1 when no countdown runs

    def touch(self) -> bool:
        """A resident touched the screen; whether that stopped a countdown."""
        self.idle_seconds = 0
        if self.countdown >= 0:
            self.countdown = -1
            return True
        return False

    def tick(self, something_to_forget: bool) -> Tick:
        """One second passed."""
        self.idle_seconds += 1
        if self.countdown >= 0:
            self.countdown -= 1
            return Tick.RESET if self.countdown <= 0 else Tick.COUNTING
        if self.idle_seconds >= self.timeout() and something_to_forget:
            self.countdown = self.countdown_from
            return Tick.COUNTING
        return Tick.NOTHING

    def reset(self) -> None:
        self.idle_seconds = 0
        self.countdown = -1
