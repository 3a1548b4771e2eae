"""The city's home directory (`CITY_DATA_DIR` or `--home`): signing keys, settings, repository, database.

keys/<key-id>.pem      ed25519 private keys (0600); keys/current names the one that signs
keys/rotations.json    rotation records, carried in every root so old kiosks follow the chain
settings.json          channel id, public channel URL, upload URL
admin-token            bearer token for the fleet view (GET /v1/kiosks)
repo/                  the channel repository (what nginx or a CDN serves)
city.db                kiosks (and their credential: a public key or a token's hash), uploaded records,
                       what is published
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any

from city.repo import Repo, write_atomic
from content.channel import Rotation, SigningKey, make_rotation, parse_rotation

SCHEMA = """
CREATE TABLE IF NOT EXISTS kiosks (
    id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    credential TEXT NOT NULL DEFAULT 'ed25519',
    token_sha256 TEXT NOT NULL DEFAULT '',
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT NOT NULL DEFAULT '',
    last_seen TEXT NOT NULL DEFAULT '',
    channel_version INTEGER,
    software_version TEXT NOT NULL DEFAULT '',
    faults TEXT NOT NULL DEFAULT '[]',
    content_stale_since TEXT NOT NULL DEFAULT '',
    outbox_pending INTEGER
);
CREATE TABLE IF NOT EXISTS records (
    kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
    idempotency_key TEXT NOT NULL,
    body_sha256 TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, idempotency_key)
);
CREATE TABLE IF NOT EXISTS published (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    collection TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS published_collection ON published (collection);
"""
# Columns added after the first release: (table, column, definition). A database made before them gets
# them on first open; every kiosk enrolled then had an ed25519 key, which is what the defaults say.
ADDED_COLUMNS = (
    ("kiosks", "credential", "TEXT NOT NULL DEFAULT 'ed25519'"),
    ("kiosks", "token_sha256", "TEXT NOT NULL DEFAULT ''"),
)
# Records were first keyed by the Idempotency-Key alone (one key space for the whole city) and kept no
# hash of the body: such a table is rebuilt keyed per kiosk, its rows with an empty hash (city/fleet.py
# compares their stored record instead).
RECORDS_PER_KIOSK = """
CREATE TABLE records_per_kiosk (
    kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
    idempotency_key TEXT NOT NULL,
    body_sha256 TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, idempotency_key)
);
INSERT INTO records_per_kiosk (kiosk_id, idempotency_key, kind, created_at, received_at, payload)
    SELECT kiosk_id, idempotency_key, kind, created_at, received_at, payload FROM records;
DROP TABLE records;
ALTER TABLE records_per_kiosk RENAME TO records;
"""


class CityError(Exception):
    """A city command that cannot go on (English message; `.zh` for the operator)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def default_home() -> Path:
    env = os.environ.get("CITY_DATA_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "zwgk-city"


class CityHome:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else default_home()
        self.path.mkdir(parents=True, exist_ok=True)

    @property
    def repo(self) -> Repo:
        return Repo(self.path / "repo")

    # --- settings --------------------------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        target = self.path / "settings.json"
        return json.loads(target.read_text("utf-8")) if target.exists() else {}

    def save_settings(self, **values: Any) -> dict[str, Any]:
        settings = {**self.settings(), **{k: v for k, v in values.items() if v is not None}}
        write_atomic(self.path / "settings.json", json.dumps(settings, ensure_ascii=False, indent=1).encode())
        return settings

    def channel(self) -> str:
        channel = self.settings().get("channel")
        if not channel:
            raise CityError(
                "no channel yet: run `city keygen --channel ID` first", "尚未创建频道：请先执行 city keygen"
            )
        return channel

    # --- keys ------------------------------------------------------------------------------------

    @property
    def keys_dir(self) -> Path:
        return self.path / "keys"

    def has_key(self) -> bool:
        return (self.keys_dir / "current").exists()

    def current_key(self) -> SigningKey:
        if not self.has_key():
            raise CityError("no signing key: run `city keygen` first", "尚无签名密钥：请先执行 city keygen")
        kid = (self.keys_dir / "current").read_text().strip()
        return SigningKey.from_pem((self.keys_dir / f"{kid}.pem").read_bytes())

    def rotations(self) -> list[Rotation]:
        target = self.keys_dir / "rotations.json"
        return [parse_rotation(r) for r in json.loads(target.read_text())] if target.exists() else []

    def keygen(self, *, rotate: bool = False) -> tuple[SigningKey, Rotation | None]:
        """Make the signing key; with `rotate`, a new one introduced by a record the old key signs."""
        if self.has_key() and not rotate:
            raise CityError(
                "a signing key exists already (use --rotate to replace it)",
                "签名密钥已存在（如需更换请加 --rotate）",
            )
        if rotate and not self.has_key():
            raise CityError("no key to rotate", "尚无可轮换的密钥")
        key = SigningKey.generate()
        rotation = None
        if rotate:
            rotation = make_rotation(self.channel(), self.current_key(), key.public)
            records = [r.to_json() for r in self.rotations()] + [rotation.to_json()]
            write_atomic(self.keys_dir / "rotations.json", json.dumps(records, indent=1).encode())
        self.keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = self.keys_dir / f"{key.key_id}.pem"
        fd = os.open(pem, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.to_pem())
        write_atomic(self.keys_dir / "current", key.key_id.encode())
        if not (self.path / "admin-token").exists():
            fd = os.open(self.path / "admin-token", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(32))
        return key, rotation

    def trusted_keys(self) -> dict[str, str]:
        """What an enrolment pins: the current public key."""
        key = self.current_key()
        return {key.key_id: key.public_hex}

    def admin_token(self) -> str:
        return (self.path / "admin-token").read_text().strip()

    # --- database --------------------------------------------------------------------------------

    def db(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path / "city.db", isolation_level=None, timeout=30, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        _upgrade(conn)
        return conn


def _upgrade(conn: sqlite3.Connection) -> None:
    """Bring an older database up to SCHEMA (under a write lock: servers open connections per thread)."""

    def missing() -> list[tuple[str, str, str]]:
        have = {
            (t, row[1])
            for t in {a[0] for a in ADDED_COLUMNS}
            for row in conn.execute(f"PRAGMA table_info({t})")
        }
        return [added for added in ADDED_COLUMNS if added[:2] not in have]

    def global_keys() -> bool:
        return "body_sha256" not in {row[1] for row in conn.execute("PRAGMA table_info(records)")}

    if not missing() and not global_keys():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table, column, definition in missing():
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
        if global_keys():
            for statement in RECORDS_PER_KIOSK.split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
