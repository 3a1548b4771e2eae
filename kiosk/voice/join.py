"""Joining a pack's clips into one WAV: what the player plays for one call.

Between two clips goes `gap_ms` of silence, and `pause_ms` where the script has a pause ("" between the
two sayings of a call). `Joined.segments` says where each clip landed (for tests and logs).
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

from kiosk.voice.pack import VoicePack


@dataclass(frozen=True)
class Segment:
    clip: str  # "" for a pause
    start: float  # seconds
    seconds: float


@dataclass(frozen=True)
class Joined:
    wav: bytes
    seconds: float
    segments: tuple[Segment, ...]


def join(pack: VoicePack, clips: list[str]) -> Joined:
    frame = pack.channels * pack.width
    silence_byte = b"\x80" if pack.width == 1 else b"\x00"  # 8-bit WAV is unsigned

    def silence(ms: int) -> bytes:
        return silence_byte * (pack.rate * ms // 1000 * frame)

    body = bytearray()
    segments = []
    for index, name in enumerate(clips):
        if index and name and clips[index - 1]:
            body += silence(pack.gap_ms)
        data = silence(pack.pause_ms) if not name else pack.clips[name].frames
        segments.append(Segment(name, len(body) / frame / pack.rate, len(data) / frame / pack.rate))
        body += data
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(pack.channels)
        writer.setsampwidth(pack.width)
        writer.setframerate(pack.rate)
        writer.writeframes(bytes(body))
    return Joined(out.getvalue(), len(body) / frame / pack.rate, tuple(segments))
