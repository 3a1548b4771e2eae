"""A voice pack: a directory of WAV clips named in `manifest.json`, checked whole before it is used.

    {"name": "…", "version": 1, "gap_ms": 60, "pause_ms": 700,
     "clips": {"chime": "chime.wav", "qing": "qing.wav", "letter_a": "a.wav", "digit_0": "0.wav", …}}

Every clip of `script.CLIPS` must be there, each a plain file name inside the directory, an uncompressed
PCM WAV of at most `MAX_CLIP_SECONDS`, and all of one format (rate, channels, sample width), so clips
join without converting. The default pack is built with espeak-ng (`build_pack`); a city may publish a
better one (recorded by a person) as such a directory, and the kiosk then uses it (`choose`). A pack
that is not right is a `VoicePackError` naming the file and the clip, in Chinese for staff.
"""

from __future__ import annotations

import json
import logging
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.i18n import tr
from kiosk.voice.script import CLIPS

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MAX_CLIP_SECONDS = 10.0
MAX_MANIFEST_BYTES = 100_000


class VoicePackError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


@dataclass(frozen=True)
class Clip:
    frames: bytes
    seconds: float


@dataclass(frozen=True)
class VoicePack:
    path: Path
    name: str
    rate: int
    channels: int
    width: int  # bytes per sample
    gap_ms: int
    pause_ms: int
    clips: dict[str, Clip]

    @classmethod
    def load(cls, path: Path) -> VoicePack:
        manifest = _manifest(path)
        entries = manifest.get("clips")
        if not isinstance(entries, dict):
            raise VoicePackError(
                f"{path}/{MANIFEST}: no clips",
                tr("语音包 {path} 的 {manifest} 缺少 clips", path=path, manifest=MANIFEST),
            )
        missing = [name for name in CLIPS if name not in entries]
        if missing:
            raise VoicePackError(
                f"{path}: clips missing: {', '.join(missing)}",
                tr("语音包 {path} 缺少片段：{missing}", path=path, missing="、".join(missing)),
            )
        clips: dict[str, Clip] = {}
        shape: tuple[int, int, int] | None = None
        for name in CLIPS:
            params, clip = _clip(path, name, entries[name])
            if shape is None:
                shape = params
            elif params != shape:
                raise VoicePackError(
                    f"{path}: clip {name} is {params}, others {shape}",
                    tr(
                        "语音包 {path} 的片段“{name}”格式（采样率、声道、位深）与其他片段不同",
                        path=path,
                        name=name,
                    ),
                )
            clips[name] = clip
        rate, channels, width = shape
        return cls(
            path=path,
            name=str(manifest.get("name", path.name))[:100],
            rate=rate,
            channels=channels,
            width=width,
            gap_ms=_millis(manifest, "gap_ms", 60, path),
            pause_ms=_millis(manifest, "pause_ms", 700, path),
            clips=clips,
        )


def _manifest(path: Path) -> dict:
    file = path / MANIFEST
    try:
        if file.stat().st_size > MAX_MANIFEST_BYTES:
            raise VoicePackError(f"{file}: too large", tr("{file} 过大", file=file))
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VoicePackError(
            f"{file} missing", tr("语音包 {path} 没有 {manifest}", path=path, manifest=MANIFEST)
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VoicePackError(f"{file}: {exc}", tr("无法读取 {file}（不是有效的 JSON）", file=file)) from None
    if not isinstance(data, dict):
        raise VoicePackError(f"{file}: not an object", tr("{file} 应为 JSON 对象", file=file))
    return data


def _millis(manifest: dict, key: str, default: int, path: Path) -> int:
    value = manifest.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5000:
        raise VoicePackError(
            f"{path}: {key} must be 0-5000",
            tr("语音包 {path} 的 {key} 应为 0 到 5000 的整数", path=path, key=key),
        )
    return value


def _clip(path: Path, name: str, file_name) -> tuple[tuple[int, int, int], Clip]:
    if not isinstance(file_name, str) or not file_name or Path(file_name).name != file_name:
        raise VoicePackError(
            f"{path}: clip {name} must be a file name in the pack",
            tr("语音包 {path} 的片段“{name}”应为包内的文件名", path=path, name=name),
        )
    file = path / file_name
    try:
        with wave.open(str(file), "rb") as reader:
            params = (reader.getframerate(), reader.getnchannels(), reader.getsampwidth())
            frames = reader.getnframes()
            if reader.getcomptype() != "NONE" or params[2] not in (1, 2) or not 8000 <= params[0] <= 48000:
                raise VoicePackError(
                    f"{file}: unsupported WAV {params}",
                    tr("{file} 不是支持的 WAV（应为 PCM 8/16 位）", file=file),
                )
            if frames / params[0] > MAX_CLIP_SECONDS:
                raise VoicePackError(
                    f"{file}: longer than {MAX_CLIP_SECONDS} s",
                    tr("{file} 超过 {max_clip_seconds:g} 秒", file=file, max_clip_seconds=MAX_CLIP_SECONDS),
                )
            data = reader.readframes(frames)
    except FileNotFoundError:
        raise VoicePackError(
            f"{file} missing", tr("语音包缺少文件 {file}（片段“{name}”）", file=file, name=name)
        ) from None
    except (OSError, EOFError, wave.Error) as exc:
        raise VoicePackError(
            f"{file}: {exc}", tr("{file} 不是有效的 WAV 文件（片段“{name}”）", file=file, name=name)
        ) from None
    return params, Clip(data, frames / params[0])


def choose(city: Path, default: Path) -> VoicePack:
    """The city's pack when there is one and it is right, else the default pack."""
    if (city / MANIFEST).exists():
        try:
            return VoicePack.load(city)
        except VoicePackError as exc:
            log.error("voice: the city's pack is not used: %s", exc)
    return VoicePack.load(default)


class PackSource:
    """The pack to speak with now, under `root` (the data directory's `voice/`): the city's (`city/`,
    published through the channel) when it is there and right, else the default (`default/`), built with
    espeak-ng the first time it is needed if the package did not build it. Loaded again when the city's
    manifest changes."""

    def __init__(self, root: Path, build: Callable[[Path], VoicePack] | None = None):
        self.root = root
        self._build = build
        self._loaded: tuple[float | None, VoicePack] | None = None

    def __call__(self) -> VoicePack:
        manifest = self.root / "city" / MANIFEST
        stamp = manifest.stat().st_mtime if manifest.exists() else None
        if self._loaded is None or self._loaded[0] != stamp:
            default = self.root / "default"
            if not (default / MANIFEST).exists() and self._build is not None:
                self._build(default)
            self._loaded = (stamp, choose(self.root / "city", default))
        return self._loaded[1]
