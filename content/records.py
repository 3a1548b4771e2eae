"""What the kiosk reports to the city: anonymous usage statistics and device heartbeats.

Usage records are anonymous by construction: they carry an event name, an item's kind and id and
counts, never a query's text (a resident may type a name or an ID number) nor anything about a person.
A heartbeat carries what the city's fleet view shows: software and channel version, content staleness,
device faults ("打印机缺纸") and the outbox backlog.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from content.outbox import Outbox
from content.store import Library
from content.sync import sync_status

USAGE_EVENTS = ("view", "search", "print", "browse")


def record_usage(
    outbox: Outbox,
    event: str,
    *,
    kind: str = "",
    item_id: str = "",
    results: int | None = None,
    query_chars: int | None = None,
) -> str:
    if event not in USAGE_EVENTS:
        raise ValueError(f"unknown usage event {event!r}")
    payload: dict[str, Any] = {"event": event}
    if kind:
        payload["kind"] = kind
    if item_id:
        payload["item_id"] = item_id
    if results is not None:
        payload["results"] = int(results)
    if query_chars is not None:
        payload["query_chars"] = int(query_chars)
    return outbox.add("usage", payload)


def heartbeat_payload(
    library: Library, outbox: Outbox, software_version: str, faults: Iterable[str] = ()
) -> dict[str, Any]:
    status = sync_status(library)
    return {
        "software_version": software_version,
        "channel": status.channel,
        "channel_version": status.version,
        "content_stale_since": status.stale_since,
        "last_sync": status.last_success,
        "faults": sorted(set(faults)),
        "outbox_pending": outbox.status().pending,
    }


def record_heartbeat(
    library: Library, outbox: Outbox, software_version: str, faults: Iterable[str] = ()
) -> str:
    """A device-health snapshot for the city; it replaces an undelivered older one (only the latest
    state matters to the fleet view, and an offline kiosk must not fill its outbox with them)."""
    return outbox.add(
        "heartbeat", heartbeat_payload(library, outbox, software_version, faults), supersede=True
    )
