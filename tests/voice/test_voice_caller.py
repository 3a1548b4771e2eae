"""The hall's voice over a real queue: each call and 重呼 said in turn through a real player program,
never cut off; what was played is decoded (clip sequence and duration)."""

from __future__ import annotations

import io
import json
import shutil
import wave
from datetime import datetime, timedelta, timezone

import pytest

from kiosk.queue import Queue, parse_config
from kiosk.voice.caller import VoiceCaller
from kiosk.voice.join import join
from kiosk.voice.pack import PackSource, VoicePack
from kiosk.voice.player import CommandPlayer, FilePlayer, PlayerError, make_player
from kiosk.voice.script import announcement

HALL = {
    "service": [{"key": "shebao", "name": "社保医保", "prefix": "A"}],
    "window": [{"number": 12, "name": "12号窗口", "services": ["shebao"]}],
}


@pytest.fixture
def queue(tmp_path):
    clock = lambda: datetime(2026, 12, 4, 10, 0, tzinfo=timezone(timedelta(hours=8)))  # noqa: E731
    q = Queue.open(tmp_path / "data", clock=clock)
    q.configure(parse_config(HALL))
    yield q
    q.close()


def played(source) -> tuple[bytes, float]:
    """The frames and seconds of a WAV file (a path, or its bytes)."""
    with wave.open(io.BytesIO(source) if isinstance(source, bytes) else str(source)) as reader:
        return reader.readframes(reader.getnframes()), reader.getnframes() / reader.getframerate()


def test_calls_and_recalls_are_said_in_order_through_a_player_program(queue, default_pack, tmp_path):
    # a real program the caller runs for each call: it keeps the WAV and takes 0.3 s to "play" it
    log = tmp_path / "played"
    log.mkdir()
    program = tmp_path / "player.sh"
    program.write_text(
        f'#!/bin/sh\nstart=$(date +%s%N)\nsleep 0.3\ncp "$1" {log}/$start-$(date +%s%N).wav\n',
        encoding="utf-8",
    )
    program.chmod(0o755)
    caller = VoiceCaller(lambda: default_pack, CommandPlayer(str(program))).listen(queue)
    try:
        queue.take("shebao")
        queue.take("shebao")
        queue.call_next(12)
        queue.recall(12)
        queue.call_next(12, finish_current=True)
        queue.start(12)  # not a call: nothing said
        assert caller.wait_idle(30)
    finally:
        caller.close()
    files = sorted(log.iterdir())
    expected = [announcement(n, 12) for n in ("A001", "A001", "A002")]
    assert len(files) == 3
    for file, clips in zip(files, expected, strict=True):
        frames, seconds = played(file)
        joined = join(default_pack, clips)
        assert frames == played(joined.wav)[0]  # the exact clips, in order
        assert seconds == pytest.approx(joined.seconds)
    spans = [tuple(int(x) for x in f.stem.split("-")) for f in files]
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert start >= end  # one call ends before the next begins: never cut off


def test_a_failing_player_loses_that_call_only(queue, default_pack, tmp_path, caplog):
    failing = tmp_path / "fail.sh"
    failing.write_text("#!/bin/sh\necho no sound card >&2\nexit 1\n", encoding="utf-8")
    failing.chmod(0o755)
    caller = VoiceCaller(lambda: default_pack, CommandPlayer(str(failing)))
    caller.say("A001", 12)
    caller.say("A 1", 12)  # cannot be said
    assert caller.wait_idle(30)
    caller.player = FilePlayer(tmp_path / "calls")
    caller.say("A002", 12)
    assert caller.wait_idle(30)
    caller.close()
    assert "not said" in caplog.text and "no sound card" in caplog.text
    assert [p.name for p in sorted((tmp_path / "calls").iterdir())] == ["call-000001.wav"]


def test_calls_play_through_aplay(default_pack):
    if not shutil.which("aplay"):
        pytest.skip("aplay is not installed (python3 quickstart.py test installs alsa-utils)")
    player = make_player("aplay -q -D null")  # ALSA's null device: the machine may have no sound card
    player.play(join(default_pack, announcement("A001", 3)).wav)
    with pytest.raises(PlayerError) as caught:  # a sound card that is not there
        make_player("aplay -q -D no-such-card").play(join(default_pack, ["chime"]).wav)
    assert "播放程序 aplay 出错" in caught.value.zh


def test_the_player_setting_is_checked(tmp_path, monkeypatch):
    assert isinstance(make_player(f"file:{tmp_path}/calls"), FilePlayer)
    for setting in ("no-such-player-program", "", '"unclosed'):
        with pytest.raises(PlayerError) as caught:
            make_player(setting)
        assert "voice.player" in caught.value.zh
    monkeypatch.setenv("PATH", str(tmp_path))  # no player at all
    with pytest.raises(PlayerError) as caught:
        make_player("auto")
    assert "alsa-utils" in caught.value.zh


def test_kiosk_voice_say_writes_the_call_and_prints_its_pinyin(cli_env, default_pack, tmp_path, capsys):
    from kiosk.cli import main

    out = tmp_path / "call.wav"
    assert main(["voice", "say", "a012", "12", "--pack", str(default_pack.path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "qing3 A ling2 yi1 er4 hao4 dao4 shi2 er4 hao4 chuang1 kou3 ban4 li3" in printed
    assert played(out)[1] == pytest.approx(join(default_pack, announcement("A012", 12)).seconds)
    assert main(["voice", "check", str(default_pack.path)]) == 0
    assert "语音包有效" in capsys.readouterr().out
    assert json.loads((default_pack.path / "manifest.json").read_text(encoding="utf-8"))["version"] == 1


def test_a_pack_the_city_publishes_speaks_the_next_call(default_pack, tmp_path):
    root = tmp_path / "voice"
    shutil.copytree(default_pack.path, root / "default")
    source = PackSource(root)
    caller = VoiceCaller(source, FilePlayer(tmp_path / "calls"))
    caller.say("A001", 3)
    assert caller.wait_idle(30)
    city = root / "city"
    shutil.copytree(default_pack.path, city)
    with wave.open(str(city / "chime.wav"), "wb") as chime:  # the city's own chime: a short beep
        chime.setnchannels(1)
        chime.setsampwidth(2)
        chime.setframerate(default_pack.rate)
        chime.writeframes(b"\x00\x40\x00\xc0" * 2000)
    caller.say("A002", 3)
    assert caller.wait_idle(30)
    caller.close()
    first, second = sorted((tmp_path / "calls").iterdir())
    assert played(first)[0] == played(join(default_pack, announcement("A001", 3)).wav)[0]
    city_pack = VoicePack.load(city)
    assert played(second)[0] == played(join(city_pack, announcement("A002", 3)).wav)[0]
