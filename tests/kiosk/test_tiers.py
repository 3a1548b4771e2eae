"""The facility table of Appendices A–E and the compliance check against it."""

import pytest

from kiosk.options import TIERS
from kiosk.tiers import (
    FACILITIES_BY_KEY,
    MISSING,
    NOT_APPLICABLE,
    ON_SITE,
    PARTIAL,
    PRESENT,
    RECOMMENDED,
    REQUIRED,
    DeviceState,
    check,
    table,
)

STATS = {
    "gazette_issues": 1,
    "by_kind": {"document": 20, "interpretation": 14, "guide": 3},
    "guides": {"with_window": 3, "with_hall_map": 1, "with_steps": 3},
}


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


READER_USED = {"id_card_reader": (("身份证查询", ""),)}  # a function that uses the reader, on


def test_city_kiosk_with_everything_answering_still_lacks_unconfigurable_facilities():
    result = check("市", answering, STATS, READER_USED)
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


@pytest.mark.parametrize(
    "guides, backed, status, detail",
    [
        (3, {"with_window": 3, "with_hall_map": 1, "with_steps": 3}, PRESENT, "本一体机提供：服务事项目录清单查询、窗口指示、办事指引"),
        (3, {"with_window": 3, "with_hall_map": 0, "with_steps": 3}, PARTIAL, "窗口指示：没有附大厅平面图的办事指南"),
        (3, {"with_window": 0, "with_hall_map": 0, "with_steps": 0}, PARTIAL,
         "窗口指示：没有写明窗口的办事指南和附大厅平面图的办事指南；办事指引：办事指南没有写明办理流程"),
        (0, {"with_window": 0, "with_hall_map": 0, "with_steps": 0}, MISSING,
         "服务事项目录清单查询：资料库中没有办事指南；窗口指示：资料库中没有办事指南；办事指引：资料库中没有办事指南"),
    ],
)  # fmt: skip
def test_the_touch_kiosk_is_present_only_with_guides_windows_and_a_hall_map(guides, backed, status, detail):
    stats = {**STATS, "by_kind": {**STATS["by_kind"], "guide": guides}, "guides": backed}
    result = check("县", answering, stats, READER_USED)
    touch = next(f for f in result.facilities if f.key == "touch_kiosk")
    assert (touch.status, touch.detail) == (status, detail)
    assert result.compliant == (status == PRESENT)  # 必备 at 县: partly there is not there
    assert ("touch_kiosk" in result.to_dict()["missing_required"]) == (status != PRESENT)
    assert touch.to_dict()["status_name"] == {PRESENT: "已具备", PARTIAL: "部分具备", MISSING: "缺少"}[status]


def test_the_touch_kiosk_of_the_demo_library_says_what_it_lacks(tmp_path):
    from kiosk.config import load
    from kiosk.library import open_library

    with open_library(load(None), tmp_path, bundled=True) as library:  # demo guides: windows, no hall map
        result = check("市", answering, library.stats())
    touch = next(f for f in result.facilities if f.key == "touch_kiosk")
    assert (touch.status, touch.detail) == (PARTIAL, "窗口指示：没有附大厅平面图的办事指南")


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


def test_a_reader_no_resident_function_uses_is_only_partly_there():
    result = check("乡镇", answering, STATS)
    reader = next(f for f in result.facilities if f.key == "id_card_reader")
    assert (reader.status, reader.detail) == (PARTIAL, "设备已连接，但本机还没有居民用它的功能")
    assert "id_card_reader" in [f.key for f in result.missing_required]
    switched_off = {"id_card_reader": (("身份证查询", "未开启"),)}
    assert (
        next(
            f for f in check("乡镇", answering, STATS, switched_off).facilities if f.key == "id_card_reader"
        ).status
        == PARTIAL
    )
    used = next(
        f for f in check("乡镇", answering, STATS, READER_USED).facilities if f.key == "id_card_reader"
    )
    assert used.status == PRESENT
