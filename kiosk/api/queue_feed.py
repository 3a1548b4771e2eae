"""The queue's events on the SSE feed, for displays, the voice of other machines and the pages.

- `call` at once for every call, 回呼 and 重呼: number, service, window, `recall`, time;
- `ticket` for every other change of a ticket: its number, status and window (status pages refresh);
- `queue`: the hall's state (`queue_json.hall_json`) after each burst of changes, coalesced.

The queue tells its subscribers on the thread that made the change (a ticket press, a window's call), so
the callback only hands the event to this module's own thread, which reads the snapshot and publishes.
"""

from __future__ import annotations

import logging
import queue as queue_mod
import threading

from kiosk.api.queue_json import call_json, hall_json
from kiosk.queue import Call, QueueError, TicketCalled, TicketRecalled

log = logging.getLogger(__name__)


class QueueFeed:
    def __init__(self, queue, feed):
        self.queue = queue
        self.feed = feed
        self._events: queue_mod.Queue = queue_mod.Queue()
        self._thread = threading.Thread(target=self._pump, name="queue-feed", daemon=True)
        self._unsubscribe = queue.subscribe(self._events.put)
        self._thread.start()

    def close(self) -> None:
        self._unsubscribe()
        self._events.put(None)
        self._thread.join(5)

    def _pump(self) -> None:
        while True:
            event = self._events.get()
            pending = [event]
            while not self._events.empty():  # a burst is published as one `queue` state
                pending.append(self._events.get())
            for event in pending:
                if event is None:
                    return
                try:
                    self._publish(event)
                except Exception:  # noqa: BLE001 - the feed must outlive one bad event
                    log.exception("queue feed: %s not published", type(event).__name__)
            try:
                self.feed.publish("queue", hall_json(self.queue.snapshot(10)))
            except QueueError as exc:
                log.error("queue feed: no snapshot: %s", exc)

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
                window_name=window.name if window else f"{ticket.window}号窗口",
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
