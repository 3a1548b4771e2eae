"""Playing a call's WAV, to the end, on the caller's own thread.

A player program rather than QtMultimedia: the caller runs on a thread of its own in `kiosk/`, which
may not import Qt, and a call must never be cut off by the touch screen's work or wait for the GUI
thread; a subprocess that returns when the sound has been played gives exactly that, and ALSA's `aplay`
(alsa-utils) or PipeWire's `pw-play` is on every Debian kiosk image. `voice.player`:

- `auto`: `pw-play` when PipeWire runs, else `aplay`, else `paplay`;
- a command (`aplay`, `/usr/bin/pw-play`, `aplay -D plughw:1,0`), given the WAV file as its last argument;
- `file:DIR`: write each call as `DIR/call-NNNNNN.wav` instead of playing it (a hall without speakers
  that records its calls, and the tests, which decode what was "played").
"""

from __future__ import annotations

import itertools
import os
import shlex
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from kiosk.i18n import tr

PLAY_TIMEOUT = 120.0  # seconds; a player that hangs longer is stopped


class PlayerError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


class CommandPlayer:
    def __init__(self, command: str):
        self.argv = shlex.split(command)
        self.program = self.argv[0]

    def play(self, wav: bytes) -> None:
        with tempfile.NamedTemporaryFile(prefix="zwgk-call-", suffix=".wav") as file:
            file.write(wav)
            file.flush()
            try:
                done = subprocess.run(
                    [*self.argv, file.name], capture_output=True, timeout=PLAY_TIMEOUT, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise PlayerError(
                    f"{self.program}: {exc}", tr("播放程序 {program} 无法播放", program=self.program)
                ) from None
            if done.returncode != 0:
                raise PlayerError(
                    f"{self.program} exited {done.returncode}: {done.stderr.decode(errors='replace')[:200]}",
                    tr("播放程序 {program} 出错（请检查音箱和声卡）", program=self.program),
                )


class FilePlayer:
    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._numbers = itertools.count(len(list(directory.glob("call-*.wav"))) + 1)
        self._lock = threading.Lock()

    def play(self, wav: bytes) -> None:
        with self._lock:
            path = self.directory / f"call-{next(self._numbers):06d}.wav"
        partial = path.with_suffix(".part")
        partial.write_bytes(wav)
        os.replace(partial, path)  # a reader never sees half a call


def make_player(setting: str):
    """The player `voice.player` names; PlayerError when none can be found."""
    if setting.startswith("file:"):
        return FilePlayer(Path(setting.removeprefix("file:")))
    if setting == "auto":
        running_pipewire = (
            os.environ.get("PIPEWIRE_RUNTIME_DIR")
            or Path(os.environ.get("XDG_RUNTIME_DIR", "/nonexistent"), "pipewire-0").exists()
        )
        candidates = (["pw-play"] if running_pipewire else []) + ["aplay", "paplay"]
        for name in candidates:
            if shutil.which(name):
                return CommandPlayer(name)
        raise PlayerError(
            "no audio player (pw-play, aplay, paplay) found",
            tr("找不到播放程序（pw-play、aplay 或 paplay），语音叫号无法播放；请安装 alsa-utils"),
        )
    try:
        program = shlex.split(setting)[0]
    except (ValueError, IndexError):
        program = ""
    if not program or not shutil.which(program):
        raise PlayerError(
            f"player {setting!r} not found",
            tr("找不到播放程序“{setting}”（配置项 voice.player）", setting=setting),
        )
    return CommandPlayer(setting)
