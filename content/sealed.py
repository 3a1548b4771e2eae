"""Sealed boxes for disclosure applications: encrypted on the kiosk to the city's X25519 public key, opened
only with the city's private key (kept in the city home, never on a kiosk).

Why `cryptography` and not PyNaCl's SealedBox: it is already the project's one crypto dependency (the
channel's ed25519 signatures, the kiosks' credentials), its wheels exist for every platform the kiosk
runs on, and the construction is short enough to state here:

    ephemeral X25519 key pair e; shared = X25519(e, city public key)
    key = HKDF-SHA256(shared, salt = e.public ‖ city public, info = "zwgk-application-v1"), 32 bytes
    box = 0x01 ‖ e.public (32 bytes) ‖ ChaCha20-Poly1305(key, nonce = 12 zero bytes, plaintext, aad = info)

A fresh ephemeral key per box makes every key single-use, so the fixed nonce is safe; the kiosk keeps
nothing that could open a box once it is written. `key_id` names the city key a box was sealed to, so a
city that rotated its key picks the right private key.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from content.errors import ContentError
from translatable import Message

VERSION = b"\x01"
INFO = b"zwgk-application-v1"
_NONCE = bytes(12)


class SealedError(ContentError):
    """A box that cannot be opened with this key, or a key that is not one."""


def raw_public(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: X25519PublicKey) -> str:
    return hashlib.sha256(raw_public(public)).hexdigest()[:16]


def public_text(public: X25519PublicKey) -> str:
    """The public key as an enrolment carries it: base64 of the 32 raw bytes."""
    return base64.b64encode(raw_public(public)).decode()


def load_public(text: str) -> X25519PublicKey:
    try:
        raw = base64.b64decode(text, validate=True)
        return X25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError):
        raise SealedError(
            "the application key is not a base64 X25519 public key",
            Message("申请加密公钥格式不对，请重新登记一体机"),
        ) from None


def _key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=INFO).derive(shared)


def seal(public: X25519PublicKey, plaintext: bytes) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = raw_public(ephemeral.public_key())
    key = _key(ephemeral.exchange(public), ephemeral_raw, raw_public(public))
    return VERSION + ephemeral_raw + ChaCha20Poly1305(key).encrypt(_NONCE, plaintext, INFO)


def open_sealed(private: X25519PrivateKey, box: bytes) -> bytes:
    if len(box) < 1 + 32 + 16 or box[:1] != VERSION:
        raise SealedError("not a sealed application (version 1)", Message("不是可识别的加密申请"))
    ephemeral_raw = box[1:33]
    try:
        ephemeral = X25519PublicKey.from_public_bytes(ephemeral_raw)
        shared = private.exchange(ephemeral)
    except ValueError:
        raise SealedError("the box's ephemeral key is invalid", Message("加密申请已损坏")) from None
    key = _key(shared, ephemeral_raw, raw_public(private.public_key()))
    try:
        return ChaCha20Poly1305(key).decrypt(_NONCE, box[33:], INFO)
    except InvalidTag:
        raise SealedError(
            "the box was not sealed to this key or was altered",
            Message("加密申请无法用本密钥解开（密钥不符或内容被改动）"),
        ) from None
