"""The routes the display reads, on the real API over a real library (`kiosk/api/display_routes.py`)."""

from __future__ import annotations

import json
from datetime import date

import httpx

from kiosk.api.display_routes import visible_levels
from kiosk.notices import NoticeDraft
from kiosk.signage.files import write_json


def test_the_content_holds_notices_the_latest_issue_and_the_playlist(kiosk_api):
    kiosk_api.services.notices.post(
        NoticeDraft("村委会换届选举公告", "选举定于本月十日举行。\n\n请村民按时参加。")
    )
    body = httpx.get(f"{kiosk_api.url}/api/display/content").json()
    assert body["hall"] == "定州市政务服务中心" and len(body["version"]) == 16
    assert [n["title"] for n in body["notices"]] == ["村委会换届选举公告"]
    assert body["notices"][0]["paragraphs"] == ["选举定于本月十日举行。", "请村民按时参加。"]
    gazette = body["gazette"]
    assert gazette["title"] == "定州市人民政府公报 2022年第2号" and len(gazette["toc"]) >= 30
    assert len(gazette["pages"]) == 30 and {p["kind"] for p in gazette["pages"]} == {
        "document",
        "interpretation",
    }
    assert [e["show"] for e in body["playlist"]["entries"]] == ["notices", "gazette"]
    again = httpx.get(f"{kiosk_api.url}/api/display/content").json()
    assert again["version"] == body["version"]


def test_the_playlist_file_is_served_and_a_broken_one_plays_the_default(kiosk_api, caplog):
    path = kiosk_api.data_dir / "signage" / "playlist.json"
    write_json(path, {"entries": [{"id": "n", "show": "notices", "seconds": 15, "times": ["08:00-12:00"]}]})
    entries = httpx.get(f"{kiosk_api.url}/api/display/content").json()["playlist"]["entries"]
    assert entries[0]["times"] == ["08:00-12:00"] and entries[0]["seconds"] == 15
    path.write_text(json.dumps({"entries": [{"id": "n", "show": "radio"}]}), encoding="utf-8")
    entries = httpx.get(f"{kiosk_api.url}/api/display/content").json()["playlist"]["entries"]
    assert [e["id"] for e in entries] == ["notices", "gazette"]
    assert "playing the default" in caplog.text


def test_notice_levels_follow_the_tier():
    assert visible_levels("乡镇") == {"省", "市", "县", "乡镇"}
    assert visible_levels("村") == {"省", "市", "县", "乡镇", "村"}


def test_heartbeats_screenshots_and_requests(kiosk_api):
    url = kiosk_api.url
    beat = {"display": "hall-tv", "showing": "公示牌", "since": f"{date.today()}T08:00", "errors": []}
    assert httpx.post(f"{url}/api/display/heartbeat", json=beat).json() == {"ok": True, "screenshot": False}
    assert httpx.post(f"{url}/api/display/screenshot-request?display=hall-tv").status_code == 200
    assert httpx.post(f"{url}/api/display/heartbeat", json=beat).json()["screenshot"] is True
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9"
    assert httpx.post(f"{url}/api/display/screenshot?display=hall-tv", content=jpeg).status_code == 200
    assert httpx.post(f"{url}/api/display/heartbeat", json=beat).json()["screenshot"] is False
    bad = httpx.post(f"{url}/api/display/heartbeat", content=b"{not json")
    assert bad.status_code == 400 and bad.json()["message"] == "请求内容不是有效的 JSON"
    assert (
        httpx.post(f"{url}/api/display/heartbeat", json={"display": "x"}).json()["message"] == "心跳内容有误"
    )
    assert httpx.post(f"{url}/api/display/screenshot?display=hall-tv", content=b"GIF89a").status_code == 400
    assert (
        httpx.post(f"{url}/api/display/screenshot?display=hall-tv", content=b"\xff" * 500_000).status_code
        == 413
    )
    lines = kiosk_api.services.devices.faults()
    assert any(line.startswith("公示屏 hall-tv：正在显示 公示牌") for line in lines)


def test_playlist_items_and_their_media_are_served(kiosk_api):
    store = kiosk_api.services.library.store
    doc = store.items("document", limit=1)[0]
    picture = store.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")
    store.link_attachment(doc.id, picture.sha256, name="map.png")
    write_json(
        kiosk_api.data_dir / "signage" / "playlist.json",
        {
            "entries": [
                {"id": "a", "show": "item", "item": doc.id},
                {"id": "b", "show": "item", "item": "gone"},
            ]
        },
    )
    body = httpx.get(f"{kiosk_api.url}/api/display/content").json()
    assert body["items"]["gone"] is None and body["items"][doc.id]["images"] == [picture.sha256]
    media = httpx.get(f"{kiosk_api.url}/api/display/media/{doc.id}/{picture.sha256}")
    assert media.status_code == 200 and media.headers["content-type"] == "image/png"
    assert httpx.get(f"{kiosk_api.url}/api/display/media/other/{picture.sha256}").status_code == 404
