"""The displays' screenshots travel to the city: `city fleet screenshot KIOSK` publishes a request in the
channel, the kiosk answers it after its next sync with each display's newest screenshot (downscaled to
200 kB) through its outbox, once per request, and the city keeps the newest per display, without the image
in `records` (on SQLite and PostgreSQL, the real city server on loopback). Staff send one the same way;
a record that is not a JPEG, or too big, is refused with a 422 reason and nothing is kept."""

from __future__ import annotations

import base64
import io
import json
import random
import sys
import uuid
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from city_server import background
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))
from channel_kit import make_city  # noqa: E402

from city import cli as city_cli  # noqa: E402
from city import fleet, screenshots  # noqa: E402
from city.server import create_app  # noqa: E402
from content.outbox import Outbox  # noqa: E402
from content.record_schema import DISPLAY_SCREENSHOT_BYTES, RecordInvalid, check_payload  # noqa: E402
from kiosk import enrolment  # noqa: E402
from kiosk.config import defaults  # noqa: E402
from kiosk.health import DeviceHealth  # noqa: E402
from kiosk.services import build  # noqa: E402
from kiosk.signage.city_screenshots import ScreenshotNotSent, downscaled  # noqa: E402
from kiosk.signage.status import Displays  # noqa: E402

KIOSK = "xian-07"


def noise_jpeg(quality: int, size: tuple[int, int] = (960, 540)) -> bytes:
    image = Image.frombytes("RGB", size, random.Random(quality).randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.fixture
def hall(tmp_path, monkeypatch):
    """The city on loopback, an enrolled kiosk's services, and two displays that reported, one with two
    screenshots kept (the newest larger than 200 kB) and one with none."""
    monkeypatch.setattr(DeviceHealth, "faults", lambda self: [])
    city = make_city(tmp_path / "city")
    with background(create_app(city)) as url:
        document = fleet.enrol(city, KIOSK, channel_url=url + "/channel/", upload_url=url + "/v1/outbox")
        data_dir = tmp_path / "kiosk"
        data_dir.mkdir()
        (tmp_path / "enrol.json").write_text(json.dumps(document), encoding="utf-8")
        enrolment.install(tmp_path / "enrol.json", data_dir)
        services = build(defaults().with_values(sync__retries=0), data_dir, bundled=False)
        services.library.open()
        displays = Displays(data_dir)
        for name in ("hall", "lobby"):
            beat = {"display": name, "showing": "公示牌", "since": "2026-12-04T08:00", "size": "1920x1080"}
            displays.beat(beat, datetime.now())
        displays.save_screenshot("hall", noise_jpeg(20), datetime(2026, 12, 4, 9, 0))
        displays.save_screenshot("hall", noise_jpeg(60), datetime(2026, 12, 4, 9, 30))
        try:
            yield city, services, url
        finally:
            services.close()


def kept(city) -> list[tuple]:
    conn = city.db()
    try:
        return conn.execute(
            "SELECT kiosk_id, display, taken_at, request, bytes, jpeg FROM display_screenshots"
        ).fetchall()
    finally:
        conn.close()


def pending_kinds(services) -> list[str]:
    return [row.kind for row in Outbox(services.library.store).due(100)]


def test_a_city_request_is_answered_after_the_next_sync_once_and_kept_as_the_newest(hall, capsys):
    city, services, _ = hall
    assert city_cli.main(["--home", str(city.path), "fleet", "screenshot", KIOSK]) == 0
    assert "已请求一体机 xian-07 的公示屏截图" in capsys.readouterr().out
    request = json.loads((city.path / "display_requests" / f"{KIOSK}.json").read_text())["request"]

    services.sync.now()  # pulls the request; the answer waits in the outbox for the next push
    assert pending_kinds(services) == ["display_screenshot"]
    services.sync.now()
    assert pending_kinds(services) == []
    [(kiosk, display, taken_at, req, size, jpeg)] = kept(city)
    image = base64.b64decode(jpeg)
    assert (kiosk, display, req) == (KIOSK, "hall", request)
    assert (
        datetime.fromisoformat(taken_at.replace("Z", "+00:00")) == datetime(2026, 12, 4, 9, 30).astimezone()
    )
    assert size == len(image) <= DISPLAY_SCREENSHOT_BYTES < len(noise_jpeg(60))  # downscaled to fit
    assert Image.open(io.BytesIO(image)).format == "JPEG"
    conn = city.db()
    try:
        [(payload,)] = conn.execute(
            "SELECT payload FROM records WHERE kind = 'display_screenshot'"
        ).fetchall()
        assert screenshots.image(conn, KIOSK, "hall") == image
        assert [s.display for s in screenshots.of_kiosk(conn, KIOSK)] == ["hall"]
    finally:
        conn.close()
    assert json.loads(payload) == {"display": "hall", "taken_at": taken_at, "request": request}  # no image

    services.sync.now()  # the same request again: not answered twice
    assert pending_kinds(services) == []
    screenshots.request(city, KIOSK)
    services.sync.now()
    assert pending_kinds(services) == ["display_screenshot"]


def test_staff_send_the_newest_screenshots_and_are_told_when_there_are_none(hall, tmp_path):
    city, services, _ = hall
    assert "已将 1 块公示屏的最新截图放入待上传记录" in services.signage_desk.send_screenshots()
    services.sync.now()
    [(_, display, _, request, _, _)] = kept(city)
    assert (display, request) == ("hall", "")
    for folder in (services.data_dir / "signage" / "screenshots").iterdir():
        for shot in folder.iterdir():
            shot.unlink()
    with pytest.raises(ScreenshotNotSent) as refused:
        services.signage_desk.send_screenshots()
    assert refused.value.zh == "还没有公示屏截图可以上传"


def test_an_older_screenshot_arriving_late_does_not_replace_the_newer(hall):
    city, services, _ = hall
    services.signage_desk.send_screenshots()
    services.sync.now()
    [newest] = kept(city)
    conn = city.db()
    try:
        with conn.transaction():
            older = {"display": "hall", "taken_at": "2020-01-01T00:00:00Z", "jpeg": newest[5]}
            record = fleet.Record("display_screenshot", "2020-01-01T00:00:00Z", older, 1)
            fleet.store_record(conn, KIOSK, str(uuid.uuid4()), record, "x")
    finally:
        conn.close()
    assert kept(city) == [newest]


def test_the_city_refuses_what_is_not_a_whole_jpeg_or_too_big_with_a_reason(hall):
    city, _, url = hall
    token_kiosk = fleet.enrol(city, "xian-08", channel_url="x", upload_url="x", credential="token")
    token = token_kiosk["credential"]["token"]
    big = noise_jpeg(60)  # 247 kB: within the upload limit, over the record's
    cases = {
        "PNG": base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 100).decode(),
        "half a JPEG": base64.b64encode(noise_jpeg(20)[:5000]).decode(),
        "not base64": "ÿØÿ" * 10,
        "too big": base64.b64encode(big).decode(),
        "a number": 7,
    }
    with httpx.Client(base_url=url) as http:
        for name, jpeg in cases.items():
            payload = {"display": "hall", "taken_at": "2026-12-04T01:00:00Z", "jpeg": jpeg}
            body = json.dumps(
                {"kind": "display_screenshot", "created_at": "2026-12-04T01:00:00Z", "payload": payload}
            )
            response = http.post(
                "/v1/outbox",
                content=body.encode(),
                headers={
                    "Idempotency-Key": str(uuid.uuid4()),
                    "X-Kiosk-Id": "xian-08",
                    "Authorization": f"Bearer {token}",
                },
            )
            assert response.status_code == 422, (name, response.text)
            assert "payload.jpeg" in response.json()["error"] and "记录字段" in response.json()["error_zh"], (
                name
            )
            with pytest.raises(RecordInvalid):  # the kiosk's outbox refuses it the same way
                check_payload("display_screenshot", payload)
    assert len(big) > DISPLAY_SCREENSHOT_BYTES and kept(city) == []


def test_downscaled_refuses_what_is_not_a_jpeg():
    with pytest.raises(ValueError):
        downscaled(b"\x89PNG" + bytes(300_000))
    small = noise_jpeg(20)
    assert downscaled(small) is small


def test_a_request_for_an_unknown_kiosk_is_refused_in_chinese(hall, capsys):
    city, _, _ = hall
    assert city_cli.main(["--home", str(city.path), "fleet", "screenshot", "nobody"]) == 2
    assert "没有已登记的一体机 nobody" in capsys.readouterr().err
