"""The staff desk and the services' composition: settings move by their step within the bounds
`kiosk.options` declares and apply at once, the overview reads the device health cache (one diagnosis
until staff ask for 重新检测), and the container is built once and never changed."""

from dataclasses import FrozenInstanceError

import pytest

from kiosk.config import defaults
from kiosk.options import OPTIONS_BY_KEY
from kiosk.services import build
from kiosk.staff import StaffError


def test_settings_move_by_their_step_within_the_declared_bounds(tmp_path):
    services = build(defaults(), tmp_path)
    staff = services.staff
    assert staff.step_setting("kiosk.idle_timeout", 1) == 105 and services.config["kiosk.idle_timeout"] == 105
    assert staff.step_setting("kiosk.idle_timeout", -1000) == OPTIONS_BY_KEY["kiosk.idle_timeout"].minimum
    assert staff.step_setting("kiosk.font_scale", -1) == 0.9
    assert staff.step_setting("kiosk.font_scale", 100) == OPTIONS_BY_KEY["kiosk.font_scale"].maximum
    row = staff.setting("kiosk.idle_timeout")
    assert (row["minimum"], row["maximum"], row["step"]) == (15, 3600, 15)
    with pytest.raises(StaffError):
        staff.step_setting("kiosk.tier", 1)
    again = build(defaults(), tmp_path)  # the next start reads what staff saved
    assert again.config["kiosk.idle_timeout"] == 15 and again.config["kiosk.font_scale"] == 2.0


def test_the_overview_reads_the_health_cache_and_recheck_diagnoses_again(tmp_path, diagnoses):
    services = build(defaults().with_values(devices__printer="sim://"), tmp_path, bundled=False)
    services.library.open()
    try:
        first = services.staff.overview()
        second = services.staff.overview()
        assert len(diagnoses) == 1
        printer = next(d for d in first["devices"] if d["key"] == "devices.printer")
        assert printer["status"] == "已连接" and second["devices"] == first["devices"]
        services.devices.refresh()  # 重新检测
        services.staff.overview()
        assert len(diagnoses) == 2
        services.devices.faults()  # the heartbeat reads the same cache
        assert len(diagnoses) == 2
        assert first["sections"] == ["notices", "queue", "applications", "statistics"]
        assert first["settings"]["kiosk.font_scale"]["step"] == 0.1
    finally:
        services.close()


def test_the_services_are_built_once_and_never_changed(tmp_path):
    services = build(defaults(), tmp_path, background_sync=True)
    with pytest.raises(FrozenInstanceError):
        services.library = None  # type: ignore[misc]
    assert services.sync.background and services.library.bundled is None
    assert services.staff.library is services.library and services.notices.library is services.library


def test_the_heartbeats_faults_name_a_locked_staff_pin_and_a_locked_window(tmp_path):
    from kiosk.queue import QueueError, parse_config

    services = build(defaults(), tmp_path, bundled=False)
    try:
        services.staff.auth.set_pin("246810")
        services.queue.configure(
            parse_config(
                {
                    "service": [{"key": "a", "name": "社保医保", "prefix": "A"}],
                    "window": [{"number": 3, "services": ["a"]}],
                }
            )
        )
        services.queue.set_window_pin(3, "13572468")
        assert services.devices.faults() == []
        for _ in range(5):
            services.staff.auth.attempt("000000")
            with pytest.raises(QueueError):
                services.queue.pair_with_pin(3, "00000000")
        faults = services.devices.faults()
        assert faults == ["工作人员密码：连续输错，已暂时锁定", "3号窗口配对密码：连续输错，已暂时锁定"]
    finally:
        services.close()


def test_an_unreadable_pin_lock_never_costs_the_heartbeat(tmp_path, caplog):
    from kiosk.health import DeviceHealth

    def broken() -> list[str]:
        raise OSError("queue.db unreadable")

    assert DeviceHealth(defaults(), tmp_path, locks=broken).faults() == []
    assert "PIN locks not read for the heartbeat" in caplog.text
