"""The display's line to the kiosk's local API, on threads of its own (never the GUI thread).

- content: `GET /api/display/content` now, every `poll` seconds and when the feed says it changed; the
  media it names are fetched, the whole kept in the `Cache`; when the kiosk cannot be reached it tries
  again after 1, 2, 4 … up to `max_backoff` seconds, and the screen goes on with what it has;
- feed: `GET /api/feed` (server-sent events) for `call` events and `display` events, reconnecting with
  the same backoff and its last event id; each connection, the first too, fetches the content again;
- sender: heartbeats and screenshots, POSTed in order with the display token (`Authorization: Bearer`),
  read from its file for each (the kiosk may write it after the display started, or the display be paired
  again); refused for want of one (401/403), they are logged with what to do (pair the display).

Everything for the GUI goes into `inbox` (a `queue.Queue`) as `(kind, value)`: `("content", dict)`,
`("online", (bool, reason))`, `("call", dict)`, `("voice", dict)` (the hall's voice starts saying a call),
`("screenshot", None)`; the player drains it.
"""

from __future__ import annotations

import json
import logging
import queue
import random
import threading
from pathlib import Path
from typing import Any

import httpx

from display.cache import Cache, media_of

log = logging.getLogger(__name__)

MAX_MEDIA = 64 * 2**20


def next_backoff(current: float, limit: float) -> float:
    return min(limit, current * 2)


class Link:
    def __init__(
        self,
        api_url: str,
        display_id: str,
        cache: Cache,
        inbox: queue.Queue,
        *,
        token_file: Path | None = None,
        poll: float = 60.0,
        max_backoff: float = 60.0,
    ):
        self.api = api_url.rstrip("/")
        self.display_id = display_id
        self.token_file = token_file
        self.cache = cache
        self.inbox = inbox
        self.poll = poll
        self.max_backoff = max_backoff
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._outbox: queue.Queue = queue.Queue(maxsize=16)
        self._version, self._day = "", None
        self._threads = [
            threading.Thread(target=self._content_loop, name="display-content", daemon=True),
            threading.Thread(target=self._feed_loop, name="display-feed", daemon=True),
            threading.Thread(target=self._send_loop, name="display-send", daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._outbox.put(None)
        for thread in self._threads:
            thread.join(1.0)

    def refresh(self) -> None:
        """Fetch the content now (from any thread)."""
        self._wake.set()

    def send(self, kind: str, value: Any) -> None:
        """Queue a heartbeat (dict) or a screenshot (JPEG bytes); dropped when the queue is full."""
        try:
            self._outbox.put_nowait((kind, value))
        except queue.Full:
            log.warning("display: %s dropped, the kiosk is not taking them", kind)

    # --- content ---------------------------------------------------------------------------------

    def _content_loop(self) -> None:
        backoff = 1.0
        with httpx.Client(timeout=10.0) as client:
            while not self._stop.is_set():
                try:
                    self._fetch(client)
                    self.inbox.put(("online", (True, "")))
                    backoff, wait = 1.0, self.poll
                except (httpx.HTTPError, ValueError, OSError) as exc:
                    log.warning("display: kiosk API unreachable (%s); retrying in %.0f s", exc, backoff)
                    self.inbox.put(("online", (False, type(exc).__name__)))
                    wait = backoff * random.uniform(0.8, 1.2)
                    backoff = next_backoff(backoff, self.max_backoff)
                self._wake.wait(wait)
                self._wake.clear()

    def _fetch(self, client: httpx.Client) -> None:
        response = client.get(f"{self.api}/api/display/content")
        response.raise_for_status()
        content = response.json()
        if content.get("version") == self._version and content.get("day") == self._day:
            return
        for sha, item_id in media_of(content).items():
            if not self.cache.has_media(sha):
                self._fetch_media(client, item_id, sha)
        self.cache.save(content)
        self._version, self._day = content.get("version", ""), content.get("day")
        self.inbox.put(("content", content))

    def _fetch_media(self, client: httpx.Client, item_id: str, sha: str) -> None:
        response = client.get(f"{self.api}/api/display/media/{item_id}/{sha}")
        if response.status_code != 200 or len(response.content) > MAX_MEDIA:
            log.warning("display: media %s of %s not fetched (%s)", sha[:12], item_id, response.status_code)
            return
        self.cache.save_media(sha, response.content)

    # --- feed ------------------------------------------------------------------------------------

    def _feed_loop(self) -> None:
        backoff, last_id = 1.0, None
        with httpx.Client(timeout=httpx.Timeout(10.0, read=60.0)) as client:
            while not self._stop.is_set():
                try:
                    headers = {"Last-Event-ID": last_id} if last_id else {}
                    with client.stream("GET", f"{self.api}/api/feed", headers=headers) as response:
                        response.raise_for_status()
                        # what changed before it listened: while it was away, or, on the first connection,
                        # between the content loop's first fetch and now (the kiosk's feed answers once
                        # this client is counted, so every later change comes as an event)
                        self.refresh()
                        backoff = 1.0
                        last_id = self._read_events(response, last_id)
                except (httpx.HTTPError, OSError) as exc:
                    if self._stop.is_set():
                        return
                    log.info("display: feed closed (%s); reconnecting in %.0f s", exc, backoff)
                    self._stop.wait(backoff * random.uniform(0.8, 1.2))
                    backoff = next_backoff(backoff, self.max_backoff)

    def _read_events(self, response: httpx.Response, last_id: str | None) -> str | None:
        kind, data = "message", ""
        for line in response.iter_lines():
            if self._stop.is_set():
                break
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
            elif line.startswith("id:"):
                last_id = line[3:].strip()
            elif not line:
                if data:
                    self._dispatch(kind, data)
                kind, data = "message", ""
        return last_id

    def _dispatch(self, kind: str, data: str) -> None:
        try:
            value = json.loads(data)
        except ValueError:
            log.warning("display: feed event %s not JSON", kind)
            return
        if kind in ("call", "voice"):
            self.inbox.put((kind, value))
        elif kind == "reset" or (kind == "display" and value.get("reason") == "content"):
            self.refresh()
        elif (
            kind == "display"
            and value.get("reason") == "screenshot"
            and value.get("display") == self.display_id
        ):
            self.inbox.put(("screenshot", None))

    # --- heartbeats and screenshots ----------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        try:
            token = self.token_file.read_text(encoding="ascii").strip() if self.token_file else ""
        except (OSError, UnicodeDecodeError):
            token = ""
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _send_loop(self) -> None:
        with httpx.Client(timeout=10.0) as client:
            while (job := self._outbox.get()) is not None:
                kind, value = job
                auth = self._auth()
                try:
                    if kind == "heartbeat":
                        response = client.post(f"{self.api}/api/display/heartbeat", json=value, headers=auth)
                        response.raise_for_status()
                        if response.json().get("screenshot"):
                            self.inbox.put(("screenshot", None))
                    else:
                        response = client.post(
                            f"{self.api}/api/display/screenshot",
                            params={"display": self.display_id},
                            content=value,
                            headers={"Content-Type": "image/jpeg", **auth},
                        )
                        response.raise_for_status()
                except httpx.HTTPStatusError as exc:
                    if exc.response.status_code in (401, 403):
                        log.error(
                            "display: the kiosk refuses this display's %s (%d): pair it with "
                            "`kiosk display --pair CODE` (the code is on staff mode's 公示屏 page)",
                            kind,
                            exc.response.status_code,
                        )
                    else:
                        log.warning("display: %s not delivered: %s", kind, exc)
                except (httpx.HTTPError, ValueError, OSError) as exc:
                    log.warning("display: %s not delivered: %s", kind, exc)
