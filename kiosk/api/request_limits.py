"""How much and how long the local API reads from one client, before any handler sees a byte of body.

The same limits as `city serve`'s (`city/limits.py`; `kiosk/` may not import `city/`, so the kiosk keeps
its own copy, with Chinese refusals):

- `BodyLimits` wraps the ASGI app: a declared `Content-Length` over the route's cap is refused with 413
  before the body is read; the body (declared or chunked) is read through a `receive` that stops at the
  cap (413) and at a deadline for the whole body (408), so a client trickling a body is cut off. Every
  route takes at most `DEFAULT_CAP` (the calling page's actions take 4 KiB, a display's heartbeat 8 KiB),
  except a display's screenshot. Refusals say `Connection: close`, so uvicorn stops reading.
- `protocol(header_timeout)` is uvicorn's h11 protocol with a deadline for the request line and headers
  (uvicorn's `timeout_keep_alive` only covers idle connections between requests), so a client that
  connects and never finishes its headers is closed.

The number of connections is bounded by uvicorn's `limit_concurrency` (`kiosk.api.runner`): beyond it,
503.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.exceptions import HTTPException

import header_deadline
from kiosk.i18n import N_, translate
from kiosk.signage.status import MAX_SCREENSHOT

DEFAULT_CAP = 16 * 1024  # bytes of any request's body
BODY_CAPS = {("POST", "/api/display/screenshot"): MAX_SCREENSHOT + 1024}
BODY_TIMEOUT = 20.0  # seconds for the whole body of one request
HEADER_TIMEOUT = 10.0  # seconds from the connection (or a kept-alive request's first byte) to its last header
MAX_CONNECTIONS = 256  # open connections and running requests; beyond: 503

REFUSALS = {413: N_("请求内容过大"), 408: N_("请求内容未能及时收到，请重试")}


class BodyRefused(HTTPException):
    """Raised by the limited `receive`: the body is over its cap (413) or late (408). The API's error
    handler answers it in Chinese and closes the connection; `BodyLimits` answers it if raised outside."""

    def __init__(self, status: int, error: str):
        super().__init__(status, translate(REFUSALS[status]), headers={"Connection": "close"})
        self.error = error


async def refuse(send, status: int, error: str) -> None:
    """Answer `status` with the API's JSON error and close the connection (the rest is not read)."""
    body = json.dumps(
        {"error": status, "message": translate(REFUSALS[status]), "detail": error}, ensure_ascii=False
    )
    data = body.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            return int(value) if value.isdigit() else None  # the HTTP parser refused any other form
    return None


class BodyLimits:
    def __init__(self, app, *, body_timeout: float = BODY_TIMEOUT, default_cap: int = DEFAULT_CAP):
        self.app = app
        self.body_timeout = body_timeout
        self.default_cap = default_cap

    async def __call__(self, scope: dict[str, Any], receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cap = BODY_CAPS.get((scope["method"], scope["path"]), self.default_cap)
        length = _declared_length(scope["headers"])
        if length is not None and length > cap:
            return await refuse(send, 413, f"request body over {cap} bytes")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        received = 0
        started = False

        async def limited() -> dict[str, Any]:
            nonlocal received
            if started:  # after the response began (a feed's stream): its disconnect, unlimited
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                raise BodyRefused(408, f"request body not received within {self.body_timeout:g} s") from None
            received += len(message.get("body", b""))
            if received > cap:
                raise BodyRefused(413, f"request body over {cap} bytes")
            return message

        async def watched_send(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, watched_send)
        except BodyRefused as exc:
            if not started:
                await refuse(send, exc.status_code, exc.error)


def protocol(header_timeout: float = HEADER_TIMEOUT):
    """The h11 protocol with the API's header deadline (`header_deadline.protocol`, as `city serve`'s)."""
    return header_deadline.protocol(header_timeout)
