"""Windows' PINs in `queue.db` (`window_pins`): the scrypt hash and the pairing lock of each window, read
and written inside the queue's transactions, the Chinese refusals of 窗口号 + 密码 pairing, and the
heartbeat's lines for locked windows (`alerts`).

The rules of the lock are `kiosk.queue.pin_lock`'s; `Queue.pair_with_pin` uses these.
"""

from __future__ import annotations

import math
import sqlite3
import time
from dataclasses import astuple, dataclass

from kiosk.i18n import tr
from kiosk.queue import pin_lock
from kiosk.queue.errors import QueueError
from kiosk.queue.pin_lock import Clocks, PinLock

_COLUMNS = "failures, step, locked_until, lock_seconds, mono_until, boot, staff_only, lockouts, last_lockout"


def clocks_now() -> Clocks:
    return Clocks(time.time(), time.monotonic(), pin_lock.boot_id())


@dataclass(frozen=True)
class PinState:
    """A window's PIN as staff mode and the heartbeat see it."""

    window: int
    has_pin: bool
    locked_seconds: int  # 0: not locked by time
    staff_only: bool  # locked until staff unlock it
    lockouts: int


def alerts(states: list[PinState]) -> list[str]:
    """The heartbeat's lines for windows whose PIN pairing is locked (someone may be guessing the PIN).
    No time left in them: the city keeps a fault from when its line was first reported."""
    return [
        tr("{window}号窗口配对密码：多次输错已锁定，需工作人员在“排队叫号设置”中解锁", window=s.window)
        if s.staff_only
        else tr("{window}号窗口配对密码：连续输错，已暂时锁定", window=s.window)
        for s in states
        if s.staff_only or s.locked_seconds > 0
    ]


def load(db: sqlite3.Connection, window: int) -> tuple[str, PinLock]:
    row = db.execute(f"SELECT pin_hash, {_COLUMNS} FROM window_pins WHERE window = ?", [window]).fetchone()
    if row is None:
        return "", PinLock()
    return row[0], PinLock(*row[1:7], bool(row[7]), *row[8:])


def save(db: sqlite3.Connection, window: int, pin_hash: str, lock: PinLock) -> None:
    values = astuple(lock)
    db.execute(
        f"INSERT INTO window_pins (window, pin_hash, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        f"ON CONFLICT (window) DO UPDATE SET pin_hash = excluded.pin_hash, "
        + ", ".join(f"{name} = excluded.{name}" for name in _COLUMNS.split(", ")),
        [window, pin_hash, *values[:6], int(values[6]), *values[7:]],
    )


def state(db: sqlite3.Connection, window: int, now: Clocks) -> PinState:
    pin_hash, lock = load(db, window)
    _, left = pin_lock.remaining(lock, now)
    return PinState(window, bool(pin_hash), math.ceil(left - 1e-9), lock.staff_only, lock.lockouts)


def refusal(window: int, verdict: pin_lock.Verdict) -> QueueError:
    if verdict.staff_only:
        return QueueError(
            f"PIN pairing of window {window} locked until staff unlock it",
            tr("{window} 号窗口的密码配对已锁定，请工作人员在工作人员模式的排队叫号页面解锁", window=window),
            "pin_locked",
        )
    minutes = max(1, math.ceil(verdict.seconds / 60))
    return QueueError(
        f"PIN pairing of window {window} locked for {verdict.seconds} s",
        tr(
            "{window} 号窗口的密码配对已锁定，请 {minutes} 分钟后再试，或用工作人员模式中的二维码配对",
            window=window,
            minutes=minutes,
        ),
        "pin_locked",
    )


def wrong_pin(window: int, lock: PinLock, now: Clocks) -> QueueError:
    """The refusal after a wrong PIN was counted: tries left, or the lock it started."""
    if lock.failures:
        left = pin_lock.tries_left(lock)
        return QueueError(
            f"wrong PIN for window {window}, {left} tries left",
            tr(
                "密码错误，还可以再试 {left} 次（连续输错 {max_tries} 次将锁定）",
                left=left,
                max_tries=pin_lock.MAX_TRIES,
            ),
            "wrong_pin",
        )
    locked = refusal(window, pin_lock.before_check(lock, now)[1])
    return QueueError(
        f"wrong PIN for window {window}: {locked}", tr("密码错误。{locked}", locked=locked.zh), "pin_locked"
    )


def no_pin(window: int) -> QueueError:
    return QueueError(
        f"window {window} has no PIN",
        tr("{window} 号窗口没有设置配对密码，请用工作人员模式中的二维码配对", window=window),
        "no_pin",
    )
