"""The kiosk's one event bus: typed events, told to the listeners of their type on the publishing thread.

Services publish what happened (the library opened, the content changed); whoever cares subscribes to
the event's type (the touch UI hands `ContentChange` to its GUI thread, the background sync starts on
`LibraryOpened`). Functions added later publish their own event types on the same bus. A listener
that raises is logged and never keeps the others from hearing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from content.store import Library

log = logging.getLogger(__name__)

E = TypeVar("E")


@dataclass(frozen=True)
class ContentChange:
    """The library's content changed: why ("sync", "notice"), the `content_version` it made (one up per
    change while the process runs), and the home tiles the kiosk offers now."""

    reason: str
    version: int
    tiles: list[dict]


@dataclass(frozen=True)
class LibraryOpened:
    """The library is open (after a failed opening nothing is published: the kiosk is in maintenance)."""

    store: Library


class Bus:
    """Listeners by event type; `publish` tells those of the event's exact type."""

    def __init__(self) -> None:
        self._listeners: dict[type, list[Callable[[Any], None]]] = {}
        self._lock = threading.Lock()

    def subscribe(self, kind: type[E], listener: Callable[[E], None]) -> Callable[[], None]:
        """Call `listener(event)` for every event of type `kind`; returns a function that stops it."""
        with self._lock:
            self._listeners.setdefault(kind, []).append(listener)

        def remove() -> None:
            with self._lock:
                listeners = self._listeners.get(kind, [])
                if listener in listeners:
                    listeners.remove(listener)

        return remove

    def publish(self, event: object) -> None:
        with self._lock:
            listeners = list(self._listeners.get(type(event), ()))
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - one listener must not keep the others from hearing
                log.exception("%s listener failed", type(event).__name__)
