"""The channel keys the helper trusts, pinned in its own root-owned directory.

The first run copies `trusted_keys` from the kiosk's `enrolment.json` (trust on first use); later runs
read only the pinned file, so the kiosk user, who owns the data directory, cannot get root by writing an
enrolment of their own. `zwgk-kiosk-update --trust-enrolment` pins again after a re-enrolment (as root).

Key rotations are followed as the kiosk's sync follows them (content/channel.py `Trust.follow`): a manifest
signed by a key not pinned is checked against the rotation records it carries, and a record counts only
when a pinned key (or one it handed over to) signed it. When the manifest then verifies, the new key is
pinned and the key it replaced is dropped, so nothing the kiosk user can write alone adds a key."""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from updater.manifest import Manifest, Refused, canonical_json, key_id, verify
from updater.state import write_file

PINNED = "trusted-keys.json"
_PUBLIC = re.compile(r"[0-9a-f]{64}")


def _keys(value: object, where: str) -> dict[str, str]:
    if (
        not isinstance(value, dict)
        or not value
        or not all(isinstance(v, str) and _PUBLIC.fullmatch(v) and key_id(v) == k for k, v in value.items())
    ):
        raise Refused(
            f"{where} holds no valid trusted keys", f"{where} 中没有有效的受信任频道密钥，无法校验更新"
        )
    return dict(value)


def pin_from_enrolment(state_dir: Path, data_dir: Path) -> dict[str, str]:
    """Pin the keys of the kiosk's enrolment (replacing what was pinned)."""
    source = data_dir / "enrolment.json"
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            document = json.loads(fh.read(1 << 20))
    except FileNotFoundError:
        raise Refused(
            f"{source} does not exist: the kiosk is not enrolled",
            "本机尚未登记（没有 enrolment.json），无法校验更新",
        ) from None
    except (OSError, ValueError) as exc:
        raise Refused(f"{source} cannot be read: {exc}", f"登记文件 {source} 无法读取") from None
    keys = _keys(document.get("trusted_keys") if isinstance(document, dict) else None, str(source))
    write_file(state_dir / PINNED, json.dumps(keys, indent=1, sort_keys=True).encode(), 0o644)
    return keys


def trusted_keys(state_dir: Path, data_dir: Path) -> dict[str, str]:
    """The pinned keys; on the very first run, pinned from the enrolment."""
    pinned = state_dir / PINNED
    if not pinned.exists():
        return pin_from_enrolment(state_dir, data_dir)
    try:
        return _keys(json.loads(pinned.read_bytes()), str(pinned))
    except ValueError:
        raise Refused(
            f"{pinned} is not JSON", f"{pinned} 已损坏，请以 root 运行 zwgk-kiosk-update --trust-enrolment"
        ) from None


def follow(keys: dict[str, str], manifest: Manifest) -> dict[str, str]:
    """The pinned keys after the manifest's rotation records: each record whose previous key is trusted
    must carry that key's signature (else the manifest is refused: a forgery, not noise); its next key is
    then trusted and the previous one retired. Records from keys not trusted are passed over."""
    result = dict(keys)
    channels = {r.channel for r in manifest.rotations}
    if len(channels) > 1:
        raise Refused(
            f"{manifest.deb_name}'s key rotations name several channels {sorted(channels)}",
            f"{manifest.deb_name} 的密钥轮换记录属于不同频道，已拒绝",
        )
    for rotation in manifest.rotations:
        previous = result.get(rotation.previous_key_id)
        if previous is None:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(previous)).verify(
                base64.b64decode(rotation.signature, validate=True), canonical_json(rotation.signed_part())
            )
        except (InvalidSignature, ValueError, binascii.Error):
            raise Refused(
                f"{manifest.deb_name} carries a rotation from pinned key {rotation.previous_key_id} "
                "whose signature does not verify",
                f"{manifest.deb_name} 附带的密钥轮换记录签名校验失败（疑似伪造），已拒绝",
            ) from None
        del result[rotation.previous_key_id]
        result[rotation.next_key_id] = rotation.next_public
    return result


def verify_following(state_dir: Path, keys: dict[str, str], manifest: Manifest) -> dict[str, str]:
    """Raise unless the manifest verifies with the pinned keys or with those its rotations hand over to;
    returns the keys now pinned (written again when a rotation was followed)."""
    if manifest.key_id in keys or not manifest.rotations:
        verify(manifest, keys)
        return keys
    followed = follow(keys, manifest)
    verify(manifest, followed)
    write_file(state_dir / PINNED, json.dumps(followed, indent=1, sort_keys=True).encode(), 0o644)
    return followed
