"""Typed errors of the content library: an English message (str) for logs, a Chinese one (`zh`) for staff.

`content/` may not import `kiosk`, so a message staff read is a `Message`: the Chinese sentence it says,
which also keeps its template and values (gettext's convention of marking here and translating where it
is shown); `kiosk.i18n.translate(exc.zh)` puts it into the kiosk's language.
"""

from __future__ import annotations

from translatable import Joined as Joined  # re-exported: the package's messages are made here
from translatable import Message as Message


class ContentError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


class NotFound(ContentError):
    pass


class ImportFailed(ContentError):
    """A file could not be imported; the store is unchanged."""


class StoreUnavailable(ContentError):
    """The database is missing, corrupt or locked."""


class LibraryDamaged(StoreUnavailable):
    """The database file exists but is empty, unreadable or fails its check: a maintenance state, never
    re-created (it holds the outbox and the sync state)."""


class DiskFull(StoreUnavailable):
    """The disk is full: the library may be healthy. ``free`` and ``needed`` are bytes."""

    def __init__(self, en: str, zh: str, *, free: int = 0, needed: int = 0):
        super().__init__(en, zh)
        self.free = free
        self.needed = needed
