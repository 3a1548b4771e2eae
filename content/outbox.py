"""The durable outbox: records the kiosk must deliver to the city, and their upload.

A record and its outbox row are written in ONE transaction in the library database (WAL,
`synchronous=FULL`), so a power cut keeps both or neither. Each row's UUID is the upload's
`Idempotency-Key`; the city stores each key once, so the kiosk may retry freely (at-least-once delivery,
duplicates dropped by the server). A failed row waits with exponential backoff.

The outbox is bounded: from 80 % of its capacity staff see a warning, and at the bound `add` refuses
with `OutboxFull` (the caller decides; nothing is dropped silently). Why not litequeue or
persist-queue: neither shares a transaction with the record it carries (see the reference §4).

A kiosk without network hands its rows over on a USB stick instead (content/outbox_file.py): the same
requests (`upload_request`) written to a file, and the rows leave the backlog once the file is on disk
(`mark_handed_over`), as they do after an acknowledged upload.
"""

from __future__ import annotations

import json
import logging
import random
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from content.channel import canonical_json, format_time
from content.credential import Credential, as_credential
from content.errors import ContentError
from content.store import Library
from content.transport import USER_AGENT, TransportSettings, proxy_url

log = logging.getLogger(__name__)


class OutboxFull(ContentError):
    """The outbox reached its bound: the record was not written."""


@dataclass
class Pending:
    id: str
    kind: str
    created_at: str
    payload: dict[str, Any]
    attempts: int


@dataclass
class OutboxStatus:
    pending: int
    capacity: int
    oldest: str | None
    failing: int
    last_error: str | None
    sent_total: int
    warning_zh: str | None
    exported_total: int = 0  # rows handed over on a USB stick (content/outbox_file.py)
    superseded_total: int = 0  # undelivered heartbeats replaced by a newer one (see `Outbox.add`)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _now() -> datetime:
    return datetime.now(UTC)


class Outbox:
    def __init__(self, library: Library, capacity: int = 10000, warn_ratio: float = 0.8):
        self.library = library
        self.capacity = capacity
        self.warn_ratio = warn_ratio

    def add(self, kind: str, payload: dict[str, Any], *, supersede: bool = False) -> str:
        """Write a record and its outbox row in one transaction; returns the record's UUID.

        With `supersede`, undelivered records of the same kind leave the outbox in that transaction (they
        stay in `records`, and `outbox.superseded_total` counts them): for a snapshot such as a heartbeat,
        where only the latest matters, so that a kiosk offline for months holds one, not thousands."""
        record_id = str(uuid.uuid4())
        created = format_time(_now())
        with self.library.transaction() as db:
            if supersede:
                replaced = db.execute(
                    "DELETE FROM outbox WHERE record_id IN (SELECT id FROM records WHERE kind = ?)", [kind]
                ).rowcount
                if replaced:
                    db.execute(
                        "INSERT INTO meta (key, value) VALUES ('outbox.superseded_total', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
                        [str(replaced)],
                    )
            pending = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
            if pending >= self.capacity:
                raise OutboxFull(
                    f"outbox holds {pending} records (bound {self.capacity}); {kind} record not written",
                    f"待上传记录已达上限 {self.capacity} 条，新的“{kind}”记录未能保存：请检查与市级平台的网络连接",
                )
            db.execute(
                "INSERT INTO records (id, kind, created_at, payload) VALUES (?, ?, ?, ?)",
                [record_id, kind, created, json.dumps(payload, ensure_ascii=False, sort_keys=True)],
            )
            db.execute(
                "INSERT INTO outbox (id, record_id, created_at) VALUES (?, ?, ?)",
                [record_id, record_id, created],
            )
        return record_id

    def due(self, limit: int = 100, now: datetime | None = None) -> list[Pending]:
        moment = format_time(now or _now())
        with self.library.transaction() as db:
            rows = db.execute(
                "SELECT o.id, r.kind, r.created_at, r.payload, o.attempts FROM outbox o JOIN records r ON r.id = o.record_id "
                "WHERE o.next_attempt_at <= ? ORDER BY o.created_at, o.rowid LIMIT ?",
                [moment, limit],
            ).fetchall()
        return [Pending(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows]

    def mark_sent(self, outbox_id: str) -> None:
        with self.library.transaction() as db:
            db.execute("DELETE FROM outbox WHERE id = ?", [outbox_id])
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('outbox.sent_total', '1') "
                "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )

    def pending_after(self, after: int = 0, limit: int = 1000) -> list[tuple[int, Pending]]:
        """Every pending row, due or waiting for a retry, with an outbox rowid above `after`, in rowid
        order, with its rowid: what a USB export hands over (content/outbox_file.py)."""
        with self.library.transaction() as db:
            rows = db.execute(
                "SELECT o.rowid, o.id, r.kind, r.created_at, r.payload, o.attempts FROM outbox o "
                "JOIN records r ON r.id = o.record_id WHERE o.rowid > ? ORDER BY o.rowid LIMIT ?",
                [after, limit],
            ).fetchall()
        return [(r[0], Pending(r[1], r[2], r[3], json.loads(r[4]), r[5])) for r in rows]

    def mark_handed_over(self, outbox_ids: list[str]) -> int:
        """Take rows out of the backlog that were delivered another way than an acknowledged upload: a USB
        export whose file is already on disk. One transaction; returns the rows removed."""
        removed = 0
        with self.library.transaction() as db:
            for start in range(0, len(outbox_ids), 500):
                chunk = outbox_ids[start : start + 500]
                removed += db.execute(
                    f"DELETE FROM outbox WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).rowcount
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('outbox.exported_total', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
                [str(removed)],
            )
        return removed

    def mark_failed(self, outbox_id: str, error: str, base: float = 30.0, cap: float = 6 * 3600.0) -> None:
        with self.library.transaction() as db:
            row = db.execute("SELECT attempts FROM outbox WHERE id = ?", [outbox_id]).fetchone()
            if row is None:
                return
            delay = min(cap, base * 2 ** row[0]) * random.uniform(0.5, 1.0)
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                [error[:500], format_time(_now() + timedelta(seconds=delay)), outbox_id],
            )

    def status(self) -> OutboxStatus:
        with self.library.transaction() as db:
            pending, oldest = db.execute("SELECT count(*), min(created_at) FROM outbox").fetchone()
            failing = db.execute("SELECT count(*) FROM outbox WHERE attempts > 0").fetchone()[0]
            last = db.execute(
                "SELECT last_error FROM outbox WHERE last_error != '' ORDER BY next_attempt_at DESC LIMIT 1"
            ).fetchone()
            sent = db.execute("SELECT value FROM meta WHERE key = 'outbox.sent_total'").fetchone()
            exported = db.execute("SELECT value FROM meta WHERE key = 'outbox.exported_total'").fetchone()
            superseded = db.execute("SELECT value FROM meta WHERE key = 'outbox.superseded_total'").fetchone()
        warning = None
        if pending >= self.capacity:
            warning = (
                f"待上传记录已达上限（{pending}/{self.capacity}），新记录无法保存，请尽快恢复与市级平台的连接"
            )
        elif pending >= self.warn_ratio * self.capacity:
            warning = f"待上传记录接近上限（{pending}/{self.capacity}），请检查与市级平台的网络连接"
        return OutboxStatus(
            pending,
            self.capacity,
            oldest,
            failing,
            last[0] if last else None,
            int(sent[0]) if sent else 0,
            warning,
            int(exported[0]) if exported else 0,
            int(superseded[0]) if superseded else 0,
        )


def upload_request(row: Pending, kiosk_id: str, credential: Credential) -> tuple[bytes, dict[str, str]]:
    """The body and headers that deliver `row` to POST /v1/outbox: what a USB export writes (the
    Uploader sends the same)."""
    body = canonical_json({"kind": row.kind, "created_at": row.created_at, "payload": row.payload})
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": row.id,
        "X-Kiosk-Id": kiosk_id,
        **credential.headers(kiosk_id, row.id, body),
    }
    return body, headers


@dataclass
class UploadReport:
    sent: int = 0
    duplicates: int = 0
    failed: int = 0
    refused: str | None = None  # the city refused this kiosk (unknown or revoked): zh message

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Uploader:
    """Uploads due outbox rows one by one, each authenticated with the kiosk's own credential: a
    signature by its ed25519 key or its bearer token (content/credential.py; a bare ed25519 private key
    is taken as the former)."""

    def __init__(
        self,
        outbox: Outbox,
        url: str,
        kiosk_id: str,
        credential: Credential | Ed25519PrivateKey,
        settings: TransportSettings | None = None,
        *,
        backoff: float = 30.0,
        give_up_after: int = 3,
    ):
        self.outbox = outbox
        self.url = url
        self.kiosk_id = kiosk_id
        self.credential = as_credential(credential)
        self.backoff = backoff
        self.give_up_after = give_up_after  # consecutive failures that end a round (the link is down)
        settings = settings or TransportSettings()
        verify: Any = True
        if settings.ca_bundle:
            import ssl

            verify = ssl.create_default_context(cafile=settings.ca_bundle)
        self.client = httpx.Client(
            verify=verify,
            proxy=proxy_url(settings),
            timeout=settings.timeout,
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self.client.close()

    def upload(self, limit: int = 1000) -> UploadReport:
        report = UploadReport()
        streak = 0
        for row in self.outbox.due(limit):
            body = canonical_json({"kind": row.kind, "created_at": row.created_at, "payload": row.payload})
            headers = {
                "Content-Type": "application/json",
                "Idempotency-Key": row.id,
                "X-Kiosk-Id": self.kiosk_id,
                **self.credential.headers(self.kiosk_id, row.id, body),
            }
            try:
                response = self.client.post(self.url, content=body, headers=headers)
            except httpx.TransportError as exc:
                self.outbox.mark_failed(row.id, f"{type(exc).__name__}: {exc}", self.backoff)
                report.failed += 1
                streak += 1
                if streak >= self.give_up_after:
                    break
                continue
            status = response.status_code
            if status in (200, 201):
                self.outbox.mark_sent(row.id)
                report.sent += status == 201
                report.duplicates += status == 200
                streak = 0
            elif status in (401, 403):
                report.refused = (
                    "市级平台拒绝了本机的上传（未登记或已被吊销），记录保留在本机，请联系市级管理员"
                    if status == 403
                    else "市级平台拒绝了本机的凭据（可能已重新登记，需安装新的登记文件），记录保留在本机，"
                    "请联系市级管理员"
                )
                log.warning("upload refused: HTTP %s %s", status, response.text[:200])
                break
            else:
                self.outbox.mark_failed(row.id, f"HTTP {status}", self.backoff)
                report.failed += 1
                streak += 1
                if streak >= self.give_up_after:
                    break
        return report
