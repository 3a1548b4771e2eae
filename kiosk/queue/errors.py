"""The queue's one error: English for logs, `zh` for the resident or staff, and a short `code` that the
local API and the touch screen can act on (e.g. "cap_reached", "closed", "id_holds_ticket")."""

from __future__ import annotations


class QueueError(Exception):
    def __init__(self, en: str, zh: str, code: str = "invalid"):
        super().__init__(en)
        self.zh = zh
        self.code = code


class QueueConfigError(QueueError):
    """A services/windows file (or a staff edit) that cannot be used; `zh` names every problem."""

    def __init__(self, en: str, zh: str):
        super().__init__(en, zh, "config")
