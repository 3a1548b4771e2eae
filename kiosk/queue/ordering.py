"""Which waiting ticket a window calls next: the hall's order (`place`), with one 绿色通道 ticket after
every K ordinary ones at that window. Neither queue starves: after K ordinary calls a waiting priority
ticket goes first, and after a priority call the next one is ordinary whenever one waits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar


class Waiting(Protocol):
    priority: bool


T = TypeVar("T", bound=Waiting)


def pick(waiting: Sequence[T], streak: int, every: int) -> T | None:
    """`waiting` in hall order; `streak` = ordinary calls at this window since its last priority call."""
    ordinary = next((t for t in waiting if not t.priority), None)
    priority = next((t for t in waiting if t.priority), None)
    if priority is not None and (ordinary is None or streak >= every):
        return priority
    return ordinary
