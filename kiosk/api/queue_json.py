"""The queue's values as the API's JSON: tickets, calls, the hall's state, one window's state, a ticket's
status. Only what a counter or a wall display shows: numbers, services, windows, statuses and times,
never an ID hash or anything else about the resident."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.i18n import translate
from kiosk.queue import RATINGS, Call, Snapshot, Ticket, TicketStatus


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def ticket_json(ticket: Ticket, config) -> dict[str, Any]:
    service = config.service(ticket.service)
    return {
        "id": ticket.id,
        "number": ticket.number,
        "service": ticket.service,
        "service_name": service.name if service else ticket.service,
        "status": ticket.status,
        "status_zh": ticket.status_zh,
        "window": ticket.window,
        "priority": ticket.priority,
        "calls": ticket.calls,
        "called_at": _time(ticket.called_at),
        "started_at": _time(ticket.started_at),
        "finished_at": _time(ticket.finished_at),
        "rating": ticket.rating,
    }


def call_json(call: Call) -> dict[str, Any]:
    return {
        "number": call.number,
        "service": call.service,
        "service_name": call.service_name,
        "window": call.window,
        "window_name": call.window_name,
        "recall": call.recall,
        "at": _time(call.at),
    }


def hall_json(snapshot: Snapshot) -> dict[str, Any]:
    """The hall now, for displays and the feed's `queue` events."""
    return {
        "day": snapshot.day,
        "at": _time(snapshot.at),
        "services": [
            {
                "key": s.key,
                "name": s.name,
                "prefix": s.prefix,
                "waiting": s.waiting,
                "open": s.open,
                "closed_reason": s.closed_reason,
                "estimate": s.estimate.text,
            }
            for s in snapshot.services
        ],
        "windows": [
            {
                "number": w.number,
                "name": w.name,
                "paused": w.paused,
                "current": w.current.number if w.current else None,
                "current_status": w.current.status if w.current else None,
            }
            for w in snapshot.windows
        ],
        "last_calls": [call_json(c) for c in snapshot.last_calls],
    }


def window_json(snapshot: Snapshot, number: int, config) -> dict[str, Any]:
    """What one window's calling page shows (its window must exist in `snapshot`)."""
    state = next(w for w in snapshot.windows if w.number == number)
    served = [s for s in snapshot.services if s.key in state.services]
    return {
        "window": {"number": state.number, "name": state.name, "paused": state.paused},
        "current": ticket_json(state.current, config) if state.current else None,
        "held": [ticket_json(t, config) for t in state.held],
        "waiting": sum(s.waiting for s in served),
        "services": [{"key": s.key, "name": s.name, "waiting": s.waiting, "open": s.open} for s in served],
        "transfer_services": [{"key": s.key, "name": s.name} for s in snapshot.services],
        "transfer_windows": [
            {"number": w.number, "name": w.name, "services": list(w.services)}
            for w in snapshot.windows
            if w.number != number
        ],
        "ratings": [{"level": level, "text": translate(text)} for level, text in RATINGS.items()],
    }


def status_json(status: TicketStatus) -> dict[str, Any]:
    return {
        "number": status.number,
        "service_name": status.service_name,
        "status": status.status,
        "status_zh": status.status_zh,
        "window": status.window,
        "window_name": status.window_name,
        "ahead": status.ahead,
        "estimate": status.estimate.text if status.estimate else None,
        "issued_at": _time(status.issued_at),
        "called_at": _time(status.called_at),
        "day": status.day,
    }
