"""The sync client against the real city server on loopback: resume, retries, timeouts, trickling and
dropping servers, bandwidth cap, cache headers. Each failure gives its specific error or retry, and a
sync that could not fetch everything leaves the store unchanged."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from channel_kit import item, make_city, open_kiosk, publish_items, snapshot
from city_server import background

from city.server import create_app
from content.sync import Incomplete
from content.transport import HttpSource, TransportSettings

FAST = TransportSettings(timeout=1.0, retries=3, backoff=0.01, backoff_max=0.05)


@pytest.fixture
def city(tmp_path):
    home = make_city(tmp_path / "city")
    publish_items(home, [item(n, body_chars=2000) for n in range(300)])
    return home


@pytest.fixture
def kiosk(tmp_path, city):
    library, client = open_kiosk(tmp_path / "kiosk", city)
    yield library, client
    library.close()


def faulty(app, decide):
    """Wrap an ASGI app: `decide(path, count)` returns None (serve), 'error', 'slow', 'drop' or 'trickle'."""
    counts: dict[str, int] = {}

    async def wrapper(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        path = scope["path"]
        counts[path] = counts.get(path, 0) + 1
        fault = decide(path, counts[path])
        if fault == "error":
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b"busy"})
            return
        if fault == "slow":
            await asyncio.sleep(1.5)
        if fault == "trickle":
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100000")]}
            )
            for _ in range(100):  # bounded: the client gives up long before
                await send({"type": "http.response.body", "body": b"x", "more_body": True})
                await asyncio.sleep(0.02)
            return
        if fault == "drop":
            sent = {"body": 0}

            async def cut(message):
                if message["type"] == "http.response.body" and message.get("body"):
                    body = message["body"]
                    await send({**message, "body": body[: len(body) // 2], "more_body": True})
                    raise ConnectionError("link dropped")
                await send(message)
                sent["body"] += 1

            return await app(scope, receive, cut)
        return await app(scope, receive, send)

    wrapper.counts = counts
    return wrapper


def channel_bytes(city) -> int:
    repo = city.repo.path
    root = city.repo.current_root()
    return (
        len(city.repo.root_path.read_bytes())
        + sum(s.size for s in root.shards)
        + sum(p.stat().st_size for p in (repo / "packs").iterdir())
    )


def test_first_sync_over_http_uses_packs_and_transfers_about_the_channel_size(city, kiosk):
    library, client = kiosk
    with background(create_app(city)) as url:
        report = client.sync(HttpSource(url + "/channel/", FAST))
        assert report.added == 300 and report.packs_fetched == len(city.repo.current_root().shards)
        assert report.blobs_fetched == 0
        assert report.bytes <= channel_bytes(city) * 1.01
        again = client.sync(HttpSource(url + "/channel/", FAST))
        assert again.up_to_date and again.bytes == 0  # If-None-Match: the root applied is not sent again


def test_an_unchanged_root_is_not_downloaded_again_but_a_changed_or_unapplied_one_is(city, kiosk):
    library, client = kiosk
    app = faulty(create_app(city), lambda path, n: None)
    with background(app) as url:
        client.sync(HttpSource(url + "/channel/", FAST))
        assert client.sync(HttpSource(url + "/channel/", FAST)).bytes == 0
        assert app.counts["/channel/root.json"] == 2
        publish_items(city, [item(n, revision=int(n < 2), body_chars=2000) for n in range(300)])
        # Fetched but not applied: the next sync must not take the server's 304 for "already applied".
        client.sync(HttpSource(url + "/channel/", FAST), fetch_only=True)
        applied = client.sync(HttpSource(url + "/channel/", FAST))
        assert (applied.to_version, applied.updated, applied.up_to_date) == (2, 2, False)
        assert client.sync(HttpSource(url + "/channel/", FAST)).bytes == 0
        assert app.counts["/channel/root.json"] == 5


@pytest.mark.parametrize("connections", [1, 4])
def test_files_are_fetched_on_the_configured_number_of_connections(city, tmp_path, connections):
    app = create_app(city)
    in_flight = {"now": 0, "most": 0}
    ports: set[int] = set()

    async def counting(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        ports.add(scope["client"][1])
        in_flight["now"] += 1
        in_flight["most"] = max(in_flight["most"], in_flight["now"])
        try:
            await asyncio.sleep(0.02)  # a round trip, as on a real link
            return await app(scope, receive, send)
        finally:
            in_flight["now"] -= 1

    library, client = open_kiosk(tmp_path / f"kiosk{connections}", city)
    with background(counting) as url:
        settings = TransportSettings(timeout=5.0, retries=3, backoff=0.01, connections=connections)
        report = client.sync(HttpSource(url + "/channel/", settings))
    assert report.added == 300 and len(city.repo.current_root().shards) >= 8
    # Requests overlap only across connections (the server may still be finishing a reply the client
    # has already read, so one connection can show two in flight for a moment).
    assert len(ports) == connections
    assert in_flight["most"] >= 3 if connections == 4 else in_flight["most"] <= 2
    assert len(snapshot(library)[0]) == 300
    library.close()


def test_a_small_change_fetches_only_changed_blobs_and_shards(city, kiosk):
    library, client = kiosk
    with background(create_app(city)) as url:
        client.sync(HttpSource(url + "/channel/", FAST))
        publish_items(city, [item(n, revision=int(n < 3), body_chars=2000) for n in range(300)])
        report = client.sync(HttpSource(url + "/channel/", FAST))
    assert (report.updated, report.blobs_fetched, report.packs_fetched) == (3, 3, 0)
    assert report.shards_fetched <= 3
    assert report.bytes < 3 * 6500 + report.shards_fetched * 6000 + 4000


def test_server_errors_are_retried(city, kiosk):
    library, client = kiosk
    app = faulty(create_app(city), lambda path, n: "error" if n <= 2 else None)
    with background(app) as url:
        report = client.sync(HttpSource(url + "/channel/", FAST))
    assert report.added == 300
    assert app.counts["/channel/root.json"] == 3


def test_a_server_that_keeps_failing_leaves_the_store_unchanged_and_names_what_is_missing(city, kiosk):
    library, client = kiosk
    before = snapshot(library)
    app = faulty(create_app(city), lambda path, n: "error" if "/packs/" in path else None)
    with background(app) as url, pytest.raises(Incomplete) as info:
        client.sync(HttpSource(url + "/channel/", FAST))
    assert snapshot(library) == before
    assert "packs/" in str(info.value) and "未应用" in info.value.zh
    assert all(n == FAST.retries + 1 for path, n in app.counts.items() if "/packs/" in path)


def test_timeouts_are_retried_then_reported(city, kiosk):
    library, client = kiosk
    before = snapshot(library)
    settings = TransportSettings(timeout=0.3, retries=1, backoff=0.01)
    app = faulty(create_app(city), lambda path, n: "slow" if path.endswith("root.json") else None)
    with background(app) as url, pytest.raises(Exception) as info:
        client.sync(HttpSource(url + "/channel/", settings))
    assert "ReadTimeout" in str(info.value) and app.counts["/channel/root.json"] == 2
    assert snapshot(library) == before


def test_a_trickling_server_is_abandoned_and_the_store_unchanged(city, kiosk):
    library, client = kiosk
    before = snapshot(library)
    settings = TransportSettings(timeout=2, retries=1, backoff=0.01, stall_window=0.3, min_rate=1000)
    first_pack = {}

    def decide(path, n):
        if "/packs/" in path and (first_pack.setdefault("path", path) == path):
            return "trickle"
        return None

    started = time.monotonic()
    with background(faulty(create_app(city), decide)) as url, pytest.raises(Incomplete) as info:
        client.sync(HttpSource(url + "/channel/", settings))
    assert "too slow" in str(info.value) and "下载过慢" in info.value.zh
    assert time.monotonic() - started < 10
    assert snapshot(library) == before


def test_a_dropped_link_resumes_with_range_and_fetches_each_byte_about_once(city, kiosk):
    library, client = kiosk
    app = faulty(create_app(city), lambda path, n: "drop" if "/packs/" in path and n == 1 else None)
    with background(app) as url:
        report = client.sync(HttpSource(url + "/channel/", FAST))
    assert report.added == 300
    assert report.bytes <= channel_bytes(city) * 1.05


def test_a_partial_download_survives_a_restart(city, tmp_path):
    library, client = open_kiosk(tmp_path / "k", city)
    cut = {"on": True}
    app = faulty(
        create_app(city),
        lambda path, n: (
            "error" if cut["on"] and "/packs/" in path and n > 1 else "drop" if "/packs/" in path else None
        ),
    )
    with library, background(app) as url:
        with pytest.raises(Incomplete):
            client.sync(HttpSource(url + "/channel/", FAST))
        parts = list((tmp_path / "k" / "sync" / "packs").glob("*.part"))
        assert parts and all(p.stat().st_size > 0 for p in parts)
    library, client = open_kiosk(tmp_path / "k", city)  # a new process: the same staging directory
    with library, background(create_app(city)) as url:
        report = client.sync(HttpSource(url + "/channel/", FAST))
        assert report.added == 300
        assert not (tmp_path / "k" / "sync" / "packs").exists()


def test_bandwidth_cap_slows_the_transfer(city, kiosk):
    library, client = kiosk
    with background(create_app(city)) as url:
        source = HttpSource(url + "/channel/", TransportSettings(bandwidth=500_000))
        started = time.monotonic()
        client.sync(source)
        elapsed = time.monotonic() - started
    assert source.bytes_transferred > 600_000
    assert elapsed >= (source.bytes_transferred - 500_000) / 500_000 * 0.9


def test_channel_files_have_range_etag_and_cache_headers(city):
    root = city.repo.current_root()
    shard = root.shards[0].name
    with background(create_app(city)) as url, httpx.Client(base_url=url) as http:
        response = http.get(f"/channel/shards/{shard}", headers={"Range": "bytes=10-19"})
        assert response.status_code == 206 and len(response.content) == 10
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["etag"] == f'"{shard}"'
        assert (
            http.get(f"/channel/shards/{shard}", headers={"If-None-Match": f'"{shard}"'}).status_code == 304
        )
        rooted = http.get("/channel/root.json")
        assert rooted.headers["cache-control"] == "no-cache"
        assert (
            http.get("/channel/root.json", headers={"If-None-Match": rooted.headers["etag"]}).status_code
            == 304
        )
        assert http.get("/channel/shards/../home.py").status_code == 404
        assert http.get("/channel/blobs/" + "A" * 64).status_code == 404


def test_fetch_only_stages_everything_and_the_apply_later_fetches_nothing_again(city, kiosk):
    library, client = kiosk
    before = snapshot(library)
    with background(create_app(city)) as url:
        staged = client.sync(HttpSource(url + "/channel/", FAST), fetch_only=True)
        assert staged.packs_fetched and snapshot(library) == before
        applied = client.sync(HttpSource(url + "/channel/", FAST))
    assert (
        applied.added == 300 and applied.packs_fetched == applied.blobs_fetched == applied.shards_fetched == 0
    )
    assert applied.bytes == len(city.repo.root_path.read_bytes())


def self_signed(tmp_path):
    """A certificate for 127.0.0.1 (as a city's own CA would issue) and its key, as PEM files."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(certfile), str(keyfile)


def test_tls_is_verified_against_the_configured_ca_bundle(city, kiosk, tmp_path):
    library, client = kiosk
    certfile, keyfile = self_signed(tmp_path)
    before = snapshot(library)
    with background(create_app(city), certfile=certfile, keyfile=keyfile) as url:
        assert url.startswith("https://")
        with pytest.raises(Exception) as info:
            client.sync(HttpSource(url + "/channel/", TransportSettings(retries=0)))
        assert "CERTIFICATE_VERIFY_FAILED" in str(info.value) or "ConnectError" in str(info.value)
        assert snapshot(library) == before
        report = client.sync(HttpSource(url + "/channel/", TransportSettings(retries=0, ca_bundle=certfile)))
    assert report.added == 300
