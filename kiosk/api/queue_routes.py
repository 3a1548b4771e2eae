"""The calling API: a paired window calls, recalls, starts, finishes… its own tickets.

    GET  /api/me                                  the window this device is paired with
    GET  /api/windows/{n}                         the window's state (current, held, waiting) and its CSRF token
    POST /api/windows/{n}/{action}                call-next {finish_current}, call {number} (回呼), recall (重呼),
                                                  start, finish, no-show, hold, resume {ticket}, cancel {ticket},
                                                  transfer {service, window, keep_place}, pause, unpause,
                                                  rate {ticket, level}
    GET  /api/queue                               the hall's state (numbers only), as the feed's `queue` events
    GET  /api/pair/{code} · POST /api/pair {code} pairing (the QR of staff mode) → the window's cookie
    POST /api/pair-pin {window, pin}              pairing by 窗口号 + 密码 (`Queue.pair_with_pin`) → the cookie
    POST /api/unpair                              forget this device's pairing

Authentication and CSRF are `kiosk.api.window_auth`'s. Each window is rate-limited (`ACTIONS_PER_SECOND`
after a burst of `ACTIONS_BURST`), and so is each client address's failed or pairing attempts. Refusals
come back with the queue's Chinese message (`QueueError.zh`) and a status by its code. Every action is
logged with its window, the ticket's number and the outcome; nothing about the resident exists to log.
The queue's calls write `queue.db`, so they run on the thread pool, never on the event loop.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kiosk.api.hall_cache import HallCache
from kiosk.api.limits import RateLimiter, retry_after
from kiosk.api.queue_feed import QueueFeed
from kiosk.api.queue_json import hall_json, ticket_json, window_json
from kiosk.api.window_auth import COOKIE, COOKIE_MAX_AGE, WindowAuth, same_origin
from kiosk.i18n import N_, tr, translate
from kiosk.queue import QueueError

log = logging.getLogger(__name__)

ACTIONS_PER_SECOND = 5.0
ACTIONS_BURST = 30
ATTEMPTS_PER_SECOND = 1.0  # failed authentications and pairing attempts, per client address
ATTEMPTS_BURST = 20
MAX_BODY = 4096

STATUS_BY_CODE = {
    "not_your_ticket": 403,
    "unknown_window": 404,
    "unknown_ticket": 404,
    "unknown_service": 404,
    "no_ticket": 409,
    "wrong_status": 409,
    "window_busy": 409,
    "paused": 409,
    "already_rated": 409,
    "no_pin": 404,
    "wrong_pin": 403,
    "pin_locked": 423,
    "invalid": 400,
    "storage": 503,
}

DONE_ZH = {
    "call-next": N_("已呼叫 {number} 号"),
    "call": N_("已回呼 {number} 号"),
    "recall": N_("已重呼 {number} 号"),
    "start": N_("{number} 号开始办理"),
    "finish": N_("{number} 号已办结"),
    "no-show": N_("{number} 号已过号"),
    "hold": N_("{number} 号已挂起"),
    "resume": N_("{number} 号恢复办理"),
    "cancel": N_("{number} 号已取消"),
    "transfer": N_("{number} 号已转办"),
    "rate": N_("已记录评价，谢谢"),
}


def _number(body: dict[str, Any], key: str) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise HTTPException(400, tr("缺少或无效的参数“{key}”", key=key))
    return value


def _text(body: dict[str, Any], key: str, limit: int = 32) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise HTTPException(400, tr("缺少或无效的参数“{key}”", key=key))
    return value.strip()


def _transfer(queue, window: int, body: dict[str, Any]):
    service = body.get("service") or None
    target = body.get("window")
    if service is not None:
        service = _text(body, "service")
    if target is not None:
        target = _number(body, "window")
    return queue.transfer(
        window, to_service=service, to_window=target, keep_place=body.get("keep_place") is not False
    )


ACTIONS = {
    "call-next": lambda q, w, b: q.call_next(w, finish_current=b.get("finish_current") is True),
    "call": lambda q, w, b: q.call(w, _text(b, "number", 8)),
    "recall": lambda q, w, b: q.recall(w),
    "start": lambda q, w, b: q.start(w),
    "finish": lambda q, w, b: q.finish(w),
    "no-show": lambda q, w, b: q.no_show(w),
    "hold": lambda q, w, b: q.hold(w),
    "resume": lambda q, w, b: q.resume(w, _number(b, "ticket")),
    "cancel": lambda q, w, b: q.cancel(_number(b, "ticket"), window=w),
    "transfer": _transfer,
    "pause": lambda q, w, b: q.pause_window(w),
    "unpause": lambda q, w, b: q.resume_window(w),
    "rate": lambda q, w, b: q.rate(_number(b, "ticket"), _number(b, "level"), window=w),
}


async def _body(request: Request) -> dict[str, Any]:
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise HTTPException(413, tr("请求内容过大"))
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HTTPException(400, tr("请求内容不是有效的 JSON")) from None
    if not isinstance(body, dict):
        raise HTTPException(400, tr("请求内容应为 JSON 对象"))
    return body


def _device_label(request: Request) -> str:
    """What staff see of a paired device: the start of its User-Agent (the queue cuts it to 40)."""
    return request.headers.get("user-agent", "")[:200]


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def routes(services) -> list[Route]:
    queue = getattr(services, "queue", None)
    hall_state = HallCache(queue) if queue is not None else None
    auth = WindowAuth(queue)
    pairing = getattr(services, "pairing", None)
    per_window = RateLimiter(ACTIONS_PER_SECOND, ACTIONS_BURST)
    per_client = RateLimiter(ATTEMPTS_PER_SECOND, ATTEMPTS_BURST)

    def limit(limiter: RateLimiter, key: str) -> None:
        wait = limiter.take(key)
        if wait:
            raise HTTPException(
                429, tr("操作过于频繁，请稍后再试"), headers={"Retry-After": retry_after(wait)}
            )

    async def need_queue():
        """The queue's configuration (read off the event loop: it may wait for a write's lock)."""
        config = await run_in_threadpool(lambda: queue.config) if queue is not None else None
        if config is None or not config.configured:
            raise HTTPException(503, tr("本机没有配置排队叫号"))
        return config

    async def authorized(request: Request, window: int, *, changes: bool):
        await need_queue()
        try:
            return await auth.for_window(request, window, changes=changes)
        except HTTPException as refusal:
            log.info(
                "api: window %s refused %s",
                window,
                refusal.status_code,
                extra={"fields": {"window": window, "status": refusal.status_code, "path": request.url.path}},
            )
            limit(per_client, _client(request))
            raise

    async def window_state(window: int, caller) -> dict[str, Any]:
        snapshot = await run_in_threadpool(hall_state.get)
        if not any(w.number == window for w in snapshot.windows):
            raise HTTPException(404, tr("没有 {window} 号窗口", window=window))
        return {**window_json(snapshot, window, await need_queue()), "csrf": caller.csrf}

    async def me(request: Request) -> JSONResponse:
        config = await need_queue()
        try:
            caller = await auth.caller(request)
        except HTTPException:
            limit(per_client, _client(request))
            raise
        window = config.window(caller.window)
        return JSONResponse({"window": caller.window, "name": window.name, "url": f"/w/{caller.window}"})

    async def state(request: Request) -> JSONResponse:
        window = request.path_params["window"]
        caller = await authorized(request, window, changes=False)
        return JSONResponse(await window_state(window, caller))

    async def act(request: Request) -> JSONResponse:
        window, action = request.path_params["window"], request.path_params["action"]
        if action not in ACTIONS:
            raise HTTPException(404, tr("没有这个操作"))
        caller = await authorized(request, window, changes=True)
        limit(per_window, f"window:{window}")
        body = await _body(request)
        fields: dict[str, Any] = {"window": window, "action": action}
        try:
            ticket = await run_in_threadpool(ACTIONS[action], queue, window, body)
        except QueueError as refusal:
            fields |= {"refused": refusal.code}
            log.info("api: window %s %s refused: %s", window, action, refusal, extra={"fields": fields})
            status = STATUS_BY_CODE.get(refusal.code, 409)
            return JSONResponse(
                {
                    "error": status,
                    "code": refusal.code,
                    "message": refusal.zh,
                    "state": await window_state(window, caller),
                },
                status_code=status,
            )
        config = await need_queue()
        if ticket is None and action == "call-next":
            message = tr("目前没有等候的号")
        elif action in ("pause", "unpause"):
            message = tr("本窗口已暂停服务") if action == "pause" else tr("本窗口已恢复服务")
        else:
            message = translate(DONE_ZH[action]).format(number=ticket.number)
        if ticket is not None:
            fields |= {"number": ticket.number, "status": ticket.status}
        log.info("api: window %s %s", window, action, extra={"fields": fields})
        return JSONResponse(
            {
                "ok": True,
                "message": message,
                "ticket": ticket_json(ticket, config) if ticket is not None else None,
                "state": await window_state(window, caller),
            }
        )

    async def hall(request: Request) -> JSONResponse:
        await need_queue()
        return JSONResponse(hall_json(await run_in_threadpool(hall_state.get)))

    async def pair_info(request: Request) -> JSONResponse:
        config = await need_queue()
        limit(per_client, _client(request))
        window = pairing.peek(request.path_params["code"]) if pairing else None
        if window is None or config.window(window) is None:
            raise HTTPException(404, tr("配对码无效或已过期，请在工作人员模式重新生成二维码"))
        return JSONResponse({"window": window, "name": config.window(window).name})

    async def pair(request: Request) -> JSONResponse:
        config = await need_queue()
        limit(per_client, _client(request))
        if not same_origin(request):
            raise HTTPException(403, tr("请求不是来自本机的配对页面，已拒绝"))
        code = _text(await _body(request), "code", 64)
        window = pairing.claim(code) if pairing else None
        if window is None or config.window(window) is None:
            log.info("api: pairing refused", extra={"fields": {"status": 404}})
            raise HTTPException(404, tr("配对码无效或已过期，请在工作人员模式重新生成二维码"))
        token = await run_in_threadpool(queue.issue_token, window, _device_label(request))
        log.info("api: window %s paired", window, extra={"fields": {"window": window, "action": "pair"}})
        return paired(window, config.window(window).name, token)

    def paired(window: int, name: str, token: str) -> JSONResponse:
        reply = JSONResponse({"window": window, "name": name, "url": f"/w/{window}"})
        reply.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE, path="/", httponly=True, samesite="strict")
        return reply

    async def pair_pin(request: Request) -> JSONResponse:
        """窗口号 + 密码: the window's PIN gives its token; the queue counts and locks wrong ones."""
        config = await need_queue()
        limit(per_client, _client(request))
        if not same_origin(request):
            raise HTTPException(403, tr("请求不是来自本机的配对页面，已拒绝"))
        body = await _body(request)
        window, pin = _number(body, "window"), _text(body, "pin", 16)
        try:
            token = await run_in_threadpool(queue.pair_with_pin, window, pin, _device_label(request))
        except QueueError as refusal:
            fields = {"window": window, "action": "pair-pin", "refused": refusal.code}
            if refusal.code == "pin_locked":
                log.warning(
                    "api: window %s PIN pairing locked: %s", window, refusal, extra={"fields": fields}
                )
            else:
                log.info(
                    "api: window %s PIN pairing refused: %s", window, refusal.code, extra={"fields": fields}
                )
            status = STATUS_BY_CODE.get(refusal.code, 409)
            return JSONResponse(
                {"error": status, "code": refusal.code, "message": refusal.zh}, status_code=status
            )
        log.info(
            "api: window %s paired by PIN", window, extra={"fields": {"window": window, "action": "pair-pin"}}
        )
        return paired(window, config.window(window).name, token)

    async def unpair(request: Request) -> JSONResponse:
        if not same_origin(request):
            raise HTTPException(403, tr("请求不是来自本机的叫号页面，已拒绝"))
        reply = JSONResponse({"ok": True, "message": tr("本设备已取消配对")})
        reply.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return reply

    return [
        Route("/api/me", me, methods=["GET"]),
        Route("/api/windows/{window:int}", state, methods=["GET"]),
        Route("/api/windows/{window:int}/{action}", act, methods=["POST"]),
        Route("/api/queue", hall, methods=["GET"]),
        Route("/api/pair/{code}", pair_info, methods=["GET"]),
        Route("/api/pair", pair, methods=["POST"]),
        Route("/api/pair-pin", pair_pin, methods=["POST"]),
        Route("/api/unpair", unpair, methods=["POST"]),
    ]


def connect(services, feed) -> Callable[[], None]:
    """Publish the queue's events on the feed while the server runs (`kiosk.api.queue_feed`)."""
    queue = getattr(services, "queue", None)
    if queue is None:
        return lambda: None
    return QueueFeed(queue, feed).close
