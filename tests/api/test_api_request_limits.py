"""Hostile clients against the kiosk's real API on loopback, over raw sockets: a client that trickles its
headers is closed, a declared body over the cap is 413 before it is read, a chunked body stops at the cap
(413), a body that stops coming is 408, and connections beyond the bound are 503; the feed's streams and
ordinary requests are not touched by the deadlines."""

from __future__ import annotations

import contextlib
import socket
import time

import httpx
import pytest
from api_hall import HALL

from kiosk.api.runner import ApiRunner
from kiosk.config import defaults
from kiosk.queue import parse_config
from kiosk.services import build

TIMEOUT = 1.0  # the header and body deadlines here
MAX_CONNECTIONS = 8
CAP = 1024  # bytes of a body here: below the pairing route's own 4 KiB, so the limit answers, not the route
WAIT = 30.0  # how long a test waits for an answer before calling it a failure (never reached when it works)


@pytest.fixture
def api(tmp_path):
    services = build(defaults(), tmp_path / "data", bundled=False)
    services.queue.configure(parse_config(HALL))  # so /api/pair reads its body
    limits = {
        "header_timeout": TIMEOUT,
        "body_timeout": TIMEOUT,
        "body_cap": CAP,
        "max_connections": MAX_CONNECTIONS,
    }
    runner = ApiRunner(services, "127.0.0.1", 0, limits=limits)
    runner.start()
    yield runner
    runner.stop()
    services.close()


def connect(api) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", api.port))
    sock.settimeout(WAIT)
    return sock


def answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    with contextlib.suppress(ConnectionResetError):  # closed while the client still sent: after the answer
        while chunk := sock.recv(65536):
            data += chunk
    return data


def head(path: str, **headers: str) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: kiosk",
        *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_client_trickling_its_headers_is_closed(api):
    sock = connect(api)
    started = time.monotonic()
    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: kiosk\r\n")  # and never the blank line
    assert answer(sock) == b""  # closed without an answer
    assert time.monotonic() - started >= TIMEOUT * 0.9
    silent = connect(api)  # connects and says nothing at all
    assert answer(silent) == b""


def test_a_declared_body_over_the_cap_is_413_before_it_is_read(api):
    sock = connect(api)
    sock.sendall(head("/api/pair", Content_Type="application/json", Content_Length=str(CAP + 1)))
    reply = answer(sock)  # no body byte was sent: the answer comes on the headers alone
    assert reply.startswith(b"HTTP/1.1 413") and b"connection: close" in reply.lower()
    assert "请求内容过大" in reply.decode()


def test_a_chunked_body_stops_at_the_cap(api):
    sock = connect(api)
    sock.sendall(head("/api/pair", Content_Type="application/json", Transfer_Encoding="chunked"))
    block = b"x" * (CAP * 2)  # over the limit, under the route's own cap, and then nothing more:
    sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")  # only the limit can answer 413
    reply = answer(sock)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:80]
    assert "请求内容过大" in reply.decode()


def test_a_body_that_stops_coming_is_408(api):
    sock = connect(api)
    sock.sendall(head("/api/pair", Content_Type="application/json", Content_Length="100") + b'{"code": ')
    reply = answer(sock)
    assert reply.startswith(b"HTTP/1.1 408") and "请求内容未能及时收到" in reply.decode()


def test_connections_beyond_the_bound_are_503_and_ordinary_requests_pass(api):
    with httpx.Client(timeout=WAIT) as client, client.stream("GET", f"{api.url}/api/feed") as stream:
        time.sleep(TIMEOUT * 2)  # a stream outlives the deadlines
        assert stream.status_code == 200
        assert client.get(f"{api.url}/api/health").status_code == 200
    held = []
    try:
        for _ in range(MAX_CONNECTIONS + 2):
            sock = connect(api)
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: kiosk\r\n")  # headers unfinished
            held.append(sock)
        time.sleep(0.2)
        reply = httpx.get(f"{api.url}/api/health", timeout=WAIT)
        assert reply.status_code == 503
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    assert httpx.get(f"{api.url}/api/health", timeout=WAIT).status_code == 200
