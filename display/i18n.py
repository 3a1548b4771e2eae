"""The display's one translation function, `tr("……{name}……", name=value)`: the sentence whole with named
placeholders, as `kiosk.i18n.tr` takes it (the display may not import `kiosk`). It looks the sentence up
with Qt's own mechanism, the one `qsTr` in `Display.qml` uses, so one Qt translation file made with
`pyside6-lupdate display/*.py display/Display.qml` covers the whole display; with none installed, the
Chinese is shown."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = ""  # where pyside6-lupdate files a call of a plain `tr(…)` function (Display.qml's is "Display")


def tr(source: str, /, **values: object) -> str:
    """`source` in the language of the installed Qt translation, its placeholders filled with `values`."""
    text = QCoreApplication.translate(CONTEXT, source)
    return text.format(**values) if values else text
