"""The dashboard's 申请期限 page (`/dashboard/applications`): the applications still to be answered that
are past their deadline or have at most N working days left (`?within=N`, 5 unless chosen), counted as
`city applications list --due-within N` counts them (city/applications_due.py), most urgent first, and
how many wait for a 补正. Only what the records carry in the clear is shown (number, kiosk, dates, agency):
no sealed box is opened for this page. Behind the dashboard's sign-in like every page.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from city import applications
from city.applications_due import OPEN, WAITING, Due, due_list
from city.home import CityHome

CHOICES = (3, 5, 10, 20)
DEFAULT = 5


def _within(text: str | None) -> int:
    return int(text) if text and text.isdigit() and int(text) in CHOICES else DEFAULT


def render(listed: list[Due], within: int) -> str:
    from city.dashboard import page

    urgent = sorted(
        (d for d in listed if d.state == OPEN and (d.overdue or d.working_days <= within)),
        key=lambda d: (not d.overdue, -d.working_days if d.overdue else d.working_days, d.entry.number),
    )
    late = sum(d.overdue for d in urgent)
    waiting = sum(d.state == WAITING for d in listed)
    cards = (
        f'<div class="card{" warn" if late else ""}">已逾期<b>{late}</b><span class=muted>件</span></div>'
        f'<div class="card">{within} 个工作日内到期<b>{len(urgent) - late}</b><span class=muted>件</span></div>'
        f'<div class="card">待补正（期限暂停）<b>{waiting}</b><span class=muted>件</span></div>'
    )
    options = "".join(
        f'<option value="{n}"{" selected" if n == within else ""}>{n} 个工作日</option>' for n in CHOICES
    )
    filters = (
        '<form class="filter" method="get" action="/dashboard/applications">'
        f'<label>到期范围<select name="within">{options}</select></label><button type="submit">查询</button></form>'
    )
    rows = "".join(
        f"<tr><td>{escape(d.entry.number)}</td>"
        f"<td><a href='/dashboard/kiosk/{quote(d.entry.kiosk_id, safe='')}'>{escape(d.entry.kiosk_id)}</a></td>"
        f"<td>{escape(d.entry.received_on)}</td><td>{escape(d.describe())}"
        + (
            f' <span class="bad">编号重复：一体机 {escape("、".join(d.entry.shared_with))} 也有此编号</span>'
            if d.entry.shared_with
            else ""
        )
        + f"</td><td>{escape(d.entry.agency)}</td></tr>"
        for d in urgent
    )
    table = (
        "<table><thead><tr><th>申请编号</th><th>一体机</th><th>收到日期</th><th>答复期限</th><th>受理机关</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
        if urgent
        else f'<p class="ok">没有已逾期或 {within} 个工作日内到期的申请。</p>'
    )
    body = (
        f'<div class="cards">{cards}</div>{filters}{table}'
        '<p class="muted">工作日按节假日表计算（含调休）；补正期间期限暂停，收到补正后的申请重新计算；'
        "申请内容请用 city applications show 查看。</p>"
    )
    return page("申请期限", body, active="applications")


def handler(home: CityHome, now):
    """The page, for `dashboard.routes` (which checks the sign-in)."""

    def view(request: Request) -> Response:
        today = now().astimezone(applications.BEIJING).date()
        listed = due_list(home, applications.inbox(home), today)
        return HTMLResponse(render(listed, _within(request.query_params.get("within"))))

    return view
