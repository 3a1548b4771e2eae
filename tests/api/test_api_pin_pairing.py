"""窗口号 + 密码 pairing over the real API on loopback: the right PIN sets the window's cookie, wrong ones
say the tries left, the fifth locks that window's PIN pairing with the minutes left (423), logged with the
window and never the PIN; a foreign origin and bad bodies are refused."""

from __future__ import annotations

import logging

import httpx
import pytest

from kiosk.api.window_auth import COOKIE


def pair_pin(kiosk, body, **kwargs) -> httpx.Response:
    return httpx.post(f"{kiosk.url}/api/pair-pin", json=body, timeout=10, **kwargs)


@pytest.fixture
def pinned(kiosk):
    kiosk.queue.set_window_pin(1, "246810")
    return kiosk


def test_the_right_pin_sets_the_windows_cookie(pinned):
    reply = pair_pin(pinned, {"window": 1, "pin": "246810"})
    assert reply.status_code == 200 and reply.json() == {"window": 1, "name": "1号窗口", "url": "/w/1"}
    assert "HttpOnly" in reply.headers["set-cookie"] and "SameSite=strict" in reply.headers["set-cookie"]
    me = httpx.get(f"{pinned.url}/api/me", cookies={COOKIE: reply.cookies[COOKIE]}, timeout=10)
    assert me.json()["window"] == 1


def test_five_wrong_pins_lock_that_window_with_the_minutes_left(pinned, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.api")
    for left in (4, 3, 2, 1):
        reply = pair_pin(pinned, {"window": 1, "pin": "135790"})
        assert (reply.status_code, reply.json()["code"]) == (403, "wrong_pin")
        assert f"还可以再试 {left} 次" in reply.json()["message"]
        assert COOKIE not in reply.cookies
    locked = pair_pin(pinned, {"window": 1, "pin": "135790"})
    assert locked.status_code == 423 and "请 5 分钟后再试" in locked.json()["message"]
    right_but_locked = pair_pin(pinned, {"window": 1, "pin": "246810"})
    assert right_but_locked.status_code == 423 and COOKIE not in right_but_locked.cookies
    lockouts = [r for r in caplog.records if "PIN pairing locked" in r.getMessage()]
    assert lockouts and all(r.levelno == logging.WARNING and r.fields["window"] == 1 for r in lockouts)
    assert not any("135790" in r.getMessage() or "246810" in r.getMessage() for r in caplog.records)
    # another window's PIN pairing is not locked
    pinned.queue.set_window_pin(2, "11223344")
    assert pair_pin(pinned, {"window": 2, "pin": "11223344"}).status_code == 200
    assert pinned.queue.window_pin_states()[0].locked_seconds > 0


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"window": 2, "pin": "246810"}, 404, "没有设置配对密码"),
        ({"window": 9, "pin": "246810"}, 404, "9"),
        ({"window": "1", "pin": "246810"}, 400, "window"),
        ({"window": 1}, 400, "pin"),
        ({"window": 1, "pin": "1" * 40}, 400, "pin"),
    ],
)
def test_bad_requests_say_why_and_count_nothing(pinned, body, status, words):
    reply = pair_pin(pinned, body)
    assert reply.status_code == status and words in reply.json()["message"]
    after = pair_pin(pinned, {"window": 1, "pin": "000000"}).json()["message"]
    assert after.startswith("密码错误，还可以再试 4 次")


def test_a_foreign_page_cannot_pair(pinned):
    reply = pair_pin(pinned, {"window": 1, "pin": "246810"}, headers={"Origin": "http://evil.example"})
    assert reply.status_code == 403 and COOKIE not in reply.cookies


def test_a_paired_device_is_named_by_its_user_agent_and_can_be_revoked_alone(pinned):
    agent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126 Mobile"
    phone = pair_pin(pinned, {"window": 1, "pin": "246810"}, headers={"User-Agent": agent})
    offer = pinned.services.pairing.offer(1)
    counter = httpx.post(f"{pinned.url}/api/pair", json={"code": offer.code}, timeout=10)
    devices = pinned.queue.paired_devices()
    assert [d.label for d in devices] == [agent[:40], f"python-httpx/{httpx.__version__}"]
    pinned.queue.revoke_device(devices[0].id)
    for reply, status in ((phone, 401), (counter, 200)):
        me = httpx.get(f"{pinned.url}/api/me", cookies={COOKIE: reply.cookies[COOKIE]}, timeout=10)
        assert me.status_code == status
