"""A function added to the registry (one declaration, no QML or view-model edit) is on the home screen
of the real QML, its tile opens its list, and the kiosk's tiers check names it."""

from __future__ import annotations

import pytest
from conftest import close_kiosk, open_kiosk

from kiosk import features
from kiosk.features import Feature, ListSource

FAKE = Feature(
    key="fake",
    title="测试功能",
    icon="测",
    subtitle=lambda facts: f"文件 {facts.count('document')} 篇",
    screen="list",
    props={"source": "fake-list", "argument": ""},
    lists=(ListSource("fake-list", lambda browse, _: ("测试功能列表", browse.listing("document", limit=3))),),
    facilities=("touch_kiosk",),
    stat="document",
)


@pytest.fixture
def with_fake(monkeypatch):
    monkeypatch.setattr(features, "REGISTRY", features.REGISTRY.plus(FAKE))


def test_a_registered_function_is_on_home_opens_its_list_and_is_in_the_tiers_check(
    qtbot, qapp, services, with_fake
):
    kiosk = open_kiosk(qtbot, services)
    try:
        tile = kiosk.get("tile_fake")  # the remembered tiles show first; the registry's replace them
        assert tile.property("title") == "测试功能" and tile.property("icon") == "测"
        assert tile.property("subtitle") == "文件 16 篇"
        kiosk.click(tile)
        kiosk.wait_screen("list")
        kiosk.qtbot.waitUntil(lambda: "测试功能列表" in kiosk.texts(), timeout=5000)
        compliance = services.staff.compliance()
        touch = next(f for f in compliance.facilities if f.key == "touch_kiosk")
        assert touch.provided_by.split("、") == ["办事指南", "测试功能"]
    finally:
        close_kiosk(kiosk)


VIEW_MODEL = '''"""A made-up function's view-model."""
from PySide6.QtCore import Property, QObject
from PySide6.QtQml import QmlElement

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
class FakeTickets(QObject):
    nextNumber = Property(str, lambda self: "A001", constant=True)
'''

SCREEN = """import QtQuick
import Kiosk
import "{ui}"

KioskScreen {{
    screenName: "fakeTickets"
    FakeTickets {{
        id: tickets
    }}
    Text {{
        objectName: "fakeNumber"
        text: "下一个号：" + tickets.nextNumber
    }}
}}
"""


def test_a_function_with_its_own_screen_and_view_model_needs_no_edit_elsewhere(
    qtbot, qapp, services, monkeypatch, tmp_path
):
    from ui import app as ui_app

    (tmp_path / "fake_tickets_vm.py").write_text(VIEW_MODEL, encoding="utf-8")
    (tmp_path / "FakeTicketsScreen.qml").write_text(
        SCREEN.format(ui=ui_app.UI_DIR.as_uri()), encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    own = Feature(
        key="tickets",
        title="取号",
        icon="号",
        subtitle=lambda facts: "现场取号",
        screen=(tmp_path / "FakeTicketsScreen.qml").as_uri(),
        view_models=("fake_tickets_vm",),
    )
    monkeypatch.setattr(features, "REGISTRY", features.REGISTRY.plus(own))
    kiosk = open_kiosk(qtbot, services)
    try:
        kiosk.click("tile_tickets")
        kiosk.wait_screen("fakeTickets")
        assert kiosk.get("fakeNumber").property("text") == "下一个号：A001"
    finally:
        close_kiosk(kiosk)
