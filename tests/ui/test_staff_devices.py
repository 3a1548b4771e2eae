"""The staff screen's 设备状态 on the real QML reads the device health cache: opening and refreshing the
screen diagnose once, and 重新检测 asks for a fresh diagnosis on a worker and shows it."""

from __future__ import annotations

from conftest import close_kiosk, open_kiosk
from test_search_idle_staff import _enter_pin, _long_press_corner

from kiosk.services import build


def test_recheck_diagnoses_again_and_the_screen_never_probes_itself(qtbot, qapp, config, data_dir, diagnoses):
    services = build(config.with_values(devices__printer="sim://"), data_dir)
    services.staff.auth.set_pin("246813")
    kiosk = open_kiosk(qtbot, services)
    try:
        _long_press_corner(kiosk)
        kiosk.wait_screen("pin")
        _enter_pin(kiosk, "246813")
        kiosk.wait_screen("staff")
        kiosk.qtbot.waitUntil(lambda: any("小票打印机：已连接" in t for t in kiosk.texts()), timeout=10000)
        assert len(diagnoses) == 1
        kiosk.staff.refresh()  # what coming back to the screen does
        kiosk.qtbot.wait(300)
        assert len(diagnoses) == 1
        kiosk.click("recheckDevices")
        kiosk.qtbot.waitUntil(
            lambda: len(diagnoses) == 2 and not kiosk.staff.property("rechecking"), timeout=10000
        )
        assert any("小票打印机：已连接" in t for t in kiosk.texts())
    finally:
        close_kiosk(kiosk)
