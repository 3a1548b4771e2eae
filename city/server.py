"""The reference city server (Starlette): channel files, the upload inbox and the fleet view.

- `GET /channel/root.json` (no-cache, ETag) and `GET /channel/{shards,blobs,packs}/<sha256>` (Range,
  ETag = the name, `Cache-Control: immutable`): in production nginx or a CDN serves these same files
  (see packaging/nginx/); this server is for small cities, tests and the benchmark.
- `POST /v1/outbox`: one record per request, `Idempotency-Key` (a UUID), `X-Kiosk-Id`, and the
  credential the kiosk was enrolled with: a signature by its own key (`X-Kiosk-Signature`) or its token
  (`Authorization: Bearer …`). Unknown or revoked kiosks get 403, a wrong credential 401.
- `GET /v1/kiosks`: the fleet view, for a bearer of the admin token.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from city import fleet
from city.home import CityHome
from content.channel import ROOT_FILE

IMMUTABLE = "public, max-age=31536000, immutable"
_CONTENT = re.compile(r"(shards|blobs|packs)/([0-9a-f]{64})")
MAX_UPLOAD = 1 << 20


def bearer_token(headers) -> str:
    """The token of an `Authorization: Bearer <token>` header ('' without one)."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def create_app(home: CityHome, repo: Path | None = None) -> Starlette:
    repo = Path(repo) if repo else home.repo.path
    local = threading.local()

    def db():
        if not hasattr(local, "conn"):
            local.conn = home.db()
        return local.conn

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

    def upload(request_headers, body: bytes) -> Response:
        kiosk_id = request_headers.get("x-kiosk-id", "")
        key = request_headers.get("idempotency-key", "")
        try:
            key = str(uuid.UUID(key))
        except ValueError:
            return JSONResponse({"error": "Idempotency-Key must be a UUID"}, status_code=400)
        conn = db()
        refusal = fleet.authenticate(
            conn,
            kiosk_id,
            key,
            body,
            signature=request_headers.get("x-kiosk-signature", ""),
            bearer=bearer_token(request_headers),
        )
        if refusal is not None:
            return JSONResponse({"error": refusal.error}, status_code=refusal.status)
        try:
            record = json.loads(body)
            if not (
                isinstance(record, dict)
                and isinstance(record.get("kind"), str)
                and isinstance(record.get("created_at"), str)
                and isinstance(record.get("payload"), dict)
            ):
                raise ValueError
        except ValueError:
            return JSONResponse({"error": "body must be {kind, created_at, payload}"}, status_code=422)
        stored = fleet.store_record(conn, kiosk_id, key, record)
        return JSONResponse({"stored": stored, "duplicate": not stored}, status_code=201 if stored else 200)

    async def outbox(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_UPLOAD:
            return JSONResponse({"error": "record too large"}, status_code=413)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(upload, request.headers, body)

    def kiosks_view(request: Request) -> Response:
        supplied = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not supplied or not hmac.compare_digest(supplied, home.admin_token()):
            return JSONResponse({"error": "admin token required"}, status_code=401)
        return JSONResponse(fleet.fleet(db()))

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/channel/{path:path}", channel_file, methods=["GET", "HEAD"]),
            Route("/v1/outbox", outbox, methods=["POST"]),
            Route("/v1/kiosks", kiosks_view, methods=["GET"]),
            Route("/v1/health", health, methods=["GET"]),
        ]
    )


def serve(home: CityHome, repo: Path | None, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(home, repo), host=host, port=port, log_level="info", access_log=False)


@contextmanager
def background(
    app,
    host: str = "127.0.0.1",
    log_level: str = "error",
    *,
    certfile: str | None = None,
    keyfile: str | None = None,
) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread on an ephemeral loopback port; yields its base URL.

    For tests and the benchmark: the server stops when the block ends."""
    import socket

    import uvicorn

    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and without
    # it every small response waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=log_level,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            ssl_certfile=certfile,
            ssl_keyfile=keyfile,
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    try:
        yield f"{'https' if certfile else 'http'}://{host}:{port}"
    finally:
        server.should_exit = server.force_exit = True
        thread.join(timeout=10)
        sock.close()
