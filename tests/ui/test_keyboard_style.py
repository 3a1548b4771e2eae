"""The on-screen Pinyin keyboard is styled for elderly residents (ui/keyboard, style "kiosk"): word
candidates at least 36 px, key letters readable from a step back, the ' separator key labelled."""

import re

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

HAN = re.compile(r"[\u4e00-\u9fff]")


def keyboard_texts(kiosk, within_list: bool = False):
    """(text, pixel size) of the labels on the keyboard; `within_list`: only the candidate list's."""
    panel = kiosk.get("inputPanel")
    return [
        (str(i.property("text")), i.property("font").pixelSize())
        for i in kiosk.items(panel)
        if i.inherits("QQuickText")
        and kiosk.visible(i)
        and i.property("text")
        and (not within_list or in_list_view(i))
    ]


def in_list_view(item) -> bool:
    while item is not None:
        if item.inherits("QQuickListView"):
            return True
        item = item.parentItem()
    return False


def tap_key(kiosk, letter: str) -> None:
    panel = kiosk.get("inputPanel")
    key = next(
        i
        for i in kiosk.items(panel)
        if i.property("text") == letter and "Key" in i.metaObject().className() and kiosk.visible(i)
    )
    point = key.mapToScene(QPointF(key.width() / 2, key.height() / 2)).toPoint()
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_candidates_and_keys_are_large(kiosk):
    kiosk.click("homeSearch")
    kiosk.wait_screen("search")

    def key_labels() -> dict[str, int]:
        if kiosk.find("inputPanel") is None:
            return {}
        return {text: px for text, px in keyboard_texts(kiosk) if re.fullmatch(r"[a-z']", text)}

    kiosk.qtbot.waitUntil(lambda: set("qwertyuiopasdfghjklzxcvbnm'") <= set(key_labels()))
    letters = key_labels()
    assert min(letters.values()) >= 36, letters
    for letter in "jie":
        tap_key(kiosk, letter)
        kiosk.qtbot.wait(150)
    kiosk.qtbot.waitUntil(lambda: any(HAN.match(t) for t, _ in keyboard_texts(kiosk, within_list=True)))
    candidates = keyboard_texts(kiosk, within_list=True)
    assert candidates and min(px for _, px in candidates) >= 36, candidates
