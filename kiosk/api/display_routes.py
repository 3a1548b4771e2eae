"""What the display process (`kiosk display`) reads and reports, under `/api/display/`.

- `GET /api/display/content`: everything a display shows, in one JSON it keeps on disk: the hall, the
  notices valid today for this hall's tier (`notices`), the latest gazette issue with its 目录 and its
  documents and 解读 in 目录 order (`gazette`), the items the playlist names (`items`), the playlist with
  its rules and the emergency notices (`kiosk.signage`), and `version`, a hash of all that;
- `GET /api/display/media/{item_id}/{sha256}`: an image or video a notice or document carries;
- `POST /api/display/heartbeat`: a display's heartbeat; the answer says whether a screenshot is wanted;
- `POST /api/display/screenshot?display=ID`: its screenshot (JPEG, bounded), kept under ``signage/``;
- `POST /api/display/screenshot-request?display=ID`: ask a display for a screenshot now;
- `POST /api/display/pair`: `{"code", "display"}`, a pairing code from staff mode, for a display token.

The three reports need a display token (`Authorization: Bearer`, `kiosk.signage.tokens`): none or an
unknown one is 401, a token paired for another display 403. What a display reads (content, media, the
feed) stays open on the API's address: it is what the hall publishes anyway (notices, the gazette, calls
on the wall), a display that has not paired yet still shows it, and nothing of a resident is in it.

The feed carries `display` events (`{"reason": "content"}` when the library or the signage changed,
`{"reason": "screenshot", "display": ID}`); a display then fetches the content again (or takes a
screenshot). It carries `voice` events (`{"number", "window", "failed"}`) when the hall's voice starts
saying a call; with the voice on (`"voice": true` in the content) a display shows a call's banner then.
Nothing here records usage: a display reading the library is not a resident.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import asdict
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from content.errors import NotFound
from kiosk.browse import chinese_date
from kiosk.events import ContentChange
from kiosk.i18n import tr
from kiosk.options import TIERS
from kiosk.signage import channel as city_signage
from kiosk.signage import playlist as playlists
from kiosk.signage.emergency import Emergencies
from kiosk.signage.status import MAX_SCREENSHOT, Displays, HeartbeatInvalid, check_id
from kiosk.signage.tokens import ANY
from kiosk.voice.events import Saying

log = logging.getLogger(__name__)

MAX_HEARTBEAT = 8 * 1024
MAX_PAIR = 1024
MEDIA = ("image/", "video/")


def visible_levels(tier: str) -> set[str]:
    """The notice levels a hall of `tier` shows: its own and those above (a township hall does not show a
    village's 村务公开; the village's own, posted on its kiosk, are local and always shown)."""
    return set(TIERS[: TIERS.index(tier) + 1]) if tier in TIERS else set(TIERS)  # TIERS: highest first


def _paragraphs(doc: dict[str, Any]) -> list[str]:
    return [line.replace("\t", "　") for line in doc["text"].split("\n") if line.strip()]


def _media(store, item_id: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"images": [], "videos": []}
    for attachment in store.attachments_of(item_id):
        if attachment.mime.startswith("image/"):
            found["images"].append(attachment.sha256)
        elif attachment.mime.startswith("video/"):
            found["videos"].append(attachment.sha256)
    return found


def _page(browse, store, item_id: str) -> dict[str, Any]:
    doc = browse.document(item_id, record=False)
    return {
        "id": doc["id"],
        "kind": doc["kind"],
        "kindName": doc["kindName"],
        "title": doc["title"],
        "docNumber": doc["docNumber"],
        "date": doc["date"],
        "issuer": doc["issuer"],
        "level": doc["level"],
        "validFrom": doc["validFrom"],
        "validTo": doc["validTo"],
        "origin": doc["origin"],
        "paragraphs": _paragraphs(doc),
        "qr": doc["qr"],
        **_media(store, item_id),
    }


class DisplayContent:
    """Builds the display's content from the kiosk's services; keeps the signage state (thread-safe)."""

    def __init__(self, services):
        self.services = services
        self.emergencies = Emergencies(services.data_dir)
        self.displays = Displays(services.data_dir)
        self._wanted: set[str] = set()  # displays asked for a screenshot
        self._lock = threading.Lock()

    def playlist(self) -> playlists.Playlist:
        """The staff's playlist, else the city's (`kiosk.signage.channel.in_force`), else the tier's default.
        A damaged file is logged and the default plays: the screen never goes blank for it."""
        tier = self.services.config["kiosk.tier"]
        try:
            data = city_signage.in_force(self.services.data_dir)
            return playlists.default_playlist(tier) if data is None else playlists.parse(data)
        except (ValueError, OSError) as exc:
            log.error("display: playlist unusable, playing the default: %s", exc)
            return playlists.default_playlist(tier)

    def build(self, now: datetime) -> dict[str, Any]:
        from kiosk.browse import Browse
        from kiosk.session import Session

        store = self.services.library.opened_store()
        browse = Browse(store, Session())  # no usage: a display is not a resident
        config = self.services.config
        plan = self.playlist()
        levels = visible_levels(config["kiosk.tier"])
        notices = [
            _page(browse, store, item.id)
            for item in store.current_notices(now.date())
            if item.origin == "local" or not item.level or item.level in levels
        ]
        body = {
            "hall": config["kiosk.hall_name"],
            "tier": config["kiosk.tier"],
            "notices": notices,
            "gazette": self._gazette(browse, store),
            "items": {e.item: self._item(browse, store, e.item) for e in plan.entries if e.show == "item"},
            "playlist": plan.to_json(),
            "emergencies": [asdict(e) for e in self.emergencies.current(now)],
            "voice": self.services.signage_desk.voice,  # a call's banner waits for the voice to say it
        }
        version = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return {**body, "version": version[:16], "day": now.date().isoformat()}

    @staticmethod
    def _item(browse, store, item_id: str) -> dict[str, Any] | None:
        try:
            return _page(browse, store, item_id)
        except NotFound:  # the display skips an item the library no longer holds
            log.warning("display: playlist item %s not in the library", item_id)
            return None

    @staticmethod
    def _gazette(browse, store) -> dict[str, Any] | None:
        issues = store.issues()
        if not issues:
            return None
        issue = issues[0]
        toc = browse.issue_toc(issue.id)
        pages, seen = [], set()
        for entry in toc["entries"]:
            if entry["id"] and entry["id"] not in seen:
                seen.add(entry["id"])
                pages.append(_page(browse, store, entry["id"]))
        return {
            "id": issue.id,
            "title": toc["title"],
            "date": chinese_date(issue.date),
            "toc": [
                {"section": e["section"], "title": e["title"], "page": e["page"]} for e in toc["entries"]
            ],
            "pages": pages,
        }

    def want_screenshot(self, display_id: str) -> None:
        with self._lock:
            self._wanted.add(display_id)

    def screenshot_wanted(self, display_id: str) -> bool:
        with self._lock:
            return display_id in self._wanted

    def screenshot_taken(self, display_id: str) -> None:
        with self._lock:
            self._wanted.discard(display_id)


async def _json_body(request: Request, limit: int) -> Any:
    body = await request.body()
    if len(body) > limit:
        raise HTTPException(413)
    try:
        return json.loads(body)
    except ValueError:
        raise HTTPException(400, tr("请求内容不是有效的 JSON")) from None


def _token(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").strip().partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value.isascii() and " " not in value else ""


def routes(services) -> list[Route]:
    content = DisplayContent(services)
    tokens = services.signage_desk.tokens
    tokens.ensure_local()  # the display on this PC reads it from the data directory

    async def paired(request: Request) -> str:
        """The display id the request's token is bound to (ANY for the local token); 401 without one."""
        bound = await run_in_threadpool(tokens.display_of, _token(request))
        if bound is None:
            raise HTTPException(
                401,
                tr("请先在工作人员模式“公示屏”页面配对本公示屏"),
                headers={"WWW-Authenticate": 'Bearer realm="zwgk-display"'},
            )
        return bound

    def same_display(bound: str, display_id: str) -> None:
        if bound != ANY and bound != display_id:
            raise HTTPException(
                403, tr("本设备配对的是公示屏 {bound}，不能以其他公示屏的名义报告", bound=bound)
            )

    def get_content(request: Request) -> JSONResponse:
        from kiosk.library_service import LibraryUnavailable

        try:
            return JSONResponse(content.build(datetime.now()))
        except LibraryUnavailable as exc:
            raise HTTPException(503, exc.zh) from None

    def media(request: Request) -> FileResponse:
        item_id, sha = request.path_params["item_id"], request.path_params["sha256"]
        store = services.library.store
        found = [a for a in store.attachments_of(item_id) if a.sha256 == sha] if store is not None else []
        if not found or not found[0].mime.startswith(MEDIA) or not store.blob_path(sha).exists():
            raise HTTPException(404)
        return FileResponse(store.blob_path(sha), media_type=found[0].mime)

    async def heartbeat(request: Request) -> JSONResponse:
        bound = await paired(request)
        payload = await _json_body(request, MAX_HEARTBEAT)
        same_display(bound, payload.get("display", "") if isinstance(payload, dict) else "")
        try:
            beat = await run_in_threadpool(content.displays.beat, payload, datetime.now())
        except HeartbeatInvalid as exc:
            log.warning("display: heartbeat refused: %s", exc)
            raise HTTPException(400, tr("心跳内容有误")) from None
        return JSONResponse({"ok": True, "screenshot": content.screenshot_wanted(beat["display"])})

    async def screenshot(request: Request) -> JSONResponse:
        display_id = request.query_params.get("display", "")
        same_display(await paired(request), display_id)
        body = await request.body()
        if len(body) > MAX_SCREENSHOT:
            raise HTTPException(413)
        try:
            path = await run_in_threadpool(content.displays.save_screenshot, display_id, body, datetime.now())
        except HeartbeatInvalid as exc:
            log.warning("display: screenshot refused: %s", exc)
            raise HTTPException(400, tr("截图内容有误")) from None
        content.screenshot_taken(display_id)
        log.info("display: screenshot of %s kept (%d bytes)", display_id, len(body))
        return JSONResponse({"ok": True, "name": path.name})

    async def screenshot_request(request: Request) -> JSONResponse:
        bound = await paired(request)
        try:
            display_id = check_id(request.query_params.get("display", ""))
        except HeartbeatInvalid:
            raise HTTPException(400, tr("请写明公示屏编号")) from None
        same_display(bound, display_id)
        content.want_screenshot(display_id)
        request.app.state.feed.publish("display", {"reason": "screenshot", "display": display_id})
        return JSONResponse({"ok": True})

    async def pair(request: Request) -> JSONResponse:
        body = await _json_body(request, MAX_PAIR)
        code = body.get("code") if isinstance(body, dict) else None
        try:
            display_id = check_id(body.get("display") if isinstance(body, dict) else None)
        except HeartbeatInvalid:
            raise HTTPException(400, tr("请写明公示屏编号（字母、数字、_.-，至多 64 个）")) from None
        token = await run_in_threadpool(tokens.pair, code, display_id) if isinstance(code, str) else None
        if token is None:
            log.warning("display: pairing of %s refused (unknown, used or expired code)", display_id)
            raise HTTPException(403, tr("配对码无效或已过期，请在工作人员模式中重新获取"))
        log.info("display: %s paired", display_id)
        return JSONResponse({"ok": True, "token": token, "display": display_id})

    return [
        Route("/api/display/content", get_content, methods=["GET"]),
        Route("/api/display/media/{item_id}/{sha256}", media, methods=["GET"]),
        Route("/api/display/heartbeat", heartbeat, methods=["POST"]),
        Route("/api/display/screenshot", screenshot, methods=["POST"]),
        Route("/api/display/screenshot-request", screenshot_request, methods=["POST"]),
        Route("/api/display/pair", pair, methods=["POST"]),
    ]


def connect(services, feed):
    """Tell displays on the feed when the library changed, so they fetch the content again, and when the
    voice starts saying a call (`voice`: number, window, failed), so they show its banner then."""
    content = services.bus.subscribe(
        ContentChange, lambda change: feed.publish("display", {"reason": "content", "why": change.reason})
    )
    voice = services.bus.subscribe(Saying, lambda said: feed.publish("voice", asdict(said)))

    def undo() -> None:
        content()
        voice()

    return undo
