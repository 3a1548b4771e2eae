"""The configuration: declared options, TOML loading, errors that name the option and the line."""

from __future__ import annotations

import pytest

from kiosk import config
from kiosk.options import OPTIONS, OPTIONS_BY_KEY


def write(tmp_path, text: str):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_option_is_declared_with_type_default_and_description():
    assert len(OPTIONS_BY_KEY) == len(OPTIONS), "duplicate option keys"
    for option in OPTIONS:
        assert option.description, option.key
        assert config.coerce(option, option.default) == option.default, option.key


def test_file_values_override_defaults_and_record_their_line(tmp_path):
    path = write(tmp_path, '[kiosk]\nhall_name = "东亭镇便民服务中心"\n\ntier = "乡镇"\nidle_timeout = 120\n')
    loaded = config.load(path)
    assert loaded["kiosk.hall_name"] == "东亭镇便民服务中心"
    assert loaded["kiosk.tier"] == "乡镇"
    assert loaded["kiosk.idle_timeout"] == 120
    assert loaded.sources["kiosk.tier"] == f"{path}:4"
    assert loaded.sources["kiosk.font_scale"] == "default"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('[kiosk]\ntier = "街道"\n', 2, "kiosk.tier"),
        ('[kiosk]\nhall_name = "x"\nidle_timeout = "long"\n', 3, "kiosk.idle_timeout"),
        ("[kiosk]\nidle_timeout = 5\n", 2, "at least 15"),
        ("[kiosk]\nfont_scale = true\n", 2, "kiosk.font_scale"),
        ('[devices]\n\nprinter = "lpt://1"\n', 3, "devices.printer"),
        ('[kiosk]\nhall = "x"\n', 2, "unknown option 'kiosk.hall'"),
        ("[kiosk\ntier = 1\n", 1, "not valid TOML"),
    ],
)
def test_a_wrong_value_names_the_option_and_the_line(tmp_path, text, line, fragment):
    path = write(tmp_path, text)
    with pytest.raises(config.ConfigError) as caught:
        config.load(path)
    assert caught.value.line == line
    assert fragment in str(caught.value)
    assert f"{path}:{line}" in str(caught.value)
    assert f"{path}:{line}" in caught.value.zh


def test_dotted_keys_are_located_too(tmp_path):
    path = write(tmp_path, 'devices.idcard = "sim://"\nkiosk.tier = "县"\n')
    loaded = config.load(path)
    assert loaded["kiosk.tier"] == "县"
    assert loaded.sources["kiosk.tier"] == f"{path}:2"


def test_non_utf8_and_unreadable_files_are_clear_errors(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes('[kiosk]\nhall_name = "东亭镇"\n'.encode("gbk"))
    with pytest.raises(config.ConfigError, match="not UTF-8"):
        config.load(path)
    with pytest.raises(config.ConfigError, match="cannot read"):
        config.load(tmp_path / "absent.toml")


def test_device_addresses_are_checked():
    for good in (
        "",
        "auto",
        "sim://",
        "sim://?paper=out",
        "serial:///dev/ttyUSB0?baudrate=115200",
        "tcp://192.0.2.1:9100",
    ):
        config.check_device_address(good)
    with pytest.raises(ValueError):
        config.check_device_address("/dev/ttyUSB0")


def test_render_toml_round_trips_and_hides_secrets(tmp_path):
    effective = config.defaults().with_values(kiosk__tier="村", kiosk__staff_pin_hash="scrypt$abc")
    text = config.render_toml(effective)
    assert "scrypt$abc" not in text
    reloaded = config.load(write(tmp_path, text.replace('"********"', '""')))
    assert reloaded["kiosk.tier"] == "村"
    assert reloaded["kiosk.idle_timeout"] == effective["kiosk.idle_timeout"]
