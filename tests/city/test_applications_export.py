"""`city applications export`: the register of applications, opened with the city's key, as CSV and XLSX,
with a hostile description (a spreadsheet formula, emoji, 10,000 characters, a control character) written
as text, `--from/--to` and `--overdue` choosing the rows, the file 0600, refused inside the channel's
repository, and no personal value in what the command logs."""

from __future__ import annotations

import csv
import io
import logging
import re
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from city import applications_export, cli, dashboard_export
from tests.city.test_applications_due import FORM, home, on, send  # noqa: F401 (home: the fixture)

HOSTILE = "=cmd|' /C calc'!A0 申请😀" + "政" * 10_000 + "\x07"


@pytest.fixture
def register(home, monkeypatch):  # noqa: F811
    send(home, "NNA9RF-260901-0011", "dz-001", "2026-09-01", "2026-09-29", description=HOSTILE)
    send(
        home,
        "NNA9RF-261020-0013",
        "dz-002",
        "2026-10-20",
        "2026-11-17",
        name="@SUM(1+1)",
        phone="+8613800138000",
    )
    on(monkeypatch, "2026-10-21")
    return home


def export(city_home, *args: str) -> int:
    return cli.main(["--home", str(city_home.path), "applications", "export", *args])


def test_csv_holds_every_field_as_text(register, tmp_path, capsys, caplog):
    target = tmp_path / "out" / "登记.csv"
    target.parent.mkdir()
    with caplog.at_level(logging.DEBUG):
        assert export(register, str(target)) == 0
    said = capsys.readouterr().out
    assert f"已导出 2 件申请到 {target}" in said and "仅本用户可读" in said
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:6] == ["申请编号", "一体机", "收到日期", "答复期限", "办理情况", "编号重复"]
    first, second = rows[1], rows[2]
    description = first[rows[0].index("所需信息的描述")]
    assert description.startswith("'=cmd|") and "😀" in description
    assert len(description) == len(HOSTILE) + 1 and description.endswith("\ufffd")
    assert first[rows[0].index("身份证号码")] == FORM["id_number"]
    assert first[4] == "答复期限 2026-09-29  已逾期 12 个工作日"  # 09-30, 10-08–10 (调休), 10-12–16, 10-19–21
    assert (
        second[rows[0].index("姓名/名称")] == "'@SUM(1+1)"
        and second[rows[0].index("联系电话")] == "'+8613800138000"
    )
    for value in (FORM["id_number"], FORM["phone"], "王小明", "政政政"):
        assert value not in said and value not in caplog.text
    assert [p.name for p in target.parent.iterdir()] == ["登记.csv"]  # no part file left


def test_xlsx_and_the_choice_of_rows(register, tmp_path, capsys):
    target = tmp_path / "登记.xlsx"
    assert export(register, str(target), "--from", "2026-10-01", "--to", "2026-10-31") == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    sheet = load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [r[0] for r in rows[1:]] == ["NNA9RF-261020-0013"]
    assert rows[1][rows[0].index("姓名/名称")] == "'@SUM(1+1)"
    assert export(register, str(target), "--overdue") == 0
    sheet = load_workbook(target).active
    cells = {c.coordinate: c for row in sheet.iter_rows() for c in row}
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [r[0] for r in rows[1:]] == ["NNA9RF-260901-0011"]
    description = rows[1][rows[0].index("所需信息的描述")]
    assert description.startswith("'=cmd|") and len(description) == len(HOSTILE) + 1
    assert all(c.data_type != "f" for c in cells.values())  # no formula anywhere
    assert export(register, str(target), "--to", "2026-08-31") == 0
    assert "已导出 0 件申请" in capsys.readouterr().out


def test_bad_targets_are_refused_with_the_reason(register, tmp_path, capsys):
    assert export(register, str(register.repo.path / "登记.csv")) == 2
    assert "不能写入发布频道的目录" in capsys.readouterr().err
    assert export(register, str(tmp_path / "登记.txt")) == 2
    assert "请给出 .csv 或 .xlsx 文件名" in capsys.readouterr().err
    assert export(register, str(tmp_path / "登记.csv"), "--from", "2026-13-01") == 2
    assert "日期格式不对" in capsys.readouterr().err
    assert export(register, str(tmp_path / "no" / "登记.csv")) == 2
    assert "无法写入" in capsys.readouterr().err
    assert not list(register.repo.path.rglob("登记*"))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_written_as_that_text_never_a_formula(text):
    cell = applications_export._text(text)
    expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", text)
    expected = "'" + expected if expected.startswith(("=", "+", "-", "@", "\t", "\r")) else expected
    book = load_workbook(io.BytesIO(dashboard_export.xlsx_bytes("t", ["a"], [[cell]])))
    (written,) = [c for row in book.active.iter_rows(min_row=2) for c in row]
    xml_lines = expected.replace("\r\n", "\n").replace("\r", "\n")  # XML reads every line end as \n
    assert written.data_type != "f" and (written.value or "") == xml_lines
    text_csv = dashboard_export.csv_bytes(["a"], [[cell]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text_csv, newline="")))[1:] == [[expected]]
