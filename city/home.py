"""The city's home directory (`CITY_DATA_DIR` or `--home`): signing keys, settings, repository, database.

keys/<key-id>.pem      ed25519 private keys (0600); keys/current names the one that signs
keys/rotations.json    rotation records, carried in every root so old kiosks follow the chain
settings.json          channel id, public channel URL, upload URL
admin-token            bearer token for the fleet view (GET /v1/kiosks)
repo/                  the channel repository (what nginx or a CDN serves)
city.db                the database when it is SQLite (city/db.py; PostgreSQL by CITY_DATABASE_URL or
                       `database_url`): kiosks (and their credential: a public key or a token's hash),
                       uploaded records and their roll-ups, what is published
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from city.db import Connection, Database, database
from city.repo import Repo, write_atomic
from content.channel import Rotation, SigningKey, make_rotation, parse_rotation


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
    def __init__(self, path: Path | None = None, *, database_url: str | None = None):
        self.path = Path(path) if path else default_home()
        self._database_url = database_url
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

    def database_url(self) -> str:
        """`--database`, else CITY_DATABASE_URL, else the settings' `database_url`, else SQLite here."""
        return (
            self._database_url
            or os.environ.get("CITY_DATABASE_URL")
            or self.settings().get("database_url")
            or f"sqlite:///{self.path / 'city.db'}"
        )

    @property
    def database(self) -> Database:
        return database(self.database_url())

    def db(self) -> Connection:
        """A connection of the caller's own to the city's database (migrated; close it)."""
        return self.database.connect()
