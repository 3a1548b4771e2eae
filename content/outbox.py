"""The durable outbox: records the kiosk must deliver to the city, and their upload.

A record and its outbox row are written in ONE transaction in the library database (WAL,
`synchronous=FULL`), so a power cut keeps both or neither. Each row's UUID is the upload's
`Idempotency-Key`; the city stores each key once per kiosk, with the body's hash, so the kiosk may retry
freely (at-least-once delivery, duplicates dropped by the server). A failed row waits with exponential backoff.

Every record is checked against its kind's declared schema (content/record_schema.py) before it is
written, and the city checks it again. A record the city refuses for what it is (422, or 413 for one
over its size cap) would be refused on every retry: it leaves the retry loop for `outbox_refused` with
the city's reason, kept, counted by `status()` (`kiosk outbox status`, the staff screen's warning) and
listed by `refused()`; `retry_refused()` puts it back once the cause is fixed. Nothing is dropped.

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

from content.channel import format_time
from content.credential import Credential, as_credential
from content.errors import ContentError, Message
from content.record_schema import check_payload, record_body
from content.store import Library
from content.transport import USER_AGENT, TransportSettings, proxy_url, tls_verify

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
class Refused:
    """A record the city refused for what it is, kept out of the retry loop with the city's reason."""

    id: str
    kind: str
    created_at: str
    payload: dict[str, Any]
    attempts: int
    status: int
    reason: str
    reason_zh: str
    refused_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    refused: int = 0  # records the city refused as invalid, out of the retry loop (`Outbox.refused`)
    last_refusal: str | None = None  # the city's reason for the latest of them (zh when it gave one)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _now() -> datetime:
    return datetime.now(UTC)


class Outbox:
    def __init__(self, library: Library, capacity: int = 10000, warn_ratio: float = 0.8):
        self.library = library
        self.capacity = capacity
        self.warn_ratio = warn_ratio

    def add(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        supersede: bool = False,
        record_id: str | None = None,
        created_at: datetime | None = None,
    ) -> str:
        """Write a record and its outbox row in one transaction; returns the record's UUID.

        With `supersede`, undelivered records of the same kind leave the outbox in that transaction (they
        stay in `records`, and `outbox.superseded_total` counts them): for a snapshot such as a heartbeat,
        where only the latest matters, so that a kiosk offline for months holds one, not thousands.
        A payload that does not fit `kind`'s declared schema raises `RecordInvalid` and nothing is written.

        `record_id` and `created_at` carry a record made earlier elsewhere (kiosk/usage.py stages records
        in its own database first): a `record_id` already in `records` is not written again."""
        check_payload(kind, payload)
        record_id = record_id or str(uuid.uuid4())
        created = format_time(created_at or _now())
        with self.library.transaction() as db:
            if db.execute("SELECT 1 FROM records WHERE id = ?", [record_id]).fetchone():
                return record_id
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
                    Message(
                        "待上传记录已达上限 {capacity} 条，新的“{kind}”记录未能保存：请检查与市级平台的网络连接",
                        capacity=self.capacity,
                        kind=kind,
                    ),
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

    def refuse(self, outbox_id: str, status: int, reason: str, reason_zh: str = "") -> None:
        """Move a row the city refused for what it is (422, 413) out of the retry loop, with the reason."""
        with self.library.transaction() as db:
            row = db.execute(
                "SELECT record_id, created_at, attempts FROM outbox WHERE id = ?", [outbox_id]
            ).fetchone()
            if row is None:
                return
            db.execute(
                "INSERT INTO outbox_refused (id, record_id, created_at, attempts, status, reason, reason_zh, "
                "refused_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    outbox_id,
                    row[0],
                    row[1],
                    row[2] + 1,
                    status,
                    reason[:500],
                    reason_zh[:500],
                    format_time(_now()),
                ],
            )
            db.execute("DELETE FROM outbox WHERE id = ?", [outbox_id])

    def refused(self, limit: int = 100) -> list[Refused]:
        """The records the city refused, newest first: for staff and `kiosk outbox status`."""
        with self.library.transaction() as db:
            rows = db.execute(
                "SELECT d.id, r.kind, r.created_at, r.payload, d.attempts, d.status, d.reason, d.reason_zh, "
                "d.refused_at FROM outbox_refused d JOIN records r ON r.id = d.record_id "
                "ORDER BY d.refused_at DESC, d.rowid DESC LIMIT ?",
                [limit],
            ).fetchall()
        return [Refused(r[0], r[1], r[2], json.loads(r[3]), *r[4:]) for r in rows]

    def retry_refused(self, ids: list[str] | None = None) -> int:
        """Put refused records (all, or those of `ids`) back into the outbox, due now: after the city or
        this kiosk's software was corrected. Returns how many went back."""
        with self.library.transaction() as db:
            chosen = ids if ids is not None else [r[0] for r in db.execute("SELECT id FROM outbox_refused")]
            moved = 0
            for outbox_id in chosen:
                row = db.execute(
                    "SELECT record_id, created_at FROM outbox_refused WHERE id = ?", [outbox_id]
                ).fetchone()
                if row is None:
                    continue
                db.execute(
                    "INSERT INTO outbox (id, record_id, created_at) VALUES (?, ?, ?)", [outbox_id, *row]
                )
                db.execute("DELETE FROM outbox_refused WHERE id = ?", [outbox_id])
                moved += 1
        return moved

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
            refused = db.execute("SELECT count(*) FROM outbox_refused").fetchone()[0]
            refusal = db.execute(
                "SELECT reason, reason_zh FROM outbox_refused ORDER BY refused_at DESC, rowid DESC LIMIT 1"
            ).fetchone()
        last_refusal = (refusal[1] or refusal[0]) if refusal else None
        warning = None
        if pending >= self.capacity:
            warning = Message(
                "待上传记录已达上限（{pending}/{capacity}），新记录无法保存，请尽快恢复与市级平台的连接",
                pending=pending,
                capacity=self.capacity,
            )
        elif pending >= self.warn_ratio * self.capacity:
            warning = Message(
                "待上传记录接近上限（{pending}/{capacity}），请检查与市级平台的网络连接",
                pending=pending,
                capacity=self.capacity,
            )
        elif refused:
            warning = Message(
                "有 {count} 条记录被市级平台拒收（{reason}），已移出上传队列并保留在本机，请联系技术人员",
                count=refused,
                reason=last_refusal,
            )
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
            refused,
            last_refusal,
        )


def upload_request(row: Pending, kiosk_id: str, credential: Credential) -> tuple[bytes, dict[str, str]]:
    """The body and headers that deliver `row` to POST /v1/outbox: what a USB export writes (the
    Uploader sends the same)."""
    body = record_body(row.kind, row.created_at, row.payload)
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
    invalid: int = 0  # records the city refused for what they are: moved out of the retry loop

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
        self.client = httpx.Client(
            verify=tls_verify(settings),
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
            body, headers = upload_request(row, self.kiosk_id, self.credential)
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
                    Message("市级平台拒绝了本机的上传（未登记或已被吊销），记录保留在本机，请联系市级管理员")
                    if status == 403
                    else Message(
                        "市级平台拒绝了本机的凭据（可能已重新登记，需安装新的登记文件），记录保留在本机，"
                        "请联系市级管理员"
                    )
                )
                log.warning("upload refused: HTTP %s %s", status, response.text[:200])
                break
            elif status in (413, 422):
                reason, reason_zh = _reasons(response)
                self.outbox.refuse(row.id, status, reason, reason_zh)
                log.warning(
                    "record %s (%s) refused by the city: HTTP %s %s", row.id, row.kind, status, reason
                )
                report.invalid += 1
                streak = 0
            else:
                self.outbox.mark_failed(row.id, f"HTTP {status}", self.backoff)
                report.failed += 1
                streak += 1
                if streak >= self.give_up_after:
                    break
        return report


def _reasons(response: httpx.Response) -> tuple[str, str]:
    """The city's reason for refusing a record: English and, when it gave one, Chinese."""
    try:
        data = response.json()
        return str(data.get("error", ""))[:500], str(data.get("error_zh", ""))[:500]
    except (ValueError, AttributeError):
        return f"HTTP {response.status_code} {response.text[:200]}", ""
