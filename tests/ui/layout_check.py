"""What a resident at large type would see as broken, found in the item tree: text cut off with "…",
text running past its own box or its parent's, text on top of other text, touch targets under 90 px.

Used by tests/ui/test_layout.py on every screen, at every font step, in both orientations."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtQuick import QQuickItem

from ui import items as qml_items

MIN_TARGET = 90
SHORT_LABEL = 8  # characters: a button or tile title this short must stay on one line
SLACK = 2.0  # px: anti-aliasing and rounding
# A text inside a Row/Column/Flow/Grid is placed by it, not inside a box of its own.
POSITIONERS = ("QQuickRow", "QQuickColumn", "QQuickFlow", "QQuickGrid")


def scene_rect(item: QQuickItem, width: float | None = None, height: float | None = None) -> QRectF:
    return item.mapRectToScene(QRectF(0, 0, item.width() if width is None else width,
                                      item.height() if height is None else height))  # fmt: skip


def _scrolling_ancestor(item: QQuickItem) -> QQuickItem | None:
    parent = item.parentItem()
    while parent is not None:
        if parent.inherits("QQuickFlickable"):
            return parent
        parent = parent.parentItem()
    return None


def _excluded(item: QQuickItem, skip: list[QQuickItem]) -> bool:
    parent = item
    while parent is not None:
        if any(parent is s for s in skip):
            return True
        parent = parent.parentItem()
    return False


def _painted(item: QQuickItem) -> QRectF:
    """The rectangle the text's glyphs cover, in the scene (QQuickText's bounding rect is its text's)."""
    return item.mapRectToScene(item.boundingRect())


def _hidden_screens(root: QQuickItem) -> list[QQuickItem]:
    """The screens under the current one in the StackView (still items, no longer on screen)."""
    stack = next((i for i in qml_items.walk(root) if i.objectName() == "stack"), None)
    if stack is None:
        return []
    current = stack.property("currentItem")
    return [i for i in stack.childItems() if current is None or i is not current]


def problems(window, skip_names: tuple[str, ...] = ("inputPanel",)) -> list[str]:
    root = window.contentItem()
    skip = [i for i in qml_items.walk(root) if i.objectName() in skip_names] + _hidden_screens(root)
    texts = []
    found: list[str] = []
    window_rect = QRectF(0, 0, window.width(), window.height())
    for item in qml_items.walk(root):
        if not qml_items.shown(item) or _excluded(item, skip):
            continue
        name = item.objectName() or item.metaObject().className()
        if item.inherits("QQuickText") and item.property("text"):
            text = str(item.property("text"))[:24]
            scroller = _scrolling_ancestor(item)
            if item.property("truncated"):
                found.append(f"elided: {text!r}")
            if len(str(item.property("text"))) <= SHORT_LABEL and item.property("lineCount") > 1:
                found.append(f"a short label broken across lines: {text!r}")
            painted = _painted(item)
            if item.property("contentWidth") > item.width() + SLACK:
                found.append(
                    f"runs past its box by {item.property('contentWidth') - item.width():.0f}px: {text!r}"
                )
            if item.property("clip") and item.property("contentHeight") > item.height() + SLACK:
                found.append(f"clipped at the bottom: {text!r}")
            if scroller is None:
                if not window_rect.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(painted):
                    found.append(f"off screen: {text!r}")
                parent = item.parentItem()
                positioner = parent is not None and any(parent.inherits(c) for c in POSITIONERS)
                if (
                    parent is not None
                    and parent is not root
                    and not positioner
                    and parent.width() * parent.height() > 0
                ):
                    box = scene_rect(parent).adjusted(-SLACK, -SLACK, SLACK, SLACK)
                    if not box.contains(painted):
                        found.append(
                            f"outside its parent {parent.objectName() or parent.metaObject().className()}: {text!r}"
                        )
                texts.append((painted, text))
        is_target = name.startswith(
            ("tile_", "row_", "key_", "pin_")
        ) or item.metaObject().className().startswith("KButton")
        if is_target and item.height() < MIN_TARGET - 0.5:
            found.append(f"target under {MIN_TARGET}px: {name} {item.height():.0f}px")
    for n, (ra, ta) in enumerate(texts):
        for rb, tb in texts[n + 1 :]:
            overlap = ra.intersected(rb)
            if overlap.width() > SLACK * 2 and overlap.height() > SLACK * 2:
                found.append(f"overlap: {ta!r} and {tb!r}")
    return found
