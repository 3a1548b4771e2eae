"""The event bus: listeners hear only their event type, on the publishing thread, a broken listener
stops no other, and a removed one hears nothing more."""

import threading
from dataclasses import dataclass

from kiosk.events import Bus, ContentChange, LibraryOpened


@dataclass(frozen=True)
class TicketIssued:
    number: str


def test_listeners_hear_their_type_only_and_in_order():
    bus = Bus()
    heard: list = []
    bus.subscribe(ContentChange, lambda e: heard.append(("a", e)))
    bus.subscribe(TicketIssued, lambda e: heard.append(("t", e)))
    remove = bus.subscribe(ContentChange, lambda e: heard.append(("b", e)))
    change = ContentChange("notice", 1, [])
    bus.publish(change)
    bus.publish(TicketIssued("A001"))
    remove()
    bus.publish(ContentChange("sync", 2, []))
    assert heard == [
        ("a", change),
        ("b", change),
        ("t", TicketIssued("A001")),
        ("a", ContentChange("sync", 2, [])),
    ]
    remove()  # twice is harmless


def test_a_broken_listener_is_logged_and_the_others_still_hear(caplog):
    bus = Bus()
    heard: list = []
    bus.subscribe(TicketIssued, lambda e: 1 / 0)
    bus.subscribe(TicketIssued, heard.append)
    bus.publish(TicketIssued("A002"))
    assert heard == [TicketIssued("A002")]
    assert "TicketIssued listener failed" in caplog.text


def test_listeners_run_on_the_publishing_thread():
    bus = Bus()
    names: list[str] = []
    bus.subscribe(LibraryOpened, lambda e: names.append(threading.current_thread().name))
    thread = threading.Thread(target=bus.publish, args=(LibraryOpened(None),), name="opener")
    thread.start()
    thread.join()
    assert names == ["opener"]
