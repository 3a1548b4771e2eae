"""What a call says: numbers digit by digit, windows as cardinals, the chime and the two sayings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.voice.script import (
    CHIME,
    ScriptError,
    announcement,
    call_clips,
    cardinal_clips,
    number_clips,
    pinyin,
)

HANZI = {"digit_shi": "十", "digit_bai": "百", **{f"digit_{n}": "零一二三四五六七八九"[n] for n in range(10)}}


def said(clips: list[str]) -> str:
    return "".join(HANZI[c] for c in clips)


@pytest.mark.parametrize(
    ("window", "text"),
    [
        (1, "一"),
        (2, "二"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (105, "一百零五"),
        (110, "一百一十"),
        (115, "一百一十五"),
        (999, "九百九十九"),
    ],
)
def test_windows_are_said_as_cardinals(window, text):
    assert said(cardinal_clips(window)) == text


def read_cardinal(clips: list[str]) -> int:
    """The number a cardinal says, read back as a listener would."""
    value, digit = 0, None
    for clip in clips:
        if clip == "digit_bai":
            value += (digit or 1) * 100
            digit = None
        elif clip == "digit_shi":
            value += (digit or 1) * 10
            digit = None
        else:
            digit = int(clip.removeprefix("digit_"))
    return value + (digit or 0)


def test_every_window_number_reads_back_as_itself():
    for window in range(1, 1000):
        assert read_cardinal(cardinal_clips(window)) == window


def test_ticket_numbers_are_said_digit_by_digit():
    assert number_clips("A001") == ["letter_a", "digit_0", "digit_0", "digit_1"]
    assert number_clips("AB120") == ["letter_a", "letter_b", "digit_1", "digit_2", "digit_0"]
    assert (
        pinyin(call_clips("A001", 3)) == "qing3 A ling2 ling2 yi1 hao4 dao4 san1 hao4 chuang1 kou3 ban4 li3"
    )
    assert pinyin(call_clips("B012", 12)).endswith("dao4 shi2 er4 hao4 chuang1 kou3 ban4 li3")


def test_a_call_is_the_chime_then_the_call_twice_with_a_pause():
    once = call_clips("A001", 3)
    assert announcement("A001", 3) == [CHIME, *once, "", *once]
    assert announcement("A001", 3, times=1) == [CHIME, *once]


@pytest.mark.parametrize("bad", [0, -1, 1000, True, 3.0, "3"])
def test_a_window_that_cannot_be_said_is_refused(bad):
    with pytest.raises(ScriptError) as caught:
        cardinal_clips(bad)
    assert "无法播报窗口号" in caught.value.zh


@given(st.text(max_size=12))
def test_any_text_as_a_number_is_said_or_refused_never_garbled(text):
    try:
        clips = number_clips(text)
    except ScriptError as exc:
        assert "无法播报号码" in exc.zh
        return
    assert len(clips) == len(text)
    assert all(c.startswith(("letter_", "digit_")) for c in clips)
