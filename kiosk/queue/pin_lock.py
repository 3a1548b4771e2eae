"""The lock on a window's PIN pairing: five wrong PINs lock that window's PIN pairing for 5 minutes, the
next five for 15, then 60, and after that only staff can unlock it (staff mode's window page or
``kiosk queue windows --unlock N``). The right PIN resets the escalation.

Pure rules over a `PinLock` value, kept by `Queue` in `queue.db` (`window_pins`), so neither a restart nor
deleting a file resets them. A lock is bounded twice, as the staff PIN's is (`kiosk.staff`): by the wall
clock and by the monotonic clock of the boot it started in, and never longer than its step from now, so
setting the clock back cannot lengthen it; after a reboot it is anchored to the new boot's monotonic clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

MAX_TRIES = 5
LOCK_STEPS = (5 * 60, 15 * 60, 60 * 60)  # seconds locked after each run of MAX_TRIES wrong PINs
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def boot_id() -> str:
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return ""


@dataclass(frozen=True)
class Clocks:
    wall: float  # time.time()
    mono: float  # time.monotonic()
    boot: str


@dataclass(frozen=True)
class PinLock:
    failures: int = 0  # wrong PINs since the last lock or right PIN
    step: int = 0  # locks so far in this escalation
    locked_until: float = 0.0  # wall clock
    lock_seconds: float = 0.0
    mono_until: float = 0.0  # monotonic clock of `boot`
    boot: str = ""
    staff_only: bool = False  # after the last step: only staff can unlock
    lockouts: int = 0  # ever, for the heartbeat
    last_lockout: float = 0.0  # wall clock of the last lockout (0: none)


@dataclass(frozen=True)
class Verdict:
    """What an attempt may do: `check` the PIN, or not (locked `seconds` more, or until staff unlock)."""

    check: bool
    seconds: int = 0
    staff_only: bool = False


def remaining(lock: PinLock, now: Clocks) -> tuple[PinLock, float]:
    """Seconds the timed lock still holds (0: not locked), and the lock re-anchored to this boot if it was
    set in an earlier one."""
    if lock.locked_until <= 0:
        return lock, 0.0
    left = min(lock.locked_until - now.wall, lock.lock_seconds)
    if lock.boot == now.boot:
        left = min(left, lock.mono_until - now.mono)
    elif left > 0:
        lock = _locked(lock, left, now)
    return lock, max(0.0, left)


def before_check(lock: PinLock, now: Clocks) -> tuple[PinLock, Verdict]:
    """Whether a PIN may be checked now."""
    if lock.staff_only:
        return lock, Verdict(False, staff_only=True)
    lock, left = remaining(lock, now)
    if left > 0:
        return lock, Verdict(False, math.ceil(left - 1e-9))
    return lock, Verdict(True)


def right(lock: PinLock) -> PinLock:
    return replace(lock, failures=0, step=0, locked_until=0.0, lock_seconds=0.0, mono_until=0.0)


def wrong(lock: PinLock, now: Clocks) -> PinLock:
    """Count a wrong PIN (one that was checked); the fifth locks, escalating."""
    failures = lock.failures + 1
    if failures < MAX_TRIES:
        return replace(lock, failures=failures)
    counted = replace(lock, failures=0, step=lock.step + 1, lockouts=lock.lockouts + 1, last_lockout=now.wall)
    if lock.step >= len(LOCK_STEPS):
        return replace(counted, staff_only=True, locked_until=0.0, lock_seconds=0.0, mono_until=0.0)
    return _locked(counted, LOCK_STEPS[lock.step], now)


def tries_left(lock: PinLock) -> int:
    return MAX_TRIES - lock.failures


def unlocked(lock: PinLock) -> PinLock:
    """Staff's unlock: a fresh escalation (the lockouts stay counted)."""
    return replace(right(lock), staff_only=False)


def _locked(lock: PinLock, seconds: float, now: Clocks) -> PinLock:
    return replace(
        lock,
        locked_until=now.wall + seconds,
        lock_seconds=seconds,
        mono_until=now.mono + seconds,
        boot=now.boot,
    )
