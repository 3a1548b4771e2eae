"""The calling API over a real queue.db: per-window tokens, pairing, CSRF, rate limits, refusals in
Chinese, actions logged with the window, the feed's call events, and the ticket's status page."""

from __future__ import annotations

import itertools
import json
import logging

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sse import SseClient

from kiosk.api import limits
from kiosk.api.queue_routes import ACTIONS_BURST, ATTEMPTS_BURST
from kiosk.api.window_auth import COOKIE


def post(kiosk, path: str, body=None, **kwargs) -> httpx.Response:
    return httpx.post(f"{kiosk.url}{path}", json=body if body is not None else {}, timeout=10, **kwargs)


def get(kiosk, path: str, **kwargs) -> httpx.Response:
    return httpx.get(f"{kiosk.url}{path}", timeout=10, **kwargs)


def test_without_a_token_every_window_route_is_401_in_chinese(kiosk):
    for reply in (
        get(kiosk, "/api/windows/1"),
        post(kiosk, "/api/windows/1/call-next"),
        get(kiosk, "/api/me"),
        post(kiosk, "/api/windows/1/call-next", headers={"Authorization": "Bearer not-a-token"}),
        post(kiosk, "/api/windows/1/call-next", headers={"Authorization": "Basic dXNlcjpwYXNz"}),
        post(kiosk, "/api/windows/1/call-next", cookies={COOKIE: "forged"}),
    ):
        assert reply.status_code == 401
        assert "配对" in reply.json()["message"]
        assert reply.headers["www-authenticate"].startswith("Bearer")
    assert kiosk.queue.snapshot().windows[0].current is None


def test_a_window_calls_recalls_starts_finishes_and_rates_its_own_ticket(kiosk, caplog):
    first = kiosk.queue.take("shebao")
    kiosk.queue.take("shebao")
    auth = kiosk.bearer(1)
    with caplog.at_level(logging.INFO, logger="kiosk.api"):
        called = post(kiosk, "/api/windows/1/call-next", headers=auth)
        assert called.status_code == 200, called.text
        assert called.json()["message"] == "已呼叫 A001 号"
        assert called.json()["ticket"]["number"] == "A001"
        assert called.json()["state"]["current"]["status"] == "called"
        assert called.json()["state"]["waiting"] == 1
        recalled = post(kiosk, "/api/windows/1/recall", headers=auth).json()
        assert recalled["message"] == "已重呼 A001 号" and recalled["ticket"]["calls"] == 2
        assert post(kiosk, "/api/windows/1/start", headers=auth).json()["ticket"]["status"] == "serving"
        finished = post(kiosk, "/api/windows/1/finish", headers=auth).json()
        assert finished["ticket"]["status"] == "done" and finished["state"]["current"] is None
        rated = post(kiosk, "/api/windows/1/rate", {"ticket": first.id, "level": 5}, headers=auth)
        assert rated.status_code == 200 and rated.json()["ticket"]["rating"] == 5
    assert kiosk.queue.ticket(first.id).rating == 5
    actions = [r.fields for r in caplog.records if getattr(r, "fields", None) and "action" in r.fields]
    assert [f["action"] for f in actions] == ["call-next", "recall", "start", "finish", "rate"]
    assert all(f["window"] == 1 for f in actions)
    assert actions[0]["number"] == "A001"


def test_another_windows_token_cannot_act_on_the_first_windows_ticket(kiosk):
    ticket = kiosk.queue.take("shebao")
    post(kiosk, "/api/windows/1/call-next", headers=kiosk.bearer(1))
    other = kiosk.bearer(2)
    for action in ("recall", "finish", "hold", "no-show", "call-next"):
        reply = post(kiosk, f"/api/windows/1/{action}", headers=other)
        assert reply.status_code == 403
        assert reply.json()["message"] == "本设备已配对 2 号窗口，不能操作 1 号窗口"
    assert get(kiosk, "/api/windows/1", headers=other).status_code == 403
    post(kiosk, "/api/windows/1/hold", headers=kiosk.bearer(1))
    # on its own path, window 2 still cannot touch window 1's held ticket: the queue refuses it
    for action, body in (("resume", {"ticket": ticket.id}), ("cancel", {"ticket": ticket.id})):
        reply = post(kiosk, f"/api/windows/2/{action}", body, headers=other)
        assert reply.status_code == 403, reply.text
        assert reply.json()["code"] == "not_your_ticket"
    assert kiosk.queue.ticket(ticket.id).status == "held"


@pytest.mark.parametrize(
    ("action", "body", "status", "code"),
    [
        ("recall", {}, 409, "no_ticket"),
        ("call", {"number": "A099"}, 404, "unknown_ticket"),
        ("rate", {"ticket": 999999, "level": 5}, 404, None),
        ("transfer", {}, 409, "no_ticket"),
        ("call", {}, 400, None),
        ("rate", {"ticket": "1", "level": 5}, 400, None),
        ("rate", {"ticket": True, "level": 5}, 400, None),
        ("no-such-action", {}, 404, None),
    ],
)
def test_refusals_say_why_in_chinese_and_change_nothing(kiosk, action, body, status, code):
    before = kiosk.queue.transitions()
    reply = post(kiosk, f"/api/windows/1/{action}", body, headers=kiosk.bearer(1))
    assert reply.status_code == status, reply.text
    message = reply.json()["message"]
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    if code:
        assert reply.json()["code"] == code
    assert [t for t in kiosk.queue.transitions() if t["action"] != "token_issued"] == [
        t for t in before if t["action"] != "token_issued"
    ]


@pytest.mark.parametrize(
    ("content", "status"), [(b"{not json", 400), (b"[1, 2]", 400), (b'{"x": "' + b"a" * 5000 + b'"}', 413)]
)
def test_bodies_that_are_not_a_small_json_object_are_refused(kiosk, content, status):
    reply = httpx.post(
        f"{kiosk.url}/api/windows/1/call-next", content=content, headers=kiosk.bearer(1), timeout=10
    )
    assert reply.status_code == status
    assert reply.json()["message"]


def test_pairing_gives_a_cookie_once_and_the_cookie_needs_the_pages_csrf_token(kiosk):
    offer = kiosk.services.pairing.offer(1)
    assert offer.url.endswith(f"/pair/{offer.code}")
    assert get(kiosk, f"/api/pair/{offer.code}").json() == {"window": 1, "name": "1号窗口"}
    paired = post(kiosk, "/api/pair", {"code": offer.code})
    assert paired.status_code == 200 and paired.json()["url"] == "/w/1"
    cookie = paired.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    again = post(kiosk, "/api/pair", {"code": offer.code})
    assert again.status_code == 404 and "配对码无效或已过期" in again.json()["message"]

    token = paired.cookies[COOKIE]
    cookies = {COOKIE: token}
    assert get(kiosk, "/api/me", cookies=cookies).json()["window"] == 1
    state = get(kiosk, "/api/windows/1", cookies=cookies).json()
    kiosk.queue.take("shebao")
    no_csrf = post(kiosk, "/api/windows/1/call-next", cookies=cookies)
    assert no_csrf.status_code == 403 and "刷新" in no_csrf.json()["message"]
    foreign = post(
        kiosk,
        "/api/windows/1/call-next",
        cookies=cookies,
        headers={"X-CSRF-Token": state["csrf"], "Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403 and "不是来自本机" in foreign.json()["message"]
    cross_site = post(
        kiosk,
        "/api/windows/1/call-next",
        cookies=cookies,
        headers={"X-CSRF-Token": state["csrf"], "Sec-Fetch-Site": "cross-site"},
    )
    assert cross_site.status_code == 403
    assert kiosk.queue.snapshot().windows[0].current is None
    ok = post(
        kiosk,
        "/api/windows/1/call-next",
        cookies=cookies,
        headers={"X-CSRF-Token": state["csrf"], "Origin": kiosk.url, "Sec-Fetch-Site": "same-origin"},
    )
    assert ok.status_code == 200 and ok.json()["ticket"]["number"] == "A001"


def test_a_pairing_code_expires_and_a_made_up_one_is_refused(kiosk):
    pairing = kiosk.services.pairing
    offer = pairing.offer(2)
    real_clock = pairing.clock
    pairing.clock = lambda: real_clock() + 601
    try:
        assert post(kiosk, "/api/pair", {"code": offer.code}).status_code == 404
    finally:
        pairing.clock = real_clock
    assert get(kiosk, "/api/pair/made-up-code").status_code == 404
    assert post(kiosk, "/api/pair", {"code": "made-up-code"}).status_code == 404


def test_a_window_that_acts_too_fast_is_slowed_down(kiosk, monkeypatch):
    monkeypatch.setattr(limits, "now", lambda: 1000.0)  # no token comes back while the test runs
    auth = kiosk.bearer(1)
    replies = [post(kiosk, "/api/windows/1/recall", headers=auth) for _ in range(ACTIONS_BURST + 5)]
    assert [r.status_code for r in replies[:ACTIONS_BURST]] == [409] * ACTIONS_BURST
    limited = replies[-1]
    assert limited.status_code == 429
    assert limited.json()["message"] == "操作过于频繁，请稍后再试"
    assert int(limited.headers["retry-after"]) >= 1
    # another window is not slowed by it
    assert post(kiosk, "/api/windows/2/recall", headers=kiosk.bearer(2)).status_code == 409


def test_guessing_tokens_is_slowed_down_per_client(kiosk, monkeypatch):
    monkeypatch.setattr(limits, "now", lambda: 1000.0)
    statuses = [
        post(kiosk, "/api/windows/1/call-next", headers={"Authorization": f"Bearer guess{n}"}).status_code
        for n in range(40)
    ]
    assert statuses[:ATTEMPTS_BURST] == [401] * ATTEMPTS_BURST
    assert set(statuses[ATTEMPTS_BURST:]) == {429}


def test_calls_reach_a_feed_client_as_call_and_queue_events(kiosk):
    kiosk.queue.take("shebao")
    client = SseClient(f"{kiosk.url}/api/feed")
    try:
        post(kiosk, "/api/windows/2/call-next", headers=kiosk.bearer(2))
        events = {}

        def window_two_shows_it() -> bool:
            return "queue" in events and events["queue"]["windows"][1]["current"] == "A001"

        while "call" not in events or not window_two_shows_it():
            event = client.next()
            events[event.type] = json.loads(event.data)
        call = events["call"]
        assert (call["number"], call["window"], call["window_name"], call["recall"]) == (
            "A001",
            2,
            "2号窗口",
            False,
        )
        assert call["service_name"] == "社保医保"
        assert events["queue"]["last_calls"][0]["number"] == "A001"
        post(kiosk, "/api/windows/2/recall", headers=kiosk.bearer(2))
        event = client.next()
        while event.type != "call":
            event = client.next()
        assert json.loads(event.data)["recall"] is True
    finally:
        client.close()


def test_the_ticket_status_page_says_where_the_ticket_is(kiosk):
    first = kiosk.queue.take("shebao")
    second = kiosk.queue.take("shebao")
    page = get(kiosk, f"/t/{second.code}")
    assert page.status_code == 200
    assert "A002" in page.text and "等候中" in page.text and "前面还有 <b>1</b> 人" in page.text
    assert get(kiosk, f"/api/tickets/{second.code}").json()["ahead"] == 1
    post(kiosk, "/api/windows/2/call-next", headers=kiosk.bearer(2))
    called = get(kiosk, f"/t/{first.code}").text
    assert "已叫号" in called and "2号窗口" in called and "请到窗口办理" in called
    missing = get(kiosk, "/t/no-such-ticket-code")
    assert missing.status_code == 404 and "没有找到这张号" in missing.text
    assert get(kiosk, f"/t/{first.id}").status_code == 404  # a row id is no address


def test_the_hall_state_lists_numbers_not_people(kiosk):
    kiosk.queue.take("hukou", id_number="110105199003071239")
    hall = get(kiosk, "/api/queue").json()
    assert [s["waiting"] for s in hall["services"]] == [0, 1]
    assert "110105199003071239" not in json.dumps(hall)


def test_a_bucket_refills_at_its_rate_up_to_its_burst():
    clock = [0.0]
    limiter = limits.RateLimiter(2.0, 3, clock=lambda: clock[0], max_keys=2)
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == pytest.approx(0.5)
    clock[0] += 0.5
    assert limiter.take("a") == 0.0
    clock[0] += 100
    assert [limiter.take("a") for _ in range(3)] == [0.0] * 3 and limiter.take("a") > 0
    limiter.take("b"), limiter.take("c")  # "a" is the least recently used of three: forgotten
    assert limiter.take("a") == 0.0


TICKS = itertools.count(start=1e6, step=1.0)


def ticking_clock(monkeypatch) -> None:
    """The limiters' clock a second further at every look: hypothesis's many requests are not limited."""
    monkeypatch.setattr(limits, "now", lambda: next(TICKS))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.binary(max_size=120))
def test_any_authorization_header_is_refused_never_an_error(kiosk, monkeypatch, header):
    ticking_clock(monkeypatch)
    try:
        reply = post(kiosk, "/api/windows/1/call-next", headers=[(b"Authorization", header)])
    except httpx.LocalProtocolError:
        assume(False)  # not a header httpx will send
    assert reply.status_code == 401, (header, reply.text)
    assert "配对" in reply.json()["message"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=5000), st.from_regex(rb'\{"(number|ticket|level|service|window)": .{0,40}\}')
    )
)
def test_any_body_is_answered_never_an_error(kiosk, monkeypatch, body):
    ticking_clock(monkeypatch)
    auth = {"Authorization": f"Bearer {kiosk.token(1)}"}
    for action in ("call", "rate", "transfer", "resume"):
        reply = httpx.post(f"{kiosk.url}/api/windows/1/{action}", content=body, headers=auth, timeout=10)
        assert reply.status_code in (200, 400, 403, 404, 409, 413), (action, body, reply.text)
        assert reply.json()["message"]
