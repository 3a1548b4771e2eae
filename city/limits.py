"""How much and how long the city server reads from one client, before any handler sees a byte of body.

- `BodyLimits` wraps the ASGI app: a request whose declared `Content-Length` is over its route's cap is
  refused with 413 before its body is read; a body (declared or chunked) is read through a `receive` that
  stops at the cap (413) and at a deadline for the whole body (408), so a 300 MB upload costs the server
  at most the cap in memory and a client trickling its body is cut off. Only `POST /v1/outbox` and the
  dashboard's login form (4 KiB) take a body; every other route takes none. Refusals say `Connection: close`, so uvicorn stops reading.
- `protocol(header_timeout)` is uvicorn's h11 protocol with a deadline for the request line and headers
  (uvicorn has none: its `timeout_keep_alive` only covers idle connections between requests), so a
  client that connects and never finishes its headers is closed too.

nginx in front of the city (packaging/nginx/) sets the same limits: `client_max_body_size`,
`client_body_timeout`, `client_header_timeout`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import header_deadline

MAX_UPLOAD = 1 << 20  # bytes of one upload body (a record is a few hundred bytes)
BODY_TIMEOUT = 20.0  # seconds for the whole body of one request
HEADER_TIMEOUT = 10.0  # seconds from the first byte of a request (or the connection) to its last header
BODY_ROUTES = {("POST", "/v1/outbox"): MAX_UPLOAD, ("POST", "/dashboard/login"): 4096}  # the login form


class BodyRefused(Exception):
    """Raised by the limited `receive`: the body is over its cap (413) or late (408)."""

    def __init__(self, status: int, error: str):
        super().__init__(error)
        self.status = status
        self.error = error


async def refuse(send, status: int, error: str) -> None:
    """Answer `status` with a JSON error and close the connection (the rest of the body is not read)."""
    body = json.dumps({"error": error}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _declared_length(headers: list[tuple[bytes, bytes]]) -> tuple[int | None, bool]:
    """The declared Content-Length (None without one) and whether the body is chunked."""
    length, chunked = None, False
    for name, value in headers:
        if name == b"content-length":
            length = int(value) if value.isdigit() else None  # the HTTP parser refused any other form
        elif name == b"transfer-encoding":
            chunked = True
    return length, chunked


class BodyLimits:
    def __init__(self, app, *, body_timeout: float = BODY_TIMEOUT, routes: dict | None = None):
        self.app = app
        self.body_timeout = body_timeout
        self.routes = BODY_ROUTES if routes is None else routes

    async def __call__(self, scope: dict[str, Any], receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cap = self.routes.get((scope["method"], scope["path"]), 0)
        length, chunked = _declared_length(scope["headers"])
        if length is not None and length > cap or (chunked and cap == 0):
            return await refuse(send, 413, f"request body over {cap} bytes")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        received = 0

        async def limited() -> dict[str, Any]:
            nonlocal received
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                raise BodyRefused(408, f"request body not received within {self.body_timeout:g} s") from None
            received += len(message.get("body", b""))
            if received > cap:
                raise BodyRefused(413, f"request body over {cap} bytes")
            return message

        try:
            await self.app(scope, limited, send)
        except BodyRefused as exc:
            await refuse(send, exc.status, exc.error)


def protocol(header_timeout: float = HEADER_TIMEOUT):
    """The h11 protocol with this server's header deadline (`header_deadline.protocol`)."""
    return header_deadline.protocol(header_timeout)
