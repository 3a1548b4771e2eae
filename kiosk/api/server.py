"""The local HTTP API's application: a Starlette app made of the route modules in `ROUTE_MODULES`.

Each API part is one module listed in `ROUTE_MODULES` that defines

- `routes(services) -> list[BaseRoute]`: its routes (`Route`, `Mount`), given the kiosk's services
  (`kiosk.services.Services`); a handler reaches the SSE hub as `request.app.state.feed`
  (`kiosk.api.feed.FeedHub`: `publish(event_type, data)` from any thread);
- optionally `connect(services, feed) -> Callable[[], None]`: subscribe to the services' events and
  publish them on the feed while the server runs; the function it returns unsubscribes (on stop).

To add a part, write its module and add its name here (`kiosk.api.display_routes` for the display
process). Paths under `/api/` answer JSON, with a Chinese `message` on errors; pages are HTML. Every
response carries headers that keep the pages from being framed or sniffed, and none is cached.
`kiosk.api.runner` runs the app with uvicorn on a thread of `kiosk run`.
"""

from __future__ import annotations

import html
import importlib
import logging
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.api.feed import FeedHub
from kiosk.i18n import N_, translate

log = logging.getLogger(__name__)

ROUTE_MODULES: tuple[str, ...] = (
    "kiosk.api.health",
    "kiosk.api.feed",
    "kiosk.api.queue_routes",
    "kiosk.api.ticket_page",
    "kiosk.api.pages",
    "kiosk.api.display_routes",
)

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
]

ERROR_MESSAGES = {
    400: N_("请求有误"),
    401: N_("请先配对窗口"),
    403: N_("无权进行此操作"),
    404: N_("没有这个地址"),
    405: N_("不支持这种请求方式"),
    413: N_("请求内容过大"),
    429: N_("操作过于频繁，请稍后再试"),
    500: N_("本机内部错误，请联系工作人员"),
    503: N_("服务暂时不可用，请稍后再试"),
}


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` (and `Cache-Control: no-store` where a route set none) to every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in SECURITY_HEADERS if name not in names]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error_response(request: Request, status: int, message: str | None = None) -> Response:
    text = message or translate(ERROR_MESSAGES.get(status, N_("请求未能完成")))
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": status, "message": text}, status_code=status)
    body = (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{status}</title><h1>{html.escape(text)}</h1></html>"
    )
    return HTMLResponse(body, status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = error_response(request, exc.status_code, exc.detail if _is_chinese(exc.detail) else None)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("api: %s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500)


def _is_chinese(text: str | None) -> bool:
    return bool(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def create_app(services, feed: FeedHub, modules: tuple[str, ...] = ROUTE_MODULES) -> Starlette:
    """The API over `services`: the routes of every module in `modules`, the feed in `app.state.feed`."""
    routes = []
    for name in modules:
        routes += importlib.import_module(name).routes(services)
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.services = services
    app.state.feed = feed
    app.add_middleware(SecurityHeaders)
    return app


def connect_all(
    services, feed: FeedHub, modules: tuple[str, ...] = ROUTE_MODULES
) -> list[Callable[[], None]]:
    """Run each module's `connect(services, feed)`; returns the functions that undo them."""
    undo = []
    for name in modules:
        connect = getattr(importlib.import_module(name), "connect", None)
        if connect is not None:
            undo.append(connect(services, feed))
    return undo
