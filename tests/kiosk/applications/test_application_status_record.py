"""The status record (`content.application_status`) and the kiosk's lookup: what the city encodes the kiosk
reads back; anything else is `StatusInvalid`, never another error; the key needs the phone's digits."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content.application_status import (
    CORRECTION,
    EVENTS,
    EXTENSION,
    REPLY,
    REPLY_KINDS,
    Event,
    StatusInvalid,
    encode,
    key,
    parse,
)
from kiosk.applications import numbering
from kiosk.applications.errors import ApplicationError
from kiosk.applications.status import lookup

NUMBER = numbering.make("dz-001", date(2026, 12, 4), 73)
DAYS = st.dates(date(2020, 1, 1), date(2040, 12, 31))
TEXT = st.text(max_size=200)
EVENT = st.one_of(
    st.builds(Event, st.just(CORRECTION), DAYS, TEXT),
    st.builds(Event, st.just(EXTENSION), DAYS, TEXT, st.just(""), DAYS),
    st.builds(Event, st.just(REPLY), DAYS, TEXT, st.sampled_from(REPLY_KINDS)),
)


@given(st.lists(EVENT, max_size=5), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_what_the_city_encodes_the_kiosk_reads(events, phone):
    assert parse(encode(NUMBER, phone, events)) == (key(NUMBER, phone), events)


@given(st.binary(max_size=300))
def test_any_bytes_are_a_record_or_status_invalid(data):
    try:
        parse(data)
    except StatusInvalid:
        pass


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=20,
)


@given(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(EVENTS) | st.text(max_size=3),
            "on": st.sampled_from(["2026-12-04", "2026-13-01", ""]) | JSONISH,
            "text": TEXT | JSONISH,
            "reply": st.sampled_from(REPLY_KINDS) | st.just("") | JSONISH,
            "deadline": st.sampled_from(["2027-01-04", ""]) | JSONISH,
        }
    )
)
def test_any_event_is_read_or_refused_as_status_invalid(event):
    try:
        parse(json.dumps({"key": "0" * 64, "events": [event]}).encode())
    except StatusInvalid:
        pass


def test_the_key_is_the_number_and_the_last_four_digits_only():
    assert key(NUMBER, "139-1234-5678") == key(NUMBER, "5678") != key(NUMBER, "5679")
    assert key(NUMBER, "5678") != key(numbering.make("dz-002", date(2026, 12, 4), 73), "5678")


def test_lookup_reads_the_record_of_the_number_and_digits(tmp_path):
    events = [Event(REPLY, date(2026, 12, 20), "请到三楼领取", "予以公开")]
    folder = tmp_path / "application_status"
    folder.mkdir()
    (folder / f"{key(NUMBER, '5678')}.json").write_bytes(encode(NUMBER, "13912345678", events))
    assert lookup(tmp_path, NUMBER.lower().replace("-", " "), "5678") == (NUMBER, events)
    assert lookup(tmp_path, NUMBER, "1234") == (NUMBER, None)
    with pytest.raises(ApplicationError, match="four") as caught:
        lookup(tmp_path, NUMBER, "567")
    assert caught.value.zh == "请输入申请时所留电话号码的后4位数字"
    with pytest.raises(ApplicationError) as caught:
        lookup(tmp_path, NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1"), "5678")
    assert "校验位" in caught.value.zh
    (folder / f"{key(NUMBER, '5678')}.json").write_bytes(b"{")
    with pytest.raises(ApplicationError) as caught:
        lookup(tmp_path, NUMBER, "5678")
    assert caught.value.zh == "答复记录暂时无法读取，请到服务窗口查询"
