"""数据统计 on the real QML: a resident's read through the reader and the idle reset are recorded, the
staff section opens the statistics screen with its charts and numbers, the month goes to a USB folder as
XLSX and CSV, and a stick that cannot be written is said in Chinese."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from test_staff_mode import open_staff

from ui import worker

OLD_HOUSING = "gz-d24868-2022-02-06"  # a document with a 解读
# Offscreen has no OpenGL: Qt Graphs asks for its own QRhi, says so once and draws without axis lines
# (bars and numbers are drawn). Under Xvfb (OpenGL through Mesa) there is no such message.
OFFSCREEN_GRAPHS = "QRhiGles2: Failed to create"


def fill_a_week(services) -> None:
    """Records of several days, made through `usage.event` with its clock set back."""
    usage, now = services.usage, datetime.now(UTC)
    for days_ago, reads in ((2, 3), (1, 1), (0, 2)):
        usage.clock = lambda d=days_ago: now - timedelta(days=d)
        for _ in range(reads):
            usage.event("read", item_kind="document", item_id=OLD_HOUSING, seconds=90)
        usage.event("search", query_class="words", results=0, opened=False)
        usage.event("search", query_class="doc_number", results=2, opened=True)
        usage.event("queue_ticket", event="issued", service="A", priority=False)
        usage.event("queue_ticket", event="called", service="A", window="3", wait_seconds=600)
    usage.clock = lambda: now
    usage.flush()


def open_statistics(kiosk) -> None:
    open_staff(kiosk)
    kiosk.click("openStatistics")
    kiosk.wait_screen("statistics")
    summary = kiosk.get("statisticsSummary")
    kiosk.qtbot.waitUntil(lambda: "居民使用" in summary.property("text"), timeout=10000)


def test_reading_in_the_reader_and_the_idle_reset_are_recorded(kiosk):
    kiosk.app_state.open("reader", {"itemId": OLD_HOUSING})
    kiosk.wait_screen("reader")
    worker.wait_idle(5.0)
    kiosk.app_state.back()  # leaving the reader records the read
    kiosk.wait_screen("home")
    kiosk.app_state.open("reader", {"itemId": OLD_HOUSING})
    kiosk.wait_screen("reader")
    worker.wait_idle(5.0)
    kiosk.app_state.idle_policy.idle_seconds = 10_000  # nobody touched the screen for a long time
    kiosk.qtbot.waitUntil(lambda: kiosk.screen() == "home", timeout=10000)
    kiosk.services.usage.flush()
    rows = {
        (r.function, r.measure, r.item): r.count
        for r in kiosk.services.usage.store().tally(datetime.now().date(), datetime.now().date())
    }
    assert rows[("library", "read", OLD_HOUSING)] == 2
    assert rows[("kiosk", "idle_reset", "reader")] == 1


@pytest.mark.qt_log_ignore(OFFSCREEN_GRAPHS)
def test_staff_see_the_week_as_charts_with_their_numbers(kiosk, tmp_path):
    fill_a_week(kiosk.services)
    open_statistics(kiosk)
    today = datetime.now().date()
    monday = today - timedelta(days=today.weekday())
    kiosk.click("period_week")
    summary = kiosk.get("statisticsSummary")
    kiosk.qtbot.waitUntil(lambda: summary.property("text").startswith(f"{monday} 至 {today}"), timeout=10000)
    days = [d for d in (2, 1, 0) if today - timedelta(days=d) >= monday]  # the filled days of this week
    reads = sum({2: 3, 1: 1, 0: 2}[d] for d in days)
    uses = reads + 3 * len(days)  # reads, two searches and a ticket issued a day (a call is not a use)
    assert f"居民使用 {uses} 次" in summary.property("text"), summary.property("text")
    texts = kiosk.texts(kiosk.get("mostRead_0"))
    assert any("老旧小区" in t for t in texts), texts
    assert f"阅读 {reads} 次，平均 1.5 分钟" in texts, texts
    assert f"{len(days)} / 共 {len(days)}" in kiosk.texts(kiosk.get("chartNoResult"))
    assert f"10 分（{len(days)} 人）" in kiosk.texts(kiosk.get("chartQueueWaits"))
    per_day = kiosk.texts(kiosk.get("chartPerDay"))
    assert "周" + "一二三四五六日"[today.weekday()] in per_day, per_day
    kiosk.window.grabWindow().save(str(tmp_path / "statistics.png"))


@pytest.mark.qt_log_ignore(OFFSCREEN_GRAPHS)
def test_the_month_goes_to_a_usb_folder_as_xlsx_and_csv(kiosk, tmp_path):
    fill_a_week(kiosk.services)
    stick = tmp_path / "media" / "KIOSK-USB"
    stick.mkdir(parents=True)
    kiosk.services.statistics.sticks = lambda: [str(stick)]  # as if mounted there
    open_statistics(kiosk)
    kiosk.click("exportTo_0")
    message = kiosk.get("exportMessage")
    kiosk.qtbot.waitUntil(lambda: message.property("text").startswith("已导出到U盘"), timeout=10000)
    month = datetime.now().strftime("%Y-%m")
    assert message.property("text") == f"已导出到U盘：数据统计-{month}.xlsx、数据统计-{month}.csv"
    book = load_workbook(stick / f"数据统计-{month}.xlsx")
    assert book.sheetnames == ["概况", "每日使用", "各功能使用", "阅读排行", "搜索情况", "排队等候", "明细"]
    reading = list(book["阅读排行"].iter_rows(values_only=True))
    assert reading[0][:2] == ("文件", "阅读次数") and "老旧小区" in reading[1][0]
    days_this_month = sum(
        1 for d in (2, 1, 0) if (datetime.now() - timedelta(days=d)).strftime("%Y-%m") == month
    )
    assert reading[1][1] == sum({2: 3, 1: 1, 0: 2}[d] for d in (2, 1, 0)[3 - days_this_month :])
    with open(stick / f"数据统计-{month}.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["日期", "功能", "指标", "项目", "项目名称", "次数", "合计", "合计的含义"]
    assert any(r[1] == "政府信息查询" and r[2] == "阅读" and "老旧小区" in r[4] for r in rows[1:])
    assert not list(stick.glob(".*.part"))


@pytest.mark.qt_log_ignore(OFFSCREEN_GRAPHS)
def test_a_stick_that_cannot_be_written_is_said_in_chinese(kiosk, tmp_path):
    stick = tmp_path / "media" / "KIOSK-USB"
    stick.mkdir(parents=True)
    kiosk.services.statistics.sticks = lambda: [str(stick)]  # as if mounted there
    open_statistics(kiosk)
    stick.rmdir()  # pulled out after it was found
    kiosk.click("exportTo_0")
    message = kiosk.get("exportMessage")
    kiosk.qtbot.waitUntil(lambda: message.property("text") == "找不到U盘，请插好后再导出", timeout=10000)
