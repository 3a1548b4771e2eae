"""The calling pages' files: plain HTML, CSS and JavaScript from `kiosk/api/pages/`, no build step and
nothing from a CDN (a hall may have no internet).

    /            → /w (this device's window, or how to pair it)
    /w, /w/{n}   the calling page (`window.html`); the page asks `/api/windows/{n}` for its state
    /pair/{code} the pairing page the staff-mode QR opens (`pair.html`)
    /static/…    the pages' CSS and scripts
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

PAGES = Path(__file__).resolve().parent / "pages"


def routes(services) -> list:
    def page(name: str):
        async def serve(request: Request) -> FileResponse:
            return FileResponse(PAGES / name, media_type="text/html; charset=utf-8")

        return serve

    async def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/w", status_code=303)

    return [
        Route("/", home, methods=["GET"]),
        Route("/w", page("window.html"), methods=["GET"]),
        Route("/w/{window:int}", page("window.html"), methods=["GET"]),
        Route("/pair/{code}", page("pair.html"), methods=["GET"]),
        Mount("/static", StaticFiles(directory=PAGES), name="static"),
    ]
