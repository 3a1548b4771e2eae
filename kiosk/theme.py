"""The kiosk's colours, in one place: the normal and the high-contrast (large type) palettes.

The touch UI exposes them to QML (`AppState`) and hands the search highlight's colours to the rich-text
renderer (`kiosk.richtext.Style`), so a colour is changed here and nowhere else.
"""

from __future__ import annotations

NORMAL = {
    "bg": "#eef2f8",
    "surface": "#ffffff",
    "text": "#111111",
    "subtext": "#3d4654",
    "primary": "#0b3d91",
    "onPrimary": "#ffffff",
    "tileAlt": "#1565c0",  # every other home tile
    "accent": "#b3121f",
    "onAccent": "#ffffff",  # text on an accent badge
    "qr": "#ffffff",  # behind a QR code: a scanner needs a light quiet zone in either theme
    "ok": "#1b7f2a",
    "border": "#b8c2d3",
    "mark": "#ffe066",  # a search hit's highlight
    "markText": "#000000",
    "pressed": "#d6e2f5",
    "header": "#0b3d91",
    "headerText": "#ffffff",
}
HIGH_CONTRAST = {
    "bg": "#000000",
    "surface": "#000000",
    "text": "#ffffff",
    "subtext": "#ffff00",
    "primary": "#ffd600",
    "onPrimary": "#000000",
    "tileAlt": "#ffd600",
    "accent": "#ff6b6b",
    "onAccent": "#000000",
    "qr": "#ffffff",
    "ok": "#7CFC00",
    "border": "#ffffff",
    "mark": "#ffd600",
    "markText": "#000000",
    "pressed": "#333333",
    "header": "#000000",
    "headerText": "#ffffff",
}


def palette(high_contrast: bool) -> dict[str, str]:
    return HIGH_CONTRAST if high_contrast else NORMAL
