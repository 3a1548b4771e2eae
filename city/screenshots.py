"""Screenshots of the halls' display screens: the city asks a kiosk for them and keeps what comes back.

`request(home, kiosk_id)` publishes `file:display_requests/<kiosk>.json` (a new request id, the time) in
the channel; the kiosk answers after its next sync with a `display_screenshot` record for each of its
displays (content/record_schema.py checks it is a whole JPEG of at most 200 kB). `store` keeps the newest
screenshot of each (kiosk, display) in `display_screenshots`, which the dashboard's kiosk page shows; the
record itself is kept in `records` without its image, so the image is stored once.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from city.db import Connection
from city.home import CityError, CityHome
from content.record_schema import Record

FOLDER = "display_requests"
COLLECTION = "display_requests"


def request(home: CityHome, kiosk_id: str) -> str:
    """Ask `kiosk_id` for its displays' screenshots (published in the channel's next version); the
    request's id. A newer request replaces the kiosk's older one."""
    from city.fleet import now_text
    from city.lock import publish_lock
    from city.publish import Collection, publish
    from content.channel import Entry

    conn = home.db()
    try:
        row = conn.execute("SELECT revoked_at FROM kiosks WHERE id = ?", [kiosk_id]).fetchone()
    finally:
        conn.close()
    if row is None or row[0]:
        raise CityError(f"no enrolled kiosk {kiosk_id}", f"没有已登记的一体机 {kiosk_id}")
    request_id = str(uuid.uuid4())
    document = {"type": "zwgk-display-request", "kiosk": kiosk_id, "request": request_id, "at": now_text()}
    target = home.path / FOLDER / f"{kiosk_id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    part.replace(target)
    with publish_lock(home):  # the blobs are added under the lock: `city gc` must not run in between
        entries = []
        for path in sorted((home.path / FOLDER).glob("*.json")):
            data = path.read_bytes()
            entries.append(Entry("file", f"file:{FOLDER}/{path.name}", home.repo.add_blob(data), len(data)))
        publish(home, Collection(COLLECTION, entries))
    return request_id


def stored_payload(record: Record) -> dict[str, Any]:
    """What `records` keeps of a record: a screenshot without its image (kept in `display_screenshots`)."""
    if record.kind != "display_screenshot":
        return record.payload
    return {k: v for k, v in record.payload.items() if k != "jpeg"}


def store(conn: Connection, kiosk_id: str, record: Record, received_at: str) -> None:
    """Keep a checked `display_screenshot` as its display's newest, unless a newer one is kept already
    (inside the caller's transaction)."""
    payload = record.payload
    size = len(base64.b64decode(payload["jpeg"]))
    conn.execute(
        "INSERT INTO display_screenshots (kiosk_id, display, taken_at, received_at, request, bytes, jpeg) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, display) DO UPDATE SET "
        "taken_at = excluded.taken_at, received_at = excluded.received_at, request = excluded.request, "
        "bytes = excluded.bytes, jpeg = excluded.jpeg WHERE display_screenshots.taken_at <= excluded.taken_at",
        [kiosk_id, payload["display"], payload["taken_at"], received_at, payload.get("request", ""), size,
         payload["jpeg"]],
    )  # fmt: skip


@dataclass(frozen=True)
class Shot:
    display: str
    taken_at: str
    received_at: str
    bytes: int


def of_kiosk(conn: Connection, kiosk_id: str) -> list[Shot]:
    rows = conn.execute(
        "SELECT display, taken_at, received_at, bytes FROM display_screenshots WHERE kiosk_id = ? "
        "ORDER BY display",
        [kiosk_id],
    ).fetchall()
    return [Shot(*row) for row in rows]


def image(conn: Connection, kiosk_id: str, display: str) -> bytes | None:
    row = conn.execute(
        "SELECT jpeg FROM display_screenshots WHERE kiosk_id = ? AND display = ?", [kiosk_id, display]
    ).fetchone()
    return base64.b64decode(row[0]) if row else None


def pending_request(home: CityHome, kiosk_id: str) -> str:
    """When the kiosk's latest request was made ('' when none is published)."""
    try:
        return json.loads((home.path / FOLDER / f"{kiosk_id}.json").read_text(encoding="utf-8"))["at"]
    except (OSError, ValueError, KeyError):
        return ""
