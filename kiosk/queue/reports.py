"""Reports for staff (the staff screen's table, its CSV): per day, week or month, per service and per
window, the tickets issued, served, 过号 and cancelled, the wait (issue → first call) and service time
(start → finish) as median and 90th percentile in minutes, and the 好差评 ratings."""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from kiosk.i18n import N_, tr
from kiosk.queue.config import QueueConfig
from kiosk.queue.model import CANCELLED, DONE, NO_SHOW, TRANSFERRED, Ticket

PERIODS = {"day": N_("日"), "week": N_("周"), "month": N_("月")}


def period_days(period: str, day: date) -> tuple[date, date]:
    """The first and last day of the day, ISO week (Monday first) or month holding `day`."""
    if period == "day":
        return day, day
    if period == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    if period == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    raise ValueError(f"unknown period {period!r}")


@dataclass(frozen=True)
class Row:
    group: str  # "service" or "window"
    name: str
    issued: int
    served: int
    no_shows: int
    cancelled: int
    transferred: int
    wait_median: float | None  # minutes
    wait_p90: float | None
    service_median: float | None
    service_p90: float | None
    ratings: int
    satisfied: int  # 非常满意 or 满意
    rating_average: float | None


@dataclass(frozen=True)
class Report:
    period: str
    first: date
    last: date
    rows: tuple[Row, ...]

    def to_dict(self) -> dict:
        return {"period": self.period, "first": self.first.isoformat(), "last": self.last.isoformat(),
                "rows": [asdict(r) for r in self.rows]}  # fmt: skip


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered) + 0.5) - 1))]


def _minutes(values: Iterable[float]) -> list[float]:
    return [v / 60 for v in values]


def _row(group: str, name: str, tickets: list[Ticket]) -> Row:
    roots = [t for t in tickets if t.parent_id is None]
    waits = _minutes((t.called_at - t.issued_at).total_seconds() for t in tickets if t.called_at)
    served = [t for t in tickets if t.status == DONE]
    times = _minutes(
        (t.finished_at - t.started_at).total_seconds() for t in served if t.started_at and t.finished_at
    )
    rated = [t.rating for t in tickets if t.rating]
    return Row(
        group=group,
        name=name,
        issued=len(roots),
        served=len(served),
        no_shows=sum(t.status == NO_SHOW for t in tickets),
        cancelled=sum(t.status == CANCELLED for t in tickets),
        transferred=sum(t.status == TRANSFERRED for t in tickets),
        wait_median=round(statistics.median(waits), 1) if waits else None,
        wait_p90=round(_p90(waits), 1) if waits else None,
        service_median=round(statistics.median(times), 1) if times else None,
        service_p90=round(_p90(times), 1) if times else None,
        ratings=len(rated),
        satisfied=sum(level >= 4 for level in rated),
        rating_average=round(statistics.mean(rated), 2) if rated else None,
    )


def build(tickets: list[Ticket], config: QueueConfig, period: str, first: date, last: date) -> Report:
    rows = []
    for service in config.services:
        rows.append(_row("service", service.name, [t for t in tickets if t.service == service.key]))
    for window in config.windows:
        rows.append(_row("window", window.name, [t for t in tickets if t.window == window.number]))
    rows.append(_row("total", tr("合计"), tickets))
    return Report(period, first, last, tuple(rows))


HEADER = ("分组", "名称", "取号", "办结", "过号", "取消", "转办", "等候中位数(分)", "等候P90(分)",
          "办理中位数(分)", "办理P90(分)", "评价数", "满意数", "平均评分")  # fmt: skip
GROUPS = {"service": "业务", "window": "窗口", "total": "合计"}


def to_csv(report: Report) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((tr("{first} 至 {last}", first=report.first.isoformat(), last=report.last.isoformat()),))
    writer.writerow(HEADER)
    for r in report.rows:
        values = (r.issued, r.served, r.no_shows, r.cancelled, r.transferred, r.wait_median, r.wait_p90,
                  r.service_median, r.service_p90, r.ratings, r.satisfied, r.rating_average)  # fmt: skip
        writer.writerow((GROUPS[r.group], r.name, *("" if v is None else v for v in values)))
    return out.getvalue()
