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
        assert touch.provided_by == "测试功能"
    finally:
        close_kiosk(kiosk)
