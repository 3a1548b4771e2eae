"""The call banner timed with the hall's voice: with the voice on, a call's banner appears when the voice
starts saying that call (the caller's `Saying`, passed to the feed as `voice`), not when the call is made;
a call the voice cannot say shows at once on its failure; one the voice never reaches shows after
VOICE_WAIT. Over the kiosk's real API and feed, a real queue and the voice tests' player stand-in (a
program that takes a while to "play" each call and logs its start and end)."""

from __future__ import annotations

import pytest
from test_display_screen import Screen, post_notices

from display.player import VOICE_WAIT
from kiosk.config import defaults
from kiosk.queue import parse_config
from kiosk.services import build
from kiosk.voice.caller import VoiceCaller
from kiosk.voice.events import Saying, VoiceStarted
from kiosk.voice.player import CommandPlayer
from kiosk.voice.service import start_voice

HALL = {
    "service": [{"key": "shebao", "name": "社保医保", "prefix": "A"}],
    "window": [{"number": 3, "name": "3号窗口", "services": ["shebao"]}],
}


def stand_in(tmp_path, seconds: float):
    """A player program: logs `start` and `end` lines around a pause of `seconds`."""
    log = tmp_path / "played.log"
    program = tmp_path / "player.sh"
    program.write_text(
        f"#!/bin/sh\necho start >> {log}\nsleep {seconds}\necho end >> {log}\n", encoding="utf-8"
    )
    program.chmod(0o755)
    return CommandPlayer(str(program)), log


@pytest.fixture
def hall(qtbot, kiosk_api, clock, default_pack, tmp_path):
    """The kiosk's queue configured, its voice speaking through the stand-in, and a display showing."""
    services = kiosk_api.services
    services.queue.configure(parse_config(HALL))
    player, log = stand_in(tmp_path, 1.5)
    caller = VoiceCaller(lambda: default_pack, player, announce=services.bus.publish).listen(services.queue)
    services.bus.publish(VoiceStarted())  # as kiosk.voice.service.start_voice does
    post_notices(kiosk_api, 1)
    s = Screen(qtbot, kiosk_api, clock, tmp_path)
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    assert s.player.content["voice"] is True
    s.qtbot.waitUntil(lambda: kiosk_api.runner.feed.clients >= 1, timeout=10_000)
    yield services, s, log
    s.close()
    caller.close(wait=False)


def lines(log) -> list[str]:
    return log.read_text().split() if log.exists() else []


def test_each_banner_appears_when_the_voice_starts_saying_that_call(hall):
    services, s, log = hall
    services.queue.take("shebao")
    services.queue.take("shebao")
    services.queue.call_next(3)
    services.queue.call_next(3, finish_current=True)  # A002 waits in the voice's line behind A001
    seen: list[tuple[str, list[str]]] = []

    def both_said():
        s.player.drain()
        banner = s.value("banner")
        played = lines(log)  # read after the banner: what had been played by the time it showed
        seen.append((banner, played))
        assert banner == "请 A002 号 到 3 号窗口"

    s.qtbot.waitUntil(both_said, timeout=20_000)
    banners = [banner for banner, _ in seen]
    assert "请 A001 号 到 3 号窗口" in banners  # A001's banner came first, while it was said
    for banner, played in seen:
        if banner == "请 A002 号 到 3 号窗口":
            assert played[:2] == ["start", "end"]  # A001 was said whole before A002's banner
        if "end" not in played:
            assert banner in ("", "请 A001 号 到 3 号窗口")  # never A002's while A001 was being said
    assert [c["number"] for c in s.value("calls")] == ["A002", "A001"]


def test_a_call_the_voice_cannot_say_shows_at_once_and_one_never_said_after_the_wait(hall):
    services, s, _ = hall
    services.bus.publish(Saying("B007", 4, failed=True))  # e.g. the player failed
    s.qtbot.waitUntil(lambda: (s.player.drain(), s.value("banner"))[1] == "请 B007 号 到 4 号窗口")
    s.player.called({"number": "C009", "window": 2})  # a call the voice never reaches
    s.tick(VOICE_WAIT - 1)
    assert s.value("banner") != "请 C009 号 到 2 号窗口"
    s.tick(1)
    assert s.value("banner") == "请 C009 号 到 2 号窗口"


def test_start_voice_tells_the_displays_and_announces_each_call(default_pack, tmp_path):
    services = build(defaults().with_values(voice__player=f"file:{tmp_path / 'calls'}"), tmp_path / "k")
    heard: list[Saying] = []
    services.bus.subscribe(Saying, heard.append)
    assert services.signage_desk.voice is False
    pack = tmp_path / "k" / "voice" / "default"
    pack.parent.mkdir(parents=True)
    pack.symlink_to(default_pack.path)
    caller = start_voice(services)
    try:
        assert caller is not None and services.signage_desk.voice is True
        caller.say("A001", 3)
        assert caller.wait_idle(30)
    finally:
        caller.close()
        services.close()
    assert heard == [Saying("A001", 3)]
    assert len(list((tmp_path / "calls").glob("call-*.wav"))) == 1
