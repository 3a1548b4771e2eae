"""A language added as files: a Qt translation of the QML (made with pyside6-lrelease) shows the touch
screen's qsTr texts in that language; without one the Chinese stays."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import close_kiosk, open_kiosk

from ui import app as ui_app

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context><name>Main</name>
<message><source>政务公开专区</source><translation>Open Government Zone</translation></message>
</context>
</TS>
"""


def test_the_qml_follows_its_translation_and_falls_back_to_chinese(qtbot, qapp, services, tmp_path):
    (tmp_path / "kiosk_en.ts").write_text(TS, encoding="utf-8")
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(tmp_path / "kiosk_en.ts")], check=True, capture_output=True)
    assert ui_app.install_translation("fr", tmp_path) is None  # no such translation
    translator = ui_app.install_translation("en", tmp_path)
    assert translator is not None
    kiosk = open_kiosk(qtbot, services)
    try:
        texts = kiosk.texts()
        assert "Open Government Zone" in texts and "政务公开专区" not in texts
        assert "政府信息查询" in texts  # not translated: the Chinese
    finally:
        close_kiosk(kiosk)
        qapp.removeTranslator(translator)


def test_no_qml_sentence_is_assembled_from_qstr_fragments():
    """`qsTr("找到 ") + n + qsTr(" 条")` cannot be translated (another language orders the words
    differently): one template with `%1` and `.arg(n)` instead."""
    fragment = re.compile(r'qsTr\("[^"]*"\)\s*\+|\+\s*qsTr\(')
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(ui_app.UI_DIR.glob("*.qml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if fragment.search(line)
    ]
    assert not found, "\n".join(found)
    assert fragment.search('text: qsTr("找到 ") + count')  # the pattern finds what it is for
