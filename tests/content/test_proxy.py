"""The `sync.proxy` setting, through a real HTTP forward proxy on loopback: a kiosk's channel sync and its
outbox upload (ed25519 and token kiosks) both go through the proxy and succeed; a dead proxy makes the
sync fail with TransferFailed naming the proxy, with the store and the outbox as they were; a proxy
value httpx cannot use is refused up front with a clear error."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from channel_kit import item, make_city, open_kiosk, publish_items, snapshot
from city_server import background

from city import fleet
from city.server import create_app
from content.credential import TokenCredential
from content.outbox import Outbox, Uploader
from content.store import Library
from content.transport import HttpSource, TransferFailed, TransportSettings, proxy_url
from kiosk import enrolment, sync_service
from kiosk.config import defaults

# Connection-level headers a proxy consumes instead of forwarding (RFC 9110 §7.6.1), plus the two that
# BaseHTTPRequestHandler.send_response writes itself.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "server",
    "date",
}


class ProxyHandler(BaseHTTPRequestHandler):
    """Forwards an absolute-form request (`GET http://host:port/path HTTP/1.1`) to its target."""

    protocol_version = "HTTP/1.1"  # keep-alive, as a real proxy: the sync makes many requests

    def do_GET(self) -> None:
        self._forward()

    do_HEAD = do_POST = do_GET

    def _forward(self) -> None:
        target = urlsplit(self.path)
        if target.scheme != "http" or not target.hostname:
            self.send_error(400, "a forward proxy needs an absolute http:// URL")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        self.server.record(self.command, self.path, dict(self.headers))
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=10)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(self.command, path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
        except OSError as exc:
            self.send_error(502, f"upstream: {exc}")
            return
        finally:
            upstream.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


class ForwardProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.seen: list[tuple[str, str, dict[str, str]]] = []  # (method, absolute URL, headers)
        self._lock = threading.Lock()

    def record(self, method: str, url: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.seen.append((method, url, headers))

    def requests(self, method: str | None = None) -> list[str]:
        with self._lock:
            return [url for m, url, _ in self.seen if method in (None, m)]


@contextmanager
def forward_proxy() -> Iterator[ForwardProxy]:
    proxy = ForwardProxy()
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(timeout=10)


def counted(app):
    """The city app, counting the requests it receives (to show that none went around the proxy)."""
    seen: list[str] = []

    async def wrapper(scope, receive, send):
        if scope["type"] == "http":
            seen.append(f"{scope['method']} {scope['path']}")
        return await app(scope, receive, send)

    wrapper.seen = seen
    return wrapper


def dead_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def city(tmp_path):
    home = make_city(tmp_path / "city")
    publish_items(home, [item(n, body_chars=1500) for n in range(60)])
    return home


def enrol(city, data_dir, url, credential="ed25519"):
    document = fleet.enrol(
        city, "xian-01", channel_url=url + "/channel/", upload_url=url + "/v1/outbox", credential=credential
    )
    path = data_dir.parent / "xian-01.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return enrolment.install(path, data_dir)


def stored(city) -> int:
    conn = city.db()
    try:
        return conn.execute("SELECT count(*) FROM records").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("credential", ["ed25519", "token"])
def test_a_kiosk_syncs_and_uploads_through_the_configured_proxy(city, tmp_path, credential):
    data_dir = tmp_path / "kiosk"
    app = counted(create_app(city))
    with background(app) as url, forward_proxy() as proxy:
        enrolled = enrol(city, data_dir, url, credential)
        config = defaults().with_values(sync__proxy=f"http://127.0.0.1:{proxy.server_port}", sync__retries=0)
        with Library(data_dir / "library.db", blobs_dir=data_dir / "blobs") as library:
            outbox = Outbox(library)
            outbox.add("usage", {"event": "view"})
            outbox.add("usage", {"event": "search", "results": 3})
            result = sync_service.run_once(library, config, data_dir)
            assert result.sync_error is None and result.sync.added == 60
            assert (result.upload.sent, result.upload.refused, outbox.status().pending) == (2, None, 0)
        gets, posts = proxy.requests("GET"), proxy.requests("POST")
    assert url + "/channel/root.json" in gets and any("/channel/packs/" in u for u in gets)
    assert posts == [url + "/v1/outbox"] * 2
    # every request the city received came through the proxy, none around it
    assert sorted(f"{m} {urlsplit(u).path}" for m, u, _ in proxy.seen) == sorted(app.seen)
    assert stored(city) == 2
    # a token kiosk's Authorization header reaches the city through the proxy (proxies drop only
    # Proxy-Authorization)
    sent = [h for m, _, h in proxy.seen if m == "POST"]
    if enrolled.credential_type == "token":
        assert all(h.get("Authorization", "").startswith("Bearer ") for h in sent)
    else:
        assert all("X-Kiosk-Signature" in h and "Authorization" not in h for h in sent)


def test_a_proxy_written_without_a_scheme_is_taken_as_http(city, tmp_path):
    library, client = open_kiosk(tmp_path / "kiosk", city)
    with library, background(create_app(city)) as url, forward_proxy() as proxy:
        settings = TransportSettings(proxy=f"127.0.0.1:{proxy.server_port}", retries=0)
        report = client.sync(HttpSource(url + "/channel/", settings))
        assert report.added == 60 and url + "/channel/root.json" in proxy.requests("GET")


def test_a_dead_proxy_fails_the_sync_with_a_clear_error_and_changes_nothing(city, tmp_path):
    library, client = open_kiosk(tmp_path / "kiosk", city)
    dead = f"http://127.0.0.1:{dead_port()}"
    settings = TransportSettings(proxy=dead, retries=2, backoff=0.01, backoff_max=0.02, timeout=2)
    with library, background(create_app(city)) as url:
        assert client.sync(HttpSource(url + "/channel/", TransportSettings(retries=0))).added == 60
        publish_items(city, [item(n, revision=1, body_chars=1500) for n in range(60)])
        before = snapshot(library)
        with pytest.raises(TransferFailed) as info:
            client.sync(HttpSource(url + "/channel/", settings))
        assert snapshot(library) == before  # still version 1, every item as it was
        assert "代理服务器" in info.value.zh and f"127.0.0.1:{urlsplit(dead).port}" in info.value.zh
        assert "proxy" in str(info.value) and "root.json" in str(info.value)

        outbox = Outbox(library)
        record = outbox.add("usage", {"event": "view"})
        document = fleet.enrol(
            city, "xian-01", channel_url="http://x/", upload_url="http://x/", credential="token"
        )
        token = TokenCredential(document["credential"]["token"])
        report = Uploader(outbox, url + "/v1/outbox", "xian-01", token, settings, backoff=0).upload()
        assert (report.sent, report.failed) == (0, 1)
        assert outbox.status().pending == 1 and outbox.status().last_error.startswith("ConnectError")
    assert stored(city) == 0 and record


@pytest.mark.parametrize(
    "value, reason",
    [
        ("ftp://10.0.0.1:21", "ftp"),
        ("socks5://10.0.0.1:1080", "socks5"),
        ("http://", "主机"),
        ("http://10.0.0.1:notaport", "端口"),
    ],
)
def test_a_proxy_setting_httpx_cannot_use_is_refused_up_front(value, reason):
    with pytest.raises(TransferFailed) as info:
        proxy_url(TransportSettings(proxy=value))
    assert "sync.proxy" in info.value.zh and reason in info.value.zh
    with pytest.raises(TransferFailed):
        HttpSource("http://127.0.0.1:9/channel/", TransportSettings(proxy=value))


def test_proxy_credentials_are_kept_out_of_errors(city, tmp_path):
    library, client = open_kiosk(tmp_path / "kiosk", city)
    secret_proxy = f"http://staff:s3cret-pw@127.0.0.1:{dead_port()}"
    settings = TransportSettings(proxy=secret_proxy, retries=0)
    assert proxy_url(TransportSettings(proxy="")) is None
    with library, pytest.raises(TransferFailed) as info:
        client.sync(HttpSource("http://127.0.0.1:9/channel/", settings))
    assert "s3cret-pw" not in str(info.value) and "s3cret-pw" not in info.value.zh
    assert "代理服务器" in info.value.zh
