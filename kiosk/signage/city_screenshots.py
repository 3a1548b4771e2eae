"""The displays' screenshots to the city: answering its requests, and staff sending them.

The city asks with `file:display_requests/<kiosk id>.json` in the channel (`city fleet screenshot KIOSK`,
or the button on the dashboard's kiosk page): `{"type": "zwgk-display-request", "kiosk", "request", "at"}`.
After a sync applies it (the library's `ContentChange` "sync"), each display's newest kept screenshot
(`status.Displays`) goes into the outbox as a `display_screenshot` record, downscaled to a JPEG of at most
200 kB (content/record_schema.py), and the next push delivers it. A request is answered once: its id is
kept in `signage/city_requests.json`. Staff send the same from the 公示屏 page (`send`).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.events import Bus, ContentChange
from kiosk.i18n import tr
from kiosk.signage.files import read_json, signage_dir, write_json
from kiosk.signage.status import Displays

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.library_service import LibraryService

log = logging.getLogger(__name__)

REQUESTS = "display_requests"  # the channel files' folder in the data directory (content/channel.py)
MAX_PIXELS = 4096 * 4096  # a kept screenshot is at most 960 px wide; anything far larger is refused
_REQUEST_ID = re.compile(r"[0-9a-f-]{1,36}")


class ScreenshotNotSent(Exception):
    """Nothing could be sent (`zh` for staff)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def downscaled(jpeg: bytes, limit: int | None = None) -> bytes:
    """The JPEG as it is when it fits `limit` (by default what the city's record schema accepts), else
    re-encoded smaller until it does (ValueError when the bytes are not a JPEG image)."""
    if limit is None:
        # the schema loads the channel format and cryptography: not on the way to the first frame
        from content.record_schema import DISPLAY_SCREENSHOT_BYTES

        limit = DISPLAY_SCREENSHOT_BYTES
    if len(jpeg) <= limit:
        return jpeg
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(jpeg)) as opened:
            if opened.format != "JPEG" or opened.width * opened.height > MAX_PIXELS:
                raise ValueError(f"not a JPEG screenshot ({opened.format}, {opened.width}x{opened.height})")
            image = opened.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"not a readable image: {exc}") from None
    while image.width >= 160:
        for quality in (75, 55, 35):
            out = io.BytesIO()
            image.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= limit:
                return out.getvalue()
        image = image.resize((int(image.width * 0.75), int(image.height * 0.75)), Image.Resampling.LANCZOS)
    raise ValueError("the screenshot does not fit even at 160 px")


def request_id(data_dir: Path, kiosk_id: str) -> str | None:
    """The id of the city's request to this kiosk, or None (none, or a file that is not one: logged)."""
    path = data_dir / REQUESTS / f"{kiosk_id}.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("signage: screenshot request %s unreadable: %s", path.name, exc)
        return None
    ok = (
        isinstance(value, dict)
        and value.get("type") == "zwgk-display-request"
        and value.get("kiosk") == kiosk_id
        and isinstance(value.get("request"), str)
        and _REQUEST_ID.fullmatch(value["request"])
    )
    if not ok:
        log.warning("signage: screenshot request %s is not one; ignored", path.name)
        return None
    return value["request"]


class CityScreenshots:
    """Sends the displays' screenshots to the city through the outbox (see the module)."""

    def __init__(self, data_dir: Path, library: LibraryService, config: Callable[[], Config], bus: Bus):
        self.data_dir = data_dir
        self.library = library
        self.config = config
        self.displays = Displays(data_dir)
        self.answered_path = signage_dir(data_dir) / "city_requests.json"
        bus.subscribe(ContentChange, self._changed)

    def _changed(self, change: ContentChange) -> None:
        if change.reason == "sync":
            try:
                self.answer()
            except Exception:  # noqa: BLE001 - a bus listener: the sync's other listeners go on
                log.exception("signage: the city's screenshot request not answered")

    def _kiosk_id(self) -> str | None:
        from kiosk import enrolment

        found = enrolment.load(self.data_dir)
        return found.kiosk_id if found else None

    def answer(self) -> int:
        """Answer the city's request if it is new: the number of screenshots put in the outbox."""
        kiosk_id = self._kiosk_id()
        wanted = request_id(self.data_dir, kiosk_id) if kiosk_id else None
        if wanted is None or read_json(self.answered_path, {}).get("request") == wanted:
            return 0
        try:
            sent = self.send(wanted)
        except ScreenshotNotSent as exc:
            log.warning("signage: screenshot request %s: %s", wanted[:8], exc)
            sent = 0
        write_json(self.answered_path, {"request": wanted, "sent": sent})
        log.info("signage: city's screenshot request %s answered with %d screenshots", wanted[:8], sent)
        return sent

    def send(self, request: str = "") -> int:
        """Each display's newest screenshot into the outbox; how many. `ScreenshotNotSent` when the kiosk
        is not enrolled or no display has one."""
        from content.channel import format_time
        from kiosk.sync_service import outbox_for

        if self._kiosk_id() is None:
            raise ScreenshotNotSent("this kiosk is not enrolled", tr("本机尚未登记到市级平台，截图无法上传"))
        outbox = outbox_for(self.library.opened_store(), self.config())
        sent = 0
        for display_id in sorted(self.displays.all()):
            path = self.displays.latest_screenshot(display_id)
            if path is None:
                continue
            try:
                jpeg = downscaled(path.read_bytes())
            except (OSError, ValueError) as exc:
                log.warning("signage: screenshot %s of %s not sent: %s", path.name, display_id, exc)
                continue
            taken = datetime.strptime(path.stem, "%Y%m%dT%H%M%S").astimezone()
            payload = {
                "display": display_id,
                "taken_at": format_time(taken),
                "request": request,
                "jpeg": base64.b64encode(jpeg).decode("ascii"),
            }
            outbox.add("display_screenshot", payload)
            sent += 1
        if not sent:
            raise ScreenshotNotSent("no display has a screenshot", tr("还没有公示屏截图可以上传"))
        return sent
