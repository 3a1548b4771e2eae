"""The city's kiosks: enrolment, revocation, the records they upload and the fleet view built from them.

Each kiosk gets its own credential at enrolment (`content.credential`): an ed25519 key pair, of which the
city keeps only the public half, or a random bearer token, of which it keeps only the SHA-256. An upload
is accepted only with the kind of credential the kiosk was enrolled with; enrolling a kiosk again (after
`city revoke`) replaces its credential, so the old one stops working. An upload is stored at most once
per Idempotency-Key (`INSERT … ON CONFLICT DO NOTHING`), so a kiosk may retry as often as its link
requires. A heartbeat record also updates the kiosk's row in the fleet view.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from city.home import CityError, CityHome
from content import credential as credentials
from content.channel import format_time, load_public, public_hex, upload_message

ENROLMENT_TYPE = "zwgk-enrolment"
KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def now_text() -> str:
    return format_time(datetime.now(UTC))


def enrol(
    home: CityHome, kiosk_id: str, *, channel_url: str, upload_url: str, credential: str = credentials.ED25519
) -> dict[str, Any]:
    """Register a kiosk and return its enrolment document (which holds its private key or token: hand it
    over on a USB stick or through the installer, never by e-mail). `credential` is "ed25519" or "token"."""
    if not KIOSK_ID.fullmatch(kiosk_id):
        raise CityError(
            f"kiosk id {kiosk_id!r} must be letters, digits, '-', '_' or '.'",
            f"一体机编号“{kiosk_id}”只能包含字母、数字、-、_ 和 .",
        )
    if credential == credentials.TOKEN:
        token = credentials.new_token()
        public_key, token_sha256 = "", credentials.token_digest(token)
        secret = {"type": credentials.TOKEN, "token": token}
    elif credential == credentials.ED25519:
        private = Ed25519PrivateKey.generate()
        raw = private.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        public_key, token_sha256 = public_hex(private.public_key()), ""
        secret = {"type": credentials.ED25519, "private_key": base64.b64encode(raw).decode()}
    else:
        raise CityError(
            f"unknown credential type {credential!r} (ed25519 or token)",
            f"未知的凭据类型“{credential}”（应为 ed25519 或 token）",
        )
    conn = home.db()
    try:
        row = conn.execute("SELECT revoked_at FROM kiosks WHERE id = ?", [kiosk_id]).fetchone()
        if row and not row[0]:
            raise CityError(
                f"kiosk {kiosk_id} is enrolled already (revoke it first to re-enrol)",
                f"一体机 {kiosk_id} 已登记（如需重新登记请先吊销）",
            )
        conn.execute(
            "INSERT INTO kiosks (id, public_key, credential, token_sha256, enrolled_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET public_key = excluded.public_key, credential = excluded.credential, "
            "token_sha256 = excluded.token_sha256, enrolled_at = excluded.enrolled_at, revoked_at = ''",
            [kiosk_id, public_key, credential, token_sha256, now_text()],
        )
    finally:
        conn.close()
    return {
        "type": ENROLMENT_TYPE,
        "format": 1,
        "kiosk_id": kiosk_id,
        "channel": home.channel(),
        "channel_url": channel_url,
        "upload_url": upload_url,
        "trusted_keys": home.trusted_keys(),
        "credential": secret,
        "issued": now_text(),
    }


def revoke(home: CityHome, kiosk_id: str) -> None:
    conn = home.db()
    try:
        cursor = conn.execute(
            "UPDATE kiosks SET revoked_at = ? WHERE id = ? AND revoked_at = ''", [now_text(), kiosk_id]
        )
        if not cursor.rowcount:
            raise CityError(f"no enrolled kiosk {kiosk_id}", f"没有已登记的一体机 {kiosk_id}")
    finally:
        conn.close()


def kiosk_key(conn: sqlite3.Connection, kiosk_id: str):
    """The public key of an enrolled, unrevoked ed25519 kiosk, or None (also for a token kiosk)."""
    row = conn.execute(
        "SELECT public_key, revoked_at, credential FROM kiosks WHERE id = ?", [kiosk_id]
    ).fetchone()
    if row is None or row[1] or row[2] != credentials.ED25519:
        return None
    return load_public(row[0])


@dataclass(frozen=True)
class Refusal:
    """Why an upload is refused: 403 for an unknown or revoked kiosk, 401 for a wrong credential."""

    status: int
    error: str


def authenticate(
    conn: sqlite3.Connection,
    kiosk_id: str,
    idempotency_key: str,
    body: bytes,
    *,
    signature: str = "",
    bearer: str = "",
) -> Refusal | None:
    """Check an upload against the credential `kiosk_id` was enrolled with; None when it passes.

    `signature` is the X-Kiosk-Signature header (base64), `bearer` the token of an
    `Authorization: Bearer` header. Only the kind the kiosk was enrolled with counts: a token kiosk
    cannot sign its way in and an ed25519 kiosk cannot present a token."""
    row = conn.execute(
        "SELECT public_key, credential, token_sha256, revoked_at FROM kiosks WHERE id = ?", [kiosk_id]
    ).fetchone()
    if row is None or row[3]:
        return Refusal(403, "unknown or revoked kiosk")
    public_key, kind, token_sha256 = row[0], row[1], row[2]
    if kind == credentials.TOKEN:
        if credentials.token_matches(bearer, token_sha256):
            return None
        return Refusal(401, "bad token" if bearer else "this kiosk must present its token")
    if kind == credentials.ED25519 and public_key:
        try:
            load_public(public_key).verify(
                base64.b64decode(signature, validate=True), upload_message(kiosk_id, idempotency_key, body)
            )
            return None
        except (InvalidSignature, ValueError):
            return Refusal(401, "bad signature")
    return Refusal(401, "no usable credential on record for this kiosk")


def store_record(conn: sqlite3.Connection, kiosk_id: str, key: str, record: dict[str, Any]) -> bool:
    """Store an uploaded record once; True if new. A heartbeat also updates the fleet view."""
    now = now_text()
    conn.execute("BEGIN IMMEDIATE")
    try:
        cursor = conn.execute(
            "INSERT INTO records (idempotency_key, kiosk_id, kind, created_at, received_at, payload) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(idempotency_key) DO NOTHING",
            [
                key,
                kiosk_id,
                record["kind"],
                record["created_at"],
                now,
                json.dumps(record["payload"], ensure_ascii=False),
            ],
        )
        conn.execute("UPDATE kiosks SET last_seen = ? WHERE id = ?", [now, kiosk_id])
        if record["kind"] == "heartbeat" and cursor.rowcount:
            payload = record["payload"]
            conn.execute(
                "UPDATE kiosks SET channel_version = ?, software_version = ?, faults = ?, content_stale_since = ?, "
                "outbox_pending = ? WHERE id = ?",
                [
                    payload.get("channel_version"),
                    str(payload.get("software_version", "")),
                    json.dumps(payload.get("faults", []), ensure_ascii=False),
                    payload.get("content_stale_since") or "",
                    payload.get("outbox_pending"),
                    kiosk_id,
                ],
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return bool(cursor.rowcount)


def fleet(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT k.id, k.enrolled_at, k.revoked_at, k.last_seen, k.channel_version, k.software_version, k.faults, "
        "k.content_stale_since, k.outbox_pending, (SELECT count(*) FROM records r WHERE r.kiosk_id = k.id), "
        "k.credential FROM kiosks k ORDER BY k.id"
    ).fetchall()
    return [
        {
            "id": r[0],
            "enrolled_at": r[1],
            "revoked": bool(r[2]),
            "last_seen": r[3] or None,
            "channel_version": r[4],
            "software_version": r[5] or None,
            "faults": json.loads(r[6]),
            "content_stale_since": r[7] or None,
            "outbox_pending": r[8],
            "records": r[9],
            "credential": r[10],  # the kind only ("ed25519" or "token"), never a secret
        }
        for r in rows
    ]
