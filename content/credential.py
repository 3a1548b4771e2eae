"""How a kiosk proves who it is to the city's upload API: its own ed25519 key, or a bearer token.

`city enrol` makes one of the two for each kiosk and writes it into the enrolment file:

- ``ed25519`` (the default): the kiosk signs its id, the upload's Idempotency-Key and the body
  (`X-Kiosk-Signature`); the city keeps only the public key.
- ``token`` (`city enrol --token`, for sites whose proxies or devices cannot do ed25519, e.g. a vendor
  terminal): a random 256-bit bearer token sent as `Authorization: Bearer …`; the city keeps only its
  SHA-256. A token does not protect the body, so it belongs on HTTPS.

The kiosk's Uploader asks its credential for each upload's headers; the city checks whichever credential
that kiosk was enrolled with (`city.fleet.authenticate`). Neither object shows its secret in `repr()`,
so a credential that ends up in a log line or a traceback gives nothing away.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from content.channel import upload_message

ED25519 = "ed25519"
TOKEN = "token"
KINDS = (ED25519, TOKEN)
TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 256 random bits, 43 characters
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43,256}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What the city stores for a token kiosk.

    One SHA-256 is enough here: the token is 256 random bits, so nobody can guess it back from its hash,
    and a slow password hash (scrypt, argon2) only helps with secrets people choose. It would cost CPU
    on every upload and buy nothing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, digest: str) -> bool:
    """Whether a presented token is the one whose digest the city stored (constant-time comparison)."""
    return bool(token) and bool(digest) and hmac.compare_digest(token_digest(token), digest)


class SignatureCredential:
    """An ed25519 kiosk: each upload carries a signature over kiosk id, Idempotency-Key and body."""

    kind = ED25519
    __slots__ = ("_key",)

    def __init__(self, private_key: Ed25519PrivateKey):
        self._key = private_key

    def headers(self, kiosk_id: str, idempotency_key: str, body: bytes) -> dict[str, str]:
        signature = self._key.sign(upload_message(kiosk_id, idempotency_key, body))
        return {"X-Kiosk-Signature": base64.b64encode(signature).decode()}

    def __repr__(self) -> str:
        return "SignatureCredential(ed25519)"


class TokenCredential:
    """A token kiosk: each upload carries `Authorization: Bearer <token>`."""

    kind = TOKEN
    __slots__ = ("_token",)

    def __init__(self, token: str):
        if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
            raise ValueError("a kiosk token is 43 to 256 URL-safe base64 characters")
        self._token = token

    def headers(self, kiosk_id: str, idempotency_key: str, body: bytes) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def __repr__(self) -> str:
        return "TokenCredential(***)"


Credential = SignatureCredential | TokenCredential


def as_credential(value: Credential | Ed25519PrivateKey) -> Credential:
    """A credential for the Uploader; a bare ed25519 private key (as callers passed before tokens
    existed) becomes a SignatureCredential."""
    if isinstance(value, SignatureCredential | TokenCredential):
        return value
    if isinstance(value, Ed25519PrivateKey):
        return SignatureCredential(value)
    raise TypeError(f"not a kiosk credential: {type(value).__name__}")
