"""The queue's events on the SSE feed, for displays, the voice of other machines and the pages.

- `call` at once for every call, 回呼 and 重呼: number, service, window, `recall`, time;
- `ticket` for every other change of a ticket: its number, status and window (status pages refresh);
- `queue`: the hall's state (`queue_json.hall_json`) after a change, at most every `STATE_INTERVAL`
  (the changes in between are in the next one).

The queue tells its subscribers on the thread that made the change (a ticket press, a window's call), so
the callback only hands the event to this module's own thread, which reads the snapshot and publishes.
"""

from __future__ import annotations

import logging
import queue as queue_mod
import threading
import time

from kiosk.api.hall_cache import HallCache
from kiosk.api.queue_json import call_json, hall_json
from kiosk.i18n import tr
from kiosk.queue import Call, QueueError, TicketCalled, TicketRecalled

log = logging.getLogger(__name__)

STATE_INTERVAL = 0.25  # seconds: at most four `queue` states a second, however busy the hall
_TICK = object()  # the time for a state has come


class QueueFeed:
    def __init__(self, queue, feed):
        self.queue = queue
        self.feed = feed
        self.hall = HallCache(queue)
        self._events: queue_mod.Queue = queue_mod.Queue()
        self._thread = threading.Thread(target=self._pump, name="queue-feed", daemon=True)
        self._unsubscribe = queue.subscribe(self._events.put)
        self._thread.start()

    def close(self) -> None:
        self._unsubscribe()
        self._events.put(None)
        self._thread.join(5)

    def _pump(self) -> None:
        changed, next_state = False, 0.0
        while True:
            wait = max(0.0, next_state - time.monotonic()) if changed else None
            try:
                event = self._events.get(timeout=wait)
            except queue_mod.Empty:
                event = _TICK
            if event is None:
                return
            if event is not _TICK:
                try:
                    self._publish(event)
                except Exception:  # noqa: BLE001 - the feed must outlive one bad event
                    log.exception("queue feed: %s not published", type(event).__name__)
                changed = True
            if changed and time.monotonic() >= next_state:
                try:
                    self.feed.publish("queue", hall_json(self.hall.get()))
                except QueueError as exc:
                    log.error("queue feed: no snapshot: %s", exc)
                changed, next_state = False, time.monotonic() + STATE_INTERVAL

    def _publish(self, event) -> None:
        ticket = event.ticket
        config = self.queue.config
        if (
            isinstance(event, TicketCalled | TicketRecalled)
            and ticket is not None
            and ticket.status == "called"
        ):
            service = config.service(ticket.service)
            window = config.window(ticket.window)
            call = Call(
                number=ticket.number,
                service=ticket.service,
                service_name=service.name if service else ticket.service,
                window=ticket.window,
                window_name=window.name if window else tr("{window}号窗口", window=ticket.window),
                at=event.at,
                recall=isinstance(event, TicketRecalled),
            )
            self.feed.publish("call", call_json(call))
        elif ticket is not None:
            self.feed.publish(
                "ticket",
                {
                    "number": ticket.number,
                    "status": ticket.status,
                    "status_zh": ticket.status_zh,
                    "window": ticket.window,
                },
            )
