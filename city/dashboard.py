"""The city dashboard (`/dashboard` of `city serve`): plain server-rendered HTML in Chinese, no script, the
charts as SVG drawn on the server (city/dashboard_svg.py), behind the admin credential.

- `/dashboard/login`: the admin token (`admin-token` in the city's home) in a form; a wrong one is 401 and
  the form again. Signing in sets a session cookie (HttpOnly, SameSite=Strict, 8 hours) holding an expiry
  and its HMAC under a key derived from the admin token, so replacing the token ends every session. A
  script may send `Authorization: Bearer <admin token>` instead. Anything else is sent to the login.
- `/dashboard`: the fleet, filtered by county, township, problem and a search in the id, sorted by any
  column, 50 a page; the summary above it links to each problem.
- `/dashboard/alerts`: printers out of paper for more than an hour, content stale, kiosks silent for a day.
- `/dashboard/usage`: what residents did per day and activity, per activity and per area, over 7, 30 or
  90 days, for the city, a county or a township (from the roll-ups, city/rollup.py).
- `/dashboard/export/{fleet,usage}.{csv,xlsx}`: the same data as files.
- `/dashboard/kiosk/{id}`: one kiosk, its faults and its displays' screenshots (city/dashboard_kiosk.py).
- `/dashboard/applications`: applications past or near their deadline (city/dashboard_applications.py).

Every response says how long the server took (`Server-Timing: app;dur=…` in ms) and forbids scripts and
framing (Content-Security-Policy).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from html import escape
from urllib.parse import parse_qs, quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from city import dashboard_applications, dashboard_kiosk, rollup
from city import dashboard_data as data
from city.dashboard_export import csv_bytes, xlsx_bytes
from city.dashboard_svg import hbars, stacked_days
from city.db import Database
from city.home import CityHome

COOKIE = "zwgk_city_admin"
SESSION = timedelta(hours=8)
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
RANGES = (7, 30, 90)
TOP_ACTIVITIES = 7  # the chart stacks these, the rest as 其他
PROBLEM_NAMES = {"silent": "超过一天未联系", "stale": "内容过期", "faults": "设备故障", "revoked": "已吊销"}
SORT_NAMES = {
    "id": "编号",
    "area": "所在地",
    "last_seen": "最后联系",
    "channel": "频道版本",
    "software": "软件版本",
    "backlog": "待上传",
    "records": "已收记录",
}
STYLE = """
body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;margin:0;color:#1a1a1a;background:#f4f5f7}
header{background:#9b1c1c;color:#fff;padding:10px 24px;display:flex;align-items:center;gap:28px}
header h1{font-size:20px;margin:0;font-weight:600}
header a{color:#fff;text-decoration:none;font-size:16px;padding:4px 2px}
header a.on{border-bottom:3px solid #fff}
header form{margin-left:auto}
main{padding:16px 24px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:14px}
.card{background:#fff;border:1px solid #d8dbe0;border-radius:6px;padding:10px 16px;min-width:140px;
 color:inherit;text-decoration:none}
.card b{display:block;font-size:24px}
.card.warn b{color:#b42318}
form.filter{background:#fff;border:1px solid #d8dbe0;border-radius:6px;padding:10px 14px;margin-bottom:12px;
 display:flex;gap:14px;flex-wrap:wrap;align-items:end}
label{display:flex;flex-direction:column;font-size:13px;gap:3px;color:#333}
input,select,button{font:inherit;font-size:15px;padding:5px 8px}
button{background:#9b1c1c;color:#fff;border:0;border-radius:4px;padding:6px 16px;cursor:pointer}
header button{background:#fff;color:#9b1c1c}
table{border-collapse:collapse;background:#fff;width:100%;font-size:14px}
th,td{border:1px solid #d8dbe0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eceef1;white-space:nowrap}
th a{color:#1a1a1a}
td.num{text-align:right}
.bad{color:#b42318;font-weight:600}
.ok{color:#1a7f37}
.muted{color:#555}
.pager{margin:10px 0;display:flex;gap:14px;align-items:center}
.exports{margin-left:auto}
section{background:#fff;border:1px solid #d8dbe0;border-radius:6px;padding:12px 16px;margin-bottom:14px}
section h2{font-size:17px;margin:0 0 8px}
.login{max-width:420px;margin:80px auto;background:#fff;border:1px solid #d8dbe0;border-radius:8px;padding:24px}
.login h1{font-size:22px;margin-top:0}
.login input{width:100%;box-sizing:border-box}
.error{background:#fdecea;color:#8a1c14;border:1px solid #f3b8b1;padding:8px 12px;border-radius:4px}
svg{max-width:100%;height:auto}
table.facts{width:auto}
.shots{display:flex;flex-wrap:wrap;gap:16px;margin-top:10px}
figure{margin:0;background:#f4f5f7;border:1px solid #d8dbe0;border-radius:6px;padding:8px}
figure img{display:block;max-width:640px;width:100%;height:auto}
figcaption{font-size:14px;color:#333;margin-top:6px}
"""


def _key(admin_token: str) -> bytes:
    return hashlib.sha256(b"zwgk-city-dashboard-session\0" + admin_token.encode()).digest()


def session_value(admin_token: str, now: float) -> str:
    expires = str(int(now + SESSION.total_seconds()))
    return f"{expires}.{hmac.new(_key(admin_token), expires.encode(), hashlib.sha256).hexdigest()}"


def session_valid(admin_token: str, value: str, now: float) -> bool:
    expires, _, mac = value.partition(".")
    if not expires.isdigit() or int(expires) < now:
        return False
    expected = hmac.new(_key(admin_token), expires.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac.encode(), expected.encode())


def _beijing(text: str) -> str:
    if not text:
        return "从未"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(rollup.BEIJING)
    except ValueError:
        return text
    return moment.strftime("%Y-%m-%d %H:%M")


def _ago(text: str, now: datetime) -> str:
    if not text:
        return ""
    try:
        seconds = (now - datetime.fromisoformat(text.replace("Z", "+00:00"))).total_seconds()
    except ValueError:
        return ""
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} 分钟前"
    if seconds < 86400:
        return f"{int(seconds // 3600)} 小时前"
    return f"{int(seconds // 86400)} 天前"


def page(title: str, body: str, *, active: str = "", signed_in: bool = True) -> str:
    nav = ""
    if signed_in:
        links = (("fleet", "/dashboard", "一体机"), ("alerts", "/dashboard/alerts", "告警"))
        links += (("usage", "/dashboard/usage", "使用统计"),)
        links += (("applications", "/dashboard/applications", "申请期限"),)
        nav = "".join(
            f'<a href="{href}"{" class=on" if key == active else ""}>{name}</a>' for key, href, name in links
        )
        nav += '<form method="post" action="/dashboard/logout"><button type="submit">退出登录</button></form>'
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)} · '
        f"政务公开一体机管理</title><style>{STYLE}</style></head><body><header><h1>政务公开一体机管理</h1>{nav}"
        f"</header><main>{body}</main></body></html>"
    )


def _options(values, chosen: str, empty: str) -> str:
    items = [f'<option value="">{escape(empty)}</option>']
    items += [
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(v or "（未填）")}</option>'
        for v in values
    ]
    return "".join(items)


def _township_options(areas: dict[str, list[str]], county: str, chosen: str) -> str:
    items = ['<option value="">全部乡镇（街道）</option>']
    for name, townships in areas.items():
        if county and name != county:
            continue
        items.append(f'<optgroup label="{escape(name or "（未填）")}">')
        items += [
            f'<option value="{escape(t)}"{" selected" if t == chosen else ""}>{escape(t or "（未填）")}</option>'
            for t in townships
        ]
        items.append("</optgroup>")
    return "".join(items)


def _query_string(query: data.FleetQuery, **changes) -> str:
    values = {
        "county": query.county,
        "township": query.township,
        "q": query.search,
        "problem": query.problem,
        "sort": query.sort,
        "order": "desc" if query.descending else "asc",
        "page": query.page,
        **changes,
    }
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def render_fleet(
    fleet: data.FleetPage,
    summary: data.Summary,
    areas: dict[str, list[str]],
    version: int | None,
    now: datetime,
) -> str:
    query = fleet.query
    base = data.FleetQuery(county=query.county, township=query.township)
    cards = [
        ("一体机", f"{summary.kiosks:,}", f"在用 {summary.active:,} 台", "", False),
        ("超过一天未联系", f"{summary.silent:,}", "台", "silent", summary.silent > 0),
        ("内容过期", f"{summary.stale:,}", "台", "stale", summary.stale > 0),
        ("设备故障", f"{summary.faults:,}", "台", "faults", summary.faults > 0),
        ("待上传记录", f"{summary.backlog:,}", "条（各机上报）", "", False),
    ]
    card_html = "".join(
        f'<a class="card{" warn" if warn else ""}" href="/dashboard?{_query_string(base, problem=problem, page=1)}">'
        f"{escape(name)}<b>{value}</b><span class=muted>{escape(unit)}</span></a>"
        for name, value, unit, problem, warn in cards
    )
    problems = "".join(
        f'<option value="{k}"{" selected" if k == query.problem else ""}>{v}</option>'
        for k, v in PROBLEM_NAMES.items()
    )
    sorts = "".join(
        f'<option value="{k}"{" selected" if k == query.sort else ""}>{v}</option>'
        for k, v in SORT_NAMES.items()
    )
    filters = (
        '<form class="filter" method="get" action="/dashboard">'
        f'<label>县（市、区）<select name="county">{_options(areas, query.county, "全部县（市、区）")}</select></label>'
        f'<label>乡镇（街道）<select name="township">{_township_options(areas, query.county, query.township)}'
        "</select></label>"
        f'<label>搜索编号<input name="q" value="{escape(query.search)}" placeholder="一体机编号"></label>'
        f'<label>问题<select name="problem"><option value="">全部</option>{problems}</select></label>'
        f'<label>排序<select name="sort">{sorts}</select></label>'
        '<label>顺序<select name="order">'
        f'<option value="asc"{"" if query.descending else " selected"}>升序</option>'
        f'<option value="desc"{" selected" if query.descending else ""}>降序</option></select></label>'
        '<button type="submit">查询</button></form>'
    )
    header = "".join(
        f'<th><a href="/dashboard?{_query_string(query, sort=key, order="desc" if key == query.sort and not query.descending else "asc", page=1)}">'
        f"{name}{(' ▼' if query.descending else ' ▲') if key == query.sort else ''}</a></th>"
        for key, name in (
            ("id", "编号"),
            ("area", "所在地"),
            ("last_seen", "最后联系"),
            ("channel", "频道版本"),
            ("software", "软件版本"),
        )
    )
    header += "<th>设备故障</th>"
    header += "".join(
        f'<th><a href="/dashboard?{_query_string(query, sort=key, order="desc" if key == query.sort and not query.descending else "asc", page=1)}">'
        f"{name}{(' ▼' if query.descending else ' ▲') if key == query.sort else ''}</a></th>"
        for key, name in (("backlog", "待上传"), ("records", "已收记录"))
    )
    header += "<th>状态</th>"
    rows = []
    for k in fleet.kiosks:
        problems_here = []
        if k.revoked:
            problems_here.append("已吊销")
        else:
            if k.silent(now):
                problems_here.append("超过一天未联系" if k.last_seen else "从未联系")
            if k.content_stale_since:
                problems_here.append(f"内容过期（自 {_beijing(k.content_stale_since)}）")
            if k.faults:
                problems_here.append("设备故障")
        behind = (
            f"（落后 {version - k.channel_version}）"
            if version is not None and k.channel_version is not None and k.channel_version < version
            else ""
        )
        status = (
            f'<span class="bad">{escape("；".join(problems_here))}</span>'
            if problems_here
            else '<span class="ok">正常</span>'
        )
        rows.append(
            f"<tr><td><a href='/dashboard/kiosk/{quote(k.id, safe='')}'>{escape(k.id)}</a></td><td>{escape(k.county)} {escape(k.township)}</td>"
            f'<td>{_beijing(k.last_seen)} <span class="muted">{_ago(k.last_seen, now)}</span></td>'
            f'<td class="num">{"" if k.channel_version is None else k.channel_version}{behind}</td>'
            f"<td>{escape(k.software_version)}</td>"
            f"<td>{'<br>'.join(escape(f) for f in k.faults)}</td>"
            f'<td class="num">{"" if k.outbox_pending is None else f"{k.outbox_pending:,}"}</td>'
            f'<td class="num">{k.records:,}</td><td>{status}</td></tr>'
        )
    if not rows:
        rows.append('<tr><td colspan="9">没有符合条件的一体机</td></tr>')
    pager = [f"<span>共 {fleet.total:,} 台，第 {query.page} / {fleet.pages} 页</span>"]
    if query.page > 1:
        pager.append(f'<a href="/dashboard?{_query_string(query, page=query.page - 1)}">上一页</a>')
    if query.page < fleet.pages:
        pager.append(f'<a href="/dashboard?{_query_string(query, page=query.page + 1)}">下一页</a>')
    exports = _query_string(query, page="")
    pager.append(
        f'<span class="exports">导出：<a href="/dashboard/export/fleet.csv?{exports}">CSV</a> '
        f'<a href="/dashboard/export/fleet.xlsx?{exports}">XLSX</a></span>'
    )
    version_text = f"当前频道版本 {version}" if version is not None else "尚未发布频道"
    return page(
        "一体机",
        f'<div class="cards">{card_html}</div>{filters}<div class="pager">{"".join(pager)}</div>'
        f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="muted">{version_text}；时间为北京时间。</p>',
        active="fleet",
    )


def render_alerts(alerts: data.Alerts, now: datetime) -> str:
    def table(items: list[data.Alert], since_name: str, detail: bool) -> str:
        if not items:
            return '<p class="ok">没有</p>'
        rows = "".join(
            f"<tr><td>{escape(a.kiosk_id)}</td><td>{escape(a.county)} {escape(a.township)}</td>"
            f'<td>{_beijing(a.since)} <span class="muted">{_ago(a.since, now)}</span></td>'
            + (f"<td>{escape(a.detail)}</td>" if detail else "")
            + "</tr>"
            for a in items
        )
        extra = "<th>故障</th>" if detail else ""
        return f"<table><thead><tr><th>编号</th><th>所在地</th><th>{since_name}</th>{extra}</tr></thead><tbody>{rows}</tbody></table>"

    def heading(name: str, key: str) -> str:
        count = alerts.counts.get(key, 0)
        shown = len(getattr(alerts, key))
        more = f"（显示最早的 {shown} 台）" if count > shown else ""
        cls = "bad" if count else "ok"
        return f'<h2>{name}：<span class="{cls}">{count:,} 台</span>{more}</h2>'

    body = (
        f"<section>{heading('打印机缺纸超过 1 小时', 'paper_out')}{table(alerts.paper_out, '缺纸起始', True)}</section>"
        f"<section>{heading('内容过期', 'stale')}{table(alerts.stale, '过期起始', False)}</section>"
        f"<section>{heading('超过一天未联系', 'silent')}{table(alerts.silent, '最后联系（从未联系时为登记时间）', False)}"
        "</section>"
    )
    return page("告警", body, active="alerts")


def render_usage(
    days: list[str],
    daily: list[tuple[str, str, int]],
    areas_rows: list[tuple[str, str, int]],
    areas: dict[str, list[str]],
    *,
    span: int,
    county: str,
    township: str,
    kiosk: str = "",
) -> str:
    """The usage page: for the city, a county, a township, or one kiosk (`kiosk`: no area chart, no export)."""
    per_activity: dict[str, int] = defaultdict(int)
    for _, name, n in daily:
        per_activity[name] += n
    ranked = sorted(per_activity, key=lambda a: (-per_activity[a], a))
    top, rest = ranked[:TOP_ACTIVITIES], ranked[TOP_ACTIVITIES:]
    index = {day: i for i, day in enumerate(days)}
    series = {name: [0] * len(days) for name in top}
    other = [0] * len(days)
    for day, name, n in daily:
        series.get(name, other)[index[day]] += n
    stacked = [(rollup.label(name), values) for name, values in series.items()]
    if rest:
        stacked.append(("其他", other))
    where = f"一体机 {kiosk} " if kiosk else township or county or "全市"
    chart_days = stacked_days(days, stacked, title=f"{where}每日使用次数（按功能）")
    chart_functions = hbars(
        [(rollup.label(name), per_activity[name]) for name in ranked],
        title=f"{where}各功能使用次数（{span} 天）",
    )
    per_area: dict[str, int] = defaultdict(int)
    for area, _, n in areas_rows:
        per_area[area or "（未填）"] += n
    area_title = f"{county}各乡镇（街道）使用次数" if county else "各县（市、区）使用次数"
    chart_areas = (
        ""
        if kiosk
        else hbars(sorted(per_area.items(), key=lambda item: -item[1]), title=f"{area_title}（{span} 天）")
    )
    spans = "".join(
        f'<option value="{d}"{" selected" if d == span else ""}>最近 {d} 天</option>' for d in RANGES
    )
    form = (
        '<form class="filter" method="get" action="/dashboard/usage">'
        f'<label>时间<select name="days">{spans}</select></label>'
        f'<label>县（市、区）<select name="county">{_options(areas, county, "全部县（市、区）")}</select></label>'
        f'<label>乡镇（街道）<select name="township">{_township_options(areas, county, township)}</select></label>'
        + (f'<input type="hidden" name="kiosk" value="{escape(kiosk)}">' if kiosk else "")
        + '<button type="submit">查看</button></form>'
    )
    exports = urlencode(
        {k: v for k, v in {"days": span, "county": county, "township": township}.items() if v}
    )
    total = sum(per_activity.values())
    body = (
        f"{form}<p>{escape(where)}最近 {span} 天（{days[0]} 至 {days[-1]}）共 <b>{total:,}</b> 次。"
        + (
            ""
            if kiosk
            else f'<span class="exports">导出：<a href="/dashboard/export/usage.csv?{exports}">CSV</a> '
            f'<a href="/dashboard/export/usage.xlsx?{exports}">XLSX</a></span>'
        )
        + f"</p><section>{chart_days}</section><section>{chart_functions}</section>"
        + (f"<section>{chart_areas}</section>" if chart_areas else "")
    )
    return page("使用统计", body, active="usage")


def login_page(error: str = "") -> str:
    message = f'<p class="error">{escape(error)}</p>' if error else ""
    return page(
        "登录",
        '<div class="login"><h1>管理员登录</h1>'
        f"{message}"
        '<form method="post" action="/dashboard/login">'
        "<label>管理口令（城市服务器数据目录中的 admin-token）"
        '<input type="password" name="token" autocomplete="current-password" autofocus required></label>'
        '<p><button type="submit">登录</button></p></form></div>',
        signed_in=False,
    )


def _span(params) -> int:
    try:
        value = int(params.get("days", 30))
    except ValueError:
        return 30
    return value if value in RANGES else 30


def _days(span: int) -> list[str]:
    last = rollup.today()
    return [(last - timedelta(days=span - 1 - i)).isoformat() for i in range(span)]


def routes(home: CityHome, database: Database, bearer_token) -> list[Route]:
    """The dashboard's routes for `create_app`; `bearer_token(headers)` reads an Authorization header."""
    version_cache: dict[str, tuple[tuple[int, int], int | None]] = {}

    def current_version() -> int | None:
        target = home.repo.root_path
        try:
            stat = target.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = version_cache.get("root")
        if cached is None or cached[0] != stamp:
            root = home.repo.current_root()
            version_cache["root"] = cached = (stamp, root.version if root else None)
        return cached[1]

    def signed_in(request: Request) -> bool:
        admin = home.admin_token()
        supplied = bearer_token(request.headers)
        if supplied and hmac.compare_digest(supplied.encode(), admin.encode()):
            return True
        return session_valid(admin, request.cookies.get(COOKIE, ""), time.time())

    def timed(handler):
        def run(request: Request) -> Response:
            started = time.perf_counter()
            if not signed_in(request):
                response: Response = RedirectResponse("/dashboard/login", status_code=303)
            else:
                response = handler(request)
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            response.headers["Content-Security-Policy"] = CSP
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response

        return run

    def now() -> datetime:
        return datetime.now(UTC)

    def fleet_view(request: Request) -> Response:
        query = data.FleetQuery.parse(request.query_params)
        moment = now()
        with database.connection() as conn:
            fleet = data.fleet_page(conn, query, moment)
            summary = data.summary(conn, moment, county=query.county, township=query.township)
            areas = data.areas(conn)
        return HTMLResponse(render_fleet(fleet, summary, areas, current_version(), moment))

    def alerts_view(request: Request) -> Response:
        moment = now()
        with database.connection() as conn:
            found = data.alerts(conn, moment)
        return HTMLResponse(render_alerts(found, moment))

    def usage_view(request: Request) -> Response:
        params = request.query_params
        span, county, township = (
            _span(params),
            data.query_text(params.get("county")),
            data.query_text(params.get("township")),
        )
        kiosk = data.query_text(params.get("kiosk"))
        days = _days(span)
        with database.connection() as conn:
            if kiosk:
                daily, per_area = rollup.of_kiosk(conn, kiosk, days[0], days[-1]), []
            else:
                daily = rollup.by_day(conn, days[0], days[-1], county=county, township=township)
                per_area = rollup.by_area(conn, days[0], days[-1], county=county)
            areas = data.areas(conn)
        html = render_usage(
            days, daily, per_area, areas, span=span, county=county, township=township, kiosk=kiosk
        )
        return HTMLResponse(html)

    def export(request: Request) -> Response:
        what, fmt = request.path_params["what"], request.path_params["fmt"]
        if what not in ("fleet", "usage") or fmt not in ("csv", "xlsx"):
            return HTMLResponse(page("未找到", "<p>没有这种导出。</p>"), status_code=404)
        moment = now()
        with database.connection() as conn:
            if what == "fleet":
                header, rows = fleet_table(conn, data.FleetQuery.parse(request.query_params), moment)
            else:
                header, rows = usage_table(conn, request.query_params)
        stamp = moment.astimezone(rollup.BEIJING).strftime("%Y%m%d-%H%M")
        name = f"{what}-{stamp}.{fmt}"
        if fmt == "csv":
            body, media = csv_bytes(header, rows), "text/csv; charset=utf-8"
        else:
            title = "一体机" if what == "fleet" else "使用统计"
            body = xlsx_bytes(title, header, rows)
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(
            body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    def fleet_table(conn, query: data.FleetQuery, moment: datetime):
        header = [
            "编号",
            "县（市、区）",
            "乡镇（街道）",
            "最后联系（北京时间）",
            "频道版本",
            "软件版本",
            "设备故障",
        ]
        header += ["待上传", "已收记录", "内容过期起始", "已吊销", "超过一天未联系"]
        rows = [
            [
                k.id,
                k.county,
                k.township,
                _beijing(k.last_seen) if k.last_seen else "",
                k.channel_version,
                k.software_version,
                "；".join(k.faults),
                k.outbox_pending,
                k.records,
                _beijing(k.content_stale_since) if k.content_stale_since else "",
                "是" if k.revoked else "",
                "是" if not k.revoked and k.silent(moment) else "",
            ]  # fmt: skip
            for k in data.fleet_all(conn, query, moment)
        ]
        return header, rows

    def usage_table(conn, params):
        days = _days(_span(params))
        county, township = data.query_text(params.get("county")), data.query_text(params.get("township"))
        rows = rollup.by_day_and_area(conn, days[0], days[-1], county=county, township=township)
        header = ["日期", "县（市、区）", "乡镇（街道）", "功能", "功能代码", "次数"]
        return header, [[day, c, t, rollup.label(name), name, n] for day, c, t, name, n in rows]

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return _plain(HTMLResponse(login_page()))
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        supplied = (form.get("token") or [""])[0].strip()
        admin = await run_in_threadpool(home.admin_token)
        if not supplied or not hmac.compare_digest(supplied.encode(), admin.encode()):
            return _plain(HTMLResponse(login_page("管理口令不正确，请重新输入。"), status_code=401))
        response = RedirectResponse("/dashboard", status_code=303)
        response.set_cookie(
            COOKIE,
            session_value(admin, time.time()),
            max_age=int(SESSION.total_seconds()),
            path="/dashboard",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return _plain(response)

    async def logout(request: Request) -> Response:
        response = RedirectResponse("/dashboard/login", status_code=303)
        response.delete_cookie(COOKIE, path="/dashboard")
        return _plain(response)

    kiosk_view, kiosk_screenshot, screenshot_request = dashboard_kiosk.handlers(home, database, now)
    return [
        Route("/dashboard", timed(fleet_view), methods=["GET"]),
        Route("/dashboard/kiosk/{kiosk_id}", timed(kiosk_view), methods=["GET"]),
        Route(
            "/dashboard/kiosk/{kiosk_id}/screenshot/{display}.jpg", timed(kiosk_screenshot), methods=["GET"]
        ),
        Route("/dashboard/kiosk/{kiosk_id}/screenshot-request", timed(screenshot_request), methods=["POST"]),
        Route("/dashboard/alerts", timed(alerts_view), methods=["GET"]),
        Route("/dashboard/usage", timed(usage_view), methods=["GET"]),
        Route("/dashboard/applications", timed(dashboard_applications.handler(home, now)), methods=["GET"]),
        Route("/dashboard/export/{what}.{fmt}", timed(export), methods=["GET"]),
        Route("/dashboard/login", login, methods=["GET", "POST"]),
        Route("/dashboard/logout", logout, methods=["POST"]),
    ]


def _plain(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "no-store"
    return response
