"""Long lists and the reader say there is more below: ▲/▼ page buttons and "第 2 / 5 页"."""

import re


def position(kiosk) -> tuple[int, int]:
    match = re.fullmatch(r"第 (\d+) / (\d+) 页", kiosk.get("pagePosition").property("text"))
    assert match, kiosk.get("pagePosition").property("text")
    return int(match.group(1)), int(match.group(2))


def page_to_the_end(kiosk, view_name: str) -> list[tuple[int, int]]:
    view = kiosk.get(view_name)
    seen = [position(kiosk)]
    while not view.property("atYEnd"):
        before = view.property("contentY")
        kiosk.click("pageDown")
        kiosk.qtbot.waitUntil(lambda b=before: view.property("contentY") != b)
        seen.append(position(kiosk))
        assert len(seen) < 100
    return seen


def test_the_table_of_contents_pages_to_its_end_and_back(kiosk):
    kiosk.click("tile_library")
    kiosk.wait_screen("library")
    kiosk.click("row_0")
    kiosk.wait_screen("list")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("row_5") is not None)
    first, total = position(kiosk)
    assert first == 1 and total > 1
    assert kiosk.get("pageUp").property("enabledLook") is False
    seen = page_to_the_end(kiosk, "itemList")
    pages = [p for p, _ in seen]
    assert pages == sorted(pages) and pages[-1] == seen[-1][1] > 1  # ends on "第 N / N 页"
    assert all(p < n for p, n in seen[:-1])  # never "the last page" while there is more below
    assert kiosk.get("pageDown").property("enabledLook") is False
    kiosk.click("pageUp")
    kiosk.qtbot.waitUntil(lambda: position(kiosk)[0] == pages[-1] - 1)


def test_the_reader_pages_through_a_long_document(kiosk):
    kiosk.click("tile_library")
    kiosk.wait_screen("library")
    kiosk.click("row_0")
    kiosk.wait_screen("list")
    kiosk.click("row_0")
    kiosk.wait_screen("reader")
    kiosk.qtbot.waitUntil(lambda: kiosk.reader_text() != "")
    assert position(kiosk)[0] == 1
    seen = page_to_the_end(kiosk, "readerBody")
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1]


def test_a_short_list_shows_no_pager(kiosk):
    kiosk.click("tile_library")
    kiosk.wait_screen("library")  # one gazette issue
    kiosk.qtbot.waitUntil(lambda: kiosk.find("row_0") is not None)
    assert kiosk.find("pagePosition") is None
