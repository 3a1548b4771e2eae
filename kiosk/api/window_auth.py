"""Who is calling: a window's token, from `Authorization: Bearer …` or the cookie pairing set.

A request acts for the window its token belongs to (`Queue.verify_token`), and only on that window's
path: no token is 401, another window's path 403. The cookie is ambient (a browser sends it with any
request to the kiosk), so a request that changes something and is authenticated by the cookie must also
come from the kiosk's own page: its `Origin` (when sent) must be the kiosk's, and it must carry the
`X-CSRF-Token` the page got from the window's state, an HMAC of the token under a secret of this run.
The cookie is HttpOnly and SameSite=Strict besides. A bearer token is never sent by a browser on its
own, so it needs neither. Failed attempts count against the client's address (rate-limited).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from kiosk.i18n import tr

COOKIE = "zwgk_window"
CSRF_HEADER = "x-csrf-token"
COOKIE_MAX_AGE = 366 * 24 * 3600  # a counter PC stays paired; staff revoke a lost phone's tokens


@dataclass(frozen=True)
class Caller:
    window: int
    by_cookie: bool
    csrf: str  # what a cookie-authenticated page sends back in X-CSRF-Token


class WindowAuth:
    def __init__(self, queue):
        self.queue = queue
        self._secret = secrets.token_bytes(32)

    def csrf_for(self, token: str) -> str:
        return hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()[:32]

    async def caller(self, request: Request) -> Caller:
        """The window the request's token belongs to; 401 without a valid one."""
        token, by_cookie = _token(request)
        window = await run_in_threadpool(self.queue.verify_token, token) if token else None
        if window is None:
            message = (
                tr("请先用工作人员模式中的二维码配对本窗口")
                if not token
                else tr("配对已失效，请重新配对本窗口")
            )
            raise HTTPException(401, message, headers={"WWW-Authenticate": 'Bearer realm="zwgk-window"'})
        return Caller(window, by_cookie, self.csrf_for(token))

    async def for_window(self, request: Request, window: int, *, changes: bool) -> Caller:
        """The caller, if it may act for `window`; a change by cookie must come from the kiosk's page."""
        caller = await self.caller(request)
        if caller.window != window:
            raise HTTPException(
                403,
                tr(
                    "本设备已配对 {paired} 号窗口，不能操作 {window} 号窗口",
                    paired=caller.window,
                    window=window,
                ),
            )
        if changes and caller.by_cookie:
            if not same_origin(request):
                raise HTTPException(403, tr("请求不是来自本机的叫号页面，已拒绝"))
            sent = request.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(sent.encode(), caller.csrf.encode()):
                raise HTTPException(403, tr("页面已过期，请刷新叫号页面后重试"))
        return caller


def _token(request: Request) -> tuple[str | None, bool]:
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        value = value.strip()
        ok = scheme.lower() == "bearer" and value and " " not in value and value.isascii()
        return (value if ok else None), False
    cookie = request.cookies.get(COOKIE)
    return (cookie or None), True


def same_origin(request: Request) -> bool:
    """No foreign `Origin` and no cross-site `Sec-Fetch-Site` (browsers send at least one of them)."""
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
        return False
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
