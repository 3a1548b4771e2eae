"""The hall's voice: every call and 重呼 of the queue said in turn, chime first, twice, never cut off.

`VoiceCaller` subscribes to the queue; each `TicketCalled` / `TicketRecalled` whose ticket is now called
is put in line, and the caller's own thread says one call at a time (the next waits for the end of the
one playing). A call that cannot be said (no pack, a player error) is logged and the next one is said.
`say(number, window)` puts a call in line by hand (`kiosk voice say`). The log names the number and
window only: nothing about a resident is known here. With `announce` (the services' bus), the caller
says when it starts saying a call (`Saying`), or that it could not (`failed`): the hall's displays show
the call's banner then (kiosk/api/display_routes.py passes it to the feed).
"""

from __future__ import annotations

import logging
import queue as queue_mod
import threading
from collections.abc import Callable

from kiosk.queue import TicketCalled, TicketRecalled
from kiosk.voice.events import Saying
from kiosk.voice.join import join
from kiosk.voice.pack import VoicePack, VoicePackError
from kiosk.voice.player import PlayerError
from kiosk.voice.script import ScriptError, announcement, pinyin

log = logging.getLogger(__name__)


class VoiceCaller:
    def __init__(
        self,
        pack: Callable[[], VoicePack],
        player,
        *,
        times: int = 2,
        announce: Callable[[object], None] = lambda event: None,
    ):
        self._pack = pack  # asked before every call, so a newly published pack speaks the next one
        self.player = player
        self.times = times
        self.announce = announce
        self._line: queue_mod.Queue = queue_mod.Queue()
        self._unsubscribe: Callable[[], None] = lambda: None
        self._thread = threading.Thread(target=self._speak, name="voice-caller", daemon=True)
        self._thread.start()

    def listen(self, queue) -> VoiceCaller:
        """Say the calls of `queue` from now on."""
        self._unsubscribe = queue.subscribe(self._heard)
        return self

    def _heard(self, event) -> None:
        if (
            isinstance(event, TicketCalled | TicketRecalled)
            and event.ticket
            and event.ticket.status == "called"
        ):
            self._line.put((event.ticket.number, event.ticket.window))

    def say(self, number: str, window: int) -> None:
        self._line.put((number, window))

    def waiting(self) -> int:
        return self._line.qsize()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once every call put in line so far has been said (or failed)."""
        done = threading.Event()
        self._line.put(done)
        return done.wait(timeout)

    def close(self, *, wait: bool = True) -> None:
        """Stop listening; with `wait` the calls already in line are said first, else only the one
        being said is finished (at most a few seconds later the thread ends by itself)."""
        self._unsubscribe()
        if not wait:
            try:
                while True:
                    item = self._line.get_nowait()
                    if isinstance(item, threading.Event):
                        item.set()  # whoever waits for the line to be said is not left waiting
            except queue_mod.Empty:
                pass
        self._line.put(None)
        if wait:
            self._thread.join()

    def _speak(self) -> None:
        try:
            self._pack()  # load (or build) the pack now rather than at the first call
        except VoicePackError as exc:
            log.error("voice: no pack yet: %s", exc)
        while True:
            item = self._line.get()
            if item is None:
                return
            if isinstance(item, threading.Event):
                item.set()
                continue
            number, window = item
            try:
                clips = announcement(number, window, self.times)
                wav = join(self._pack(), clips).wav
                self.announce(Saying(number, window))
                self.player.play(wav)
                log.info(
                    "voice: said %s at window %s", number, window, extra={"fields": {"say": pinyin(clips)}}
                )
            except (VoicePackError, PlayerError, ScriptError) as exc:
                log.error("voice: %s at window %s not said: %s", number, window, exc)
                self.announce(Saying(number, window, failed=True))
