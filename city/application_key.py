"""The city's key pair for disclosure applications: kiosks seal each application to its public key
(content/sealed.py), and only the city, holding the private key here, opens them.

keys/applications/<key-id>.pem   X25519 private keys (PKCS#8, 0600), every one ever made: an application
                                 sealed to an older key must still open after a rotation
keys/applications/current        the key id enrolments hand out

`city keygen` makes it with the signing key (or alone, `--application-key`, for a city made before it
existed; with `--rotate` a new one becomes current and the old ones stay). Enrolment carries the current
public key to the kiosk (city/fleet.py); a kiosk enrolled before a rotation keeps sealing to the old
key, which still opens.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from city.home import CityError, CityHome
from city.repo import write_atomic
from content import sealed


def folder(home: CityHome) -> Path:
    return home.keys_dir / "applications"


def exists(home: CityHome) -> bool:
    return (folder(home) / "current").exists()


def make(home: CityHome, *, rotate: bool = False) -> str:
    """Make the application key (a new current one with `rotate`); returns its key id."""
    if exists(home) and not rotate:
        raise CityError(
            "an application key exists already (use --rotate to replace it)",
            "申请加密密钥已存在（如需更换请加 --rotate）",
        )
    key = X25519PrivateKey.generate()
    kid = sealed.key_id(key.public_key())
    folder(home).mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(folder(home) / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    write_atomic(folder(home) / "current", kid.encode())
    return kid


def private_keys(home: CityHome) -> dict[str, X25519PrivateKey]:
    """Every application key by id: what opens the boxes (`content.sealed.open_sealed`)."""
    keys = {}
    for path in sorted(folder(home).glob("*.pem")):
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, X25519PrivateKey):
            raise CityError(f"{path} is not an X25519 key", f"{path.name} 不是申请加密密钥")
        keys[path.stem] = key
    return keys


def enrolment_entry(home: CityHome) -> dict[str, str] | None:
    """What an enrolment carries to the kiosk: the current public key and its id (None before keygen)."""
    if not exists(home):
        return None
    kid = (folder(home) / "current").read_text().strip()
    public = private_keys(home)[kid].public_key()
    return {"key_id": kid, "public_key": sealed.public_text(public)}
