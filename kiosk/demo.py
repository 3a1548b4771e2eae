"""What `kiosk demo` leaves in its data directory (`demo.json`, DEMO_MARKER): that the kiosk there runs
with simulated devices (so `kiosk diag` on that library diagnoses the simulators), and a demo application
key, so the demo offers 信息公开申请 with no city; and a demo hall queue (open all day, every day, its
services linked to the bundled guides) when the directory has none, so the demo offers 排队取号 too.

The demo key is an X25519 public key made for this demo directory; its private half is thrown away at
once, as a kiosk never holds the city's: a demo application is sealed and kept in the outbox like a real
one, and nobody can open it. An enrolled kiosk never uses it (the enrolment's key decides)."""

from __future__ import annotations

import json
import logging
import tomllib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from content import sealed
from kiosk.i18n import tr
from kiosk.paths import DEMO_MARKER

log = logging.getLogger(__name__)

DEMO_KIOSK_ID = "demo"

DEMO_QUEUE = """
[queue]
priority_every = 3
priority_age = 70

[[service]]
key = "shebao"
name = "社保医保"
prefix = "A"
hours = ["00:00-23:59"]
id_card = "optional"
guide = "guide-demo-yibao-canbao"

[[service]]
key = "jiuzhu"
name = "社会救助"
prefix = "B"
hours = ["00:00-23:59"]
id_card = "optional"
guide = "guide-demo-dibao"

[[service]]
key = "hukou"
name = "户籍证件"
prefix = "C"
hours = ["00:00-23:59"]
id_card = "required"
guide = "guide-demo-shenfenzheng"

[[window]]
number = 1
name = "1号窗口"
services = ["shebao", "jiuzhu"]

[[window]]
number = 2
name = "2号窗口"
services = ["jiuzhu", "hukou"]
"""


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


def configure_queue(data_dir: Path) -> bool:
    """Put the demo hall queue in force when `data_dir` has no queue yet; whether it did (a queue staff
    configured in the demo is kept)."""
    from kiosk.queue import Queue, configured_in, parse_config

    if configured_in(data_dir):
        return False
    queue = Queue.open(data_dir)
    try:
        queue.configure(parse_config(tomllib.loads(DEMO_QUEUE), tr("演示排队配置")))
    finally:
        queue.close()
    return True
