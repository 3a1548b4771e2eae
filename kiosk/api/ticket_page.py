"""The ticket's status page (the QR on the printed ticket): `/t/<code>`, and `/api/tickets/<code>` as JSON.

The page is rendered here, in Chinese, readable without a script: the number, its service, its status
and, while it waits, the people ahead and the estimate; once called, the window to go to. A small
script reloads it when the feed says something changed (and every 30 s besides). The code is the
ticket's random `code` (not its row id, which would let anyone walk through the day's tickets); the page
shows nothing about the resident. A transferred ticket's page follows it to its new service.
"""

from __future__ import annotations

from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from kiosk.api.queue_json import status_json
from kiosk.i18n import N_, language, tr, translate

WAITING_FOR = {
    "waiting": N_("请耐心等候叫号"),
    "called": N_("请到窗口办理"),
    "serving": N_("正在办理"),
    "done": N_("已办结，感谢您的耐心"),
    "no_show": N_("已过号，请到窗口咨询工作人员"),
    "held": N_("已挂起，请按工作人员的要求准备材料后回到窗口"),
    "transferred": N_("已转办"),
    "cancelled": N_("此号已取消"),
    "expired": N_("此号已过期，请重新取号"),
}


def render(status: dict, hall: str) -> str:
    number, state = escape(status["number"]), status["status"]
    lines = [f'<p class="hint">{escape(translate(WAITING_FOR.get(state, "")))}</p>']
    if state == "waiting":
        ahead = f"<b>{status['ahead']}</b>"
        text = (
            tr("前面还有 {ahead} 人，{estimate}", ahead=ahead, estimate=escape(status["estimate"]))
            if status["estimate"]
            else tr("前面还有 {ahead} 人", ahead=ahead)
        )
        lines.append(f'<p class="ahead">{text}</p>')
    if state in ("called", "serving", "held") and status["window"]:
        name = status["window_name"] or tr("{window}号窗口", window=status["window"])
        lines.append(f'<p class="window">{escape(name)}</p>')
    title = escape(tr("{number} 号 · 排队进度", number=status["number"]))
    note = escape(tr("本页会自动更新，无需刷新"))
    return (
        f'<!doctype html><html lang="{language().replace("_", "-")}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        '<link rel="stylesheet" href="/static/ticket.css"></head><body>'
        f'<main class="ticket status-{escape(state)}">'
        f'<p class="hall">{escape(hall)}</p>'
        f'<p class="service">{escape(status["service_name"])}</p>'
        f'<h1 class="number">{number}</h1>'
        f'<p class="status">{escape(status["status_zh"])}</p>'
        + "".join(lines)
        + f'<p class="note">{note}</p>'
        "</main>"
        '<script src="/static/ticket.js"></script></body></html>'
    )


def routes(services) -> list[Route]:
    queue = getattr(services, "queue", None)

    async def lookup(code: str) -> dict:
        found = await run_in_threadpool(queue.ticket_status, code) if queue is not None else None
        if found is None:
            raise HTTPException(404, tr("没有找到这张号，请核对号码纸上的二维码"))
        return status_json(found)

    async def page(request: Request) -> HTMLResponse:
        status = await lookup(request.path_params["code"])
        return HTMLResponse(render(status, services.config["kiosk.hall_name"]))

    async def data(request: Request) -> JSONResponse:
        return JSONResponse(await lookup(request.path_params["code"]))

    return [
        Route("/t/{code}", page, methods=["GET"]),
        Route("/api/tickets/{code}", data, methods=["GET"]),
    ]
