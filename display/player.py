"""Drives `Display.qml` on the GUI thread: drains the link's inbox, decides what is on screen by the
clock (`display.plan`), sets the window's properties, and sends heartbeats and screenshots.

The clock is injected (`clock() -> datetime`): the app passes `datetime.now`, tests and the benchmark a
clock they move. `tick()` runs every second from a QTimer and `drain()` every 25 ms; both can be called
directly. Nothing here emits a Qt signal from Python (PySide 6.12 loses a reference on every emit)."""

from __future__ import annotations

import logging
import queue
import shlex
import subprocess
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer, QUrl
from PySide6.QtGui import QImage

from display import plan
from display.cache import Cache
from display.i18n import tr

log = logging.getLogger(__name__)

CALLS_KEPT = 6  # the last calls in the side list
BANNER_SECONDS = 12
VOICE_WAIT = 60  # seconds a call waits for the voice to start saying it (calls in line are said in turn)
HEARTBEAT_SECONDS = 60
SCREENSHOT_WIDTH = 960
SCREENSHOT_BYTES = 400 * 1024  # kiosk.signage.status.MAX_SCREENSHOT


@dataclass
class Settings:
    display_id: str = "display"
    rotate: int = 0
    screenshot_minutes: int = 30  # 0: only on request
    backlight_on: str = ""  # commands run when the schedule lights or darkens the screen
    backlight_off: str = ""
    token_file: Path | None = None  # the display token its reports carry (kiosk.signage.tokens)


def _key(call: dict[str, Any]) -> tuple[str, str]:
    return str(call.get("number", "")), str(call.get("window", ""))


def call_text(call: dict[str, Any]) -> str:
    return tr(
        "请 {number} 号 到 {window} 号窗口", number=call.get("number", ""), window=call.get("window", "")
    )


def jpeg(image: QImage, limit: int = SCREENSHOT_BYTES) -> bytes:
    """The image downscaled to SCREENSHOT_WIDTH and saved as JPEG, lowering quality until it fits."""
    if image.width() > SCREENSHOT_WIDTH:
        image = image.scaledToWidth(SCREENSHOT_WIDTH, Qt.TransformationMode.SmoothTransformation)
    for quality in (80, 65, 50, 35, 20):
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", quality)
        buffer.close()
        if data.size() <= limit:
            return bytes(data.data())
        image = image.scaledToWidth(int(image.width() * 0.8), Qt.TransformationMode.SmoothTransformation)
    raise ValueError("screenshot does not fit")


class Player:
    def __init__(self, window, link, cache: Cache, settings: Settings, clock: Callable[[], datetime]):
        self.window = window
        self.link = link
        self.cache = cache
        self.settings = settings
        self.clock = clock
        self.inbox: queue.Queue = link.inbox
        self.content: dict[str, Any] = cache.load() or {}
        self.rotation = plan.Rotation()
        self.calls: deque[dict[str, Any]] = deque(maxlen=CALLS_KEPT)
        self.pending: dict[tuple[str, str], datetime] = {}  # calls waiting for the voice: shown by then
        self.banner_until: datetime | None = None
        self.failed: set[str] = set()  # videos that cannot play
        self.durations: dict[str, float] = {}  # seconds of each video once QtMultimedia knows them
        self.errors: deque[str] = deque(maxlen=5)
        self.online = bool(self.content)
        self.mode, self.since = "", clock()
        self.lit: bool | None = None
        self.next_heartbeat = clock()
        self.next_screenshot = clock() + timedelta(minutes=settings.screenshot_minutes or 0)
        self._shown: dict[str, Any] = {}
        window.setProperty("rotationDeg", settings.rotate)
        window.videoFailed.connect(self.video_failed)
        window.videoDuration.connect(self.video_duration)
        self.timers = [self._timer(1000, self.tick), self._timer(25, self.drain)]

    def _timer(self, ms: int, fn: Callable[[], None]) -> QTimer:
        timer = QTimer()
        timer.setInterval(ms)
        timer.timeout.connect(fn)
        return timer

    def start(self) -> None:
        self.tick()
        for timer in self.timers:
            timer.start()

    def stop(self) -> None:
        for timer in self.timers:
            timer.stop()

    # --- what comes from the kiosk -----------------------------------------------------------------

    def drain(self) -> None:
        changed = False
        while True:
            try:
                kind, value = self.inbox.get_nowait()
            except queue.Empty:
                break
            if kind == "content":
                self.content = value
                changed = True
            elif kind == "call":
                self.called(value)
                changed = True
            elif kind == "voice":
                self.voiced(value)
                changed = True
            elif kind == "online":
                self._online(*value)
            elif kind == "screenshot":
                self.screenshot()
        if changed:
            self.tick()

    def called(self, call: dict[str, Any]) -> None:
        """A call on the feed: its banner now, or, when the hall's voice says the calls, once the voice
        starts saying it (at most VOICE_WAIT seconds later)."""
        if self.content.get("voice"):
            self.pending[_key(call)] = self.clock() + timedelta(seconds=VOICE_WAIT)
        else:
            self._banner(call)

    def voiced(self, said: dict[str, Any]) -> None:
        """The voice starts saying a call (or could not): its banner now."""
        self.pending.pop(_key(said), None)
        self._banner(said)

    def _banner(self, call: dict[str, Any]) -> None:
        self.calls.appendleft({"number": str(call.get("number", "")), "window": str(call.get("window", ""))})
        self.banner_until = self.clock() + timedelta(seconds=BANNER_SECONDS)
        self._set("banner", call_text(call))
        self._set("calls", list(self.calls))

    def _online(self, ok: bool, reason: str) -> None:
        if ok != self.online:
            log.info("display: kiosk API %s%s", "reachable" if ok else "unreachable: ", reason)
        self.online = ok

    def video_failed(self, source: str, message: str) -> None:
        log.warning("display: video %s skipped: %s", source.rsplit("/", 1)[-1][:12], message)
        self.errors.append(tr("视频无法播放，已跳过（{message}）", message=message[:80]))
        self.failed.add(source)
        self.rotation.key = None  # build the slides again without it
        self.tick()

    def video_duration(self, source: str, ms: int) -> None:
        """A video's length is known: its slide lasts that long (at most its entry's seconds)."""
        self.durations[source] = ms / 1000
        for _, slide in self.rotation.items:
            if slide.get("kind") == "video" and slide.get("source") == source:
                slide["seconds"] = self._video_seconds(slide)
        self._shown.pop("slide", None)  # changed in place: set again (the same source goes on playing)
        self.tick()

    def _video_seconds(self, slide: dict[str, Any]) -> float:
        length = self.durations.get(slide["source"])
        return slide["entrySeconds"] if length is None else max(1.0, min(length, slide["entrySeconds"]))

    # --- what is on screen -------------------------------------------------------------------------

    def layout(self) -> plan.Layout:
        w, h = self.window.property("designWidth"), self.window.property("designHeight")
        if self.settings.rotate % 180:
            w, h = h, w
        return plan.Layout(w, h, calls=bool(self.calls))

    def tick(self) -> None:
        now = self.clock()
        playlist = self.content.get("playlist") or {"entries": [{"id": "notices", "show": "notices"}]}
        lit = plan.lit(playlist, now)
        if lit != self.lit:
            self._backlight(lit)
        self._set("lit", lit)
        self._set("hall", self.content.get("hall", ""))
        self._set("clockText", f"{plan.chinese_day(now.date())} {now:%H:%M}")
        for key, until in list(self.pending.items()):
            if now >= until:  # the voice did not say it (stopped, or far behind): shown all the same
                del self.pending[key]
                self._banner({"number": key[0], "window": key[1]})
        if self.banner_until is not None and now >= self.banner_until:
            self.banner_until = None
            self._set("banner", "")
        urgent = plan.emergencies(self.content, now)
        self._set("emergency", urgent[-1] if urgent else None)
        entries = plan.playing(playlist, now)
        layout = self.layout()
        key = (
            self.content.get("version"),
            now.date(),
            tuple(e["id"] for e in entries),
            layout,
            len(self.failed),
        )
        shown = self.rotation.show(now, key, lambda: self._build(entries, layout))
        slide = shown.slide if shown else {"kind": "idle", "seconds": 20}
        mode = (
            plan.OFF_MODE
            if not lit
            else plan.EMERGENCY_MODE
            if urgent
            else shown.mode
            if shown
            else plan.MODES["notices"]
        )
        self._set("slide", slide)
        self._set("modeText", "" if urgent else mode)
        if mode != self.mode:
            self.mode, self.since = mode, now
        if now >= self.next_heartbeat:
            self.next_heartbeat = now + timedelta(seconds=HEARTBEAT_SECONDS)
            self.heartbeat()
        if self.settings.screenshot_minutes and now >= self.next_screenshot:
            self.next_screenshot = now + timedelta(minutes=self.settings.screenshot_minutes)
            self.screenshot()

    def _build(self, entries: list[dict[str, Any]], layout: plan.Layout) -> list[tuple[str, dict[str, Any]]]:
        built = [
            (plan.MODES.get(entry["show"], ""), slide)
            for entry in entries
            for slide in plan.slides(entry, self.content, layout, self._media, self.failed)
        ]
        for _, slide in built:
            if slide.get("kind") == "video":
                slide["entrySeconds"] = slide["seconds"]
                slide["seconds"] = self._video_seconds(slide)
        return built

    def _media(self, item_id: str, sha: str) -> str:
        return (
            QUrl.fromLocalFile(str(self.cache.media_path(sha))).toString()
            if self.cache.has_media(sha)
            else ""
        )

    def _set(self, name: str, value: Any) -> None:
        if self._shown.get(name, ...) != value:
            self._shown[name] = value
            self.window.setProperty(name, value)

    def _backlight(self, lit: bool) -> None:
        self.lit = lit
        command = self.settings.backlight_on if lit else self.settings.backlight_off
        if not command:
            return
        try:
            subprocess.Popen(shlex.split(command), stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            log.error("display: backlight command %r failed: %s", command, exc)
            self.errors.append(tr("背光命令无法执行：{problem}", problem=exc.strerror))

    # --- health ------------------------------------------------------------------------------------

    def heartbeat_payload(self) -> dict[str, Any]:
        w, h = self.window.property("designWidth"), self.window.property("designHeight")
        errors = list(self.errors)
        if not self.online:
            errors.append(tr("连不上一体机，正在显示缓存的内容"))
        return {
            "display": self.settings.display_id,
            "showing": self.mode,
            "since": self.since.isoformat(timespec="minutes"),
            "size": f"{w}x{h}",
            "online": self.online,
            "errors": errors,
        }

    def heartbeat(self) -> None:
        self.link.send("heartbeat", self.heartbeat_payload())

    def screenshot(self) -> bytes:
        """A downscaled JPEG of what the screen shows, sent to the kiosk."""
        data = jpeg(self.window.grabWindow())
        self.link.send("screenshot", data)
        return data
