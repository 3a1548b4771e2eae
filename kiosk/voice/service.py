"""Starting the hall's voice for `kiosk run` / `kiosk demo`: the caller over the queue's calls, with the
pack and player the configuration names (`voice.*`). Without a queue, with `voice.enabled` off or
without any audio player, there is no voice (the last is logged, in Chinese for staff too)."""

from __future__ import annotations

import logging

from kiosk.voice.build_pack import build
from kiosk.voice.caller import VoiceCaller
from kiosk.voice.events import VoiceStarted
from kiosk.voice.pack import PackSource
from kiosk.voice.player import PlayerError, make_player

log = logging.getLogger(__name__)


def start_voice(services) -> VoiceCaller | None:
    queue = getattr(services, "queue", None)
    config = services.config
    if queue is None or not config["voice.enabled"]:
        return None
    try:
        player = make_player(config["voice.player"])
    except PlayerError as exc:
        log.error("voice: off: %s (%s)", exc, exc.zh)
        return None
    source = PackSource(services.data_dir / "voice", build=build)
    caller = VoiceCaller(source, player, times=config["voice.times"], announce=services.bus.publish)
    services.bus.publish(VoiceStarted())  # the displays now wait for the voice to show a call's banner
    return caller.listen(queue)
