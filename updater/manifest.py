"""The signed manifest of a kiosk package (`updates/zwgk-kiosk_<version>_<arch>.json`, made by
city/software.py): its strict parser and the ed25519 check against the keys the helper has pinned.

The manifest is JSON; the signature covers the canonical JSON (sorted keys, no spaces, UTF-8) of every
field but `signature`, as the channel's root is signed (content/channel.py, which this root process does
not import). After `city keygen --rotate` it also carries `rotations`, the channel's key-rotation records
(each signed by the key it replaces), so a helper that pins an older key can follow them (updater/trust.py)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

TYPE = "zwgk-software-update"
PACKAGE = "zwgk-kiosk"
ARCHITECTURES = ("amd64", "arm64")
MAX_MANIFEST = 64 * 1024
MAX_SIZE = 512 * 2**20  # content/channel.py Limits.max_update
# The same as content/channel.py's UPDATE_VERSION (tests/test_update_manifest.py holds them equal).
VERSION = re.compile(r"[0-9][A-Za-z0-9+~]{0,31}(?:[.-][A-Za-z0-9+~]{1,32}){0,8}")
FIELDS = ("type", "package", "version", "architecture", "sha256", "size", "key_id", "signature")
OPTIONAL = ("rotations",)
ROTATION_TYPE = "zwgk-key-rotation"  # content/channel.py's record, checked here field by field
ROTATION_FIELDS = ("type", "channel", "previous_key_id", "next_key_id", "next_public", "created")
MAX_ROTATIONS = 64
_CHANNEL = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{32}")


class Refused(Exception):
    """An update the helper will not install: English for the log, `.zh` for staff."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


@dataclass(frozen=True)
class Rotation:
    """`previous_key_id` hands the channel over to `next_public`; `signature` is the previous key's."""

    channel: str
    previous_key_id: str
    next_key_id: str
    next_public: str
    created: str
    signature: str

    def signed_part(self) -> dict[str, Any]:
        fields = asdict(self)
        del fields["signature"]
        return {"type": ROTATION_TYPE, **fields}

    def to_json(self) -> dict[str, Any]:
        return {"signed": self.signed_part(), "signature": self.signature}


@dataclass(frozen=True)
class Manifest:
    package: str
    version: str
    architecture: str
    sha256: str
    size: int
    key_id: str
    signature: str
    rotations: tuple[Rotation, ...] = ()

    @property
    def deb_name(self) -> str:
        return f"{self.package}_{self.version}_{self.architecture}.deb"

    def signed_part(self) -> dict[str, Any]:
        fields = asdict(self)
        del fields["signature"], fields["rotations"]
        if self.rotations:  # absent when there are none: manifests from before any rotation verify as made
            fields["rotations"] = [r.to_json() for r in self.rotations]
        return {"type": TYPE, **fields}


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _bad(why: str, zh: str) -> Refused:
    return Refused(f"update manifest is malformed: {why}", f"更新清单格式错误：{zh}")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_float(text: str) -> Any:
    raise ValueError(f"number {text} not allowed")


def parse(data: bytes) -> Manifest:
    """A manifest's bytes, strictly: exactly its fields, each of its type and form."""
    if len(data) > MAX_MANIFEST:
        raise _bad(f"larger than {MAX_MANIFEST} bytes", "文件过大")
    try:
        value = json.loads(
            data.decode("utf-8"), object_pairs_hook=_object, parse_float=_no_float, parse_constant=_no_float
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _bad(f"not JSON ({exc})", "不是有效的 JSON") from None
    if not isinstance(value, dict) or sorted(set(value) - set(OPTIONAL)) != sorted(FIELDS):
        raise _bad(f"fields must be exactly {', '.join(FIELDS)} (and {', '.join(OPTIONAL)})", "字段不符")
    if value["type"] != TYPE:
        raise _bad("wrong type", "类型不符")
    checks = {
        "package": lambda v: isinstance(v, str) and v == PACKAGE,
        "version": lambda v: isinstance(v, str) and VERSION.fullmatch(v),
        "architecture": lambda v: v in ARCHITECTURES,
        "sha256": lambda v: isinstance(v, str) and _HEX64.fullmatch(v),
        "size": lambda v: type(v) is int and 0 < v <= MAX_SIZE,
        "key_id": lambda v: isinstance(v, str) and _KEY_ID.fullmatch(v),
        "signature": lambda v: isinstance(v, str) and len(v) <= 200,
    }
    for name, ok in checks.items():
        if not ok(value[name]):
            raise _bad(f"field {name!r} is invalid", f"字段 {name} 无效")
    rotations = value.get("rotations", [])
    if "rotations" in value and (not isinstance(rotations, list) or not 0 < len(rotations) <= MAX_ROTATIONS):
        raise _bad("field 'rotations' is invalid", "字段 rotations 无效")
    return Manifest(**{name: value[name] for name in checks}, rotations=tuple(map(_rotation, rotations)))


def _rotation(value: Any) -> Rotation:
    bad = _bad("a key rotation record is invalid", "密钥轮换记录无效")
    if not isinstance(value, dict) or sorted(value) != ["signature", "signed"]:
        raise bad
    signed, signature = value["signed"], value["signature"]
    if (
        not isinstance(signed, dict)
        or sorted(signed) != sorted(ROTATION_FIELDS)
        or signed["type"] != ROTATION_TYPE
    ):
        raise bad
    checks = {
        "channel": _CHANNEL,
        "previous_key_id": _KEY_ID,
        "next_key_id": _KEY_ID,
        "next_public": _HEX64,
        "created": _TIME,
    }
    if not all(isinstance(signed[k], str) and form.fullmatch(signed[k]) for k, form in checks.items()):
        raise bad
    if (
        not isinstance(signature, str)
        or len(signature) > 200
        or key_id(signed["next_public"]) != signed["next_key_id"]
    ):
        raise bad
    return Rotation(**{k: signed[k] for k in checks}, signature=signature)


def key_id(public_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:32]


def verify(manifest: Manifest, keys: dict[str, str]) -> None:
    """Raise unless a pinned key (key id -> public key hex) signed the manifest."""
    public_hex = keys.get(manifest.key_id)
    if public_hex is None:
        raise Refused(
            f"signed by key {manifest.key_id}, which this kiosk's updater does not trust",
            f"更新清单由未受信任的密钥 {manifest.key_id[:12]}… 签名，已拒绝",
        )
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        public.verify(
            base64.b64decode(manifest.signature, validate=True), canonical_json(manifest.signed_part())
        )
    except (InvalidSignature, ValueError, binascii.Error):
        raise Refused(
            f"the signature of {manifest.deb_name}'s manifest does not verify",
            f"{manifest.deb_name} 的更新清单签名校验失败，可能被篡改，已拒绝",
        ) from None
