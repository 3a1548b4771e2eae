"""What `kiosk demo` leaves in its data directory (`demo.json`, DEMO_MARKER): that the kiosk there runs
with simulated devices (so `kiosk diag` on that library diagnoses the simulators), and a demo application
key, so the demo offers 信息公开申请 with no city.

The demo key is an X25519 public key made for this demo directory; its private half is thrown away at
once, as a kiosk never holds the city's: a demo application is sealed and kept in the outbox like a real
one, and nobody can open it. An enrolled kiosk never uses it (the enrolment's key decides)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from content import sealed
from kiosk.paths import DEMO_MARKER

log = logging.getLogger(__name__)

DEMO_KIOSK_ID = "demo"


def read_marker(data_dir: Path) -> dict | None:
    """The demo marker's fields, or None when `data_dir` is not a demo's (or its marker is unreadable)."""
    path = data_dir / DEMO_MARKER
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("demo marker %s unreadable: %s", path, exc)
        return None
    return value if isinstance(value, dict) else None


def write_marker(data_dir: Path) -> None:
    """Mark `data_dir` as the demo's, keeping the application key it already has."""
    marker = read_marker(data_dir) or {}
    key = marker.get("application_key")
    if not isinstance(key, str) or application_public_of(key) is None:
        key = sealed.public_text(X25519PrivateKey.generate().public_key())
    text = json.dumps({"devices": "sim://", "application_key": key}, ensure_ascii=False)
    (data_dir / DEMO_MARKER).write_text(text + "\n", encoding="utf-8")


def application_public_of(text: str) -> X25519PublicKey | None:
    try:
        return sealed.load_public(text)
    except sealed.SealedError:
        return None


def application_public(data_dir: Path) -> X25519PublicKey | None:
    """The demo's application key, or None when `data_dir` is not a demo's."""
    key = (read_marker(data_dir) or {}).get("application_key")
    return application_public_of(key) if isinstance(key, str) else None
