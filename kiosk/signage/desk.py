"""Staff's 公示屏 page (`ui/StaffDisplayScreen.qml`): post an emergency notice (紧急通知) that interrupts
every display of the hall, withdraw it, and see what each display reports. A change is announced as a
content change (`signage`), which the local API's feed passes to the displays, so they fetch it at once
rather than at their next minute. Staff also send the displays' newest screenshots to the city from here
(`kiosk.signage.city_screenshots`, which answers the city's own requests too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.events import Bus
from kiosk.i18n import tr
from kiosk.signage.city_screenshots import CityScreenshots
from kiosk.signage.emergency import Emergencies, Emergency
from kiosk.signage.playlist_desk import PlaylistDesk
from kiosk.signage.status import Displays
from kiosk.signage.tokens import DisplayTokens
from kiosk.voice.events import VoiceStarted

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.library_service import LibraryService

# How long a notice staff post stays up: the choices on the page (hours; 0 until withdrawn).
DURATIONS = (1, 4, 24, 0)


def until_text(notice: Emergency, now: datetime) -> str:
    if not notice.until:
        return tr("撤回前一直插播")
    end = datetime.fromisoformat(notice.until)
    day = (
        tr("今天")
        if end.date() == now.date()
        else tr("明天")
        if end.date() == now.date() + timedelta(1)
        else end.strftime(tr("%m月%d日"))
    )
    return tr("插播到{day} {end:%H:%M}", day=day, end=end)


class SignageDesk:
    """Emergency notices and the displays' reports for staff (see the module)."""

    def __init__(
        self,
        data_dir: Path,
        library: LibraryService,
        config: Callable[[], Config],
        bus: Bus,
        clock: Callable[[], datetime] = datetime.now,
    ):
        self.emergencies = Emergencies(data_dir)
        self.displays = Displays(data_dir)
        self.city_screenshots = CityScreenshots(data_dir, library, config, bus)
        self.tokens = DisplayTokens(data_dir)  # shared with the local API, which pairs and checks them
        self.playlist = PlaylistDesk(data_dir, library, lambda: config()["kiosk.tier"])
        self.voice = False  # the hall's voice speaks the calls: displays show a call's banner as it is said
        bus.subscribe(VoiceStarted, self._voice_started)
        self.library = library
        self.config = config
        self.clock = clock

    def _voice_started(self, event: VoiceStarted) -> None:
        self.voice = True

    def notices(self) -> list[dict[str, Any]]:
        """The notices up now, oldest first, with their end in words."""
        now = self.clock()
        return [
            {
                "id": n.id,
                "title": n.title,
                "text": n.text,
                "until": until_text(n, now),
                "fromCity": n.source == "city",
            }
            for n in self.emergencies.current(now)
        ]

    def post(self, title: str, text: str, hours: int) -> dict[str, Any]:
        """Post a notice for `hours` (0: until withdrawn); `EmergencyInvalid` says what is wrong (zh)."""
        if hours not in DURATIONS:
            raise ValueError(f"hours must be one of {DURATIONS}")
        now = self.clock()
        until = (now + timedelta(hours=hours)).isoformat(timespec="minutes") if hours else ""
        notice = self.emergencies.post(title, text, until, now=now)
        self.library.changed("signage")
        return {"id": notice.id, "title": notice.title, "until": until_text(notice, now)}

    def withdraw(self, notice_id: str) -> bool:
        withdrawn = self.emergencies.withdraw(notice_id)
        if withdrawn:
            self.library.changed("signage")
        return withdrawn

    def display_lines(self) -> list[str]:
        """One line per display (what it shows since when, or how long it has been silent), its errors."""
        return self.displays.lines(self.clock())

    def send_screenshots(self) -> str:
        """Each display's newest screenshot into the outbox for the city; what was done, in Chinese
        (`ScreenshotNotSent` says why nothing was)."""
        sent = self.city_screenshots.send()
        return tr("已将 {sent} 块公示屏的最新截图放入待上传记录，下次与市级平台同步时上传。", sent=sent)

    def pairing_code(self) -> dict[str, str]:
        """A one-time code that pairs a display on another PC, and the command to type there."""
        from kiosk.api.urls import public_base

        code, ttl = self.tokens.offer()
        base = public_base(self.config())
        command = f"kiosk display --pair {code} --api {base}"
        local = "://127." in base or "://[::1]" in base or "://localhost" in base
        note = (
            tr("本机接口只在本机监听，其他电脑连不上：请先把配置项 api.listen 设为大厅局域网地址。")
            if local
            else ""
        )
        return {"code": code, "command": command, "minutes": str(int(ttl // 60)), "note": note}
