"""A language for the display is a Qt translation file: pyside6-lupdate finds the display's Python `tr`
sentences and Display.qml's qsTr ones, and once its .qm is installed the display's sentences (a page
line, the date line) come out in that language with their values filled; without it, the Chinese."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTranslator

from display import plan
from display.i18n import tr

DISPLAY = Path(plan.__file__).resolve().parent
TRANSLATED = {
    "第 {page} / {pages} 页": "Page {page} of {pages}",
    "{year}年{month}月{day}日 星期{weekday}": "{weekday}, {day}/{month}/{year}",
    "紧急通知": "Emergency notice",
}


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def test_a_translation_made_with_lupdate_translates_the_display(qapp, tmp_path):
    ts = tmp_path / "display_en.ts"
    sources = [str(path) for path in sorted(DISPLAY.glob("*.py"))] + [str(DISPLAY / "Display.qml")]
    subprocess.run([tool("pyside6-lupdate"), *sources, "-ts", str(ts)], check=True, capture_output=True)
    tree = ET.parse(ts)
    found = {message.findtext("source"): message for message in tree.iter("message")}
    assert set(TRANSLATED) <= set(found)  # the Python sentences and the QML's, found by lupdate
    for source, text in TRANSLATED.items():
        translation = found[source].find("translation")
        translation.text = text
        translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8")
    subprocess.run([tool("pyside6-lrelease"), str(ts)], check=True, capture_output=True)

    before = plan.chinese_day(date(2026, 12, 4))
    translator = QTranslator()
    assert translator.load(str(tmp_path / "display_en.qm"))
    qapp.installTranslator(translator)
    try:
        assert tr("第 {page} / {pages} 页", page=2, pages=3) == "Page 2 of 3"
        assert plan.chinese_day(date(2026, 12, 4)) == "五, 4/12/2026"
        assert tr("全文请到一体机查阅") == "全文请到一体机查阅"  # not translated: the Chinese
    finally:
        qapp.removeTranslator(translator)
    assert before == plan.chinese_day(date(2026, 12, 4)) == "2026年12月4日 星期五"
