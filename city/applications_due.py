"""When each application in the city's inbox must be answered, counted in Chinese working days with the
kiosk's calendar (content/workdays.py) and the holiday tables the city publishes: the kiosk's deadline
(recounted by the city while it is an estimate), moved by what the office recorded. A 补正 notice (Art. 30)
stops the clock until the corrected application arrives (`city applications corrected NUMBER`, kept in the
city home only), and the 20 working days run again from the day after; an extension (Art. 33) sets the
new deadline; an answer ends it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from city.applications import FILES, Received, events_of
from city.home import CityError, CityHome
from content.application_status import CORRECTION, EXTENSION, REPLY
from content.workdays import WorkCalendar, add_working_days, load_tables, working_days_after

WORKING_DAYS = 20  # Art. 33, counted from the day after receipt (the kiosk's default rule)
CORRECTED = "application_corrections"
ANSWERED, WAITING, OPEN = "已答复", "待补正", "办理中"


def calendar(home: CityHome) -> WorkCalendar:
    return WorkCalendar(load_tables(home.path / FILES / "holidays")[0])


@dataclass(frozen=True)
class Due:
    entry: Received
    state: str  # ANSWERED, WAITING (the clock stopped), OPEN
    deadline: date | None  # None unless OPEN
    estimated: bool
    extended: bool
    working_days: int  # OPEN: left (today counts when it is one) or, past the deadline, overdue
    today: date

    @property
    def overdue(self) -> bool:
        return self.state == OPEN and self.deadline is not None and self.deadline < self.today

    def describe(self) -> str:
        if self.state != OPEN:
            return self.state + ("（期限暂停，收到补正后重新计算）" if self.state == WAITING else "")
        shown = self.deadline.isoformat() + ("（预估）" if self.estimated else "")
        shown += "（已延期）" if self.extended else ""
        if self.overdue:
            late = f"已逾期 {self.working_days} 个工作日" if self.working_days else "已逾期（期限已过）"
            return f"答复期限 {shown}  {late}"
        left = f"剩余 {self.working_days} 个工作日" if self.working_days else "期限前已无工作日"
        return f"答复期限 {shown}  {left}"

    def to_dict(self) -> dict[str, object]:
        return {
            "state": self.state,
            "due": self.deadline.isoformat() if self.deadline else None,  # after 补正 and 延期
            "due_estimated": self.estimated,
            "extended": self.extended,
            "overdue": self.overdue,
            "working_days_overdue" if self.overdue else "working_days_left": self.working_days,
        }


def corrections(home: CityHome, number: str) -> list[date]:
    path = home.path / CORRECTED / f"{number}.json"
    return [date.fromisoformat(d) for d in json.loads(path.read_text())] if path.exists() else []


def record_corrected(home: CityHome, number: str, on: date) -> None:
    """The corrected application of `number` arrived on `on`: its clock runs again from the next day."""
    notices = [e.on for e in events_of(home, number) if e.kind == CORRECTION]
    received = corrections(home, number)
    if len(notices) <= len(received):
        raise CityError(
            f"application {number} has no 补正 notice waiting for a corrected application",
            f"申请 {number} 没有待补正的通知（须先以 --correction 发出补正通知）",
        )
    if on < notices[len(received)]:
        raise CityError(
            "the corrected application cannot arrive before the notice",
            f"补正后的申请不能早于补正通知（{notices[len(received)].isoformat()}）",
        )
    path = home.path / CORRECTED / f"{number}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps([d.isoformat() for d in [*received, on]]))
    part.replace(path)


def due(home: CityHome, entry: Received, today: date, work: WorkCalendar) -> Due:
    events = events_of(home, entry.number) if not entry.shared_with else []
    if any(e.kind == REPLY for e in events):
        return Due(entry, ANSWERED, None, False, False, 0, today)
    deadline, estimated = date.fromisoformat(entry.deadline), entry.deadline_estimated
    if estimated:  # the city may hold the table the kiosk lacked
        deadline, estimated = add_working_days(date.fromisoformat(entry.received_on), WORKING_DAYS, work)
    # a day's events in the order the office recorded them, a corrected application after its notice
    steps = sorted(
        [(e.on, 0, n, e) for n, e in enumerate(events)]
        + [(d, 1, n, None) for n, d in enumerate(corrections(home, entry.number))],
        key=lambda s: s[:3],
    )
    waiting, extended = False, False
    for on, _, _, event in steps:
        if event is None:
            waiting = False
            deadline, estimated = add_working_days(on, WORKING_DAYS, work)
        elif event.kind == CORRECTION:
            waiting = True
        elif event.kind == EXTENSION and event.deadline is not None:
            deadline, estimated, extended = event.deadline, False, True
    if waiting:
        return Due(entry, WAITING, None, False, extended, 0, today)
    if deadline < today:
        days = working_days_after(deadline, today, work)
    else:
        days = working_days_after(today - timedelta(days=1), deadline, work)
    return Due(entry, OPEN, deadline, estimated, extended, days, today)


def due_list(home: CityHome, entries: list[Received], today: date) -> list[Due]:
    work = calendar(home)
    return [due(home, entry, today, work) for entry in entries]
