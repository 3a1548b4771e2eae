"""One kiosk's page in the city dashboard (`/dashboard/kiosk/{id}`): where it is, when it was last heard
from, its versions, its device faults with when each was first reported, and its displays' newest
screenshots (city/screenshots.py) with the button that asks the kiosk for new ones (请求截图: published in
the channel; the kiosk answers after its next sync). The image itself is `/dashboard/kiosk/{id}/
screenshot/{display}.jpg`. Behind the dashboard's sign-in like every page (`dashboard.routes` wraps these).
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from city import dashboard_data as data
from city import screenshots
from city.db import Database
from city.fleet import KIOSK_ID
from city.home import CityError, CityHome


def _kiosk(conn, kiosk_id: str) -> data.Kiosk | None:
    row = conn.execute(f"SELECT {data._COLUMNS} FROM kiosks WHERE id = ?", [kiosk_id]).fetchone()
    return data._kiosk(row) if row else None


def render(
    kiosk: data.Kiosk,
    faults: list[tuple[str, str]],
    shots: list[screenshots.Shot],
    requested: str,
    now: datetime,
    notice: str = "",
) -> str:
    from city.dashboard import _ago, _beijing, page

    path = quote(kiosk.id, safe="")
    facts = [
        ("所在地", f"{kiosk.county} {kiosk.township}".strip() or "未填写"),
        ("最后联系", f"{_beijing(kiosk.last_seen)}（{_ago(kiosk.last_seen, now)}）" if kiosk.last_seen else "从未"),
        ("频道版本", "" if kiosk.channel_version is None else str(kiosk.channel_version)),
        ("软件版本", kiosk.software_version or "未知"),
        ("待上传记录", "" if kiosk.outbox_pending is None else f"{kiosk.outbox_pending:,}"),
        ("已收记录", f"{kiosk.records:,}"),
        ("登记时间", _beijing(kiosk.enrolled_at)),
        ("状态", "已吊销" if kiosk.revoked else "在用"),
    ]  # fmt: skip
    fact_rows = "".join(f"<tr><th>{name}</th><td>{escape(value)}</td></tr>" for name, value in facts)
    fault_rows = "".join(
        f"<tr><td>{escape(fault)}</td><td>{_beijing(since)}（{_ago(since, now)}）</td></tr>" for fault, since in faults
    ) or '<tr><td colspan="2" class="ok">无</td></tr>'  # fmt: skip
    figures = "".join(
        f'<figure><img src="/dashboard/kiosk/{path}/screenshot/{quote(s.display, safe="")}.jpg" '
        f'alt="公示屏 {escape(s.display)} 截图"><figcaption>公示屏 {escape(s.display)}：'
        f"{_beijing(s.taken_at)} 截图，{_beijing(s.received_at)} 收到，{s.bytes / 1024:.0f} KB</figcaption></figure>"
        for s in shots
    ) or '<p class="muted">还没有收到这台一体机的公示屏截图。</p>'  # fmt: skip
    pending = (
        f"<p class=muted>最近一次请求：{_beijing(requested)}。一体机在下次同步后上传。</p>"
        if requested
        else ""
    )
    button = (
        ""
        if kiosk.revoked
        else f'<form method="post" action="/dashboard/kiosk/{path}/screenshot-request">'
        '<button type="submit">请求截图</button></form>'
    )
    message = f'<p class="ok">{escape(notice)}</p>' if notice else ""
    body = (
        f"<h2>一体机 {escape(kiosk.id)}</h2>{message}"
        f"<section><h2>概况</h2><table class=facts>{fact_rows}</table>"
        f'<p><a href="/dashboard/usage?{escape(urlencode({"kiosk": kiosk.id}))}">本机使用统计</a></p></section>'
        f"<section><h2>设备故障</h2><table><thead><tr><th>故障</th><th>首次报告</th></tr></thead>"
        f"<tbody>{fault_rows}</tbody></table></section>"
        f'<section id="screens"><h2>公示屏截图</h2>{button}{pending}<div class="shots">{figures}</div></section>'
    )
    return page(f"一体机 {kiosk.id}", body, active="fleet")


def handlers(home: CityHome, database: Database, now):
    """The page, the image and the request, for `dashboard.routes` (which checks the sign-in)."""
    from city.dashboard import page

    def not_found() -> Response:
        return HTMLResponse(page("未找到", "<p>没有这台一体机。</p>"), status_code=404)

    def kiosk_view(request: Request) -> Response:
        kiosk_id = request.path_params["kiosk_id"]
        if not KIOSK_ID.fullmatch(kiosk_id):
            return not_found()
        with database.connection() as conn:
            kiosk = _kiosk(conn, kiosk_id)
            if kiosk is None:
                return not_found()
            faults = conn.execute(
                "SELECT fault, since FROM kiosk_faults WHERE kiosk_id = ? ORDER BY since, fault", [kiosk_id]
            ).fetchall()
            shots = screenshots.of_kiosk(conn, kiosk_id)
        notice = "已请求截图，一体机在下次同步后上传。" if request.query_params.get("requested") else ""
        requested = screenshots.pending_request(home, kiosk_id)
        return HTMLResponse(render(kiosk, [tuple(f) for f in faults], shots, requested, now(), notice))

    def image(request: Request) -> Response:
        kiosk_id, display = request.path_params["kiosk_id"], request.path_params["display"]
        if not KIOSK_ID.fullmatch(kiosk_id) or not KIOSK_ID.fullmatch(display):
            return Response(status_code=404)
        with database.connection() as conn:
            jpeg = screenshots.image(conn, kiosk_id, display)
        return Response(status_code=404) if jpeg is None else Response(jpeg, media_type="image/jpeg")

    def request_screenshot(request: Request) -> Response:
        kiosk_id = request.path_params["kiosk_id"]
        if not KIOSK_ID.fullmatch(kiosk_id):
            return not_found()
        try:
            screenshots.request(home, kiosk_id)
        except CityError as exc:
            return HTMLResponse(
                page("无法请求截图", f'<p class="error">{escape(exc.zh)}</p>'), status_code=409
            )
        return RedirectResponse(
            f"/dashboard/kiosk/{quote(kiosk_id, safe='')}?requested=1#screens", status_code=303
        )

    return kiosk_view, image, request_screenshot
