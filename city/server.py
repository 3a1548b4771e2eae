"""The reference city server (Starlette): channel files, the upload inbox and the fleet view.

- `GET /channel/root.json` (no-cache, ETag) and `GET /channel/{shards,blobs,packs}/<sha256>` (Range,
  ETag = the name, `Cache-Control: immutable`): in production nginx or a CDN serves these same files
  (see packaging/nginx/); this server is for small cities, tests and the benchmark.
- `POST /v1/outbox`: one record per request, `Idempotency-Key` (a UUID), `X-Kiosk-Id`, and the
  credential the kiosk was enrolled with: a signature by its own key (`X-Kiosk-Signature`) or its token
  (`Authorization: Bearer …`). Unknown or revoked kiosks get 403, a wrong credential 401, both decided
  from the headers before the body is read; the body is then read up to 1 MiB within a deadline
  (city/limits.py), and the record must fit its kind's declared schema (content/record_schema.py) or is
  refused with 422 and the reason. Keys are per kiosk and stored with the body's hash: an exact replay is
  200 and stored once, another body under a used key 422 (city/fleet.py).
- `GET /v1/kiosks`: the fleet view, for a bearer of the admin token (`Authorization: Bearer`, the scheme
  in any case; anything else is 401).
- `/dashboard`: the city dashboard behind the same admin token (city/dashboard.py).
"""

from __future__ import annotations

import hmac
import os
import re
import uuid
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from city import dashboard, fleet
from city.db import POSTGRESQL
from city.home import CityError, CityHome
from city.limits import BODY_TIMEOUT, HEADER_TIMEOUT, BodyLimits, BodyRefused, protocol
from city.supervision import Supervision, lifespan
from content.channel import ROOT_FILE

IMMUTABLE = "public, max-age=31536000, immutable"
_CONTENT = re.compile(r"(shards|blobs|packs)/([0-9a-f]{64})")
_AUTHORIZATION = re.compile(r"([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +([A-Za-z0-9._~+/-]+=*) *")


def bearer_token(headers) -> str:
    """The token of an `Authorization: Bearer <token>` header, the scheme in any case ('' without one, and
    for any other scheme or a token that is not token68: non-ASCII, empty, spaces inside)."""
    match = _AUTHORIZATION.fullmatch(headers.get("authorization", ""))
    return match.group(2) if match and match.group(1).lower() == "bearer" else ""


def _refused(status: int, error: str, *, close: bool = False) -> JSONResponse:
    """A refusal; `close` when the body was not read, so that uvicorn does not read it after us."""
    return JSONResponse(
        {"error": error}, status_code=status, headers={"Connection": "close"} if close else None
    )


def create_app(
    home: CityHome,
    repo: Path | None = None,
    *,
    body_timeout: float = BODY_TIMEOUT,
    supervision: Supervision | None = None,
):
    """The city's ASGI app, its request bodies limited by `city.limits.BodyLimits`; with `supervision` it
    tells systemd when it is ready and that its event loop runs (city/supervision.py)."""
    repo = Path(repo) if repo else home.repo.path
    database = home.database

    async def channel_file(request: Request) -> Response:
        path = request.path_params["path"]
        if path == ROOT_FILE:
            target = repo / ROOT_FILE
            if not target.exists():
                return JSONResponse({"error": "no version published"}, status_code=404)
            stat = target.stat()
            etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            cache = "no-cache"
        elif match := _CONTENT.fullmatch(path):
            target = repo / match.group(1) / match.group(2)
            etag = f'"{match.group(2)}"'
            cache = IMMUTABLE
        else:
            return JSONResponse({"error": "not a channel file"}, status_code=404)
        if not target.is_file():
            return JSONResponse({"error": "not found"}, status_code=404)
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": cache})
        return FileResponse(
            target,
            headers={"ETag": etag, "Cache-Control": cache},
            media_type="application/json" if path == ROOT_FILE else "application/octet-stream",
        )

    def check(headers, key: str, body: bytes | None) -> fleet.Refusal | None:
        """The credential; with `body` None what the headers decide, so that a stranger's body is never read."""
        with database.connection() as conn:
            return fleet.authenticate(
                conn,
                headers.get("x-kiosk-id", ""),
                key,
                body,
                signature=headers.get("x-kiosk-signature", ""),
                bearer=bearer_token(headers),
            )

    def upload(headers, key: str, body: bytes) -> Response:
        refusal = check(headers, key, body)
        if refusal is not None:
            return _refused(refusal.status, refusal.error)
        with database.connection() as conn:
            outcome = fleet.receive(conn, headers.get("x-kiosk-id", ""), key, body)
        if outcome.error:
            return JSONResponse({"error": outcome.error, "error_zh": outcome.error_zh}, status_code=422)
        return JSONResponse(
            {"stored": outcome.stored, "duplicate": not outcome.stored},
            status_code=201 if outcome.stored else 200,
        )

    async def outbox(request: Request) -> Response:
        try:
            key = str(uuid.UUID(request.headers.get("idempotency-key", "")))
        except ValueError:
            return _refused(400, "Idempotency-Key must be a UUID", close=True)
        refusal = await run_in_threadpool(check, request.headers, key, None)
        if refusal is not None:
            return _refused(refusal.status, refusal.error, close=True)
        body = await request.body()  # at most MAX_UPLOAD bytes, within body_timeout (BodyLimits)
        return await run_in_threadpool(upload, request.headers, key, body)

    def kiosks_view(request: Request) -> Response:
        supplied = bearer_token(request.headers).encode()
        if not supplied or not hmac.compare_digest(supplied, home.admin_token().encode()):
            return _refused(401, "admin token required")
        with database.connection() as conn:
            return JSONResponse(fleet.fleet(conn))

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def body_refused(request: Request, exc: BodyRefused) -> Response:
        return _refused(exc.status, exc.error, close=True)

    app = Starlette(
        routes=[
            Route("/channel/{path:path}", channel_file, methods=["GET", "HEAD"]),
            Route("/v1/outbox", outbox, methods=["POST"]),
            Route("/v1/kiosks", kiosks_view, methods=["GET"]),
            Route("/v1/health", health, methods=["GET"]),
            *dashboard.routes(home, database, bearer_token),
        ],
        exception_handlers={BodyRefused: body_refused},
        lifespan=lifespan(supervision),
    )
    return BodyLimits(app, body_timeout=body_timeout)


def serve(
    home: CityHome,
    repo: Path | None,
    host: str,
    port: int,
    *,
    body_timeout: float = BODY_TIMEOUT,
    header_timeout: float = HEADER_TIMEOUT,
    workers: int = 1,
) -> None:
    """Serve until stopped; `workers` > 1 runs that many processes (city/workers.py), PostgreSQL only."""
    import uvicorn

    if workers < 1:
        raise CityError("--workers must be at least 1", "--workers 至少为 1")
    if workers > 1 and home.database.dialect.name != POSTGRESQL:
        raise CityError(
            "--workers > 1 needs PostgreSQL (--database postgresql://…): SQLite takes one writer at a time, "
            "so more processes would only wait for each other's lock",
            "多个工作进程（--workers 大于 1）需要 PostgreSQL 数据库（--database postgresql://…）："
            "SQLite 同一时间只允许一个写入者，多开进程只会互相等待",
        )
    home.db().close()  # reachable, and migrated once before any worker starts
    supervision = Supervision.of_this_process(host, port)
    if workers == 1:
        uvicorn.run(
            create_app(home, repo, body_timeout=body_timeout, supervision=supervision),
            host=host,
            port=port,
            log_level="info",
            access_log=False,
            http=protocol(header_timeout),
        )
        return
    from city import workers as worker

    os.environ.update(
        {
            "CITY_DATA_DIR": str(home.path),
            "CITY_DATABASE_URL": home.database_url(),
            worker.REPO: str(repo or ""),
            worker.BODY: str(body_timeout),
            worker.HEADERS: str(header_timeout),
            **supervision.for_workers(),
        }
    )
    uvicorn.run(
        "city.workers:app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        http="city.workers:Headers",
    )
