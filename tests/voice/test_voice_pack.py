"""Voice packs: the default one built with espeak-ng's cmn-latn-pinyin voice, checked whole; a city's
pack overrides it; a pack that is not right is refused naming the clip and file."""

from __future__ import annotations

import json
import shutil
import subprocess
import wave

import pytest

from kiosk.voice.join import join
from kiosk.voice.pack import MANIFEST, PackSource, VoicePack, VoicePackError, choose
from kiosk.voice.script import CLIPS, announcement


def copy_pack(pack: VoicePack, target):
    shutil.copytree(pack.path, target)
    return target


def edit_manifest(path, change) -> None:
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    change(manifest)
    (path / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_the_default_pack_has_every_clip_spoken_in_mandarin(default_pack, tmp_path):
    assert set(default_pack.clips) == set(CLIPS)
    assert (default_pack.rate, default_pack.channels, default_pack.width) == (22050, 1, 2)
    for name, clip in default_pack.clips.items():
        assert 0.1 < clip.seconds < 2.0, name
    # Debian 12's plain cmn voice reads the tone digit as an English number: "qing three" is longer
    plain = tmp_path / "plain.wav"
    subprocess.run(["espeak-ng", "-v", "cmn", "-s", "135", "-w", str(plain), "qing3"], check=True)
    with wave.open(str(plain)) as reader:
        plain_seconds = reader.getnframes() / reader.getframerate()
    assert default_pack.clips["qing"].seconds < plain_seconds - 0.2


def test_a_joined_call_holds_each_clip_where_its_segment_says(default_pack, tmp_path):
    clips = announcement("A001", 12)
    joined = join(default_pack, clips)
    path = tmp_path / "call.wav"
    path.write_bytes(joined.wav)
    with wave.open(str(path)) as reader:
        frames = reader.readframes(reader.getnframes())
        rate = reader.getframerate()
        assert reader.getnframes() / rate == pytest.approx(joined.seconds)
    assert [s.clip for s in joined.segments] == clips
    for segment in joined.segments:
        start = round(segment.start * rate) * 2
        expected = (
            default_pack.clips[segment.clip].frames
            if segment.clip
            else b"\0" * (round(segment.seconds * rate) * 2)
        )
        assert frames[start : start + len(expected)] == expected, segment
    # sox decodes the same length (an independent reader of the file)
    if shutil.which("soxi"):
        out = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout
        assert float(out) == pytest.approx(joined.seconds, abs=0.001)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda m: m["clips"].pop("digit_7"), "缺少片段：digit_7"),
        (lambda m: m["clips"].update(qing="../qing.wav"), "应为包内的文件名"),
        (lambda m: m["clips"].update(qing="nowhere.wav"), "缺少文件"),
        (lambda m: m.update(gap_ms=-5), "gap_ms"),
        (lambda m: m.update(clips=[]), "缺少 clips"),
    ],
)
def test_a_pack_that_is_not_right_names_the_problem(default_pack, tmp_path, change, fragment):
    pack = copy_pack(default_pack, tmp_path / "pack")
    edit_manifest(pack, change)
    with pytest.raises(VoicePackError) as caught:
        VoicePack.load(pack)
    assert fragment in caught.value.zh


def test_clips_of_another_format_or_not_wav_are_refused(default_pack, tmp_path):
    pack = copy_pack(default_pack, tmp_path / "pack")
    with wave.open(str(pack / "qing.wav"), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16000)
        writer.writeframes(b"\0\0" * 1600)
    with pytest.raises(VoicePackError) as caught:
        VoicePack.load(pack)
    assert "格式" in caught.value.zh and "qing" in caught.value.zh
    (pack / "qing.wav").write_bytes(b"not a wav at all")
    with pytest.raises(VoicePackError) as caught:
        VoicePack.load(pack)
    assert "不是有效的 WAV" in caught.value.zh


def test_the_citys_pack_overrides_the_default_and_a_broken_one_does_not(default_pack, tmp_path, caplog):
    root = tmp_path / "voice"
    copy_pack(default_pack, root / "default")
    city = copy_pack(default_pack, root / "city")
    edit_manifest(city, lambda m: m.update(name="定州市录音语音包"))
    source = PackSource(root)
    assert source().name == "定州市录音语音包"
    edit_manifest(city, lambda m: m["clips"].pop("banli"))
    assert source().name == default_pack.name  # reloaded: the manifest changed
    assert "city's pack is not used" in caplog.text
    assert choose(tmp_path / "no-city", root / "default").name == default_pack.name


def test_the_default_pack_is_built_when_first_needed(tmp_path, default_pack):
    built = []

    def build(target):
        built.append(target)
        return VoicePack.load(copy_pack(default_pack, target))

    source = PackSource(tmp_path / "voice", build=build)
    assert source().name == default_pack.name
    source()
    assert built == [tmp_path / "voice" / "default"]
