"""Application numbers: unique across kiosks, days and counters; the check character catches a misread."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.applications import numbering
from kiosk.applications.numbering import ALPHABET, NumberInvalid


def test_the_documented_example():
    assert numbering.make("dz-001", date(2026, 12, 4), 73) == "NNA9RF-261204-073C"


def test_unique_over_a_fleet_a_year_and_busy_days():
    kiosks = [f"dingzhou-{n:03d}" for n in range(300)]
    assert len({numbering.kiosk_code(k) for k in kiosks}) == 300
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 365, 7)]
    numbers = {numbering.make(k, d, c) for k, d, c in itertools.product(kiosks[:40], days, range(1, 31))}
    assert len(numbers) == 40 * len(days) * 30
    assert all(len(n) == 18 and set(n.replace("-", "")) <= set(ALPHABET) for n in numbers)


def test_every_single_misread_character_and_every_swap_of_neighbours_is_caught():
    number = numbering.make("dz-001", date(2026, 12, 4), 73)
    compact = number.replace("-", "")
    for position in range(15):
        for other in ALPHABET:
            if other != compact[position]:
                wrong = compact[:position] + other + compact[position + 1 :]
                with pytest.raises(NumberInvalid):
                    numbering.parse(wrong)
        swapped = compact[:position] + compact[position + 1] + compact[position] + compact[position + 2 :]
        if swapped != compact:
            with pytest.raises(NumberInvalid):
                numbering.parse(swapped)


def test_typed_or_scanned_numbers_are_read_back():
    assert numbering.parse(" nna9rf 261204 073c ") == "NNA9RF-261204-073C"
    assert numbering.parse("NNA9RF2612O4O73C") == "NNA9RF-261204-073C"  # O for 0
    with pytest.raises(NumberInvalid, match="申请编号应为16位"):
        numbering.parse("NNA9RF-261204")
    with pytest.raises(NumberInvalid, match="校验位不对"):
        numbering.parse("NNA9RF-261204-073D")


def test_the_counter_is_bounded():
    for counter in (0, 1000):
        with pytest.raises(ValueError):
            numbering.make("dz-001", date(2026, 12, 4), counter)


@given(st.text(max_size=40))
def test_any_text_is_a_number_or_a_chinese_refusal(text):
    try:
        number = numbering.parse(text)
    except NumberInvalid as exc:
        assert str(exc).startswith("申请编号")
    else:
        assert numbering.parse(number) == number


@given(st.text(min_size=1, max_size=64), st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.integers(1, 999))
def test_every_made_number_parses_to_itself(kiosk_id, day, counter):
    number = numbering.make(kiosk_id, day, counter)
    assert numbering.parse(number) == number and number[7:13] == day.strftime("%y%m%d")


@given(st.one_of(st.text(max_size=60), st.builds(lambda t: "https://x/s?" + t, st.text(max_size=40))))
def test_any_scanned_text_is_a_number_or_a_chinese_refusal(text):
    try:
        number = numbering.from_scan(text)
    except NumberInvalid as exc:
        assert str(exc).startswith(("申请编号", "二维码"))
    else:
        assert numbering.parse(number) == number
