"""The queue's events as anonymous records for the city and the kiosk's statistics, through the `usage`
service (`usage.event("queue_ticket", …)` / `("queue_rating", …)`, declared in `content/record_schema.py`):
the service by its prefix, the window by its number, seconds waited and served; never a number, a code or
anything about the resident."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from kiosk.queue.model import QueueEvent, TicketCalled, TicketFinished, TicketIssued, TicketStateChanged

PREFIX = re.compile(r"[A-Z]{1,2}")
STATE_EVENTS = {
    "start": "started",
    "no_show": "no_show",
    "timeout": "no_show",
    "cancel": "cancelled",
    "transferred_in": "transferred",
}


class Usage(Protocol):
    def event(self, kind: str, **fields: Any) -> None: ...


def _seconds(later, earlier) -> int | None:
    return max(0, int((later - earlier).total_seconds())) if later and earlier else None


def record(event: QueueEvent, prefix_of: Callable[[str], str]) -> tuple[str, dict[str, Any]] | None:
    """(kind, fields) for one queue event, or None when it is not a resident's step."""
    ticket = event.ticket
    if ticket is None:
        return None
    prefix = PREFIX.match(ticket.number).group(0)  # the number's own prefix: a transfer keeps it
    window = str(event.window) if event.window is not None else None
    if isinstance(event, TicketIssued):
        return "queue_ticket", {"event": "issued", "service": prefix, "priority": ticket.priority}
    if isinstance(event, TicketCalled):
        wait = _seconds(ticket.called_at, ticket.issued_at)
        fields = {"event": "called", "service": prefix, "window": window, "wait_seconds": wait}
        return "queue_ticket", {**fields, "priority": ticket.priority}
    if isinstance(event, TicketFinished):
        served = _seconds(ticket.finished_at, ticket.started_at)
        return "queue_ticket", {
            "event": "finished",
            "service": prefix,
            "window": window,
            "service_seconds": served,
        }
    if isinstance(event, TicketStateChanged):
        if event.action == "rate":
            return "queue_rating", {"level": ticket.rating, "service": prefix, "window": window}
        if event.action in STATE_EVENTS:
            fields = {"event": STATE_EVENTS[event.action], "service": prefix, "window": window}
            if event.action == "transferred_in":
                fields["to_service"] = prefix_of(ticket.service) or None
            return "queue_ticket", fields
    return None


def connect(queue, usage: Usage) -> Callable[[], None]:
    """Record every resident step of `queue` through `usage`; returns the function that stops it."""

    def prefix_of(service_key: str) -> str:
        service = queue.config.service(service_key)
        return service.prefix if service else ""

    def on_event(event: QueueEvent) -> None:
        found = record(event, prefix_of)
        if found is not None:
            usage.event(found[0], **found[1])

    return queue.subscribe(on_event)
