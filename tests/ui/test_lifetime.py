"""What a kiosk running for weeks must not accumulate, and what its first frame must not wait for."""

from __future__ import annotations

import gc

from ui.reader import Reader


def held_readers() -> list[Reader]:
    """Reader view-models whose Python side still holds state (PySide keeps every QML-made shell)."""
    return [o for o in gc.get_objects() if isinstance(o, Reader) and vars(o)]


def test_closed_reader_screens_release_their_documents(kiosk):
    library = kiosk.services.library.store
    doc = next(d for d in library.items("document", limit=50) if library.interpretations_of(d.id))
    for _ in range(10):
        kiosk.app_state.open("reader", {"itemId": doc.id})
        kiosk.get("readerTitle")
        kiosk.app_state.home()
        kiosk.wait_screen("home")
    kiosk.qtbot.wait(50)  # deferred deletes
    gc.collect()
    assert held_readers() == []


def test_keyboard_is_created_after_the_home_screen_or_when_a_screen_opens(kiosk):
    # open_kiosk returns as soon as the tiles are ready: the keyboard is not part of the first frame
    assert kiosk.find("inputPanel", visible_only=False) is None
    kiosk.click("homeSearch")
    kiosk.wait_screen("search")
    kiosk.get("inputPanel")  # created at once and shown for the focused search field


def test_home_tiles_of_the_last_start_show_while_the_library_opens(kiosk, config, data_dir):
    from kiosk.services import build

    tiles = kiosk.app_state.property("functions")
    assert [t["key"] for t in tiles][:1] == ["library"]
    later = build(config, data_dir)  # the next start, before it opens anything
    assert later.library.last_tiles() == tiles
    assert later.library.store is None
    later.library.start_opening()
    assert later.library.opened_browse().functions() == tiles  # waits for the opening under way
    later.close()
