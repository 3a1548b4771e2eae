"""The routes the display reads, on the real API over a real library (`kiosk/api/display_routes.py`)."""

from __future__ import annotations

import json
import stat
from datetime import date

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.api.display_routes import visible_levels
from kiosk.notices import NoticeDraft
from kiosk.signage.files import write_json
from kiosk.signage.status import Displays
from kiosk.signage.tokens import ANY, DisplayTokens, read_token


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
    http = httpx.Client(headers={"Authorization": f"Bearer {read_token(kiosk_api.data_dir)}"})
    beat = {"display": "hall-tv", "showing": "公示牌", "since": f"{date.today()}T08:00", "errors": []}
    assert http.post(f"{url}/api/display/heartbeat", json=beat).json() == {"ok": True, "screenshot": False}
    assert http.post(f"{url}/api/display/screenshot-request?display=hall-tv").status_code == 200
    assert http.post(f"{url}/api/display/heartbeat", json=beat).json()["screenshot"] is True
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9"
    assert http.post(f"{url}/api/display/screenshot?display=hall-tv", content=jpeg).status_code == 200
    assert http.post(f"{url}/api/display/heartbeat", json=beat).json()["screenshot"] is False
    bad = http.post(f"{url}/api/display/heartbeat", content=b"{not json")
    assert bad.status_code == 400 and bad.json()["message"] == "请求内容不是有效的 JSON"
    assert (
        http.post(f"{url}/api/display/heartbeat", json={"display": "x"}).json()["message"] == "心跳内容有误"
    )
    assert http.post(f"{url}/api/display/screenshot?display=hall-tv", content=b"GIF89a").status_code == 400
    assert (
        http.post(f"{url}/api/display/screenshot?display=hall-tv", content=b"\xff" * 500_000).status_code
        == 413
    )
    lines = kiosk_api.services.devices.faults()
    assert any(line.startswith("公示屏 hall-tv：正在显示 公示牌") for line in lines)


def test_reports_need_a_display_token_and_reads_stay_open(kiosk_api):
    url = kiosk_api.url
    token_file = kiosk_api.data_dir / "signage" / "display.token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600  # the kiosk's user only
    beat = {"display": "hall-tv", "showing": "公示牌", "since": f"{date.today()}T08:00"}
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9"
    for headers in ({}, {"Authorization": "Bearer forged"}, {"Authorization": "Basic x"}):
        refused = [
            httpx.post(f"{url}/api/display/heartbeat", json=beat, headers=headers),
            httpx.post(f"{url}/api/display/screenshot?display=hall-tv", content=jpeg, headers=headers),
            httpx.post(f"{url}/api/display/screenshot-request?display=hall-tv", headers=headers),
        ]
        assert [r.status_code for r in refused] == [401, 401, 401], headers
        assert refused[0].json()["message"] == "请先在工作人员模式“公示屏”页面配对本公示屏"
    assert (
        Displays(kiosk_api.data_dir).all() == {}
        and not (kiosk_api.data_dir / "signage" / "screenshots").exists()
    )
    assert httpx.get(f"{url}/api/display/content").status_code == 200  # what the hall shows anyway


def test_a_display_on_another_pc_pairs_once_with_a_code_from_staff_mode(kiosk_api, tmp_path):
    url, desk = kiosk_api.url, kiosk_api.services.signage_desk
    offer = desk.pairing_code()
    assert offer["command"] == f"kiosk display --pair {offer['code']} --api http://127.0.0.1:8470"
    assert offer["minutes"] == "10" and "api.listen" in offer["note"]  # 127.0.0.1: not for another PC
    paired = httpx.post(f"{url}/api/display/pair", json={"code": offer["code"], "display": "lobby"})
    assert paired.status_code == 200 and paired.json()["display"] == "lobby"
    again = httpx.post(f"{url}/api/display/pair", json={"code": offer["code"], "display": "lobby"})
    assert (
        again.status_code == 403
        and again.json()["message"] == "配对码无效或已过期，请在工作人员模式中重新获取"
    )
    lobby = {"Authorization": f"Bearer {paired.json()['token']}"}
    beat = {"display": "lobby", "showing": "公示牌", "since": f"{date.today()}T08:00"}
    assert httpx.post(f"{url}/api/display/heartbeat", json=beat, headers=lobby).status_code == 200
    other = httpx.post(f"{url}/api/display/heartbeat", json={**beat, "display": "hall-tv"}, headers=lobby)
    assert other.status_code == 403 and "本设备配对的是公示屏 lobby" in other.json()["message"]
    assert sorted(Displays(kiosk_api.data_dir).all()) == ["lobby"]
    stored = (kiosk_api.data_dir / "signage" / "display_tokens.json").read_text()
    assert paired.json()["token"] not in stored and offer["code"] not in stored  # only digests kept
    for body in ({"code": "nope", "display": "x"}, {"code": 7, "display": "x"}, {"display": "x"}):
        assert httpx.post(f"{url}/api/display/pair", json=body).status_code == 403
    for body in ({"code": "c", "display": "../x"}, {"code": "c"}, []):
        assert httpx.post(f"{url}/api/display/pair", json=body).status_code == 400


def test_a_pairing_code_expires_after_ten_minutes(tmp_path):
    now = [0.0]
    tokens = DisplayTokens(tmp_path, clock=lambda: now[0])
    code, ttl = tokens.offer()
    now[0] += ttl
    assert tokens.pair(code, "lobby") is None
    code, _ = tokens.offer()
    token = tokens.pair(code, "lobby")
    assert token and tokens.display_of(token) == "lobby" and tokens.display_of("x" + token) is None
    local = tokens.ensure_local()
    assert tokens.display_of(read_token(tmp_path)) == ANY and tokens.display_of(token) == "lobby"
    local.write_text("stale\n")  # a token file the kiosk no longer accepts is made again
    tokens.ensure_local()
    assert tokens.display_of(read_token(tmp_path)) == ANY


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


@given(
    header=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80).map(str.strip),
    body=st.binary(max_size=200)
    | st.fixed_dictionaries(
        {}, optional={"code": st.text() | st.integers(), "display": st.text() | st.none()}
    ).map(lambda v: json.dumps(v).encode()),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_authorization_header_or_pairing_body_is_refused_never_a_500(kiosk_api, header, body):
    url = kiosk_api.url
    beat = {"display": "hall-tv", "showing": "公示牌", "since": f"{date.today()}T08:00"}
    assert (
        httpx.post(f"{url}/api/display/heartbeat", json=beat, headers={"Authorization": header}).status_code
        == 401
    )
    assert httpx.post(f"{url}/api/display/pair", content=body).status_code in (400, 403)
