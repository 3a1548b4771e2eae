"""The facility table of Appendices A–E and the compliance check against it."""

import pytest

from kiosk.options import TIERS
from kiosk.tiers import (
    FACILITIES_BY_KEY,
    MISSING,
    NOT_APPLICABLE,
    ON_SITE,
    PRESENT,
    RECOMMENDED,
    REQUIRED,
    DeviceState,
    check,
    table,
)

STATS = {"gazette_issues": 1, "by_kind": {"document": 20, "interpretation": 14}}


def answering(key):
    return DeviceState(True, True, "在线")


def unconfigured(key):
    return DeviceState(False, False)


def test_table_matches_the_appendices():
    rows = {row["key"]: row for row in table()}
    assert [rows["queue_machine"][t] for t in TIERS] == ["✓", "–", "–", "–", "–"]
    assert [rows["touch_kiosk"][t] for t in TIERS] == ["✓", "✓", "✓", "–", "–"]
    assert [rows["material_rack"][t] for t in TIERS] == ["–", "–", "–", "✓", "✓"]
    assert rows["printer"]["村"] == "宜"
    assert rows["printer"]["县"] == "–"
    assert rows["staff_desk"]["省"].startswith("✓") and "2–3" in rows["staff_desk"]["省"]
    assert FACILITIES_BY_KEY["id_card_reader"].requirement("村") == RECOMMENDED
    assert FACILITIES_BY_KEY["id_card_reader"].requirement("乡镇") == REQUIRED


def test_city_kiosk_with_everything_answering_still_lacks_unconfigurable_facilities():
    result = check("市", answering, STATS)
    status = {f.key: f.status for f in result.facilities}
    assert status["touch_kiosk"] == PRESENT
    assert status["printer"] == PRESENT
    assert status["e_reading"] == PRESENT
    assert status["queue_machine"] == NOT_APPLICABLE
    assert status["staff_desk"] == ON_SITE
    assert result.compliant


def test_missing_devices_make_a_township_non_compliant():
    result = check("乡镇", unconfigured, STATS)
    assert [f.key for f in result.missing_required] == ["id_card_reader"]
    assert not result.compliant
    data = result.to_dict()
    assert data["missing_required"] == ["id_card_reader"]
    printer = next(f for f in data["facilities"] if f["key"] == "printer")
    assert printer["status"] == NOT_APPLICABLE


def test_configured_but_silent_device_is_missing_and_says_why():
    result = check("市", lambda key: DeviceState(True, False, "设备未连接"), STATS)
    printer = next(f for f in result.facilities if f.key == "printer")
    assert printer.status == MISSING and printer.detail == "设备未连接"


def test_unopenable_or_empty_library_is_missing_content():
    for stats in (None, {"gazette_issues": 0, "by_kind": {"document": 0}}):
        result = check("县", answering, stats)
        status = {f.key: f.status for f in result.facilities}
        assert status["e_reading"] == MISSING and status["reading_area"] == MISSING


def test_village_recommended_facilities_do_not_break_compliance():
    result = check("村", unconfigured, STATS)
    assert result.compliant
    assert {f.key for f in result.facilities if f.status == MISSING} == {"printer", "id_card_reader"}


def test_unknown_tier_is_refused():
    with pytest.raises(ValueError):
        check("国", answering, STATS)


def test_device_states_use_the_device_diagnostics(tmp_path):
    from kiosk.config import defaults
    from kiosk.tiers import device_states

    config = defaults().with_values(devices__printer="sim://", devices__idcard="")
    state = device_states(config, tmp_path)
    assert state("devices.idcard") == DeviceState(False, False, "未配置")
    printer = state("devices.printer")
    assert printer.configured and printer.answering
    config = defaults().with_values(devices__printer="tcp://127.0.0.1:9")
    printer = device_states(config, tmp_path)("devices.printer")
    assert printer.configured and not printer.answering and printer.detail
