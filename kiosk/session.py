"""The resident session: everything a resident entered or opened, and the one place that forgets it.

Nothing a resident types is stored anywhere else. The idle reset calls `Session.clear()`, which empties
the session and tells every listener (view-models holding search text, open documents, later functions'
form data) to drop what they hold, so nothing survives the resident walking away.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_HISTORY = 50


@dataclass
class SessionState:
    """What one resident has done since the last reset."""

    search_text: str = ""
    opened: list[str] = field(default_factory=list)  # item ids, in the order opened
    data: dict[str, object] = field(default_factory=dict)  # held by later functions (forms, ID data)


class Session:
    """Thread-safe holder of the current resident's state, with clear-listeners."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = SessionState()
        self._listeners: list[Callable[[], None]] = []
        self.generation = 0  # increases at every clear; results of older generations are discarded

    # --- recording ---------------------------------------------------------------------------------

    def set_search_text(self, text: str, generation: int | None = None) -> None:
        """Remember the search text (unless the session was cleared since `generation` was read)."""
        with self._lock:
            if generation is None or generation == self.generation:
                self._state.search_text = text

    def record_opened(self, item_id: str, generation: int | None = None) -> None:
        with self._lock:
            if generation is not None and generation != self.generation:
                return  # opened for a resident who has gone: the idle reset already ran
            opened = self._state.opened
            if opened and opened[-1] == item_id:
                return
            opened.append(item_id)
            del opened[:-MAX_HISTORY]

    def put(self, key: str, value: object) -> None:
        with self._lock:
            self._state.data[key] = value

    def get(self, key: str, default: object = None) -> object:
        with self._lock:
            return self._state.data.get(key, default)

    # --- reading -----------------------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        with self._lock:
            return self._state.search_text

    @property
    def opened(self) -> list[str]:
        with self._lock:
            return list(self._state.opened)

    def is_empty(self) -> bool:
        with self._lock:
            s = self._state
            return not (s.search_text or s.opened or s.data)

    # --- forgetting --------------------------------------------------------------------------------

    def on_clear(self, listener: Callable[[], None]) -> None:
        """Call `listener` (on the clearing thread) whenever the session is cleared."""
        with self._lock:
            self._listeners.append(listener)

    def clear(self) -> None:
        """Forget everything of the current resident and tell every listener to do the same."""
        with self._lock:
            self._state = SessionState()
            self.generation += 1
            listeners = list(self._listeners)
        for listener in listeners:
            listener()
