"""Search answers on the real QML, by real clicks: "没有找到" suggestions (wrapped inside the screen, a
document opens, a word searches), the 拼音首字母 keypad's example taken from the loaded library, and
"您要找的是不是" for pinyin read as a word of the library."""

from __future__ import annotations

import pytest
from conftest import close_kiosk, open_kiosk


def _search(kiosk, text: str) -> None:
    kiosk.click("homeSearch")
    kiosk.wait_screen("search")
    kiosk.search.setProperty("text", text)  # what the field hands over as the resident types
    kiosk.qtbot.waitUntil(lambda: kiosk.search.property("searched") == text, timeout=8000)


def _inside_window(kiosk, item) -> bool:
    left = item.mapToScene(item.boundingRect().topLeft())
    right = item.mapToScene(item.boundingRect().bottomRight())
    return left.x() >= 0 and right.x() <= kiosk.window.width()


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_a_suggested_title_wraps_inside_the_screen_and_opens_the_document(qtbot, qapp, services, size):
    kiosk = open_kiosk(qtbot, services, size)
    try:
        _search(kiosk, "老旧小区改选")  # 改选 for 改造: nothing found
        assert kiosk.search.property("resultCount") == 0
        suggestions = kiosk.search.property("suggestions")
        index = max(
            (i for i, s in enumerate(suggestions) if s["kind"] == "document"),
            key=lambda i: len(suggestions[i]["text"]),
        )
        wanted = suggestions[index]
        assert "老旧小区" in wanted["text"]
        button = kiosk.get(f"suggestion_{index}")
        kiosk.app_state.setFontStep(3)  # the largest type: the title takes several lines
        kiosk.qtbot.wait(100)
        assert _inside_window(kiosk, button)
        if size[0] < size[1]:  # portrait: the title is wider than the screen at this size
            assert button.property("implicitWidth") > button.width()
            assert button.height() > 2 * 96  # wrapped onto more lines, not run off the right edge
        kiosk.click(button)
        kiosk.wait_screen("reader")
        kiosk.qtbot.waitUntil(lambda: kiosk.services.session.opened[-1:] == [wanted["item_id"]])
        kiosk.qtbot.waitUntil(lambda: kiosk.get("readerTitle").property("text") == wanted["text"])
    finally:
        close_kiosk(kiosk)


def test_a_suggested_word_spelled_alike_is_searched(kiosk):
    _search(kiosk, "秸杆")  # 杆 for 秆: the same pinyin
    suggestions = kiosk.search.property("suggestions")
    assert suggestions[0]["kind"] == "query" and suggestions[0]["text"] == "秸秆"
    assert all(s["kind"] in ("query", "document") for s in suggestions)
    kiosk.click("suggestion_0")
    kiosk.qtbot.waitUntil(lambda: kiosk.search.property("searched") == "秸秆", timeout=8000)
    assert kiosk.search.property("resultCount") > 0
    assert kiosk.screen() == "search"


def test_no_suggestion_shares_only_a_single_character(kiosk):
    _search(kiosk, "养老金")
    for suggestion in kiosk.search.property("suggestions"):
        text = suggestion["text"]
        assert any(("养老金"[i : i + 2]) in text for i in range(2)), text


def test_the_initials_example_finds_what_it_promises(kiosk):
    kiosk.click("homeSearch")
    kiosk.wait_screen("search")
    kiosk.qtbot.waitUntil(lambda: bool(kiosk.search.property("example")), timeout=8000)
    example = kiosk.search.property("example")
    kiosk.click("modeInitials")
    status = kiosk.get("searchStatus").property("text")
    letters, word = example["letters"], example["word"]
    assert status == f"例如：点 {' '.join(letters)} 查找“{word}”"
    assert letters in kiosk.get("modeInitials").property("text")
    for letter in letters:  # typed on the keypad, as the example says
        kiosk.click(f"key_{letter}")
    kiosk.qtbot.waitUntil(lambda: kiosk.search.property("searched") == letters, timeout=8000)
    assert word in kiosk.search.property("results")[0]["title"]
    assert any(word in t for t in kiosk.texts(kiosk.get("result_0")))


def test_pinyin_read_as_a_word_says_what_it_was_read_as(kiosk):
    _search(kiosk, "jiegan")  # 秸秆 is only in bodies
    assert kiosk.search.property("resultCount") > 0
    assert kiosk.get("meantText").property("text") == "您要找的是不是：秸秆"
    assert "秸秆" in kiosk.search.property("results")[0]["snippet"]
