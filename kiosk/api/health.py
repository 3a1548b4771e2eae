"""`GET /api/health`: whether the kiosk process answers, for the display process and monitoring.

It says what runs (the API, the library's state, the feed's clients), never anything about residents."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kiosk import __version__


def routes(services) -> list[Route]:
    started = time.monotonic()

    async def health(request: Request) -> JSONResponse:
        feed = request.app.state.feed
        return JSONResponse(
            {
                "status": "ok",
                "version": __version__,
                "uptime_s": round(time.monotonic() - started, 1),
                "hall": services.config["kiosk.hall_name"],
                "library": _library_state(services.library),
                "feed": {"run": feed.run, "clients": feed.clients},
            },
            headers={"Cache-Control": "no-store"},
        )

    return [Route("/api/health", health, methods=["GET"])]


def _library_state(library) -> str:
    if library.store is not None:
        return "open"
    return "maintenance" if library.maintenance else "opening"
