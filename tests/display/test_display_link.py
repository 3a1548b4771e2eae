"""The display's link (`display/link.py`) on the kiosk's real API: a change made before the feed listens
still reaches the screen (the feed's first connection fetches the content again)."""

from __future__ import annotations

import queue

from display.cache import Cache
from display.link import Link
from kiosk.notices import NoticeDraft


def wait_for(inbox: queue.Queue, kind: str, check=lambda value: True, timeout: float = 10.0):
    while True:
        got, value = inbox.get(timeout=timeout)
        if got == kind and check(value):
            return value


def titles(content: dict) -> list[str]:
    return [n["title"] for n in content["notices"]]


def test_a_change_between_the_first_fetch_and_the_feed_connecting_is_fetched(kiosk_api, tmp_path):
    inbox: queue.Queue = queue.Queue()
    link = Link(kiosk_api.url, "hall-tv", Cache(tmp_path / "cache"), inbox, poll=60.0, max_backoff=0.4)
    content_loop, feed_loop, send_loop = link._threads
    content_loop.start()  # the content first, the feed not yet listening (as when the kiosk came back)
    send_loop.start()
    try:
        first = wait_for(inbox, "content")
        assert "来自离线期间的公告" not in titles(first)
        kiosk_api.services.notices.post(NoticeDraft("来自离线期间的公告", "内容。"))  # its event: no listener
        feed_loop.start()
        wait_for(inbox, "content", lambda content: "来自离线期间的公告" in titles(content))
    finally:
        link.stop()
