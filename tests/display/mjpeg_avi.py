"""A real video for the display's tests: an MJPEG AVI of plain frames, written with the standard RIFF
layout (no encoder is installed on a test machine; FFmpeg, QtMultimedia's backend, plays it)."""

from __future__ import annotations

import io
import struct

from PIL import Image


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def _list(kind: bytes, data: bytes) -> bytes:
    return _chunk(b"LIST", kind + data)


def mjpeg_avi(seconds: int, fps: int = 5, size: tuple[int, int] = (320, 180)) -> bytes:
    """`seconds` of video at `fps` frames a second, each frame a shade of the zone's blue."""
    width, height = size
    frames = []
    for n in range(seconds * fps):
        out = io.BytesIO()
        Image.new("RGB", size, (11, 61 + n % 100, 145)).save(out, "JPEG", quality=60)
        frames.append(out.getvalue())
    count, biggest = len(frames), max(len(f) for f in frames)
    avih = struct.pack(
        "<14I", 1_000_000 // fps, biggest * fps, 0, 0x10, count, 0, 1, biggest, width, height, 0, 0, 0, 0
    )
    strh = b"vidsMJPG" + struct.pack(
        "<IHHIIIIIIiI4h", 0, 0, 0, 0, 1, fps, 0, count, biggest, -1, 0, 0, 0, width, height
    )
    strf = struct.pack("<IiiHH4sIiiII", 40, width, height, 1, 24, b"MJPG", width * height * 3, 0, 0, 0, 0)
    header = _list(
        b"hdrl", _chunk(b"avih", avih) + _list(b"strl", _chunk(b"strh", strh) + _chunk(b"strf", strf))
    )
    movi, index, offset = b"", b"", 4  # offsets count from the 'movi' fourcc
    for frame in frames:
        chunk = _chunk(b"00dc", frame)
        index += b"00dc" + struct.pack("<III", 0x10, offset, len(frame))
        movi += chunk
        offset += len(chunk)
    body = b"AVI " + header + _list(b"movi", movi) + _chunk(b"idx1", index)
    return b"RIFF" + struct.pack("<I", len(body)) + body
