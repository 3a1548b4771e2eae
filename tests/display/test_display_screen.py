"""The display process on the kiosk's real API: each mode rendered and screenshot, rotation by the clock,
dayparts, the emergency interrupt and its end, the queue banner, an empty board, the kiosk down (the cache
stays) and the reconnect. The display's clock is the test's; the kiosk's API runs on loopback."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from conftest import SHOTS
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontMetricsF, QImage
from PySide6.QtQml import QJSValue
from PySide6.QtQuick import QQuickItem

from display import app
from display.player import BANNER_SECONDS, Settings
from kiosk.notices import NoticeDraft
from kiosk.signage.emergency import Emergencies
from kiosk.signage.files import write_json
from kiosk.signage.tokens import read_token, token_path

LANDSCAPE, PORTRAIT = (1920, 1080), (1080, 1920)
ZONE_BLUE = QColor("#0b3d91")


class Screen:
    def __init__(self, qtbot, api, clock, tmp_path: Path, size=LANDSCAPE, rotate=0, display_id="hall-tv"):
        app.application()
        self.qtbot, self.api, self.clock, self.size = qtbot, api, clock, size
        token = token_path(api.data_dir)  # the display on the kiosk's PC reads the kiosk's token file
        settings = Settings(display_id=display_id, rotate=rotate, screenshot_minutes=0, token_file=token)
        self.engine, self.window, self.player = app.start(
            api.url, tmp_path / f"cache-{display_id}", settings, size, clock, max_backoff=0.4
        )
        self.window.show()
        self.closed = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.player.stop()
        self.player.link.stop()
        self.window.close()
        self.engine.deleteLater()

    def value(self, name: str):
        """A property of the display's window as Python data: PySide6 6.8 hands a QML `var` back as a
        QJSValue, 6.12 as a dict or list."""
        found = self.window.property(name)
        return found.toVariant() if isinstance(found, QJSValue) else found

    def item(self, name: str) -> QQuickItem:
        def walk(item):
            if item.objectName() == name:
                return item
            for child in item.childItems():
                if (found := walk(child)) is not None:
                    return found
            return None

        found = walk(self.window.contentItem())
        assert found is not None, name
        return found

    def visible(self, name: str) -> bool:
        return self.item(name).isVisible()

    def texts(self, under: str = "stage") -> list[str]:
        def walk(item):
            if not item.isVisible():
                return []
            own = [item.property("text")] if item.inherits("QQuickText") and item.property("text") else []
            return own + [t for child in item.childItems() for t in walk(child)]

        return walk(self.item(under))

    def wait_content(self, check=lambda slide: True) -> None:
        def ready():
            self.player.drain()
            assert self.player.content and check(self.value("slide"))

        self.qtbot.waitUntil(ready, timeout=10_000)

    def refresh(self, check=lambda slide: True) -> None:
        version = self.player.content.get("version")
        self.player.link.refresh()

        def fetched():
            self.player.drain()
            assert self.player.content.get("version") != version

        self.qtbot.waitUntil(fetched, timeout=10_000)
        self.tick()

    def tick(self, seconds: float = 0) -> dict:
        self.clock.advance(seconds)
        self.player.tick()
        return self.value("slide")

    def shot(self, name: str) -> QImage:
        self.qtbot.wait(50)
        image = self.window.grabWindow()
        assert image.width() == self.size[0] and image.height() == self.size[1]
        if SHOTS:
            image.save(str(Path(SHOTS) / f"display-{name}-{self.size[0]}x{self.size[1]}.png"))
        return image


def blue_share(image: QImage) -> float:
    """The share of sampled pixels in the zone's blue (the ground of every mode but an emergency)."""
    hits = total = 0
    for y in range(0, image.height(), 24):
        for x in range(0, image.width(), 24):
            total += 1
            hits += image.pixelColor(x, y) == ZONE_BLUE
    return hits / total


@pytest.fixture
def screen(qtbot, kiosk_api, clock, tmp_path):
    made = []

    def make(**kwargs):
        made.append(Screen(qtbot, kiosk_api, clock, tmp_path, **kwargs))
        return made[-1]

    yield make
    for s in made:
        s.close()


def post_notices(api, count: int) -> None:
    for n in range(count):
        api.services.notices.post(
            NoticeDraft(
                f"第{n + 1}号公告：农村低保资金发放公示",
                "经村民代表会议评议、乡镇审核，现将名单公示如下。\n\n公示期七天。",
            )
        )


def playlist(api, entries, **screen_on) -> None:
    body = {"entries": entries} | ({"screen_on": screen_on} if screen_on else {})
    write_json(api.data_dir / "signage" / "playlist.json", body)


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_the_notice_board_rotates_by_the_clock(screen, kiosk_api, size):
    post_notices(kiosk_api, 3)
    playlist(kiosk_api, [{"id": "n", "show": "notices", "seconds": 20}])
    s = screen(size=size)
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    titles = [s.tick()["title"]]
    for _ in range(3):
        titles.append(s.tick(20)["title"])
    assert titles == ["第3号公告：农村低保资金发放公示", "第2号公告：农村低保资金发放公示",
                      "第1号公告：农村低保资金发放公示", "第3号公告：农村低保资金发放公示"]  # fmt: skip
    assert s.tick(19.5)["title"] == titles[0]  # each stays its 20 seconds
    texts = s.texts()
    assert "公示牌" in texts and any(t.startswith("村级　") and "有效期：自" in t for t in texts)
    assert any("公示期七天" in t for t in texts)
    assert blue_share(s.shot("notices")) > 0.5


def test_an_empty_board_shows_the_hall_and_the_time_never_blank(screen, kiosk_api, clock):
    playlist(kiosk_api, [{"id": "n", "show": "notices"}])
    s = screen()
    s.wait_content(lambda slide: slide.get("kind") == "idle")
    assert s.visible("idleView")
    texts = s.texts()
    assert "定州市政务服务中心" in texts and any(t.endswith(" 09:30") and "星期" in t for t in texts)
    assert blue_share(s.shot("empty")) > 0.8


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_the_gazette_shows_its_cover_with_the_toc_then_pages(screen, kiosk_api, size):
    playlist(kiosk_api, [{"id": "g", "show": "gazette", "seconds": 30}])
    s = screen(size=size)
    s.wait_content(lambda slide: slide.get("kind") == "cover")
    cover = s.tick()
    assert cover["title"] == "定州市人民政府公报 2022年第2号" and cover["entries"]
    assert s.visible("coverView") and "电子阅报栏" in s.texts()
    s.shot("gazette-cover")
    slide = cover
    while slide["kind"] == "cover":
        slide = s.tick(30)
    assert slide["kind"] == "page" and slide["paragraphs"] and slide["pageText"].startswith("第 1 / ")
    assert s.visible("pageView")
    s.shot("gazette-page")


def test_dayparts_and_the_screen_schedule(screen, kiosk_api, clock):
    post_notices(kiosk_api, 1)
    playlist(
        kiosk_api,
        [{"id": "n", "show": "notices", "times": ["08:00-12:00"]},
         {"id": "g", "show": "gazette", "times": ["14:00-18:00"]},
         {"id": "p", "show": "notices", "times": ["10:00-10:30"], "priority": 5, "seconds": 60}],
        times=["07:30-18:30"],
    )  # fmt: skip
    s = screen()
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    assert s.player.mode == "公示牌"
    clock.set(time(15, 0))
    assert s.tick()["kind"] == "cover" and s.player.mode == "电子阅报栏"
    clock.set(time(10, 10))
    assert s.tick()["seconds"] == 60  # the higher priority entry plays alone in its window
    clock.set(time(13, 0))
    assert s.tick()["kind"] == "idle"  # nothing planned: the hall and the time
    clock.set(time(19, 0))
    s.tick()
    assert not s.visible("stage") and s.player.mode == "熄屏"
    image = s.shot("off")
    assert image.pixelColor(960, 540) == QColor("black")
    assert s.player.heartbeat_payload()["showing"] == "熄屏"


def test_an_emergency_interrupts_until_it_ends_or_is_withdrawn(screen, kiosk_api, clock):
    post_notices(kiosk_api, 1)
    s = screen()
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    board = Emergencies(kiosk_api.data_dir)
    until = (datetime.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    clock.now = datetime.now()
    notice = board.post(
        "大厅临时停电",
        "今日下午大厅停电检修，急办事项请到二楼便民服务窗口。",
        until.isoformat(),
        now=clock.now,
    )
    s.refresh()
    assert s.visible("emergencyView") and s.player.mode == "紧急通知"
    assert "大厅临时停电" in s.texts("emergencyView")
    s.shot("emergency")
    clock.now = until + timedelta(minutes=1)  # ended: taken down by the display's own clock
    s.tick()
    assert not s.visible("emergencyView") and s.player.mode == "公示牌"
    clock.now = datetime.now()
    s.tick()
    assert s.visible("emergencyView")
    board.withdraw(notice.id)
    s.refresh()
    assert not s.visible("emergencyView")


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_a_call_shows_the_banner_over_whatever_plays(screen, kiosk_api, size):
    post_notices(kiosk_api, 1)
    s = screen(size=size)
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    feed = kiosk_api.runner.feed
    s.qtbot.waitUntil(lambda: feed.clients >= 1, timeout=10_000)
    for number, window in (("A001", 3), ("B002", 5)):
        feed.publish("call", {"number": number, "window": window, "window_name": f"{window}号窗口"})

    def banner():
        s.player.drain()
        assert s.value("banner") == "请 B002 号 到 5 号窗口"

    s.qtbot.waitUntil(banner, timeout=5_000)
    assert s.visible("banner") and s.visible("callsPanel") and s.visible("pageView")
    assert [c["number"] for c in s.value("calls")] == ["B002", "A001"]
    s.shot("call")
    s.tick(BANNER_SECONDS)
    assert not s.visible("banner") and s.visible("callsPanel")


def test_the_kiosk_down_keeps_the_cache_showing_and_it_reconnects(screen, kiosk_api, qtbot, clock):
    post_notices(kiosk_api, 2)
    first = screen()
    first.wait_content(lambda slide: slide.get("kind") == "notice")
    title = first.tick()["title"]
    kiosk_api.stop()
    first.player.link.refresh()
    qtbot.waitUntil(lambda: (first.player.drain(), first.player.online)[1] is False, timeout=10_000)
    assert first.tick()["title"] == title  # nothing changes for residents
    assert "连不上一体机，正在显示缓存的内容" in first.player.heartbeat_payload()["errors"]
    first.close()

    again = screen()  # the display restarted while the kiosk is still down: the cache
    assert again.tick()["title"] == title and not again.visible("idleView")
    kiosk_api.start()
    kiosk_api.services.notices.post(NoticeDraft("恢复连接后的新公告", "内容。"))
    qtbot.waitUntil(
        lambda: (
            (again.player.drain(), again.player.online)[1] and again.tick()["title"] == "恢复连接后的新公告"
        ),
        timeout=15_000,
    )


def test_rotated_90_the_portrait_layout_fills_a_landscape_output(screen, kiosk_api):
    post_notices(kiosk_api, 1)
    s = screen(rotate=90)
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    stage = s.item("stage")
    assert (stage.width(), stage.height(), stage.rotation()) == (1080, 1920, 90)
    assert s.player.layout().width == 1080
    s.shot("rotated")


def test_a_screenshot_on_request_reaches_the_kiosk_bounded(screen, kiosk_api):
    import httpx

    post_notices(kiosk_api, 1)
    s = screen()
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    s.qtbot.waitUntil(lambda: kiosk_api.runner.feed.clients >= 1, timeout=10_000)
    auth = {"Authorization": f"Bearer {read_token(kiosk_api.data_dir)}"}
    httpx.post(
        f"{kiosk_api.url}/api/display/screenshot-request?display=hall-tv", headers=auth
    ).raise_for_status()
    folder = kiosk_api.data_dir / "signage" / "screenshots" / "hall-tv"
    s.qtbot.waitUntil(lambda: (s.player.drain(), any(folder.glob("*.jpg")))[1], timeout=10_000)
    jpeg = QImage(str(next(folder.glob("*.jpg"))))
    assert jpeg.width() == 960 and jpeg.height() == 540
    assert next(folder.glob("*.jpg")).stat().st_size <= 400 * 1024


def test_the_heartbeat_says_what_shows_since_when(screen, kiosk_api, clock):
    post_notices(kiosk_api, 1)
    s = screen()
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    s.player.heartbeat()
    lines = []

    def reported():
        lines[:] = kiosk_api.services.devices.faults()
        assert any(line.startswith("公示屏 hall-tv：正在显示") for line in lines)

    s.qtbot.waitUntil(reported, timeout=10_000)


# 5 m from a 55-inch 16:9 screen (685 mm high, 1080 rows: 0.634 mm a pixel), the usual hall TV
VIEWING_MM, PIXEL_MM = 5000, 685.0 / 1080


def arcmin_px(arcmin: float) -> float:
    """Pixels a character must be high to subtend `arcmin` minutes of arc at the viewing distance."""
    return VIEWING_MM * math.tan(math.radians(arcmin / 60)) / PIXEL_MM


def ink_height(image: QImage, rect) -> int:
    """Rows of light (text) pixels in `rect`: the drawn height of the characters on the blue ground."""
    rows = [
        y
        for y in range(max(0, int(rect.top())), min(image.height(), int(rect.bottom())))
        if any(
            image.pixelColor(x, y).lightness() > 180 for x in range(int(rect.left()), int(rect.right()), 2)
        )
    ]
    return rows[-1] - rows[0] + 1 if rows else 0


def test_text_is_large_enough_to_read_from_5_m(screen, kiosk_api):
    """Measured on the rendered 1920×1080 screen: the first line of each text, in pixels of ink."""
    post_notices(kiosk_api, 1)
    playlist(kiosk_api, [{"id": "n", "show": "notices"}])
    s = screen()
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    image = s.shot("legibility")
    measured = {}

    def walk(item):
        if not item.isVisible():
            return
        if item.inherits("QQuickText") and item.property("text"):
            font = item.property("font")
            first_line = QRectF(0, 0, item.width(), QFontMetricsF(font).height())
            measured[item.property("text")[:12]] = (
                font.pixelSize(),
                ink_height(image, item.mapRectToScene(first_line)),
            )
        for child in item.childItems():
            walk(child)

    walk(s.item("stage"))
    smallest = min(ink for _, ink in measured.values())
    body = min(ink for px, ink in measured.values() if px == 60)
    print(f"ink heights (px): {measured}; 16′ = {arcmin_px(16):.1f} px, 20′ = {arcmin_px(20):.1f} px")
    assert smallest >= arcmin_px(16), measured  # ISO 9241-303's least for any character
    assert body >= arcmin_px(20), measured  # its recommended size for reading


def test_a_video_that_cannot_play_is_skipped_and_reported(screen, kiosk_api):
    notice = kiosk_api.services.notices.post(NoticeDraft("防汛宣传片", "请观看。"))
    store = kiosk_api.services.library.store
    clip = store.add_attachment(b"\x00\x00\x00\x18ftypmp42" + b"\x13\x37" * 4000, "video/mp4")
    store.link_attachment(notice.id, clip.sha256, name="fangxun.mp4")
    kiosk_api.services.library.changed("notice")
    playlist(kiosk_api, [{"id": "n", "show": "notices", "seconds": 30}])
    s = screen()
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    assert s.tick(30)["kind"] == "video"

    def skipped():
        assert s.player.failed and s.value("slide")["kind"] == "notice"

    s.qtbot.waitUntil(skipped, timeout=10_000)
    assert any(e.startswith("视频无法播放，已跳过") for e in s.player.heartbeat_payload()["errors"])
    assert all(slide["kind"] != "video" for _, slide in s.player.rotation.items)


def test_a_display_started_before_the_kiosk_wrote_its_token_uses_it_once_written(screen, kiosk_api, caplog):
    token_path(kiosk_api.data_dir).unlink()  # as if the display started first
    post_notices(kiosk_api, 1)
    s = screen()
    s.wait_content(lambda slide: slide.get("kind") == "notice")
    s.player.heartbeat()
    s.qtbot.waitUntil(lambda: "refuses this display's heartbeat (401)" in caplog.text, timeout=10_000)
    assert "hall-tv" not in kiosk_api.services.signage_desk.displays.all()
    kiosk_api.services.signage_desk.tokens.ensure_local()  # the kiosk starts: its token file appears
    s.player.heartbeat()
    s.qtbot.waitUntil(lambda: "hall-tv" in kiosk_api.services.signage_desk.displays.all(), timeout=10_000)
