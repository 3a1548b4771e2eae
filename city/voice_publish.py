"""`city publish --voice-pack DIR`: a voice pack (recorded by a person) for every hall's queue calls.

DIR holds `manifest.json` and the WAV clips it names (the format of `kiosk voice check`; a pack the kiosk
built, `kiosk voice build-pack DIR`, is one too). It is checked whole with `content.voice_pack.check_pack`
before anything is signed: a missing clip, a stereo or compressed file, a clip too long or too large refuses
the pack. Published as the `voice_pack` collection of `file:voice_pack/…` entries, so publishing another
pack replaces every clip of the last one; each kiosk installs it after its next sync.
"""

from __future__ import annotations

import json
from pathlib import Path

from city.home import CityError, CityHome
from city.publish import Collection
from content.channel import Entry
from content.voice_pack import (
    FOLDER,
    MANIFEST,
    MAX_CLIP_BYTES,
    MAX_MANIFEST_BYTES,
    VoicePackRefused,
    check_pack,
)

COLLECTION = "voice_pack"


def voice_pack_collection(home: CityHome, folder: Path) -> Collection:
    """The pack under `folder` as a collection (CityError naming the clip when it is not right)."""
    if not folder.is_dir():
        raise CityError(f"{folder} is not a folder", f"{folder} 不是文件夹")
    manifest = _read(folder / MANIFEST, MAX_MANIFEST_BYTES)
    files = {MANIFEST: manifest, **_clips(folder, manifest)}
    try:
        check_pack(files)
    except VoicePackRefused as exc:
        raise CityError(f"{folder}: {exc}", f"{folder}：{exc.zh}，未发布") from None
    entries = [
        Entry("file", f"file:{FOLDER}/{name}", home.repo.add_blob(data), len(data))
        for name, data in sorted(files.items())
    ]
    return Collection(COLLECTION, entries)


def _clips(folder: Path, manifest: bytes) -> dict[str, bytes]:
    """The files a manifest names that exist in the folder (`check_pack` judges the names and the rest)."""
    try:
        clips = json.loads(manifest).get("clips")
    except (ValueError, AttributeError):
        return {}
    if not isinstance(clips, dict):
        return {}
    found = {}
    for name in clips.values():
        path = folder / name if isinstance(name, str) and Path(name).name == name else None
        if path is not None and path.is_file():
            found[name] = _read(path, MAX_CLIP_BYTES)
    return found


def _read(path: Path, limit: int) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise CityError(f"{path}: over {limit} bytes", f"{path} 过大，未发布")
        return path.read_bytes()
    except FileNotFoundError:
        raise CityError(f"{path} is missing", f"缺少 {path}，未发布") from None
    except OSError as exc:
        raise CityError(f"{path}: {exc}", f"无法读取 {path}（{exc.strerror}），未发布") from None
