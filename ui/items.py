"""Walking the QML item tree from Python: used by the screenshot tool, the test control channel and tests.

`findChild()` misses items made by Repeater/ListView, so the tree is walked through `childItems()`.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtQuick import QQuickItem, QQuickWindow


def walk(root: QQuickItem) -> Iterator[QQuickItem]:
    """Every item under `root` (itself first), depth first in paint order."""
    stack = [root]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(item.childItems()))


def shown(item: QQuickItem | None) -> bool:
    """Visible and not fully transparent, itself and every ancestor."""
    while item is not None:
        if not item.isVisible() or item.opacity() == 0:
            return False
        item = item.parentItem()
    return True


def find(window: QQuickWindow, name: str, *, visible_only: bool = True) -> QQuickItem | None:
    """The first item called `name` in the window (only shown ones unless `visible_only` is False)."""
    return next(
        (i for i in walk(window.contentItem()) if i.objectName() == name and (not visible_only or shown(i))),
        None,
    )
