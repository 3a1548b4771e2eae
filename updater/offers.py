"""Where updates are offered: the channel's `updates/` folder in the kiosk's data directory, and
`zwgk-updates/` on a mounted USB stick. Each offer is a manifest that parsed and the path of its package.

Everything here is read from places other users can write, so files are opened without following a link
and read with a cap; nothing is trusted until `updater.run` has copied and checked it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from updater.manifest import MAX_MANIFEST, Manifest, Refused, parse

USB_FOLDER = "zwgk-updates"
# Where a USB stick is mounted (udisks, usbmount or a udev rule), as kiosk/statistics/service.py's
# `mounted_sticks` finds them; repeated here because this root process imports nothing of kiosk/.
USB_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))


@dataclass(frozen=True)
class Offer:
    manifest: Manifest
    deb: Path
    source: str  # "channel" or "usb"


def read_capped(path: Path, cap: int) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        return fh.read(cap + 1)


def usb_folders(mounts: Path = Path("/proc/self/mounts"), roots: tuple[Path, ...] = USB_ROOTS) -> list[Path]:
    """`zwgk-updates/` on each block device mounted under the USB roots (read-only sticks too)."""
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        fields = line.split()
        if len(fields) < 2 or not fields[0].startswith("/dev/"):
            continue
        target = Path(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1]))
        if any(root in target.parents for root in roots) and (target / USB_FOLDER).is_dir():
            found.append(target / USB_FOLDER)
    return sorted(set(found))


def offers_in(folder: Path, source: str) -> tuple[list[Offer], list[Refused]]:
    """The manifests in `folder` that parse (with their package's path) and the reasons for those that do not."""
    offers, refused = [], []
    for path in sorted(folder.glob("zwgk-kiosk_*.json")):
        try:
            data = read_capped(path, MAX_MANIFEST)
            manifest = parse(data)
        except OSError as exc:
            refused.append(Refused(f"{path}: {exc}", f"{path.name} 无法读取"))
            continue
        except Refused as exc:
            refused.append(Refused(f"{path}: {exc}", f"{path.name}：{exc.zh}"))
            continue
        if path.name != manifest.deb_name.removesuffix(".deb") + ".json":
            refused.append(
                Refused(f"{path} names another package", f"{path.name} 与其中声明的版本或架构不符，已拒绝")
            )
            continue
        offers.append(Offer(manifest, folder / manifest.deb_name, source))
    return offers, refused
