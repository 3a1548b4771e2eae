"""A server-sent events client for tests and benchmarks: reads a stream on a thread into a queue.

`SseClient(url, last_event_id=None)` connects with `http.client` (so that `close()` can shut the socket
under the reading thread, which the server sees at once) and parses the stream as the WHATWG
EventSource does (fields `id`, `event`, `data`, `retry`; comment lines count as keep-alives). Each event
is put on `events` as an `SseEvent` with the monotonic time it arrived; `closed` is set when the
server ends the stream.
"""

from __future__ import annotations

import contextlib
import http.client
import queue
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SseEvent:
    id: str | None
    type: str
    data: str
    arrived: float


class SseClient:
    def __init__(self, url: str, *, last_event_id: str | None = None, timeout: float = 30.0):
        self.url = url
        self.headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            self.headers["Last-Event-ID"] = last_event_id
        self.events: queue.Queue[SseEvent] = queue.Queue()
        self.keepalives = 0
        self.retry_ms: int | None = None
        self.status: int | None = None
        self.connected = threading.Event()
        self.closed = threading.Event()
        parts = urlsplit(url)
        self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self._target = parts.path + (f"?{parts.query}" if parts.query else "")
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        if not self.connected.wait(timeout):
            raise TimeoutError(f"no answer from {url}")

    def _read(self) -> None:
        try:
            self._connection.request("GET", self._target, headers=self.headers)
            reply = self._connection.getresponse()
            self.status = reply.status
            self.connected.set()
            if reply.status != 200:
                return
            self._connection.sock.settimeout(None)
            event_id, kind, data = None, "message", []
            while raw := reply.readline():
                line = raw.decode().rstrip("\r\n")
                if line == "":
                    if data:
                        self.events.put(SseEvent(event_id, kind, "\n".join(data), time.monotonic()))
                    kind, data = "message", []
                    continue
                if line.startswith(":"):
                    self.keepalives += 1
                    continue
                field, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if field == "id":
                    event_id = value
                elif field == "event":
                    kind = value
                elif field == "data":
                    data.append(value)
                elif field == "retry" and value.isdigit():
                    self.retry_ms = int(value)
        except (OSError, http.client.HTTPException, ValueError):
            pass
        finally:
            self.connected.set()
            self.closed.set()

    def next(self, timeout: float = 10.0) -> SseEvent:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        sock = self._connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(5)
        self._connection.close()
