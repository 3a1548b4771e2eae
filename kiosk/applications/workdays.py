"""The reply deadline (《政府信息公开条例》 Art. 33) in Chinese working days (`content.workdays`: the city's
holiday tables, then `chinesecalendar`, then weekdays alone, when the deadline is an estimate, 预估, until a
table for its year arrives, and is recomputed then).

The rule is data (`DeadlineRule`): 20 working days, counted from the day after receipt by default (the
usual practice; the regulation does not say whether the day of receipt counts), and it is printed on
the receipt in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from content.workdays import WorkCalendar, add_working_days
from kiosk.i18n import tr


@dataclass(frozen=True)
class DeadlineRule:
    working_days: int = 20
    from_next_day: bool = True

    def describe(self) -> str:
        start = tr("收到申请之日的次日") if self.from_next_day else tr("收到申请之日")
        return tr(
            "依据《政府信息公开条例》第三十三条，自{start}起计算 {working_days} 个工作日",
            start=start,
            working_days=self.working_days,
        )


@dataclass(frozen=True)
class Deadline:
    due: date
    estimated: bool  # counted through a year without holiday data: weekends only (预估)
    rule: DeadlineRule

    def text(self) -> str:
        shown = tr("{year}年{month}月{day}日", year=self.due.year, month=self.due.month, day=self.due.day)
        return tr("{date}（预估）", date=shown) if self.estimated else shown


def deadline(received: date, rule: DeadlineRule, calendar: WorkCalendar) -> Deadline:
    """The last day for the reply: the `rule.working_days`-th working day counted from the day after
    `received` (or from `received` itself)."""
    start = received if rule.from_next_day else received - timedelta(days=1)
    return Deadline(*add_working_days(start, rule.working_days, calendar), rule)
