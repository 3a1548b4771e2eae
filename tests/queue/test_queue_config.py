"""The services/windows file: the example imports, a config survives its own file form, every problem is
named by its place, and any input (hypothesis) gives a config or a `QueueConfigError`, never a crash."""

from __future__ import annotations

import json
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.cli.queue_cmd import EXAMPLE
from kiosk.queue import QueueConfigError, load_config, parse_config


def problems(data) -> str:
    with pytest.raises(QueueConfigError) as error:
        parse_config(data, "queue.toml")
    assert "未做任何更改" in error.value.zh or "键值表" in error.value.zh
    assert error.value.zh.isprintable() or "\n" in error.value.zh
    assert all(ord(c) < 0x3000 for c in str(error.value))
    return error.value.zh


def test_the_example_file_is_a_working_hall(tmp_path):
    path = tmp_path / "hall.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    config = load_config(path)
    assert config.configured
    assert [s.prefix for s in config.services] == ["A", "B"]
    assert config.service("shebao").hours_text() == "08:30-12:00、13:30-17:00"
    assert config.service("hukou").id_card == "required"
    assert parse_config(config.to_dict()) == config
    json_path = tmp_path / "hall.json"
    json_path.write_text(json.dumps(config.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert load_config(json_path) == config


def test_every_problem_is_named_by_its_place():
    zh = problems(
        {
            "queue": {"priority_every": 0, "colour": "red", "status_url": "ftp://x"},
            "service": [
                {"key": "a", "name": "甲", "prefix": "A", "hours": ["12:00-08:00"], "id_card": "maybe"},
                {"key": "a", "name": "乙", "prefix": "A", "first": 5, "last": 5, "days": [0]},
                {"key": "c", "prefix": "C", "daily_cap": "many", "category": "个人"},
            ],
            "window": [{"number": 1, "services": ["a", "zz"]}, {"number": 1, "services": "a"}],
        }
    )
    for fragment in (
        "queue.priority_every：应在 1 到 50 之间（现为 0）",
        "queue.colour：不认识的字段",
        "queue.status_url：应以 http:// 或 https:// 开头",
        "service[1].hours：“12:00-08:00”结束时间应晚于开始时间",
        "service[1].id_card：只能是 none、optional、required",
        "service[2].key：与 service[1] 重复（“a”）",
        "service[2].prefix：与 service[1] 重复（“A”）",
        "service[2].last：应大于 first（5）",
        "service[2].days：应为 1–7 的列表",
        "service[3].name：必须填写",
        "service[3].daily_cap：应为整数",
        "service[3].category：只能是 公民类 或 企业类",
        "window[1].services：没有业务 “zz”",
        "window[2].number：与 window[1] 重复",
        "window[2].services：应为业务 key 的列表",
    ):
        assert fragment in zh, fragment


def test_blank_names_are_refused():
    zh = problems({"service": [{"key": " ", "name": "", "prefix": ""}]})
    for fragment in ("service[1].key：不能为空", "service[1].name：不能为空", "service[1].prefix：不能为空"):
        assert fragment in zh, fragment


def test_overlapping_hours_and_bad_times():
    zh = problems(
        {
            "service": [
                {
                    "key": "a",
                    "name": "甲",
                    "prefix": "A",
                    "hours": ["08:00-12:00", "11:00-13:00", "25:00-26:00", "9点"],
                }
            ]
        }
    )
    assert "时段有重叠" in zh and "“25:00-26:00”不是有效时间" in zh and "“9点”不是“时:分-时:分”" in zh


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("bad.toml", b"[[service]\nkey=", "TOML 格式错误"),
        ("bad.json", b'{"service": [\n{"key": }]}', "bad.json:2：JSON 格式错误"),
        ("gbk.toml", "[queue]\n# 中文".encode("gbk"), "不是 UTF-8"),
        ("big.toml", b"#" * 1_000_001, "文件过大"),
    ],
)
def test_unreadable_files(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(QueueConfigError) as error:
        load_config(path)
    assert expected in error.value.zh


def test_a_directory_or_missing_file(tmp_path):
    for path in (tmp_path, tmp_path / "missing.toml"):
        with pytest.raises(QueueConfigError) as error:
            load_config(path)
        assert "不是文件或不存在" in error.value.zh


def test_a_bom_is_read(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.encode())
    assert load_config(path).configured


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=30,
)
FIELDS = st.sampled_from(
    ["key", "name", "prefix", "first", "last", "daily_cap", "hours", "days", "id_card", "category", "guide",
     "estimate_minutes", "number", "services", "priority_every", "status_url"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["queue", "service", "window", "other"]),
        JSONISH | st.lists(st.dictionaries(FIELDS, JSONISH, max_size=8), max_size=3),
        max_size=3,
    )
)
def test_any_input_is_a_config_or_a_clear_error(data):
    try:
        config = parse_config(data)
    except QueueConfigError as error:
        assert error.zh
        return
    assert parse_config(config.to_dict()) == config


SERVICE = st.fixed_dictionaries(
    {
        "name": st.text(st.characters(codec="utf-8", categories=["Lo", "Nd"]), min_size=1, max_size=8),
        "first": st.integers(0, 100),
        "estimate_minutes": st.integers(1, 240),
        "id_card": st.sampled_from(["none", "optional", "required"]),
        "days": st.lists(st.integers(1, 7), min_size=1, max_size=7),
        "hours": st.sampled_from([["08:30-12:00", "13:30-17:00"], ["00:00-24:00"], ["09:00-09:01"]]),
    }
)


@settings(max_examples=100, deadline=None)
@given(st.lists(SERVICE, min_size=1, max_size=5, unique_by=lambda s: s["name"]))
def test_valid_configs_survive_their_file_form(services):
    data = {
        "service": [
            {**s, "key": f"s{i}", "prefix": "ABCDE"[i], "last": s["first"] + 50}
            for i, s in enumerate(services)
        ],
        "window": [{"number": 1, "services": [f"s{i}" for i in range(len(services))]}],
    }
    config = parse_config(data)
    again = parse_config(tomllib.loads(_toml(config.to_dict())))
    assert again == config


def _toml(data) -> str:
    """A minimal TOML writer for the file form (tables of scalars and lists)."""
    out = ["[queue]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in data["queue"].items()]
    for table in ("service", "window"):
        for row in data[table]:
            out.append(f"[[{table}]]")
            out += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in row.items()]
    return "\n".join(out) + "\n"
