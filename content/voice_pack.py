"""A voice pack as the channel carries it: `manifest.json` and the WAV clips it names, checked whole.

The city checks a pack before it signs it (`city publish --voice-pack DIR`) and the kiosk checks what it
received before it installs it (`kiosk/voice/city_pack.py`), with this one function. A pack passes when its
manifest names a file for every clip a call needs (`CLIPS`, the same names as `kiosk/voice/script.py`),
each file is a plain name, holds a mono uncompressed PCM WAV (8 or 16 bit, 8–48 kHz) of at most
`MAX_CLIP_SECONDS` and `MAX_CLIP_BYTES`, all clips share one format, and the pack holds nothing else.
"""

from __future__ import annotations

import io
import json
import re
import string
import wave
from collections.abc import Mapping
from typing import Any

from content.errors import ContentError
from translatable import Message

MANIFEST = "manifest.json"
FOLDER = "voice_pack"  # where the channel's `file:voice_pack/…` entries land in the data directory
CLIPS = (
    "chime",
    *("qing", "hao", "dao", "hao_chuangkou", "banli", "digit_shi", "digit_bai"),
    *(f"digit_{n}" for n in range(10)),
    *(f"letter_{c}" for c in string.ascii_lowercase),
)
CLIP_FILE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}\.wav")
MAX_CLIP_SECONDS = 10.0
MAX_CLIP_BYTES = 2 * 2**20  # 10 s of 16-bit mono at 48 kHz is 0.96 MB
MAX_MANIFEST_BYTES = 100_000
RATES = (8000, 48000)


class VoicePackRefused(ContentError):
    """A voice pack that cannot be used; `zh` names the clip and file."""


def check_pack(files: Mapping[str, bytes]) -> dict[str, Any]:
    """The manifest of a pack given as {file name: bytes}, or `VoicePackRefused` naming the first problem."""
    data = files.get(MANIFEST)
    if data is None:
        raise VoicePackRefused("the voice pack has no manifest.json", Message("语音包缺少 manifest.json"))
    if len(data) > MAX_MANIFEST_BYTES:
        raise VoicePackRefused("manifest.json is too large", Message("语音包的 manifest.json 过大"))
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise VoicePackRefused(
            f"manifest.json is not JSON: {exc}", Message("语音包的 manifest.json 不是有效的 JSON")
        ) from None
    clips = manifest.get("clips") if isinstance(manifest, dict) else None
    if not isinstance(clips, dict):
        raise VoicePackRefused("manifest.json has no clips", Message("语音包的 manifest.json 缺少 clips"))
    missing = [name for name in CLIPS if name not in clips]
    if missing:
        raise VoicePackRefused(
            f"the voice pack lacks clips: {', '.join(missing)}",
            Message("语音包缺少片段：{missing}", missing="、".join(missing)),
        )
    for key in ("gap_ms", "pause_ms"):
        value = manifest.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5000:
            raise VoicePackRefused(
                f"{key} must be 0-5000", Message("语音包的 {key} 应为 0 到 5000 的整数", key=key)
            )
    shape = None
    for name in CLIPS:
        params = _clip(name, clips[name], files)
        if shape is not None and params != shape:
            raise VoicePackRefused(
                f"clip {name} is {params}, the others {shape}",
                Message("语音包片段“{name}”的格式（采样率、位深）与其他片段不同", name=name),
            )
        shape = params
    extra = sorted(set(files) - {MANIFEST} - {clips[name] for name in CLIPS})
    if extra:
        raise VoicePackRefused(
            f"files the manifest does not name: {', '.join(extra[:5])}",
            Message("语音包含有清单未列出的文件：{files}", files="、".join(extra[:5])),
        )
    return manifest


def _clip(name: str, file_name: Any, files: Mapping[str, bytes]) -> tuple[int, int]:
    if not isinstance(file_name, str) or not CLIP_FILE.fullmatch(file_name):
        raise VoicePackRefused(
            f"clip {name}: {str(file_name)[:60]!r} is not a file name like a_1.wav",
            Message(
                "语音包片段“{name}”的文件名无效（应为小写字母、数字、-、_ 组成的 .wav 文件名）", name=name
            ),
        )
    data = files.get(file_name)
    if data is None:
        raise VoicePackRefused(
            f"clip {name}: {file_name} is missing",
            Message("语音包缺少文件 {file_name}（片段“{name}”）", file_name=file_name, name=name),
        )
    if len(data) > MAX_CLIP_BYTES:
        raise VoicePackRefused(
            f"clip {name}: {file_name} is over {MAX_CLIP_BYTES} bytes",
            Message("语音包文件 {file_name} 过大（片段“{name}”，上限 2 MB）", file_name=file_name, name=name),
        )
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            rate, channels, width = reader.getframerate(), reader.getnchannels(), reader.getsampwidth()
            frames, compression = reader.getnframes(), reader.getcomptype()
            whole = len(reader.readframes(frames)) == frames * width * channels
    except (EOFError, wave.Error) as exc:
        raise VoicePackRefused(
            f"clip {name}: {file_name} is not a WAV file ({exc})",
            Message(
                "语音包文件 {file_name} 不是有效的 WAV 文件（片段“{name}”）", file_name=file_name, name=name
            ),
        ) from None
    if compression != "NONE" or channels != 1 or width not in (1, 2) or not RATES[0] <= rate <= RATES[1]:
        raise VoicePackRefused(
            f"clip {name}: {file_name} is {channels} channel(s), {width * 8} bit, {rate} Hz, {compression}",
            Message(
                "语音包文件 {file_name} 应为单声道 8/16 位 PCM、采样率 8000–48000 Hz（片段“{name}”）",
                file_name=file_name,
                name=name,
            ),
        )
    if frames == 0 or frames / rate > MAX_CLIP_SECONDS:
        raise VoicePackRefused(
            f"clip {name}: {file_name} is empty or longer than {MAX_CLIP_SECONDS:g} s",
            Message(
                "语音包文件 {file_name} 为空或超过 {max_clip_seconds:g} 秒（片段“{name}”）",
                file_name=file_name,
                max_clip_seconds=MAX_CLIP_SECONDS,
                name=name,
            ),
        )
    if not whole:
        raise VoicePackRefused(
            f"clip {name}: {file_name} is cut short",
            Message("语音包文件 {file_name} 不完整（片段“{name}”）", file_name=file_name, name=name),
        )
    return rate, width
