"""The day's tickets as CSV for staff and technicians (`kiosk queue export`, the staff screen): one row per
ticket row, times and outcome, never anything about the resident (the ID hash stays in the database).
Written with a BOM so a spreadsheet opens the Chinese headings as UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from kiosk.i18n import tr, translate
from kiosk.queue.config import QueueConfig
from kiosk.queue.model import RATINGS, Ticket

HEADER = (
    "日期", "号码", "业务", "绿色通道", "状态", "窗口", "取号时间", "叫号时间", "开始办理", "结束时间",
    "呼叫次数", "评价", "转自", "打印次数",
)  # fmt: skip


def _time(value) -> str:
    return value.strftime("%H:%M:%S") if value else ""


def tickets_csv(tickets: Iterable[Ticket], config: QueueConfig) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    numbers = {}
    for ticket in tickets:
        numbers[ticket.id] = ticket.number
        service = config.service(ticket.service)
        window = config.window(ticket.window) if ticket.window else None
        writer.writerow(
            (
                ticket.day,
                ticket.number,
                service.name if service else ticket.service,
                tr("是") if ticket.priority else "",
                ticket.status_zh,
                window.name
                if window
                else (tr("{window}号窗口", window=ticket.window) if ticket.window else ""),
                _time(ticket.issued_at),
                _time(ticket.called_at),
                _time(ticket.started_at),
                _time(ticket.finished_at),
                ticket.calls,
                translate(RATINGS.get(ticket.rating, "")) if ticket.rating else "",
                tr("转办") if ticket.parent_id else "",
                ticket.prints,
            )
        )
    return out.getvalue()
