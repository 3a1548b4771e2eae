"""Staff access: the PIN (stored only as a scrypt hash), the lock after wrong tries, and staff settings.

Five wrong PINs in a row lock staff mode for 5 minutes; each further five for 15, then 60 minutes, and
then staff mode stays locked until the recovery code shown when the PIN was set (``kiosk staff
set-pin``) is entered on the PIN pad, or a technician runs ``kiosk staff set-pin`` or ``kiosk staff
unlock``. The right PIN resets the escalation. New PINs have 6 to 8 digits.

The state (count, step, lock) is kept in ``staff.json`` in the data directory, so restarting the kiosk
does not reset it. Every check reads, changes and writes it under an inter-process lock (fcntl on
``staff.lock``) and writes through a unique temporary file, so kiosk processes checking at once never
get more than the allowed tries between them. A lock is bounded twice: by the wall clock and by the
monotonic clock of the boot it started in, and never longer than its step from now, so setting the
clock back cannot lengthen it. A state that is missing while a PIN is configured (deleted), unreadable
or damaged counts as locked until recovery, never as a reset. A full disk never makes the right PIN
fail: what cannot be written is kept in memory for the running process. Lockouts are counted
(``StaffAuth.lockouts``) for the heartbeat. Settings staff change on the kiosk (idle timeout, default
font scale) are kept in the data directory and overlay the configuration file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from content.disk import full_disk_error, is_full
from kiosk.config import Config, coerce
from kiosk.i18n import tr, translate
from kiosk.options import OPTIONS_BY_KEY

log = logging.getLogger(__name__)

MAX_TRIES = 5
LOCK_STEPS = (5 * 60, 15 * 60, 60 * 60)  # seconds locked after each run of MAX_TRIES wrong PINs
LOCK_SECONDS = LOCK_STEPS[0]
PIN_LENGTHS = range(6, 9)
RECOVERY_DIGITS = 8  # what the PIN pad takes; wrong codes are limited to MAX_TRIES an hour
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
STAFF_SETTINGS = ("kiosk.idle_timeout", "kiosk.font_scale")  # the staff screen's settings section
HALL_SETTINGS = ("kiosk.hall_name", "kiosk.tier")  # the setup wizard's first step (StaffDesk.save_hall)
MAX_HALL_NAME = 40
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


class StaffError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt$hash' (hex) for a PIN."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual.hex(), digest)


def check_pin_format(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii() and len(pin) in PIN_LENGTHS):
        raise StaffError(
            f"the PIN must be {PIN_LENGTHS[0]} to {PIN_LENGTHS[-1]} digits",
            tr("PIN 必须是 {fewest} 到 {most} 位数字", fewest=PIN_LENGTHS[0], most=PIN_LENGTHS[-1]),
        )


@dataclass(frozen=True)
class Attempt:
    ok: bool
    tries_left: int  # wrong tries left before the lock
    locked_for: int  # seconds until staff mode can be tried again (0: not locked)
    checked: bool = True  # False: refused unchecked because of a lock
    recovery: bool = False  # locked until the recovery code: what was entered was checked against it


@dataclass(frozen=True)
class PinSet:
    pin_hash: str
    recovery_code: str  # shown once, to be written down; only its hash is kept


def _boot_id() -> str:
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Atomically, through a temporary file of its own (never a fixed name two processes could share)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data, ensure_ascii=False, indent=2))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _count(value: Any, top: int) -> int | None:
    """A whole number in 0…top, or None when the stored value is anything else."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        return None
    return value


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


class StaffAuth:
    """Checks staff PINs; the hash comes from the configuration or, if empty there, the data directory."""

    def __init__(
        self,
        data_dir: Path,
        config_hash: str = "",
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.path = data_dir / "staff.json"
        self._lock_path = data_dir / "staff.lock"
        self._config_hash = config_hash
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._unsaved: dict[str, Any] | None = None  # a state the disk refused, newer than the file's

    @property
    def pin_hash(self) -> str:
        return self._config_hash or str(_read_json(self.path).get("pin_hash", ""))

    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    def set_pin(self, pin: str) -> str:
        """Store a new PIN's hash in the data directory (and clear the lock); return the hash."""
        return self.set_pin_with_recovery(pin).pin_hash

    def set_pin_with_recovery(self, pin: str) -> PinSet:
        """A new PIN and a new recovery code (for staff to write down); the lock is cleared."""
        check_pin_format(pin)
        stored = hash_pin(pin)
        code = "".join(secrets.choice("0123456789") for _ in range(RECOVERY_DIGITS))
        with self._exclusive():
            state = self._load()
            state.update(self._cleared(), pin_hash=stored, recovery_hash=hash_pin(code))
            self._save(state, strict=True)
        return PinSet(stored, code)

    def unlock(self) -> str:
        """The technician's reset (``kiosk staff unlock``): clear the lock, return a new recovery code."""
        code = "".join(secrets.choice("0123456789") for _ in range(RECOVERY_DIGITS))
        with self._exclusive():
            state = self._load()
            state.update(self._cleared(), recovery_hash=hash_pin(code))
            self._save(state, strict=True)
        return code

    def locked_for(self) -> int:
        """Seconds until anything can be tried again (0 also while the lock waits for the recovery code)."""
        with self._exclusive():
            return self._remaining(self._load())

    def lockouts(self) -> dict[str, Any]:
        """For the heartbeat: how many lockouts so far, the last one (UTC, ISO), whether locked now."""
        with self._exclusive():
            state = self._load()
            remaining = self._remaining(state)
        recovery = _needs_recovery(state)
        return {
            "total": _count(state.get("lockouts_total"), 2**62) or 0,
            "last_at": state.get("last_lockout") if isinstance(state.get("last_lockout"), str) else None,
            "locked": recovery or remaining > 0,
            "needs_recovery": recovery,
        }

    def alerts(self) -> list[str]:
        """The heartbeat's line while staff mode is locked (someone may be guessing the PIN)."""
        state = self.lockouts()
        if state["needs_recovery"]:
            return [tr("工作人员密码：多次输错已锁定，需用恢复码解锁")]
        return [tr("工作人员密码：连续输错，已暂时锁定")] if state["locked"] else []

    def attempt(self, pin: str) -> Attempt:
        """Check a PIN; count wrong ones, lock after MAX_TRIES and escalate. A locked PIN is not even
        checked; while the lock waits for the recovery code, what is entered is checked against it."""
        stored = self.pin_hash
        with self._exclusive():
            state = self._load()
            remaining = self._remaining(state)
            recovery = _needs_recovery(state)
            if remaining:
                return Attempt(False, 0, remaining, checked=False, recovery=recovery)
            if recovery:
                return self._recover(state, pin)
            if stored and verify_pin(pin, stored):
                state.update(failures=0, step=0, locked_until=0, lock_seconds=0)
                self._save(state)
                return Attempt(True, MAX_TRIES, 0)
            return self._wrong(state)

    # --- the state -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This process's threads and every other process, one at a time."""
        with self._lock:
            fh = None
            try:
                self._lock_path.parent.mkdir(parents=True, exist_ok=True)
                fh = open(self._lock_path, "a")  # noqa: SIM115 - closed below, after the lock is released
            except OSError as exc:  # a read-only or full disk: the threads of this process still take turns
                log.warning("staff lock file unavailable (%s); locking within this process only", exc)
            try:
                if fh is not None:
                    fcntl.flock(fh, fcntl.LOCK_EX)
                yield
            finally:
                if fh is not None:
                    fh.close()

    def _load(self) -> dict[str, Any]:
        if self._unsaved is not None:
            return dict(self._unsaved)
        if not self.path.exists():
            # no state while a PIN is configured: the file was deleted, which must not reset the lock
            return {"recovery_needed": True} if self._config_hash else {}
        state = _read_json(self.path)
        if not state:
            return {"recovery_needed": True}  # unreadable or damaged: locked, never reset
        return state

    def _save(self, state: dict[str, Any], *, strict: bool = False) -> None:
        try:
            _write_json(self.path, state)
        except OSError as exc:
            if strict and is_full(exc):
                full = full_disk_error(
                    self.path.parent, "the staff PIN was not saved", tr("PIN 未保存"), about_library=False
                )
                raise StaffError(str(full), translate(full.zh)) from exc
            if strict:
                raise StaffError(
                    f"cannot save the staff state: {exc}",
                    tr("无法保存工作人员设置（{error}）", error=exc.strerror or exc),
                ) from exc
            log.warning("cannot save the staff lock state (%s): kept in memory until it can be", exc)
            self._unsaved = dict(state)
            return
        self._unsaved = None

    def _cleared(self) -> dict[str, Any]:
        return {"failures": 0, "step": 0, "locked_until": 0, "lock_seconds": 0, "recovery_needed": False}

    def _remaining(self, state: dict[str, Any]) -> int:
        """Seconds the timed lock still holds (0: not locked). A lock ends by the monotonic clock of its
        boot or by the wall clock, whichever comes first, and never later than its step from now; after a
        reboot it is anchored to the new boot's monotonic clock. A damaged lock (NaN, 1e309, a list…) is
        repaired into the longest step from now."""
        until = _seconds(state.get("locked_until", 0))
        seconds = _seconds(state.get("lock_seconds", LOCK_SECONDS))
        if until is None or seconds is None or not 0 <= seconds <= LOCK_STEPS[-1]:
            log.warning("staff lock state damaged; locked for %d s from now", LOCK_STEPS[-1])
            return self._lock_now(state, LOCK_STEPS[-1])
        if until <= 0:
            return 0
        left = min(until - self._clock(), seconds)
        mono = _seconds(state.get("mono_until"))
        if mono is not None and state.get("boot") == _boot_id():
            left = min(left, mono - self._monotonic())
        elif left > 0:  # locked in an earlier boot: from now on the monotonic clock counts too
            return self._lock_now(state, left)
        return max(0, math.ceil(left - 1e-9))

    def _lock_now(self, state: dict[str, Any], seconds: float) -> int:
        """Lock for `seconds` from now, by both clocks; returns the whole seconds."""
        state.update(
            locked_until=self._clock() + seconds,
            lock_seconds=seconds,
            mono_until=self._monotonic() + seconds,
            boot=_boot_id(),
        )
        self._save(state)
        return math.ceil(seconds - 1e-9)

    def _wrong(self, state: dict[str, Any]) -> Attempt:
        # a damaged count is read as the most cautious value, never as a fresh start
        failures = _count(state.get("failures", 0), MAX_TRIES - 1)
        step = _count(state.get("step", 0), len(LOCK_STEPS))
        failures = MAX_TRIES - 1 if failures is None else failures
        step = len(LOCK_STEPS) - 1 if step is None else step
        failures += 1
        if failures < MAX_TRIES:
            state.update(failures=failures)
            self._save(state)
            return Attempt(False, MAX_TRIES - failures, 0)
        state.update(failures=0, step=step + 1)
        self._count_lockout(state)
        if step >= len(LOCK_STEPS):
            state.update(recovery_needed=True, locked_until=0, lock_seconds=0)
            self._save(state)
            return Attempt(False, 0, 0, recovery=True)
        return Attempt(False, 0, self._lock_now(state, LOCK_STEPS[step]))

    def _recover(self, state: dict[str, Any], code: str) -> Attempt:
        recovery = state.get("recovery_hash")
        if isinstance(recovery, str) and verify_pin(code, recovery):
            log.warning("staff lock lifted with the recovery code")
            state.update(self._cleared())
            self._save(state)
            return Attempt(True, MAX_TRIES, 0, recovery=True)
        failures = _count(state.get("failures", 0), MAX_TRIES - 1)
        failures = (MAX_TRIES - 1 if failures is None else failures) + 1
        if failures < MAX_TRIES:
            state.update(failures=failures)
            self._save(state)
            return Attempt(False, MAX_TRIES - failures, 0, recovery=True)
        state.update(failures=0)
        self._count_lockout(state)
        return Attempt(False, 0, self._lock_now(state, LOCK_STEPS[-1]), recovery=True)

    def _count_lockout(self, state: dict[str, Any]) -> None:
        state.update(
            lockouts_total=(_count(state.get("lockouts_total"), 2**62) or 0) + 1,
            last_lockout=datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="seconds"),
        )
        log.warning("staff mode locked after %d wrong tries (lockout %d)", MAX_TRIES, state["lockouts_total"])


def _needs_recovery(state: dict[str, Any]) -> bool:
    return state.get("recovery_needed", False) is not False


class StaffSettings:
    """Settings changed on the staff screen, kept in the data directory, overlaying the config file."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / "settings.json"

    def load(self) -> dict[str, Any]:
        values = {}
        for key, value in _read_json(self.path).items():
            if key in STAFF_SETTINGS + HALL_SETTINGS:
                try:
                    values[key] = coerce(OPTIONS_BY_KEY[key], value)
                except ValueError:
                    continue  # a bad stored value falls back to the configuration
        return values

    def save(self, key: str, value: Any) -> Any:
        """A setting of the staff screen's settings section (`STAFF_SETTINGS`), checked and kept."""
        if key not in STAFF_SETTINGS:
            raise StaffError(
                f"{key} cannot be changed on the kiosk", tr("“{key}”不能在一体机上修改", key=key)
            )
        return self._keep({key: self._checked(key, value)})[key]

    def save_hall(self, name: str, tier: str) -> tuple[str, str]:
        """The wizard's hall name and tier (`HALL_SETTINGS`), kept together; `StaffDesk.save_hall` applies them."""
        name = " ".join(str(name).split())
        if not 0 < len(name) <= MAX_HALL_NAME:
            raise StaffError(
                f"the hall name must be 1 to {MAX_HALL_NAME} characters",
                tr("大厅名称应为 1 到 {most} 个字", most=MAX_HALL_NAME),
            )
        kept = self._keep(
            {
                "kiosk.hall_name": self._checked("kiosk.hall_name", name),
                "kiosk.tier": self._checked("kiosk.tier", tier),
            }
        )
        return kept["kiosk.hall_name"], kept["kiosk.tier"]

    @staticmethod
    def _checked(key: str, value: Any) -> Any:
        try:
            return coerce(OPTIONS_BY_KEY[key], value)
        except ValueError as exc:
            raise StaffError(exc.args[0], exc.args[1]) from None

    def _keep(self, values: dict[str, Any]) -> dict[str, Any]:
        data = _read_json(self.path)
        data.update(values)
        _write_json(self.path, data)
        return values

    def apply(self, config: Config) -> Config:
        overrides = {key.replace(".", "__"): value for key, value in self.load().items()}
        return config.with_values(**overrides) if overrides else config
