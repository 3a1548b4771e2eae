"""What the kiosk reports to the city besides residents' actions: device heartbeats, and the older
`usage` record.

A resident's action is one record of its own kind (`content.record_schema.RESIDENT_ACTIONS`), written by
`kiosk/usage.py` through its statistics database into the outbox. `record_usage` writes the `usage` kind
kiosks sent before those kinds (an event name, an item's kind and id and counts, never a query's text);
the kiosk no longer writes it, the city still takes it, and the outbox's tests use it as a plain record.
A heartbeat carries what the city's fleet view shows: software and channel version, content staleness,
device faults ("打印机缺纸") and the outbox backlog.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from content.outbox import Outbox
from content.record_schema import SCHEMAS
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


_FAULTS = SCHEMAS["heartbeat"].payload.fields["faults"]
_NOT_TEXT = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def _faults(faults: Iterable[str]) -> list[str]:
    """Fault lines as the heartbeat's schema takes them: a device's message may hold line breaks or run
    long (an OS error's text), and must not cost the kiosk its heartbeat."""
    lines = {_NOT_TEXT.sub(" ", fault.encode("utf-8", "replace").decode()).strip() for fault in faults}
    limit = _FAULTS.item.max_chars
    return sorted(line if len(line) <= limit else line[: limit - 1] + "…" for line in lines if line)[
        : _FAULTS.max_items
    ]


def heartbeat_payload(
    library: Library,
    outbox: Outbox,
    software_version: str,
    faults: Iterable[str] = (),
    staff_lockouts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`staff_lockouts` is `kiosk.staff.StaffAuth.lockouts()` (left out when unknown)."""
    status = sync_status(library)
    payload = {
        "software_version": software_version,
        "channel": status.channel,
        "channel_version": status.version,
        "content_stale_since": status.stale_since,
        "last_sync": status.last_success,
        "faults": _faults(faults),
        "outbox_pending": outbox.status().pending,
    }
    if staff_lockouts is not None:
        payload["staff_lockouts"] = staff_lockouts
    return payload


def record_heartbeat(
    library: Library,
    outbox: Outbox,
    software_version: str,
    faults: Iterable[str] = (),
    staff_lockouts: dict[str, Any] | None = None,
) -> str:
    """A device-health snapshot for the city; it replaces an undelivered older one (only the latest
    state matters to the fleet view, and an offline kiosk must not fill its outbox with them)."""
    payload = heartbeat_payload(library, outbox, software_version, faults, staff_lockouts)
    return outbox.add("heartbeat", payload, supersede=True)
