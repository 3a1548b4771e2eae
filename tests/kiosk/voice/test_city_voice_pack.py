"""A voice pack the city publishes (`city publish --voice-pack DIR`) is checked before it is signed, reaches
the kiosk in the channel, is installed whole into `DATA/voice/city` after the sync and speaks the next
call (decoded from what the player got); a pack missing a clip is refused on both sides and the pack in
use stays; a withdrawn pack gives the built-in one back."""

from __future__ import annotations

import io
import json
import math
import shutil
import struct
import wave
from datetime import datetime, timedelta, timezone

import pytest
from city_hall import make_hall, sync
from hypothesis import given, settings
from hypothesis import strategies as st

from city import cli as city_cli
from city.publish import Collection, publish
from city.voice_publish import COLLECTION
from content.channel import Entry
from content.voice_pack import CLIPS, MANIFEST, VoicePackRefused, check_pack
from kiosk import city_files
from kiosk.cli import main as kiosk_main
from kiosk.queue import Queue, parse_config
from kiosk.voice.caller import VoiceCaller
from kiosk.voice.join import join
from kiosk.voice.pack import PackSource, VoicePack
from kiosk.voice.player import FilePlayer
from kiosk.voice.script import CLIPS as SCRIPT_CLIPS
from kiosk.voice.script import announcement

RATE = 16000
HALL = {
    "service": [{"key": "shebao", "name": "社保医保", "prefix": "A"}],
    "window": [{"number": 3, "name": "3号窗口", "services": ["shebao"]}],
}


def tone(seconds: float, pitch: float, *, rate: int = RATE, channels: int = 1, width: int = 2) -> bytes:
    frames = int(seconds * rate)
    samples = [int(8000 * math.sin(2 * math.pi * pitch * n / rate)) for n in range(frames)]
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        data = b"".join(struct.pack("<h", s) * channels for s in samples)
        writer.writeframes(data if width == 2 else bytes(len(data) // 2 * width // 2 * 2))
    return out.getvalue()


def recorded_pack(folder, *, without: str = "", odd: dict[str, bytes] | None = None):
    """A 'recorded' pack at 16 kHz: each clip a tone of its own pitch and length."""
    folder.mkdir(parents=True, exist_ok=True)
    clips = {}
    for i, name in enumerate(CLIPS):
        if name == without:
            continue
        clips[name] = f"{name}.wav"
        (folder / f"{name}.wav").write_bytes((odd or {}).get(name) or tone(0.15 + 0.01 * i, 200 + 20 * i))
    manifest = {"name": "定州市录音语音包", "version": 1, "gap_ms": 50, "pause_ms": 500, "clips": clips}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


def said(directory) -> list[tuple[bytes, int]]:
    result = []
    for path in sorted(directory.glob("call-*.wav")):
        with wave.open(str(path)) as reader:
            result.append((reader.readframes(reader.getnframes()), reader.getframerate()))
    return result


def test_the_clip_names_are_the_scripts():
    assert CLIPS == SCRIPT_CLIPS


def frames(wav: bytes) -> bytes:
    with wave.open(io.BytesIO(wav)) as reader:
        return reader.readframes(reader.getnframes())


def test_a_published_pack_speaks_the_next_call_after_the_sync(tmp_path, default_pack, capsys, monkeypatch):
    home, data_dir = make_hall(tmp_path)
    shutil.copytree(default_pack.path, data_dir / "voice" / "default")
    clock = lambda: datetime(2026, 12, 4, 10, 0, tzinfo=timezone(timedelta(hours=8)))  # noqa: E731
    queue = Queue.open(data_dir, clock=clock)
    queue.configure(parse_config(HALL))
    played = tmp_path / "played"
    caller = VoiceCaller(PackSource(data_dir / "voice"), FilePlayer(played), times=1).listen(queue)
    try:
        queue.take("shebao")
        queue.take("shebao")
        queue.call_next(3)
        assert caller.wait_idle(30)
        assert (
            city_cli.main(
                ["--home", str(home.path), "publish", "--voice-pack", str(recorded_pack(tmp_path / "rec"))]
            )
            == 0
        )
        sync(home, data_dir)
        queue.call_next(3, finish_current=True)
        assert caller.wait_idle(30)
    finally:
        caller.close()
        queue.close()
    city_pack = VoicePack.load(data_dir / "voice" / "city")
    assert city_pack.name == "定州市录音语音包" and (data_dir / "voice" / "city").is_symlink()
    (before, before_rate), (after, after_rate) = said(played)
    assert before_rate == 22050 and before == frames(join(default_pack, announcement("A001", 3, 1)).wav)
    assert after_rate == RATE and after == frames(join(city_pack, announcement("A002", 3, 1)).wav)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data_dir))
    assert kiosk_main(["sync", "status"]) == 0
    assert "市级语音包" in capsys.readouterr().out
    assert city_files.status(data_dir)["voice_pack"]["state"] == "installed"


@pytest.mark.parametrize(
    ("change", "zh"),
    [
        ({"without": "digit_7"}, "缺少片段：digit_7"),
        ({"odd": {"qing": tone(0.2, 300, channels=2)}}, "应为单声道"),
        ({"odd": {"dao": tone(0.2, 300, rate=22050)}}, "格式（采样率、位深）与其他片段不同"),
        ({"odd": {"hao": tone(10.5, 300)}}, "超过 10 秒"),
        ({"odd": {"banli": b"RIFF\0\0\0\0WAVEjunk"}}, "不是有效的 WAV 文件"),
    ],
)
def test_the_city_refuses_a_pack_that_is_not_right(tmp_path, change, zh, capsys):
    home, _ = make_hall(tmp_path)
    before = home.repo.current_root()
    folder = recorded_pack(tmp_path / "rec", **change)
    assert city_cli.main(["--home", str(home.path), "publish", "--voice-pack", str(folder)]) != 0
    assert zh in capsys.readouterr().err
    assert home.repo.current_root() == before  # nothing signed


def test_a_pack_missing_a_clip_is_refused_by_the_kiosk_and_the_pack_in_use_stays(tmp_path):
    home, data_dir = make_hall(tmp_path)
    assert (
        city_cli.main(
            ["--home", str(home.path), "publish", "--voice-pack", str(recorded_pack(tmp_path / "a"))]
        )
        == 0
    )
    sync(home, data_dir)
    installed = (data_dir / "voice" / "city").resolve()
    # a channel signed past the city's check: the manifest names a clip that is not there
    folder = recorded_pack(tmp_path / "b")
    (folder / "digit_7.wav").unlink()
    entries = []
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        entries.append(Entry("file", f"file:voice_pack/{path.name}", home.repo.add_blob(data), len(data)))
    publish(home, Collection(COLLECTION, entries))
    sync(home, data_dir)
    assert (data_dir / "voice" / "city").resolve() == installed
    outcome = city_files.status(data_dir)["voice_pack"]
    assert outcome["state"] == "refused" and "digit_7.wav" in outcome["zh"]

    publish(home, Collection(COLLECTION, []))  # the city withdraws its pack
    sync(home, data_dir)
    assert not (data_dir / "voice" / "city").exists()
    assert city_files.status(data_dir)["voice_pack"]["state"] == "withdrawn"


@settings(max_examples=150, deadline=None)
@given(
    manifest=st.one_of(
        st.binary(max_size=200),
        st.builds(
            lambda d: json.dumps(d).encode(),
            st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=4),
        ),
    ),
    clip=st.binary(max_size=300),
)
def test_any_pack_is_a_manifest_or_a_clear_refusal(manifest, clip):
    files = {MANIFEST: manifest, "chime.wav": clip}
    try:
        assert isinstance(check_pack(files), dict)
    except VoicePackRefused as exc:
        assert exc.zh and "语音包" in exc.zh
