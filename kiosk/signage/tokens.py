"""Who may report as a display: display tokens, the local token file, and pairing a display on another PC.

A display's heartbeats and screenshots (`POST /api/display/…`) carry `Authorization: Bearer TOKEN`; only the
SHA-256 of each token is kept (`signage/display_tokens.json`). Two ways to hold one:

- the display on the kiosk's own PC reads `signage/display.token` in the shared data directory, written by
  the kiosk when its local API starts, readable only by the kiosk's user (mode 0600); it may report as any
  display id (a PC with two outputs runs two displays);
- a display on another PC pairs once: staff mode's 公示屏 page shows a one-time code (`offer`, 10 minutes,
  128 random bits, never logged), `kiosk display --pair CODE --api URL` on that PC exchanges it
  (`POST /api/display/pair`) for a token bound to that display's id, which it keeps in its own data
  directory's `signage/display.token`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk.signage.files import read_json, signage_dir, write_json

TTL = 600.0  # seconds a pairing code can be used
MAX_OFFERS = 16
MAX_TOKENS = 256  # paired displays kept; the oldest go first
ANY = ""  # the display id of the local token: any display on the kiosk's PC


def token_path(data_dir: Path) -> Path:
    return signage_dir(data_dir) / "display.token"


def read_token(data_dir: Path) -> str:
    """The display token kept in `data_dir` ('' when there is none)."""
    try:
        return token_path(data_dir).read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return ""


def write_token(data_dir: Path, token: str) -> Path:
    """Keep `token` in `data_dir`, readable and writable by this user only (0600 from its creation)."""
    path = token_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(token + "\n")
    os.replace(tmp, path)
    return path


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DisplayTokens:
    """The kiosk's side: tokens it accepts, its local token file, and pairing codes (thread-safe)."""

    def __init__(self, data_dir: Path, *, clock: Callable[[], float] = time.monotonic):
        self.data_dir = data_dir
        self.path = signage_dir(data_dir) / "display_tokens.json"
        self.clock = clock
        self._offers: dict[str, float] = {}  # code: expires at
        self._lock = threading.Lock()

    def _tokens(self) -> dict[str, dict[str, str]]:
        try:
            value = read_json(self.path, {})
        except (ValueError, OSError):
            return {}  # damaged: every display pairs again (the local one gets a new file at the next start)
        return value if isinstance(value, dict) else {}

    def _issue(self, display_id: str, *, local: bool = False) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            known = self._tokens()
            if local:
                known = {k: v for k, v in known.items() if not v.get("local")}
            known[_digest(token)] = {
                "display": display_id,
                "issued_at": datetime.now().isoformat(timespec="seconds"),
                **({"local": "1"} if local else {}),
            }
            while len(known) > MAX_TOKENS:
                known.pop(next(k for k, v in known.items() if not v.get("local")))
            write_json(self.path, known)
        return token

    def ensure_local(self) -> Path:
        """The local token file, made (with a new token) when it is missing or no longer accepted."""
        token = read_token(self.data_dir)
        if not token or self.display_of(token) is None:
            write_token(self.data_dir, self._issue(ANY, local=True))
        return token_path(self.data_dir)

    def display_of(self, token: str) -> str | None:
        """The display id the token is bound to (ANY for the local token), None when it is not accepted."""
        if not token:
            return None
        digest = _digest(token)
        for known, entry in self._tokens().items():
            if hmac.compare_digest(known, digest):
                return entry.get("display", ANY)
        return None

    def offer(self) -> tuple[str, float]:
        """A new one-time pairing code and the seconds it is valid."""
        code = secrets.token_urlsafe(16)
        now = self.clock()
        with self._lock:
            self._offers = {c: until for c, until in self._offers.items() if until > now}
            while len(self._offers) >= MAX_OFFERS:
                self._offers.pop(next(iter(self._offers)))
            self._offers[code] = now + TTL
        return code, TTL

    def pair(self, code: str, display_id: str) -> str | None:
        """Use a code up for `display_id`: its new token, or None when the code is unknown, used or expired."""
        with self._lock:
            until = self._offers.pop(code, None)
        if until is None or until <= self.clock():
            return None
        return self._issue(display_id)
