"""The city's kiosks: enrolment, revocation, the records they upload and the fleet view built from them.

Each kiosk gets its own credential at enrolment (`content.credential`): an ed25519 key pair, of which the
city keeps only the public half, or a random bearer token, of which it keeps only the SHA-256. An upload
is accepted only with the kind of credential the kiosk was enrolled with; enrolling a kiosk again (after
`city revoke`) replaces its credential, so the old one stops working. What can be decided from the
headers (the kiosk, a token) is, before the body is read. An upload is stored at most once per kiosk and
Idempotency-Key, with the SHA-256 of its body: an exact replay is a duplicate (200), another body under a
used key is refused (422, as the IETF Idempotency-Key draft does), so a kiosk may retry as often as its
link requires and no record is lost to a reused key; another kiosk's keys are not this kiosk's. A record
must fit its kind's declared schema (content/record_schema.py). The key is the table's unique
constraint, so two workers of `city serve --workers N` receiving the same upload at once store it once.
A stored record is counted in the daily roll-ups (city/rollup.py) in the same transaction; a heartbeat
also updates the kiosk's row in the fleet view and its device faults, each with when it was first
reported; a display's screenshot is kept as its newest (city/screenshots.py). Kiosks belong to a county
and a township (`city enrol --county --township`), which the roll-ups and the dashboard group by.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from city import application_key, rollup, screenshots
from city.db import Connection
from city.home import CityError, CityHome
from content import credential as credentials
from content.application_code import kiosk_code
from content.channel import format_time, load_public, public_hex, sha256_hex, upload_message
from content.record_schema import Record, RecordInvalid, parse_record

ENROLMENT_TYPE = "zwgk-enrolment"
KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def now_text() -> str:
    return format_time(datetime.now(UTC))


def _check_id(kiosk_id: str) -> None:
    if not KIOSK_ID.fullmatch(kiosk_id):
        raise CityError(
            f"kiosk id {kiosk_id!r} must be letters, digits, '-', '_' or '.'",
            f"一体机编号“{kiosk_id}”只能包含字母、数字、-、_ 和 .",
        )


def _check_number_codes(conn: Connection, kiosk_ids: list[str]) -> None:
    """Refuse kiosks whose application number code (content.application_code) another kiosk, enrolled or
    revoked, holds already (its numbers are in the inbox), or another of `kiosk_ids` would hold."""
    asked = set(kiosk_ids)
    holders = {
        kiosk_code(other): other
        for (other,) in conn.execute("SELECT id FROM kiosks").fetchall()
        if other not in asked
    }
    for kiosk_id in kiosk_ids:
        code = kiosk_code(kiosk_id)
        other = holders.setdefault(code, kiosk_id)
        if other != kiosk_id:
            raise CityError(
                f"kiosk {kiosk_id}: its application number code {code} is kiosk {other}'s already; "
                "choose another kiosk id",
                f"一体机 {kiosk_id} 的申请编号代码 {code} 与一体机 {other} 相同，"
                "两台一体机的申请编号会重复，请换一个一体机编号",
            )


def _check_area(county: str, township: str) -> None:
    for name, value in (("county", county), ("township", township)):
        if len(value) > 64 or any(ord(c) < 32 or c in "<>&\"'" for c in value):
            raise CityError(
                f"--{name} must be at most 64 characters without control characters or <>&\"'",
                f"{'县（市、区）' if name == 'county' else '乡镇（街道）'}名称不能超过 64 个字符，且不能含有控制字符或 <>&\"'",
            )


def enrol(
    home: CityHome,
    kiosk_id: str,
    *,
    channel_url: str,
    upload_url: str,
    credential: str = credentials.ED25519,
    county: str = "",
    township: str = "",
) -> dict[str, Any]:
    """Register a kiosk and return its enrolment document (which holds its private key or token: hand it
    over on a USB stick or through the installer, never by e-mail). `credential` is "ed25519" or "token";
    `county` and `township` place it for the roll-ups and the dashboard."""
    _check_id(kiosk_id)
    _check_area(county, township)
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
        _check_number_codes(conn, [kiosk_id])
        conn.execute(
            "INSERT INTO kiosks (id, public_key, credential, token_sha256, enrolled_at, county, township) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET public_key = excluded.public_key, "
            "credential = excluded.credential, token_sha256 = excluded.token_sha256, "
            "enrolled_at = excluded.enrolled_at, revoked_at = '', county = excluded.county, "
            "township = excluded.township",
            [kiosk_id, public_key, credential, token_sha256, now_text(), county, township],
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
        **({"application_key": entry} if (entry := application_key.enrolment_entry(home)) else {}),
        "credential": secret,
        "issued": now_text(),
    }


def enrol_tokens(home: CityHome, kiosks: list[tuple[str, str, str]]) -> dict[str, str]:
    """Enrol many new kiosks with tokens at once: (id, county, township) each; returns each one's token.
    For provisioning a batch (a county's rollout, the load benchmark); none may be enrolled already."""
    for kiosk_id, county, township in kiosks:
        _check_id(kiosk_id)
        _check_area(county, township)
    tokens = {kiosk_id: credentials.new_token() for kiosk_id, _, _ in kiosks}
    enrolled = now_text()
    with home.db() as conn, conn.transaction():
        _check_number_codes(conn, [kiosk_id for kiosk_id, _, _ in kiosks])
        conn.executemany(
            "INSERT INTO kiosks (id, public_key, credential, token_sha256, enrolled_at, county, township) "
            "VALUES (?, '', ?, ?, ?, ?, ?)",
            [
                (kiosk_id, credentials.TOKEN, credentials.token_digest(tokens[kiosk_id]), enrolled, c, t)
                for kiosk_id, c, t in kiosks
            ],
        )
    return tokens


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


def kiosk_key(conn: Connection, kiosk_id: str):
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
    conn: Connection,
    kiosk_id: str,
    idempotency_key: str,
    body: bytes | None,
    *,
    signature: str = "",
    bearer: str = "",
) -> Refusal | None:
    """Check an upload against the credential `kiosk_id` was enrolled with; None when it passes.

    `signature` is the X-Kiosk-Signature header (base64), `bearer` the token of an
    `Authorization: Bearer` header. Only the kind the kiosk was enrolled with counts: a token kiosk
    cannot sign its way in and an ed25519 kiosk cannot present a token. With `body` None, only what the
    headers decide (the kiosk, its token, the signature's form) is checked: before the body is read."""
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
            raw = base64.b64decode(signature, validate=True)
            if len(raw) != 64:
                raise ValueError
            if body is not None:
                load_public(public_key).verify(raw, upload_message(kiosk_id, idempotency_key, body))
            return None
        except (InvalidSignature, ValueError):
            return Refusal(401, "bad signature")
    return Refusal(401, "no usable credential on record for this kiosk")


@dataclass(frozen=True)
class Received:
    """What became of an authenticated upload: stored (201), a duplicate (200) or refused (422)."""

    stored: bool
    error: str = ""
    error_zh: str = ""


def _same_as_stored(row: tuple, digest: str, body: bytes) -> bool:
    """Whether `body` is the one stored under its key. Rows from before hashes were kept are compared by
    their record (kind, created_at and payload as the city stored them)."""
    if row[0]:
        return row[0] == digest
    try:
        record = parse_record(body)
    except RecordInvalid:
        return False
    return (record.kind, record.created_at, json.dumps(record.payload, ensure_ascii=False)) == tuple(row[1:])


def receive(conn: Connection, kiosk_id: str, key: str, body: bytes) -> Received:
    """Store an authenticated upload once per (kiosk, key) if its record fits its kind's schema."""
    digest = sha256_hex(body)
    try:
        record: Record | None = parse_record(body)
        invalid = None
    except RecordInvalid as exc:
        record, invalid = None, exc
    with conn.transaction():
        # Inserting first (the key's conflict leaves the row alone) saves a look-up on every new record;
        # only a replay, a refused record or a reused key reads what is stored under the key.
        if record is not None and store_record(conn, kiosk_id, key, record, digest):
            conn.execute(
                "UPDATE kiosks SET last_seen = ?, records_stored = records_stored + 1 WHERE id = ?",
                [now_text(), kiosk_id],
            )
            return Received(True)
        stored = _stored(conn, kiosk_id, key)
        conn.execute("UPDATE kiosks SET last_seen = ? WHERE id = ?", [now_text(), kiosk_id])
        if stored is None:
            return Received(False, str(invalid), invalid.zh)
        if _same_as_stored(stored, digest, body):
            return Received(False)
        return Received(
            False,
            "Idempotency-Key already used by this kiosk for a different body; nothing stored",
            "本机已用该记录编号上传过另一条内容不同的记录，这条未保存",
        )


def _stored(conn: Connection, kiosk_id: str, key: str) -> tuple | None:
    return conn.execute(
        "SELECT body_sha256, kind, created_at, payload FROM records WHERE kiosk_id = ? AND idempotency_key = ?",
        [kiosk_id, key],
    ).fetchone()


def store_record(conn: Connection, kiosk_id: str, key: str, record: Record, body_sha256: str) -> bool:
    """Insert a checked record unless its key is stored already (inside the caller's transaction); count
    it in the roll-ups. A heartbeat also updates the fleet view. False when the key was taken."""
    inserted = conn.execute(
        "INSERT INTO records (kiosk_id, idempotency_key, body_sha256, kind, created_at, received_at, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, idempotency_key) DO NOTHING RETURNING seq",
        [
            kiosk_id,
            key,
            body_sha256,
            record.kind,
            record.created_at,
            now_text(),
            json.dumps(screenshots.stored_payload(record), ensure_ascii=False),
        ],
    ).fetchone()
    if inserted is None:
        return False
    rollup.count(conn, kiosk_id, record.kind, record.created_at, record.payload)
    if record.kind == "display_screenshot":
        screenshots.store(conn, kiosk_id, record, now_text())
    if record.kind == "heartbeat":
        payload = record.payload
        conn.execute(
            "UPDATE kiosks SET channel_version = ?, software_version = ?, faults = ?, content_stale_since = ?, "
            "outbox_pending = ? WHERE id = ?",
            [
                payload.get("channel_version"),
                payload["software_version"],
                json.dumps(payload.get("faults", []), ensure_ascii=False),
                payload.get("content_stale_since") or "",
                payload.get("outbox_pending"),
                kiosk_id,
            ],
        )
        _faults(conn, kiosk_id, set(payload.get("faults", [])))
    return True


def _faults(conn: Connection, kiosk_id: str, now: set[str]) -> None:
    """Keep each fault the kiosk reports with when it was first reported; forget those it no longer does."""
    known = {row[0] for row in conn.execute("SELECT fault FROM kiosk_faults WHERE kiosk_id = ?", [kiosk_id])}
    for fault in known - now:
        conn.execute("DELETE FROM kiosk_faults WHERE kiosk_id = ? AND fault = ?", [kiosk_id, fault])
    since = now_text()
    for fault in sorted(now - known):
        conn.execute(
            "INSERT INTO kiosk_faults (kiosk_id, fault, since) VALUES (?, ?, ?)", [kiosk_id, fault, since]
        )


def fleet(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT id, enrolled_at, revoked_at, last_seen, channel_version, software_version, faults, "
        "content_stale_since, outbox_pending, records_stored, credential, county, township FROM kiosks "
        "ORDER BY id"
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
            "county": r[11],
            "township": r[12],
        }
        for r in rows
    ]
