"""The line-tracking JSON reader: the same values as `json.loads`, each value's line right, clear errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.guides_json import MAX_DEPTH, JsonSyntaxError, parse

KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=25,
)


def walk(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, (*path, index))


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([None, 0, 1, 2]), st.booleans())
def test_values_match_the_standard_library_and_every_line_is_where_the_value_starts(
    value, indent, ascii_only
):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    parsed = parse(text)
    assert parsed.value == json.loads(text)
    lines = text.split("\n")
    for path, child in walk(value):
        line = lines[parsed.line_of(path) - 1]
        if indent is None:
            assert parsed.line_of(path) == 1
        elif path and isinstance(path[-1], str):  # an object member: its line starts with its key
            assert line.strip().startswith(json.dumps(path[-1], ensure_ascii=ascii_only) + ":"), (path, line)
        elif path:  # a list element starts its own line
            shown = json.dumps(child, ensure_ascii=ascii_only)
            assert line.strip().startswith(shown[:1] if isinstance(child, (list, dict)) else shown), (
                path,
                line,
            )


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='{}[]":,0123456789.-+eEtrufalsn \n\\ab\u00e9\u4e2d', max_size=40))
def test_any_text_parses_like_the_standard_library_or_is_a_located_error(text):
    try:
        expected = json.loads(text)
    except (ValueError, RecursionError):
        expected = JsonSyntaxError
    try:
        got = parse(text).value
    except JsonSyntaxError as error:
        assert 1 <= error.line <= text.count("\n") + 1 and error.column >= 1 and error.zh
        if expected is not JsonSyntaxError:  # what the standard library takes and a guide file may not hold
            assert "重复出现" in error.zh or "不是有效的 JSON 值" in error.zh, (text, error.zh)
        return
    assert expected is not JsonSyntaxError
    assert got == expected


@pytest.mark.parametrize(
    "text, line, zh",
    [
        ('{\n "a": 1,\n "a": 2\n}', 3, "字段“a”重复出现"),
        ('{\n "a": 1,\n}', 3, "这里应是带双引号的字段名"),
        ("[\n 1\n 2\n]", 3, "缺少逗号"),
        ('{"a": NaN}', 1, "NaN 不是有效的 JSON 值"),
        ('{\n "a": "没有结尾\n}', 2, "字符串"),
        ("[1] 2", 1, "多余的文字"),
        ("", 1, "文件意外结束"),
    ],
)
def test_errors_name_the_line_and_say_what_is_wrong(text, line, zh):
    with pytest.raises(JsonSyntaxError) as caught:
        parse(text)
    assert caught.value.line == line
    assert zh in caught.value.zh


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(JsonSyntaxError) as caught:
        parse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert "嵌套" in caught.value.zh
    assert parse("[" * MAX_DEPTH + "]" * MAX_DEPTH).value is not None
