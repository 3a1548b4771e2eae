"""The channel format shared by the city's publisher and the kiosk: signed root, shards, blobs, key rotation.

A channel is a tree of static files (served by any web server, CDN or object store, or copied to a USB
stick)::

    root.json                  the only mutable file: signed with ed25519 (see `Root`)
    shards/<sha256>            shard manifests: the entries of one slice of the id space
    blobs/<sha256>             content blobs: an item record (JSON), an issue, the alias table, an attachment
    packs/<sha256>             optional: one shard's blobs concatenated in entry order (fast first sync)

Everything below the root is immutable and named by the SHA-256 of its bytes, so a change touches only
the shards and blobs it changes. An entry's slice is the first `prefix_len` hex digits of the SHA-256 of
its id, which keeps shards even and an id's shard stable across versions.

Why not python-tuf: TUF's `ngclient` has no resumable downloads and no offline (USB) mode, lists every
target in one `targets.json` (~120 B each, too big at 200,000 documents), and its freeze protection
trusts the kiosk's clock, which village PCs often get wrong. So this module adds by hand exactly what a
plain signed manifest lacks (see ../shared/reference/search-sync.md §3): one signature over everything
below the root (mix-and-match), a version the kiosk persists (rollback), declared sizes plus caps
(endless data) and a key-rotation record signed by the key it replaces.

Parsing is strict: JSON with duplicate keys, floats, unknown fields, names that are not lowercase hex,
or sizes over a cap is rejected with a typed error (an English message, `.zh` for staff).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from content.errors import ContentError
from content.guides_json import Parsed
from content.guides_record import file_refs, guide_record, record_guide
from content.model import Attachment, GazetteIssue, GuideFields, Item, TocEntry
from translatable import Message

FORMAT = 1
ROOT_FILE = "root.json"
ROOT_TYPE = "zwgk-channel-root"
SHARD_TYPE = "zwgk-channel-shard"
ROTATION_TYPE = "zwgk-key-rotation"
ITEM_KINDS = ("document", "interpretation", "notice", "guide")
ENTRY_KINDS = (*ITEM_KINDS, "issue", "aliases", "attachment", "file")
# `file` entries: files the city hands to the kiosk's data directory as they are, each checked by the module
# that reads it: holiday tables (content/workdays.py), the agency list (kiosk/applications/agencies.py) and
# the status records of applications (…/status.py), keyed by a hash and holding nothing personal.
# A kiosk's screenshot request (kiosk/signage/city_screenshots.py), under its kiosk id: the city asks it to
# send its displays' latest screenshots.
# What the city hands a hall: a voice pack (content/voice_pack.py, installed by kiosk/voice/city_pack.py), a
# kiosk's queue configuration under its kiosk id (kiosk/queue/channel.py), the playlist and emergency notices
# of its displays (kiosk/signage/channel.py); each applied after the sync by the module that reads it.
# Software updates (city/software.py): the kiosk package and its signed manifest, read by the root helper
# (updater/). A Debian version without an epoch, dot- or dash-separated runs that cannot spell `..` or `/`.
UPDATE_VERSION = r"[0-9][A-Za-z0-9+~]{0,31}(?:[.-][A-Za-z0-9+~]{1,32}){0,8}"
UPDATE_FILE = re.compile(rf"updates/zwgk-kiosk_({UPDATE_VERSION})_(amd64|arm64)\.(deb|json)")
CHANNEL_FILE = re.compile(
    r"file:(holidays/[0-9]{4}\.json|agencies\.json|application_status/[0-9a-f]{64}\.json"
    r"|display_requests/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\.json"
    r"|voice_pack/manifest\.json|voice_pack/[a-z0-9][a-z0-9_-]{0,39}\.wav"
    r"|city_queue/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\.json|city_signage/(?:playlist|emergency)\.json"
    rf"|{UPDATE_FILE.pattern})"
)
MAX_PREFIX_LEN = 4

_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{32}")
_CHANNEL_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# --- errors ------------------------------------------------------------------------------------------


class ChannelError(ContentError):
    """A channel file was refused; nothing was applied."""


class MalformedManifest(ChannelError):
    """A manifest or record that does not parse or breaks the format."""


class BadName(ChannelError):
    """A file name that is not a lowercase-hex SHA-256 (or key id)."""


class BadSignature(ChannelError):
    """A signature that does not verify."""


class UnknownKey(ChannelError):
    """Signed by a key the kiosk does not trust (or no longer trusts)."""


class RollbackRefused(ChannelError):
    """A version lower than (or conflicting with) one already applied."""


class ChannelMismatch(ChannelError):
    """A manifest of another channel."""


class HashMismatch(ChannelError):
    """Bytes whose SHA-256 differs from the one their manifest declares."""


class SizeExceeded(ChannelError):
    """Bytes larger than declared, or than a configured cap."""


# What a refusal names, in the staff's sentence (the English log line shows the same name).
ROOT_MANIFEST = Message("根清单")
SHARD_MANIFEST = Message("分片清单")
KEY_ROTATION = Message("密钥轮换记录")


def _malformed(what: str, why: str, zh_why: str | None = None) -> MalformedManifest:
    return MalformedManifest(
        f"{what} is malformed: {why}", Message("{what}格式错误：{problem}", what=what, problem=zh_why or why)
    )


# --- limits ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Caps the kiosk puts on what it will read, whatever a manifest declares."""

    max_root: int = 4 * 2**20
    max_shard: int = 16 * 2**20
    max_blob: int = 64 * 2**20
    max_update: int = 512 * 2**20  # a kiosk .deb (PySide6 inside: 100–250 MB)
    max_total: int = 8 * 2**30

    def check(self, what: str, size: int, cap: int) -> None:
        if size > cap:
            raise SizeExceeded(
                f"{what} declares {size} bytes, over the cap of {cap}",
                Message(
                    "{what}声明大小 {size} 字节，超过上限 {cap} 字节，已拒绝", what=what, size=size, cap=cap
                ),
            )


DEFAULT_LIMITS = Limits()


# --- strict JSON ---------------------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """The bytes that are signed and hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_float(text: str) -> Any:
    raise ValueError(f"floating-point number {text} not allowed")


def strict_loads(data: bytes, what: str) -> Any:
    """Parse JSON that may hold only objects, arrays, strings, integers, booleans and null."""
    try:
        text = data.decode("utf-8")
        return json.loads(
            text, object_pairs_hook=_no_duplicates, parse_float=_no_float, parse_constant=_no_float
        )
    except UnicodeDecodeError:
        raise _malformed(what, "not UTF-8", Message("不是 UTF-8 编码")) from None
    except (ValueError, RecursionError) as exc:
        raise _malformed(
            what, f"not valid JSON ({exc})", Message("不是有效的 JSON（{problem}）", problem=exc)
        ) from None


class _Fields:
    """Typed access to a JSON object's fields; unknown or missing fields are format errors."""

    def __init__(self, value: Any, what: str, allowed: Iterable[str], optional: Iterable[str] = ()):
        if not isinstance(value, dict):
            raise _malformed(what, "expected an object", Message("应为对象"))
        unknown = set(value) - set(allowed) - set(optional)
        if unknown:
            raise _malformed(
                what,
                f"unknown fields {sorted(unknown)}",
                Message("未知字段 {fields}", fields=sorted(unknown)),
            )
        missing = set(allowed) - set(value)
        if missing:
            raise _malformed(
                what,
                f"missing fields {sorted(missing)}",
                Message("缺少字段 {fields}", fields=sorted(missing)),
            )
        self.value = value
        self.what = what

    def str(self, key: str, pattern: re.Pattern[str] | None = None, max_len: int = 4096) -> str:
        value = self.value.get(key, "")
        if not isinstance(value, str) or len(value) > max_len or (pattern and not pattern.fullmatch(value)):
            raise _malformed(self.what, f"field {key!r} is invalid", Message("字段 {key} 无效", key=key))
        return value

    def name(self, key: str) -> str:
        value = self.value.get(key)
        check_name(value, Message("{what}的字段 {key}", what=self.what, key=key))
        return value

    def int(self, key: str, minimum: int = 0, maximum: int = 2**53) -> int:
        value = self.value.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise _malformed(
                self.what,
                f"field {key!r} is not an integer in range",
                Message("字段 {key} 不是有效整数", key=key),
            )
        return value

    def time(self, key: str) -> str:
        value = self.str(key, max_len=40)
        parse_time(value, Message("{what}的字段 {key}", what=self.what, key=key))
        return value

    def list(self, key: str, max_len: int = 2**22) -> list[Any]:
        value = self.value.get(key)
        if not isinstance(value, list) or len(value) > max_len:
            raise _malformed(
                self.what, f"field {key!r} is not a list", Message("字段 {key} 不是列表", key=key)
            )
        return value


def check_name(value: Any, what: str) -> None:
    """A content name must be 64 lowercase hex digits: anything else could walk out of a directory."""
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        shown = repr(value)[:80]
        raise BadName(
            f"{what} {shown} is not a lowercase-hex SHA-256 name",
            Message("{what} {shown} 不是小写十六进制 SHA-256 名称，已拒绝", what=what, shown=shown),
        )


def parse_time(value: str, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _malformed(
            what, f"{value!r} is not an ISO time", Message("{value!r} 不是 ISO 时间", value=value)
        ) from None
    if moment.tzinfo is None:
        raise _malformed(what, f"{value!r} has no time zone", Message("{value!r} 缺少时区", value=value))
    return moment


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_bytes(data: bytes, sha256: str, size: int, what: str) -> None:
    """Raise unless `data` is exactly `size` bytes with SHA-256 `sha256`."""
    if len(data) > size:
        raise SizeExceeded(
            f"{what} is {len(data)} bytes, larger than the declared {size}",
            Message(
                "{what}实际 {actual} 字节，大于声明的 {size} 字节，已拒绝",
                what=what,
                actual=len(data),
                size=size,
            ),
        )
    if len(data) != size or sha256_hex(data) != sha256:
        raise HashMismatch(
            f"{what} does not match its declared SHA-256 {sha256[:12]}… / size {size}",
            Message(
                "{what}与声明的校验值 {sha256}…（{size} 字节）不符，可能被篡改或损坏，已拒绝",
                what=what,
                sha256=sha256[:12],
                size=size,
            ),
        )


# --- keys --------------------------------------------------------------------------------------------


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


def public_hex(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def load_public(hex_text: str) -> Ed25519PublicKey:
    try:
        raw = bytes.fromhex(hex_text)
        if len(raw) != 32 or hex_text != hex_text.lower():
            raise ValueError
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError):
        raise BadName(
            f"{str(hex_text)[:80]!r} is not an ed25519 public key in lowercase hex",
            Message("公钥不是 64 位小写十六进制的 ed25519 公钥"),
        ) from None


@dataclass(frozen=True)
class SigningKey:
    """The city's private signing key (kept in the city's home directory, never on a kiosk)."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, data: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an ed25519 private key")
        return cls(key)

    def to_pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    @property
    def public_hex(self) -> str:
        return public_hex(self.public)

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.private.sign(data)).decode("ascii")


def verify_signature(public: Ed25519PublicKey, signature: str, data: bytes, what: str) -> None:
    try:
        raw = base64.b64decode(signature, validate=True)
        public.verify(raw, data)
    except (InvalidSignature, ValueError, TypeError):
        raise BadSignature(
            f"the signature of {what} does not verify",
            Message("{what}的签名校验失败，可能被篡改，已拒绝", what=what),
        ) from None


# --- key rotation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rotation:
    """`previous_key_id` hands over to the next key; signed by the previous key."""

    channel: str
    previous_key_id: str
    next_key_id: str
    next_public: str
    created: str
    signature: str

    def signed_part(self) -> dict[str, Any]:
        return {
            "type": ROTATION_TYPE,
            "channel": self.channel,
            "previous_key_id": self.previous_key_id,
            "next_key_id": self.next_key_id,
            "next_public": self.next_public,
            "created": self.created,
        }

    def to_json(self) -> dict[str, Any]:
        return {"signed": self.signed_part(), "signature": self.signature}


def make_rotation(channel: str, previous: SigningKey, next_public: Ed25519PublicKey) -> Rotation:
    unsigned = Rotation(
        channel,
        previous.key_id,
        key_id(next_public),
        public_hex(next_public),
        format_time(datetime.now(UTC)),
        "",
    )
    signature = previous.sign(canonical_json(unsigned.signed_part()))
    return Rotation(**{**vars(unsigned), "signature": signature})


def parse_rotation(value: Any) -> Rotation:
    outer = _Fields(value, KEY_ROTATION, ("signed", "signature"))
    f = _Fields(
        outer.value["signed"],
        KEY_ROTATION,
        ("type", "channel", "previous_key_id", "next_key_id", "next_public", "created"),
    )
    if f.value["type"] != ROTATION_TYPE:
        raise _malformed(KEY_ROTATION, "wrong type", Message("类型错误"))
    rotation = Rotation(
        channel=f.str("channel", _CHANNEL_ID),
        previous_key_id=f.str("previous_key_id", _KEY_ID),
        next_key_id=f.str("next_key_id", _KEY_ID),
        next_public=f.str("next_public", re.compile(r"[0-9a-f]{64}")),
        created=f.time("created"),
        signature=outer.str("signature", max_len=200),
    )
    if key_id(load_public(rotation.next_public)) != rotation.next_key_id:
        raise _malformed(
            KEY_ROTATION, "next_key_id does not match next_public", Message("新密钥编号与公钥不符")
        )
    return rotation


@dataclass
class Trust:
    """The keys a kiosk trusts: pinned at enrolment, learned through rotations, and retired ones."""

    keys: dict[str, Ed25519PublicKey] = field(default_factory=dict)
    retired: set[str] = field(default_factory=set)

    @classmethod
    def from_hex(cls, keys: Mapping[str, str], retired: Iterable[str] = ()) -> Trust:
        trust = cls()
        for kid, hex_text in keys.items():
            public = load_public(hex_text)
            if key_id(public) != kid:
                raise BadName(
                    f"key id {kid} does not match its public key",
                    Message("密钥编号 {kid} 与公钥不符", kid=kid),
                )
            trust.keys[kid] = public
        trust.retired = set(retired)
        return trust

    def to_hex(self) -> dict[str, str]:
        return {kid: public_hex(pub) for kid, pub in self.keys.items()}

    def follow(self, channel: str, rotations: Iterable[Rotation]) -> Trust:
        """A copy that also trusts each key a trusted key handed over to (and retires the one it replaced).

        A rotation signed by a trusted key that does not verify is an attack, not noise: refused."""
        result = Trust(dict(self.keys), set(self.retired))
        for rotation in rotations:
            if rotation.channel != channel:
                raise ChannelMismatch(
                    f"key rotation of channel {rotation.channel!r} in channel {channel!r}",
                    Message("密钥轮换记录属于其他频道（{channel}），已拒绝", channel=rotation.channel),
                )
            previous = result.keys.get(rotation.previous_key_id)
            if previous is None:
                continue
            verify_signature(
                previous, rotation.signature, canonical_json(rotation.signed_part()), Message("密钥轮换记录")
            )
            result.keys[rotation.next_key_id] = load_public(rotation.next_public)
            result.retired.add(rotation.previous_key_id)
            result.retired.discard(rotation.next_key_id)
        return result


# --- root manifest -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShardRef:
    prefix: str
    name: str
    size: int


@dataclass(frozen=True)
class Root:
    channel: str
    version: int
    created: str
    expires: str
    key_id: str
    prefix_len: int
    shards: tuple[ShardRef, ...]
    rotations: tuple[Rotation, ...] = ()

    def signed_part(self) -> dict[str, Any]:
        return {
            "type": ROOT_TYPE,
            "format": FORMAT,
            "channel": self.channel,
            "version": self.version,
            "created": self.created,
            "expires": self.expires,
            "key_id": self.key_id,
            "prefix_len": self.prefix_len,
            "shards": [{"prefix": s.prefix, "name": s.name, "size": s.size} for s in self.shards],
            "rotations": [r.to_json() for r in self.rotations],
        }

    @property
    def expires_at(self) -> datetime:
        return parse_time(self.expires, Message("根清单的有效期"))

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) > self.expires_at


def make_root(
    key: SigningKey,
    channel: str,
    version: int,
    prefix_len: int,
    shards: Iterable[ShardRef],
    rotations: Iterable[Rotation] = (),
    *,
    valid_for: timedelta = timedelta(days=30),
    now: datetime | None = None,
) -> bytes:
    """The signed bytes of root.json."""
    now = now or datetime.now(UTC)
    root = Root(
        channel,
        version,
        format_time(now),
        format_time(now + valid_for),
        key.key_id,
        prefix_len,
        tuple(sorted(shards, key=lambda s: s.prefix)),
        tuple(rotations),
    )
    signed = root.signed_part()
    document = {
        "signed": signed,
        "signatures": [{"key_id": key.key_id, "sig": key.sign(canonical_json(signed))}],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def parse_root(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[Root, dict[str, str]]:
    """Parse root.json strictly, without checking its signature: (root, signatures by key id)."""
    limits.check(ROOT_MANIFEST, len(data), limits.max_root)
    document = strict_loads(data, ROOT_MANIFEST)
    outer = _Fields(document, ROOT_MANIFEST, ("signed", "signatures"))
    f = _Fields(
        outer.value["signed"],
        ROOT_MANIFEST,
        (
            "type",
            "format",
            "channel",
            "version",
            "created",
            "expires",
            "key_id",
            "prefix_len",
            "shards",
            "rotations",
        ),
    )
    if f.value["type"] != ROOT_TYPE or f.value["format"] != FORMAT:
        raise _malformed(ROOT_MANIFEST, "wrong type or format version", Message("类型或格式版本不符"))
    prefix_len = f.int("prefix_len", 0, MAX_PREFIX_LEN)
    shards = []
    for raw in f.list("shards", 16**MAX_PREFIX_LEN):
        s = _Fields(raw, Message("根清单的分片项"), ("prefix", "name", "size"))
        prefix = s.str("prefix", re.compile(f"[0-9a-f]{{{prefix_len}}}"))
        shards.append(ShardRef(prefix, s.name("name"), s.int("size", 1)))
    prefixes = [s.prefix for s in shards]
    if prefixes != sorted(set(prefixes)):
        raise _malformed(
            ROOT_MANIFEST, "shard prefixes are not sorted and unique", Message("分片前缀未排序或重复")
        )
    for shard in shards:
        limits.check(Message("分片 {name}…", name=shard.name[:12]), shard.size, limits.max_shard)
    signatures = {}
    for raw in outer.list("signatures", 16):
        s = _Fields(raw, Message("根清单的签名项"), ("key_id", "sig"))
        signatures[s.str("key_id", _KEY_ID)] = s.str("sig", max_len=200)
    root = Root(
        channel=f.str("channel", _CHANNEL_ID),
        version=f.int("version", 1),
        created=f.time("created"),
        expires=f.time("expires"),
        key_id=f.str("key_id", _KEY_ID),
        prefix_len=prefix_len,
        shards=tuple(shards),
        rotations=tuple(parse_rotation(r) for r in f.list("rotations", 1000)),
    )
    return root, signatures


def verify_root(
    data: bytes, trust: Trust, *, channel: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Root, Trust]:
    """Parse and verify root.json against the kiosk's trust: (root, trust after its rotations).

    Checks the channel id, follows key rotations from trusted keys, refuses retired and unknown keys and
    verifies the signature over the canonical signed part. Rollback is the caller's check (it knows the
    applied version)."""
    root, signatures = parse_root(data, limits)
    if channel and root.channel != channel:
        raise ChannelMismatch(
            f"root manifest is for channel {root.channel!r}, expected {channel!r}",
            Message(
                "根清单属于频道“{channel}”，本机订阅的是“{subscribed}”，已拒绝",
                channel=root.channel,
                subscribed=channel,
            ),
        )
    trust = trust.follow(root.channel, root.rotations)
    if root.key_id in trust.retired:
        raise UnknownKey(
            f"root manifest is signed with retired key {root.key_id}",
            Message("根清单使用已轮换停用的密钥 {key_id}… 签名，已拒绝", key_id=root.key_id[:12]),
        )
    public = trust.keys.get(root.key_id)
    if public is None:
        raise UnknownKey(
            f"root manifest is signed with unknown key {root.key_id}",
            Message(
                "根清单使用未受信任的密钥 {key_id}… 签名，已拒绝（请检查本机登记文件）",
                key_id=root.key_id[:12],
            ),
        )
    signature = signatures.get(root.key_id)
    if signature is None:
        raise BadSignature("root manifest has no signature by its key", Message("根清单缺少签名，已拒绝"))
    verify_signature(public, signature, canonical_json(root.signed_part()), Message("根清单"))
    return root, trust


# --- shards ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    sha256: str
    size: int


@dataclass(frozen=True)
class PackRef:
    name: str
    size: int


@dataclass(frozen=True)
class Shard:
    channel: str
    prefix: str
    entries: tuple[Entry, ...]
    pack: PackRef | None = None

    def offsets(self) -> dict[str, tuple[int, int]]:
        """Where each blob sits in the pack: sha256 -> (offset, size) (first occurrence)."""
        result: dict[str, tuple[int, int]] = {}
        offset = 0
        for entry in self.entries:
            result.setdefault(entry.sha256, (offset, entry.size))
            offset += entry.size
        return result


def shard_prefix(entry_id: str, prefix_len: int) -> str:
    return hashlib.sha256(entry_id.encode("utf-8")).hexdigest()[:prefix_len]


def choose_prefix_len(entries: int, per_shard: int = 64) -> int:
    """The fewest hex digits that keep shards at about `per_shard` entries (small shards: a change
    refetches little)."""
    length = 0
    while length < MAX_PREFIX_LEN and entries > per_shard * 16**length:
        length += 1
    return length


def make_shard(channel: str, prefix: str, entries: Iterable[Entry], pack: PackRef | None = None) -> bytes:
    ordered = sorted(entries, key=lambda e: e.id)
    document = {
        "type": SHARD_TYPE,
        "format": FORMAT,
        "channel": channel,
        "prefix": prefix,
        "pack": {"name": pack.name, "size": pack.size} if pack else None,
        # Arrays, not objects: a shard of 50,000 entries stays small.
        "entries": [[e.kind, e.id, e.sha256, e.size] for e in ordered],
    }
    return canonical_json(document)


def valid_entry_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200 and not _CONTROL.search(value)


def file_path(entry_id: str) -> str:
    """Where a `file` entry goes in the data directory (`parse_shard` accepted only these names)."""
    match = CHANNEL_FILE.fullmatch(entry_id)
    if match is None:
        raise _malformed(
            Message("频道文件条目"), f"{entry_id[:80]!r} names no channel file", Message("频道文件名无效")
        )
    return match.group(1)


def update_file(entry_id: str) -> tuple[str, str, str] | None:
    """(version, architecture, "deb" or "json") of a software-update `file` entry, None for any other."""
    match = UPDATE_FILE.fullmatch(entry_id.removeprefix("file:"))
    return match.groups() if match and entry_id.startswith("file:") else None


def parse_shard(
    data: bytes, ref: ShardRef, channel: str, prefix_len: int, limits: Limits = DEFAULT_LIMITS
) -> Shard:
    """Verify a shard's bytes against its root entry and parse it strictly."""
    verify_bytes(data, ref.name, ref.size, Message("分片 {name}…", name=ref.name[:12]))
    document = strict_loads(data, SHARD_MANIFEST)
    f = _Fields(document, SHARD_MANIFEST, ("type", "format", "channel", "prefix", "pack", "entries"))
    if f.value["type"] != SHARD_TYPE or f.value["format"] != FORMAT:
        raise _malformed(SHARD_MANIFEST, "wrong type or format version", Message("类型或格式版本不符"))
    if f.str("channel", _CHANNEL_ID) != channel or f.str("prefix") != ref.prefix:
        raise ChannelMismatch(
            f"shard {ref.name} belongs to another channel or slice",
            Message("分片 {name}… 属于其他频道或分区，已拒绝", name=ref.name[:12]),
        )
    pack = None
    if f.value["pack"] is not None:
        p = _Fields(f.value["pack"], Message("分片清单的打包文件"), ("name", "size"))
        pack = PackRef(p.name("name"), p.int("size", 1))
    entries = []
    for raw in f.list("entries"):
        if not isinstance(raw, list) or len(raw) != 4:
            raise _malformed(
                SHARD_MANIFEST, "an entry is not [kind, id, sha256, size]", Message("条目格式错误")
            )
        kind, entry_id, sha, size = raw
        if kind not in ENTRY_KINDS:
            raise _malformed(
                SHARD_MANIFEST,
                f"unknown entry kind {str(kind)[:40]!r}",
                Message("未知条目类型 {kind}", kind=str(kind)[:40]),
            )
        if not valid_entry_id(entry_id) or (kind == "file" and not CHANNEL_FILE.fullmatch(entry_id)):
            raise _malformed(SHARD_MANIFEST, "invalid entry id", Message("条目编号无效"))
        check_name(sha, Message("条目内容"))
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise _malformed(SHARD_MANIFEST, "invalid entry size", Message("条目大小无效"))
        cap = limits.max_update if kind == "file" and update_file(entry_id) else limits.max_blob
        limits.check(Message("条目“{entry_id}”", entry_id=entry_id), size, cap)
        if shard_prefix(entry_id, prefix_len) != ref.prefix:
            raise _malformed(
                SHARD_MANIFEST,
                f"entry {entry_id!r} is outside the shard's slice",
                Message("条目不属于该分片"),
            )
        entries.append(Entry(kind, entry_id, sha, size))
    ids = [e.id for e in entries]
    if ids != sorted(set(ids)):
        raise _malformed(
            SHARD_MANIFEST, "entry ids are not sorted and unique", Message("条目编号未排序或重复")
        )
    if pack is not None and pack.size != sum(e.size for e in entries):
        raise _malformed(
            SHARD_MANIFEST,
            "pack size differs from the sum of its entries",
            Message("打包文件大小与条目不符"),
        )
    return Shard(channel, ref.prefix, tuple(entries), pack)


# --- blobs: records ----------------------------------------------------------------------------------

ITEM_FIELDS = {
    "id": str, "kind": str, "title": str, "body_md": str, "doc_number": str, "issuer": str, "date": str,
    "section": str, "category": str, "topics": list, "annexes": list, "interprets_id": str, "issue_id": str,
    "page": (int, type(None)), "valid_from": str, "valid_to": str, "level": str, "url": str, "origin": str,
    "source": str, "guide": (dict, type(None)), "attachments": list,
}  # fmt: skip
LEGACY_GUIDE_FIELDS = (
    "audience", "subject", "basis", "materials", "process", "fees", "time_limit", "consultation", "complaint", "window",
)  # fmt: skip
CHANNEL_ORIGINS = ("gazette", "city")  # never "local": what staff authored stays the kiosk's own
ISSUE_FIELDS = {
    "id": str,
    "name": str,
    "year": int,
    "number": int,
    "date": str,
    "toc": list,
    "source": str,
    "content_hash": str,
}


def encode_record(kind: str, value: dict[str, Any]) -> bytes:
    """The blob of an item, issue or alias table (canonical JSON, so equal content gives an equal name)."""
    return canonical_json({"type": f"zwgk-{kind}", "format": FORMAT, "value": value})


def decode_record(data: bytes, entry: Entry) -> dict[str, Any]:
    """Parse and check the blob of an item, issue or alias table listed as `entry` (already hash-checked)."""
    what = Message("条目“{id}”", id=entry.id)
    document = strict_loads(data, what)
    outer = _Fields(document, what, ("type", "format", "value"))
    kind = "item" if entry.kind in ITEM_KINDS else entry.kind
    if outer.value["type"] != f"zwgk-{kind}" or outer.value["format"] != FORMAT:
        raise _malformed(what, "wrong record type", Message("记录类型与清单不符"))
    value = outer.value["value"]
    if entry.kind in ITEM_KINDS:
        _check_types(value, ITEM_FIELDS, what, optional={"guide", "attachments", "page"})
        if value["id"] != entry.id or value["kind"] != entry.kind:
            raise _malformed(what, "id or kind differs from its entry", Message("编号或类型与清单不符"))
        if value["origin"] not in CHANNEL_ORIGINS:
            raise _malformed(
                what, "a channel carries only gazette or city items", Message("频道只能包含公报或市级内容")
            )
        if value.get("guide") is not None:
            _check_guide(value["guide"], what)
        for attachment in value.get("attachments", []):
            _check_types(attachment, {"sha256": str, "name": str, "mime": str, "role": str}, what)
            check_name(attachment["sha256"], what)
        if not all(isinstance(t, str) for t in value["topics"] + value["annexes"]):
            raise _malformed(what, "topics and annexes must be strings", Message("主题和附件标题应为字符串"))
    elif entry.kind == "issue":
        _check_types(value, ISSUE_FIELDS, what)
        if entry.id != f"issue:{value['id']}":
            raise _malformed(what, "id differs from its entry", Message("编号与清单不符"))
    elif entry.kind == "aliases":
        if not isinstance(value, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) and s for s in p) for p in value
        ):
            raise _malformed(what, "alias table must be [[term, expansion], ...]", Message("别名表格式错误"))
    else:
        raise _malformed(what, f"{entry.kind} is not a record", Message("不是记录类型"))
    return value


def _check_guide(value: Any, what: str) -> None:
    """A guide record (`content/data/guide.schema.json`, files named by SHA-256), or the GB/T 36114 text
    fields a channel of an earlier version carries."""
    if isinstance(value, dict) and set(value) == set(LEGACY_GUIDE_FIELDS):
        _check_types(value, dict.fromkeys(LEGACY_GUIDE_FIELDS, str), what)
        return
    from content.guides_schema import validate  # jsonschema takes ~60 ms to import: only when a guide comes

    errors = validate(Parsed(value, {(): 1}), "record")
    if errors:
        first = errors[0]
        raise _malformed(
            what,
            f"guide {first.pointer()}: {first.en}",
            Message("办事指南“{field}”{problem}", field=first.field(), problem=first.zh),
        )
    for holder, key, _ in file_refs(value):
        check_name(holder[key].get("sha256"), what)


def _check_types(value: Any, fields: dict[str, Any], what: str, optional: set[str] = frozenset()) -> None:
    if not isinstance(value, dict):
        raise _malformed(what, "expected an object", Message("应为对象"))
    unknown = set(value) - set(fields)
    missing = set(fields) - set(value) - set(optional)
    if unknown or missing:
        raise _malformed(
            what, f"unknown {sorted(unknown)} / missing {sorted(missing)} fields", Message("字段不符")
        )
    for key, expected in fields.items():
        if key in value and (isinstance(value[key], bool) or not isinstance(value[key], expected)):
            raise _malformed(
                what, f"field {key!r} has the wrong type", Message("字段 {key} 类型错误", key=key)
            )


def item_record(item: Item, attachments: Iterable[Attachment] = ()) -> dict[str, Any]:
    """The record of an item as a channel carries it (without the kiosk's own version counter)."""
    value = item.to_dict()
    value.pop("version", None)
    if item.guide is not None:
        value["guide"] = guide_record(item.guide)
    value["attachments"] = [
        {"sha256": a.sha256, "name": a.name, "mime": a.mime, "role": "attachment"} for a in attachments
    ]
    return value


def record_item(value: dict[str, Any]) -> Item:
    """The inverse of `item_record` for a record `decode_record` accepted."""
    fields = {k: v for k, v in value.items() if k not in ("attachments", "guide")}
    guide = value.get("guide")
    if guide is None:
        return Item(**fields)
    if set(guide) == set(LEGACY_GUIDE_FIELDS):
        return Item(**fields, guide=GuideFields(**guide))
    return Item(**fields, guide=record_guide(guide))


def issue_record(issue: GazetteIssue) -> dict[str, Any]:
    value = {k: getattr(issue, k) for k in ISSUE_FIELDS}
    value["toc"] = [vars(entry) for entry in issue.toc]
    return value


def record_issue(value: dict[str, Any], what: str = "gazette issue") -> GazetteIssue:
    toc = []
    for entry in value["toc"]:
        if not (
            isinstance(entry, dict)
            and set(entry) == {"section", "title", "page"}
            and isinstance(entry["section"], str)
            and isinstance(entry["title"], str)
            and (
                entry["page"] is None
                or (isinstance(entry["page"], int) and not isinstance(entry["page"], bool))
            )
        ):
            raise _malformed(what, "table of contents entry is malformed", Message("目录条目格式错误"))
        toc.append(TocEntry(**entry))
    return GazetteIssue(**{**value, "toc": toc})


# --- uploads (kiosk -> city) -------------------------------------------------------------------------


def upload_message(kiosk_id: str, idempotency_key: str, body: bytes) -> bytes:
    """What a kiosk signs for one upload: its id, the record's key and the body's hash.

    No timestamp: village clocks are often wrong, and a replayed request stores nothing new because the
    server keeps each Idempotency-Key once."""
    return "\n".join(("zwgk-upload-v1", kiosk_id, idempotency_key, sha256_hex(body))).encode("utf-8")
