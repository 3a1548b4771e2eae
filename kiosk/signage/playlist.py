"""The display's playlist, in the kiosk: the format and its checks are `content/playlist.py`, shared with the
city, which checks a playlist it publishes with the same code."""

from __future__ import annotations

from content.playlist import (
    ENTRY_KEYS,
    MAX_ENTRIES,
    SHOWS,
    WEEK,
    Entry,
    Playlist,
    PlaylistInvalid,
    default_playlist,
    parse,
)

__all__ = [
    "ENTRY_KEYS",
    "MAX_ENTRIES",
    "SHOWS",
    "WEEK",
    "Entry",
    "Playlist",
    "PlaylistInvalid",
    "default_playlist",
    "parse",
]
