"""The channel keys the helper trusts, pinned in its own root-owned directory.

The first run copies `trusted_keys` from the kiosk's `enrolment.json` (trust on first use); later runs
read only the pinned file, so the kiosk user, who owns the data directory, cannot get root by writing an
enrolment of their own. `zwgk-kiosk-update --trust-enrolment` pins again after a re-enrolment (as root)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from updater.manifest import Refused, key_id
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
