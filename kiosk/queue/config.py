"""The queue's configuration for the kiosk: the shared file format and its checks (`content/queue_config.py`,
which the city uses too), with window PINs hashed by `kiosk.staff.hash_pin` and problems raised as the
queue's own `QueueConfigError`. See `content/queue_config.py` for the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from content import queue_config as shared
from content.queue_config import QueueConfig, Rules, Service, Window
from kiosk.i18n import N_
from kiosk.queue.errors import QueueConfigError
from kiosk.staff import PIN_LENGTHS, hash_pin

__all__ = ["QueueConfig", "Rules", "Service", "Window", "load", "parse"]
PINS = (hash_pin, PIN_LENGTHS)


def parse(data: Any, source: str = N_("配置")) -> QueueConfig:
    """The checked config from a file's parsed form; raises `QueueConfigError` naming every problem."""
    try:
        return shared.parse(data, source, pins=PINS)
    except shared.QueueConfigError as exc:
        raise QueueConfigError(str(exc), exc.zh) from None


def load(path: Path) -> QueueConfig:
    """Read and check a `.toml` or `.json` file (`kiosk queue import FILE`)."""
    try:
        return shared.load(path, pins=PINS)
    except shared.QueueConfigError as exc:
        raise QueueConfigError(str(exc), exc.zh) from None
