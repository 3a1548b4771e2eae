"""Building the default voice pack with Debian's espeak-ng (`kiosk voice build-pack DIR`).

Mandarin clips are spoken by espeak-ng's `cmn-latn-pinyin` voice from pinyin with tone numbers (the plain
`cmn` voice of Debian 12 reads tone digits as English numbers); letters by its English voice, since
halls say the letter of "A001" by its English name. Each clip's leading and trailing silence is cut, so
joined clips sound like one sentence. The chime (叮咚) is two decaying sine tones made here. The pack is
written to a temporary directory next to DIR and renamed into place, so a pack is whole or absent.
"""

from __future__ import annotations

import array
import json
import math
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from kiosk.i18n import tr
from kiosk.voice.pack import MANIFEST, VoicePack, VoicePackError
from kiosk.voice.script import CHIME, LETTERS, PINYIN

RATE = 22050  # espeak-ng's own rate: no resampling
SPEED = 135  # words a minute: slower than espeak's 175, for a hall and for elderly ears
SILENCE = 400  # a sample below this (of 32767) counts as silence when trimming
MARGIN = 0.015  # seconds kept before and after the voice


def espeak(text: str, voice: str, out: Path) -> None:
    try:
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(SPEED), "-w", str(out), text],
            check=True,
            capture_output=True,
            timeout=30,
        )
    except FileNotFoundError:
        raise VoicePackError(
            "espeak-ng is not installed",
            tr("没有安装 espeak-ng，无法生成语音包（apt-get install espeak-ng）"),
        ) from None
    except subprocess.CalledProcessError as exc:
        raise VoicePackError(
            f"espeak-ng failed on {text!r}: {exc.stderr.decode(errors='replace')[:200]}",
            tr("espeak-ng 无法朗读“{text}”", text=text),
        ) from None


def trim(path: Path) -> None:
    with wave.open(str(path), "rb") as reader:
        if reader.getsampwidth() != 2 or reader.getnchannels() != 1 or reader.getframerate() != RATE:
            raise VoicePackError(f"{path}: unexpected espeak-ng output", tr("espeak-ng 输出的格式不对"))
        samples = array.array("h", reader.readframes(reader.getnframes()))
    loud = [i for i, s in enumerate(samples) if abs(s) >= SILENCE]
    margin = int(MARGIN * RATE)
    if loud:
        samples = samples[max(0, loud[0] - margin) : loud[-1] + margin]
    write(path, samples)


def write(path: Path, samples: array.array) -> None:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes(samples.tobytes())


def chime() -> array.array:
    """叮咚: G5 then E5, each struck and fading, 0.9 s in all."""
    samples = array.array("h")
    for frequency, seconds in ((784.0, 0.4), (659.3, 0.5)):
        count = int(seconds * RATE)
        for n in range(count):
            t = n / RATE
            envelope = min(1.0, t / 0.005) * math.exp(-4.0 * t)
            tone = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(4 * math.pi * frequency * t)
            samples.append(int(12000 * envelope * tone))
    return samples


def build(target: Path) -> VoicePack:
    """Write the default pack to `target` (replacing one there) and return it, checked."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".voice-", dir=target.parent))
    try:
        clips = {CHIME: "chime.wav"}
        write(staging / "chime.wav", chime())
        for name, reading in PINYIN.items():
            clips[name] = f"{name}.wav"
            espeak(reading, "cmn-latn-pinyin", staging / clips[name])
            trim(staging / clips[name])
        for name, letter in LETTERS.items():
            clips[name] = f"{name}.wav"
            espeak(letter, "en", staging / clips[name])
            trim(staging / clips[name])
        manifest = {
            "name": tr("默认语音包（espeak-ng 合成）"),
            "version": 1,
            "source": "espeak-ng cmn-latn-pinyin / en",
            "gap_ms": 40,
            "pause_ms": 800,
            "clips": clips,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        VoicePack.load(staging)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return VoicePack.load(target)
