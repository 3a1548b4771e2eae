"""What the hall's voice tells the services' bus: it is listening (`VoiceStarted`), it starts saying a call
now (`Saying`). Apart from the caller so that a subscriber (the displays' feed, staff's 公示屏 page) needs
no player, pack or script loaded before the first frame."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Saying:
    """The voice starts saying a call now (or, `failed`, could not say it)."""

    number: str
    window: int
    failed: bool = False


@dataclass(frozen=True)
class VoiceStarted:
    """The hall's voice is listening to the queue: its calls will be said (and `Saying` published)."""
