"""Chinese working days, for the reply deadline of a disclosure application (《政府信息公开条例》 Art. 33),
counted the same way on the kiosk (the receipt's deadline) and in the city (the overdue list).

Whether a day is a working day comes, in this order, from a holiday table the city publishes (one JSON
file per year in the holiday-cn format: `{"year": 2027, "days": [{"name": "春节", "date": "2027-02-06",
"isOffDay": true}, …]}`, where `isOffDay: false` marks a 调休 working weekend), then from the
`chinesecalendar` package (1.11 covers 2004–2026), and beyond both from the weekday alone: a count
through such a year is an estimate (预估) until a table for it arrives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

from translatable import Message

MAX_TABLE_BYTES = 64 * 1024


class HolidayTableError(ValueError):
    """A holiday table that is not one: English reason; `zh` for staff."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


@dataclass(frozen=True)
class HolidayTable:
    year: int
    days: dict[date, bool]  # date → isOffDay (True: a holiday; False: a 调休 working day)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_table(data: bytes, where: str = "holiday table") -> HolidayTable:
    """One year's table in the holiday-cn format; raises `HolidayTableError` with the reason."""
    if len(data) > MAX_TABLE_BYTES:
        raise HolidayTableError(
            f"{where}: larger than {MAX_TABLE_BYTES} bytes", Message("节假日表 {where} 过大", where=where)
        )
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        raise HolidayTableError(
            f"{where}: not UTF-8 JSON", Message("节假日表 {where} 不是有效的 JSON", where=where)
        ) from None
    if not isinstance(value, dict):
        raise HolidayTableError(f"{where}: not an object", Message("节假日表 {where} 格式不对", where=where))
    year = value.get("year")
    if type(year) is not int or not 1949 <= year <= 2200:
        raise HolidayTableError(
            f"{where}: year must be a whole number", Message("节假日表 {where} 缺少有效的年份", where=where)
        )
    entries = value.get("days")
    if not isinstance(entries, list) or len(entries) > 366:
        raise HolidayTableError(
            f"{where}: days must be a list of days", Message("节假日表 {where} 的 days 格式不对", where=where)
        )
    days: dict[date, bool] = {}
    for n, entry in enumerate(entries):
        bad = HolidayTableError(
            f"{where}: days[{n}] must be {{name, date: YYYY-MM-DD, isOffDay: true|false}}",
            Message("节假日表 {where} 第 {n} 项格式不对", where=where, n=n + 1),
        )
        if not isinstance(entry, dict):
            raise bad
        name, text, off = entry.get("name"), entry.get("date"), entry.get("isOffDay")
        if not isinstance(name, str) or len(name) > 64 or not isinstance(text, str) or type(off) is not bool:
            raise bad
        if not _DATE.fullmatch(text):
            raise bad
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise bad from None
        if abs(day.year - year) > 1:
            raise HolidayTableError(
                f"{where}: {text} is not near {year}",
                Message(
                    "节假日表 {where} 中的日期 {text} 不属于 {year} 年", where=where, text=text, year=year
                ),
            )
        if days.get(day, off) != off:
            raise HolidayTableError(
                f"{where}: {text} is both a holiday and a working day",
                Message("节假日表 {where} 中 {text} 既是假日又是工作日", where=where, text=text),
            )
        days[day] = off
    return HolidayTable(year, days)


def load_tables(folder: Path) -> tuple[list[HolidayTable], list[HolidayTableError]]:
    """Every `*.json` table in `folder` (absent: none); a bad file is reported, not fatal."""
    tables, errors = [], []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            tables.append(parse_table(path.read_bytes(), path.name))
        except HolidayTableError as exc:
            errors.append(exc)
        except OSError as exc:
            errors.append(
                HolidayTableError(
                    f"{path.name}: {exc.strerror}", Message("无法读取节假日表 {name}", name=path.name)
                )
            )
    return tables, errors


def package_years() -> range:
    """The years the installed `chinesecalendar` has data for."""
    years = {d.year for d in chinese_calendar.constants.holidays}
    return range(min(years), max(years) + 1)


class WorkCalendar:
    """Working days from the city's tables, then `chinesecalendar`, then weekdays (marked unknown)."""

    def __init__(self, tables: Iterable[HolidayTable] = (), *, use_package: bool = True):
        self.days: dict[date, bool] = {}
        self.table_years: set[int] = set()
        for table in sorted(tables, key=lambda t: t.year):
            self.days.update(table.days)
            self.table_years.add(table.year)
        self.package_years = package_years() if use_package else range(0)

    def known(self, day: date) -> bool:
        return day in self.days or day.year in self.table_years or day.year in self.package_years

    def is_workday(self, day: date) -> bool:
        if day in self.days:
            return not self.days[day]
        if day.year in self.table_years or day.year not in self.package_years:
            return day.weekday() < 5
        return chinese_calendar.is_workday(day)


def add_working_days(start: date, count: int, calendar: WorkCalendar) -> tuple[date, bool]:
    """The `count`-th working day after `start`, and whether a day on the way was an estimate."""
    day, counted, estimated = start, 0, False
    while counted < count:
        day += timedelta(days=1)
        estimated = estimated or not calendar.known(day)
        counted += calendar.is_workday(day)
    return day, estimated


def working_days_after(start: date, end: date, calendar: WorkCalendar) -> int:
    """The working days in (start, end]: 0 when `end` is not after `start`."""
    return sum(calendar.is_workday(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))
