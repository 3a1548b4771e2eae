"""The kiosk's server-sent events feed (`GET /api/feed`): calls and queue state for displays and browsers.

`FeedHub.publish(event_type, data)` may be called from any thread (the queue tells its events on the
thread that made them). Each event gets an id `<run>-<n>`: `<run>` is new every time the kiosk starts,
`<n>` counts up. The hub keeps the last `buffer` events, so a client that reconnects with
`Last-Event-ID` (the browser's EventSource sends it by itself; `?last_event_id=` does the same for the
first connection) gets what it missed. When it missed more than the buffer holds, or its id is from an
earlier run of the kiosk, it first gets a `reset` event (then whatever is buffered) and should fetch the
state afresh. A client without an id gets only new events. An idle stream carries a comment line every
`keepalive` seconds, so proxies and the client see it alive. The number of streams is bounded.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from kiosk.i18n import tr

EVENT_TYPE = re.compile(r"[a-z][a-z0-9_.-]{0,63}")
RETRY_MS = 3000  # how long an EventSource waits before reconnecting


@dataclass(frozen=True)
class FeedEvent:
    id: str
    seq: int
    type: str
    data: str  # JSON, one line

    def encode(self) -> bytes:
        return f"id: {self.id}\nevent: {self.type}\ndata: {self.data}\n\n".encode()


class FeedHub:
    """The events of this run of the kiosk, the last `buffer` of them kept for clients that reconnect."""

    def __init__(self, *, buffer: int = 512, keepalive: float = 15.0, max_clients: int = 64):
        self.keepalive = keepalive
        self.max_clients = max_clients
        self.run = secrets.token_hex(4)
        self._events: deque[FeedEvent] = deque(maxlen=buffer)
        self._seq = 0
        self._lock = threading.Lock()
        self._waiters: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}
        self._closed = False

    def publish(self, event_type: str, data: Any) -> FeedEvent:
        """Add an event and wake every stream. `data` must be JSON-serialisable."""
        if not EVENT_TYPE.fullmatch(event_type):
            raise ValueError(f"feed event type must match {EVENT_TYPE.pattern}: {event_type!r}")
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        with self._lock:
            self._seq += 1
            event = FeedEvent(f"{self.run}-{self._seq}", self._seq, event_type, payload)
            self._events.append(event)
            waiters = list(self._waiters.values())
        self._wake(waiters)
        return event

    def since(self, last_id: str | None) -> tuple[list[FeedEvent], bool, str]:
        """The buffered events after `last_id`, whether nothing between it and them was lost, and the id
        to ask from next time.

        No id: nothing (a new client starts from now). An id of another run, an unreadable one or one
        older than the buffer: everything buffered, and False."""
        with self._lock:
            events = list(self._events)
            newest = self._seq
        now = f"{self.run}-{newest}"
        if last_id is None:
            return [], True, now
        run, _, number = last_id.strip().partition("-")
        if run != self.run or not number.isdigit() or int(number) > newest:
            return events, False, now
        seq = int(number)
        oldest = events[0].seq if events else newest + 1
        return [e for e in events if e.seq > seq], seq >= oldest - 1, now

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._waiters)

    def attach(self, loop: asyncio.AbstractEventLoop, wake: asyncio.Event) -> int | None:
        """Register a stream's wake-up; None when the hub is closed or full."""
        with self._lock:
            if self._closed or len(self._waiters) >= self.max_clients:
                return None
            token = id(wake)
            self._waiters[token] = (loop, wake)
            return token

    def detach(self, token: int) -> None:
        with self._lock:
            self._waiters.pop(token, None)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        with self._lock:
            self._closed = True
            waiters = list(self._waiters.values())
        self._wake(waiters)

    @staticmethod
    def _wake(waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]]) -> None:
        for loop, wake in waiters:
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # that stream's loop has closed; it is being detached
                pass


async def feed(request: Request):
    hub: FeedHub = request.app.state.feed
    last_id = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
    wake = asyncio.Event()
    token = hub.attach(asyncio.get_running_loop(), wake)
    if token is None:
        return JSONResponse(
            {"error": "too many feed clients", "message": tr("当前连接数已满，请稍后再试")},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    # a new client starts from the events published from now on, not from when its stream first runs
    cursor = hub.since(None)[2] if last_id is None else last_id

    async def stream():
        nonlocal cursor
        try:
            yield f"retry: {RETRY_MS}\n\n".encode()
            while not hub.closed:
                wake.clear()  # before reading, so an event published from now on wakes the wait below
                events, complete, cursor = hub.since(cursor)
                if not complete:
                    yield b'event: reset\ndata: {"reason":"missed"}\n\n'
                for event in events:
                    yield event.encode()
                try:
                    await asyncio.wait_for(wake.wait(), hub.keepalive)
                except TimeoutError:
                    yield b": keep-alive\n\n"
        finally:
            hub.detach(token)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def routes(services) -> list[Route]:
    return [Route("/api/feed", feed, methods=["GET"])]
