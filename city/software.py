"""Kiosk software updates in the channel (`city publish-update FILE.deb`): the newest `zwgk-kiosk` package
per architecture, kept in `software/` in the city home, published as two `file` entries each:
`updates/zwgk-kiosk_<version>_<arch>.deb` and its detached manifest `….json`, signed with the channel's
key over the canonical JSON of its other fields, with the channel's key-rotation records once there are any
(so the helper, which pins the keys it first trusted, follows rotations as the sync does). The kiosk's root
helper (updater/) checks it all again.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from city.home import CityError, CityHome
from city.lock import publish_lock
from city.publish import Collection, publish
from city.repo import PublishResult
from content.channel import UPDATE_FILE, Entry, Limits, Rotation, SigningKey, canonical_json

PACKAGE = "zwgk-kiosk"
FOLDER = "software"
MANIFEST_TYPE = "zwgk-software-update"


def control_fields(deb: Path) -> dict[str, str]:
    """Package, Version and Architecture of a .deb, read by `dpkg-deb --field`."""
    try:
        done = subprocess.run(
            ["dpkg-deb", "--field", str(deb), "Package", "Version", "Architecture"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise CityError(f"dpkg-deb cannot run: {exc}", "无法运行 dpkg-deb（请安装 dpkg）") from None
    if done.returncode != 0:
        raise CityError(
            f"{deb} is not a Debian package: {done.stderr.strip()[-200:]}", f"{deb} 不是有效的 Debian 安装包"
        )
    return dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)


def newer(version: str, than: str) -> bool:
    return subprocess.run(["dpkg", "--compare-versions", version, "gt", than], check=False).returncode == 0


def file_digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(2**20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def manifest_bytes(
    key: SigningKey,
    version: str,
    architecture: str,
    sha256: str,
    size: int,
    rotations: Sequence[Rotation] = (),
) -> bytes:
    signed: dict[str, object] = {
        "type": MANIFEST_TYPE,
        "package": PACKAGE,
        "version": version,
        "architecture": architecture,
        "sha256": sha256,
        "size": size,
        "key_id": key.key_id,
    }
    if rotations:
        signed["rotations"] = [r.to_json() for r in rotations]
    return canonical_json({**signed, "signature": key.sign(canonical_json(signed))})


def _checked(deb: Path) -> tuple[str, str]:
    fields = control_fields(deb)
    if fields.get("Package") != PACKAGE:
        raise CityError(
            f"{deb} is package {fields.get('Package')!r}, not {PACKAGE}", f"{deb} 不是一体机软件包 {PACKAGE}"
        )
    version, arch = fields.get("Version", ""), fields.get("Architecture", "")
    if not UPDATE_FILE.fullmatch(f"updates/{PACKAGE}_{version}_{arch}.deb"):
        raise CityError(
            f"{deb}: version {version!r} (no epoch) or architecture {arch!r} (amd64, arm64) not accepted",
            f"{deb} 的版本号 {version} 或架构 {arch} 不被接受（架构须为 amd64 或 arm64，版本号不带 epoch）",
        )
    if deb.stat().st_size > Limits().max_update:
        raise CityError(f"{deb} is larger than {Limits().max_update} bytes", f"{deb} 超过更新包大小上限")
    return version, arch


def kept(home: CityHome) -> dict[str, Path]:
    """architecture -> the package kept for it."""
    folder = home.path / FOLDER
    return {path.parent.name: path for path in sorted(folder.glob("*/*.deb"))}


def publish_update(home: CityHome, deb: Path) -> tuple[str, str, PublishResult]:
    """Keep `deb` as its architecture's package (it must be newer than the one kept) and publish every kept
    package with its signed manifest. Returns (version, architecture, result)."""
    version, arch = _checked(deb)
    key = home.current_key()
    with publish_lock(home):
        current = kept(home).get(arch)
        if current is not None:
            current_version = control_fields(current)["Version"]
            if current_version == version and file_digest(current) != file_digest(deb):
                raise CityError(
                    f"{version} for {arch} was published already with other contents: give it a new version",
                    f"{arch} 的 {version} 版已发布过且内容不同：请使用新的版本号",
                )
            if current_version != version and not newer(version, current_version):
                raise CityError(
                    f"{version} is not newer than {current_version} published for {arch}",
                    f"{version} 不比已发布的 {arch} 版本 {current_version} 新，未发布",
                )
        if current is None or control_fields(current)["Version"] != version:
            target = home.path / FOLDER / arch / f"{PACKAGE}_{version}_{arch}.deb"
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            shutil.copyfile(deb, part)
            part.replace(target)
            if current is not None:
                current.unlink()
        entries = []
        for arch_of, path in sorted(kept(home).items()):
            sha, size = file_digest(path)
            blob = home.repo.blob_path(sha)
            if not blob.exists():  # streamed: a kiosk package is 100–250 MB
                blob.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, blob.with_name(sha + ".tmp"))
                blob.with_name(sha + ".tmp").replace(blob)
            name = path.name.removesuffix(".deb")
            version_of = name.split("_")[1]
            manifest = manifest_bytes(key, version_of, arch_of, sha, size, home.rotations())
            entries.append(Entry("file", f"file:updates/{path.name}", sha, size))
            entries.append(
                Entry("file", f"file:updates/{name}.json", home.repo.add_blob(manifest), len(manifest))
            )
        return version, arch, publish(home, Collection("software", entries))
