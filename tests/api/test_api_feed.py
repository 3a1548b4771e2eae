"""The SSE feed: events to every stream, replay after Last-Event-ID, reset when too much was missed."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.api.feed import FeedHub
from kiosk.api.runner import ApiRunner
from kiosk.config import defaults
from kiosk.services import build

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
from sse import SseClient  # noqa: E402 - tests/helpers is not a package


@pytest.fixture
def services(tmp_path):
    built = build(defaults(), tmp_path / "data", bundled=False)
    yield built
    built.close()


def serve(services, hub: FeedHub) -> ApiRunner:
    runner = ApiRunner(services, "127.0.0.1", 0, feed=hub)
    runner.start()
    return runner


def wait_for_clients(hub: FeedHub, count: int) -> None:
    deadline = time.monotonic() + 10
    while hub.clients != count:
        assert time.monotonic() < deadline, f"{hub.clients} feed clients, expected {count}"
        time.sleep(0.01)


def test_an_event_published_on_any_thread_reaches_every_stream(services):
    hub = FeedHub()
    api = serve(services, hub)
    try:
        clients = [SseClient(f"{api.url}/api/feed") for _ in range(3)]
        wait_for_clients(hub, 3)
        publisher = threading.Thread(target=hub.publish, args=("call", {"number": "A001", "window": 3}))
        publisher.start()
        publisher.join()
        for client in clients:
            event = client.next()
            assert event.type == "call"
            assert json.loads(event.data) == {"number": "A001", "window": 3}
            assert event.id == f"{hub.run}-1"
            assert client.retry_ms == 3000
        for client in clients:
            client.close()
    finally:
        api.stop()


def test_a_reconnecting_client_gets_what_it_missed_in_order(services):
    hub = FeedHub()
    api = serve(services, hub)
    try:
        first = SseClient(f"{api.url}/api/feed")
        wait_for_clients(hub, 1)
        hub.publish("call", {"number": "A001"})
        seen = first.next()
        first.close()
        wait_for_clients(hub, 0)
        for n in (2, 3, 4):
            hub.publish("call", {"number": f"A00{n}"})
        again = SseClient(f"{api.url}/api/feed", last_event_id=seen.id)
        numbers = [json.loads(again.next().data)["number"] for _ in range(3)]
        assert numbers == ["A002", "A003", "A004"]
        hub.publish("queue", {"waiting": 5})
        assert again.next().type == "queue"
        assert again.events.empty()
        again.close()
        by_query = SseClient(f"{api.url}/api/feed?last_event_id={seen.id}")
        assert json.loads(by_query.next().data)["number"] == "A002"
        by_query.close()
    finally:
        api.stop()


@pytest.mark.parametrize("last_id", ["old0run-3", "garbage", "", "x-y-z"])
def test_an_id_from_another_run_or_unreadable_gets_a_reset_then_the_buffer(services, last_id):
    hub = FeedHub()
    api = serve(services, hub)
    try:
        hub.publish("call", {"number": "A001"})
        client = SseClient(f"{api.url}/api/feed", last_event_id=last_id)
        if last_id == "":  # an empty header is no id: a new client
            wait_for_clients(hub, 1)
            hub.publish("call", {"number": "A002"})
            assert json.loads(client.next().data)["number"] == "A002"
        else:
            assert client.next().type == "reset"
            assert json.loads(client.next().data)["number"] == "A001"
        client.close()
    finally:
        api.stop()


def test_missing_more_than_the_buffer_is_a_reset(services):
    hub = FeedHub(buffer=5)
    api = serve(services, hub)
    try:
        first = hub.publish("call", {"n": 0})
        for n in range(1, 11):
            hub.publish("call", {"n": n})
        client = SseClient(f"{api.url}/api/feed", last_event_id=first.id)
        assert client.next().type == "reset"
        assert [json.loads(client.next().data)["n"] for _ in range(5)] == [6, 7, 8, 9, 10]
        client.close()
    finally:
        api.stop()


def test_an_idle_stream_carries_keepalives_and_ends_when_the_server_stops(services):
    hub = FeedHub(keepalive=0.1)
    api = serve(services, hub)
    client = SseClient(f"{api.url}/api/feed")
    deadline = time.monotonic() + 10
    while client.keepalives < 3:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    api.stop()
    assert client.closed.wait(10), "the stream outlived the server"
    client.close()


def test_streams_are_bounded(services):
    hub = FeedHub(max_clients=2)
    api = serve(services, hub)
    try:
        kept = [SseClient(f"{api.url}/api/feed") for _ in range(2)]
        wait_for_clients(hub, 2)
        refused = SseClient(f"{api.url}/api/feed")
        refused.closed.wait(10)
        assert refused.status == 503
        for client in kept:
            client.close()
        wait_for_clients(hub, 0)
    finally:
        api.stop()


@pytest.mark.parametrize("bad", ["Call", "call\nevent: x", "", "a" * 65, "呼叫"])
def test_event_types_cannot_break_the_stream(bad):
    with pytest.raises(ValueError):
        FeedHub().publish(bad, {})


def test_data_that_is_not_json_is_refused():
    with pytest.raises(ValueError):
        FeedHub().publish("call", {"x": float("nan")})


@given(st.text(max_size=40))
def test_any_last_event_id_is_read_without_error(last_id):
    hub = FeedHub(buffer=3)
    for n in range(5):
        hub.publish("call", {"n": n})
    events, complete, cursor = hub.since(last_id)
    assert cursor == f"{hub.run}-5"
    assert all(e.seq > 0 for e in events)
    if not complete:
        assert [e.seq for e in events] == [3, 4, 5]


@given(st.integers(min_value=0, max_value=12), st.integers(min_value=1, max_value=6))
def test_replay_is_exactly_what_came_after(published, buffer):
    hub = FeedHub(buffer=buffer)
    ids = [hub.publish("call", {"n": n}).id for n in range(published)]
    for index, last in enumerate(ids):
        events, complete, _ = hub.since(last)
        expected = list(range(index + 1, published))
        if complete:
            assert [json.loads(e.data)["n"] for e in events] == expected
        else:
            assert published - (index + 1) > buffer
