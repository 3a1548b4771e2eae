"""Typed errors of the content library: an English message (str) for logs, a Chinese one (`zh`) for staff."""

from __future__ import annotations


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
