"""Typed errors of the content library: an English message (str) for logs, a Chinese one (`zh`) for staff.

`content/` may not import `kiosk`, so a message staff read is a `Message`: the Chinese sentence it says,
which also keeps its template and values (gettext's convention of marking here and translating where it
is shown); `kiosk.i18n.translate(exc.zh)` puts it into the kiosk's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Message(str):
    """A whole sentence for staff with named placeholders, filled: ``Message("剩余 {free}", free="3 MB")`` is
    the str "剩余 3 MB" holding `template` and `values` (a value may be a `Message` itself)."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Message:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template, text.values = template, values
        return text

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # copy and pickle make it anew
        return (self.template,), self.values


class Joined(str):
    """A list inside a sentence: its items (each a str or `Message`) joined by `separator` ("、")."""

    separator: str
    parts: tuple[str, ...]

    def __new__(cls, separator: str, parts: Iterable[str]) -> Joined:
        parts = tuple(parts)
        text = super().__new__(cls, separator.join(parts))
        text.separator, text.parts = separator, parts
        return text

    def __getnewargs__(self) -> tuple[str, tuple[str, ...]]:  # copy and pickle make it anew
        return self.separator, self.parts


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
