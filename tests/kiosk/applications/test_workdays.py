"""The reply deadline in Chinese working days: 春节, 国庆, 调休 Saturdays, year ends, city tables, 预估."""

from __future__ import annotations

import json
from datetime import date

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from content.workdays import (
    HolidayTableError,
    WorkCalendar,
    add_working_days,
    load_tables,
    package_years,
    parse_table,
    working_days_after,
)
from kiosk.applications.workdays import DeadlineRule, deadline

RULE = DeadlineRule()
CALENDAR = WorkCalendar()

# 2027 as the State Council might publish it, in the holiday-cn format (元旦 and a 春节 with a 调休 Saturday).
TABLE_2027 = {
    "year": 2027,
    "papers": ["https://www.gov.cn/example"],
    "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": True},
        {"name": "春节", "date": "2027-02-06", "isOffDay": False},
        *({"name": "春节", "date": f"2027-02-{d:02d}", "isOffDay": True} for d in range(7, 14)),
    ],
}


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # 春节 2026: 2/14 (Sat) is a 调休 working day, 2/15–2/23 off, 2/28 (Sat) works.
        (date(2026, 2, 13), date(2026, 3, 19)),
        (date(2026, 1, 30), date(2026, 3, 5)),
        # 国庆 and 中秋 2026: 9/20 (Sun) and 10/10 (Sat) work, 9/25–9/27 and 10/1–10/7 off.
        (date(2026, 9, 15), date(2026, 10, 19)),
        # Across the year end: 2026-01-01..03 off, 1/4 (Sun) works.
        (date(2025, 12, 31), date(2026, 1, 29)),
        # A plain month: four weeks.
        (date(2025, 12, 1), date(2025, 12, 29)),
    ],
)
def test_deadlines_count_holidays_and_working_weekends(received, due):
    result = deadline(received, RULE, CALENDAR)
    assert (result.due, result.estimated) == (due, False)
    assert result.due == chinese_calendar.find_workday(20, received)  # the package's own count agrees


def test_a_deadline_counted_from_the_day_of_receipt_is_a_working_day_earlier():
    # Received on a working Friday, which is day 1 under this rule; both counts pass 9/20 (Sun) and
    # 10/10 (Sat), the 调休 working days of 中秋 and 国庆.
    assert deadline(date(2026, 9, 11), DeadlineRule(from_next_day=False), CALENDAR).due == date(2026, 10, 14)
    assert deadline(date(2026, 9, 11), RULE, CALENDAR).due == date(2026, 10, 15)


def test_beyond_the_data_weekends_only_and_marked_estimated():
    assert package_years() == range(2004, 2027)  # chinesecalendar 1.11; a newer one moves this test
    result = deadline(date(2026, 12, 4), RULE, CALENDAR)
    assert (result.due, result.estimated) == (date(2027, 1, 1), True)
    assert result.text() == "2027年1月1日（预估）"


def test_the_city_table_for_next_year_makes_it_exact():
    calendar = WorkCalendar([parse_table(json.dumps(TABLE_2027).encode())])
    result = deadline(date(2026, 12, 4), RULE, calendar)
    assert (result.due, result.estimated) == (date(2027, 1, 4), False)
    assert result.text() == "2027年1月4日"
    # 春节 2027 in the table: 2/6 (Sat) works, 2/7–2/13 off.
    assert deadline(date(2027, 1, 29), RULE, calendar).due == date(2027, 3, 4)


def test_a_city_table_overrides_the_package_for_its_year():
    # A mid-year change (as 2020-01-27 extended 春节): the city's 2026 table adds 2026-03-02 as a holiday.
    table = {"year": 2026, "days": [{"name": "特别假日", "date": "2026-03-02", "isOffDay": True}]}
    calendar = WorkCalendar([parse_table(json.dumps(table).encode())])
    assert not calendar.is_workday(date(2026, 3, 2))
    # …and with it, the table is the whole truth for 2026: the package's 春节 no longer applies.
    assert calendar.is_workday(date(2026, 2, 16))


def test_the_rule_is_said_in_words():
    assert RULE.describe() == "依据《政府信息公开条例》第三十三条，自收到申请之日的次日起计算 20 个工作日"
    assert "收到申请之日起" in DeadlineRule(working_days=40, from_next_day=False).describe()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{", "JSON"),
        (b"[]", "object"),
        (b'{"days": []}', "year"),
        (b'{"year": "2027", "days": []}', "year"),
        (b'{"year": 2027}', "days"),
        (b'{"year": 2027, "days": [{"name": "x", "date": "2027-02-30", "isOffDay": true}]}', r"days\[0\]"),
        (b'{"year": 2027, "days": [{"name": "x", "date": "2027-2-3", "isOffDay": true}]}', r"days\[0\]"),
        (b'{"year": 2027, "days": [{"name": "x", "date": "2027-02-03", "isOffDay": 1}]}', r"days\[0\]"),
        (b'{"year": 2027, "days": [{"name": "x", "date": "2031-02-03", "isOffDay": true}]}', "not near"),
        (
            b'{"year": 2027, "days": [{"name": "x", "date": "2027-02-03", "isOffDay": true},'
            b' {"name": "y", "date": "2027-02-03", "isOffDay": false}]}',
            "both",
        ),
        (b" " * 70_000, "larger"),
    ],
)
def test_bad_tables_are_refused_with_a_reason(body, reason):
    with pytest.raises(HolidayTableError, match=reason) as caught:
        parse_table(body, "2027.json")
    assert "2027.json" in caught.value.zh


def test_a_folder_of_tables_reports_a_bad_file_and_keeps_the_good(tmp_path):
    (tmp_path / "2027.json").write_text(json.dumps(TABLE_2027), encoding="utf-8")
    (tmp_path / "2028.json").write_bytes(b"not json")
    tables, errors = load_tables(tmp_path)
    assert [t.year for t in tables] == [2027] and [e.zh for e in errors] == [
        "节假日表 2028.json 不是有效的 JSON"
    ]
    assert load_tables(tmp_path / "absent") == ([], [])


@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_a_table_or_a_clear_refusal(data):
    try:
        table = parse_table(data)
    except HolidayTableError as exc:
        assert exc.zh
    else:
        assert isinstance(table.year, int)


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.integers(1, 60))
def test_a_deadline_is_a_working_day_after_receipt_with_as_many_working_days(received, days):
    rule = DeadlineRule(working_days=days)
    result = deadline(received, rule, CALENDAR)
    assert result.due > received and CALENDAR.is_workday(result.due)
    span = [date.fromordinal(n) for n in range(received.toordinal() + 1, result.due.toordinal() + 1)]
    assert sum(CALENDAR.is_workday(d) for d in span) == days
    assert result.estimated == any(d.year not in package_years() for d in span)


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_working_days_between_two_dates_count_each_working_day_once(start, end):
    counted = working_days_after(start, end, CALENDAR)
    if end <= start:
        assert counted == 0
    else:
        middle = start + (end - start) / 2
        assert counted == working_days_after(start, middle, CALENDAR) + working_days_after(
            middle, end, CALENDAR
        )
        assert counted <= (end - start).days
        if counted:
            assert add_working_days(start, counted, CALENDAR)[0] <= end
