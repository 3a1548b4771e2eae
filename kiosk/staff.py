"""Staff access: the PIN (stored only as a scrypt hash), the lock after wrong tries, and staff settings.

Five wrong PINs in a row lock staff mode for five minutes; the count and the lock are kept in the data
directory so restarting the kiosk does not reset them. Settings staff change on the kiosk (idle timeout,
default font scale) are kept there too and overlay the configuration file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config import Config, coerce
from kiosk.options import OPTIONS_BY_KEY

MAX_TRIES = 5
LOCK_SECONDS = 5 * 60
PIN_LENGTHS = range(4, 9)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
STAFF_SETTINGS = ("kiosk.idle_timeout", "kiosk.font_scale")


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
        raise StaffError("the PIN must be 4 to 8 digits", "PIN 必须是 4 到 8 位数字")


@dataclass(frozen=True)
class Attempt:
    ok: bool
    tries_left: int  # wrong tries left before the lock
    locked_for: int  # seconds until staff mode can be tried again (0: not locked)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class StaffAuth:
    """Checks staff PINs; the hash comes from the configuration or, if empty there, the data directory."""

    def __init__(self, data_dir: Path, config_hash: str = "", clock: Callable[[], float] = time.time):
        self.path = data_dir / "staff.json"
        self._config_hash = config_hash
        self._clock = clock
        self._lock = threading.Lock()

    @property
    def pin_hash(self) -> str:
        return self._config_hash or str(_read_json(self.path).get("pin_hash", ""))

    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    def set_pin(self, pin: str) -> str:
        """Store a new PIN's hash in the data directory (and clear the lock); return the hash."""
        check_pin_format(pin)
        stored = hash_pin(pin)
        with self._lock:
            state = _read_json(self.path)
            state.update(pin_hash=stored, failures=0, locked_until=0)
            _write_json(self.path, state)
        return stored

    def locked_for(self) -> int:
        with self._lock:
            return self._locked_for(_read_json(self.path))

    def _locked_for(self, state: dict[str, Any]) -> int:
        remaining = float(state.get("locked_until", 0)) - self._clock()
        return max(0, int(remaining + 0.999))

    def attempt(self, pin: str) -> Attempt:
        """Check a PIN; count wrong ones and lock after MAX_TRIES. A locked PIN is not even checked."""
        stored = self.pin_hash
        with self._lock:
            state = _read_json(self.path)
            locked = self._locked_for(state)
            if locked:
                return Attempt(False, 0, locked)
            if stored and verify_pin(pin, stored):
                state.update(failures=0, locked_until=0)
                _write_json(self.path, state)
                return Attempt(True, MAX_TRIES, 0)
            failures = int(state.get("failures", 0)) + 1
            if failures >= MAX_TRIES:
                state.update(failures=0, locked_until=self._clock() + LOCK_SECONDS)
                _write_json(self.path, state)
                return Attempt(False, 0, LOCK_SECONDS)
            state.update(failures=failures)
            _write_json(self.path, state)
            return Attempt(False, MAX_TRIES - failures, 0)


class StaffSettings:
    """Settings changed on the staff screen, kept in the data directory, overlaying the config file."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / "settings.json"

    def load(self) -> dict[str, Any]:
        values = {}
        for key, value in _read_json(self.path).items():
            if key in STAFF_SETTINGS:
                try:
                    values[key] = coerce(OPTIONS_BY_KEY[key], value)
                except ValueError:
                    continue  # a bad stored value falls back to the configuration
        return values

    def save(self, key: str, value: Any) -> Any:
        if key not in STAFF_SETTINGS:
            raise StaffError(f"{key} cannot be changed on the kiosk", f"“{key}”不能在一体机上修改")
        try:
            value = coerce(OPTIONS_BY_KEY[key], value)
        except ValueError as exc:
            raise StaffError(exc.args[0], exc.args[1]) from None
        data = _read_json(self.path)
        data[key] = value
        _write_json(self.path, data)
        return value

    def apply(self, config: Config) -> Config:
        overrides = {key.replace(".", "__"): value for key, value in self.load().items()}
        return config.with_values(**overrides) if overrides else config
