"""The outbox: record and row in one transaction, bounded with a warning, signed idempotent uploads to the
real city server, and exactly-once storage behind a server that fails or drops replies at random."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest
from city_server import background

from city import fleet
from city.home import CityHome
from city.server import create_app
from content.outbox import Outbox, OutboxFull, Uploader
from content.records import record_heartbeat, record_usage
from content.store import Library


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "kiosk" / "library.db") as lib:
        yield lib


@pytest.fixture
def city(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    return home


def enrolled(city, kiosk_id="xian-01"):
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    document = fleet.enrol(city, kiosk_id, channel_url="http://x/channel/", upload_url="http://x/v1/outbox")
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(document["credential"]["private_key"]))


def stored(city) -> list[tuple]:
    conn = city.db()
    try:
        return conn.execute(
            "SELECT idempotency_key, kind, payload FROM records ORDER BY idempotency_key"
        ).fetchall()
    finally:
        conn.close()


def test_a_record_and_its_outbox_row_are_written_together(library):
    outbox = Outbox(library)
    record_id = record_usage(outbox, "view", kind="document", item_id="d1")
    with library.transaction() as db:
        assert db.execute("SELECT kind FROM records WHERE id = ?", [record_id]).fetchone() == ("usage",)
        assert db.execute("SELECT record_id FROM outbox WHERE id = ?", [record_id]).fetchone() == (record_id,)
    with pytest.raises(RuntimeError), library.transaction():
        outbox.add("usage", {"event": "view"})
        raise RuntimeError("power cut before commit")
    assert outbox.status().pending == 1
    with library.transaction() as db:
        assert db.execute("SELECT count(*) FROM records").fetchone() == (1,)


def test_usage_records_carry_no_query_text(library):
    with pytest.raises(TypeError):
        record_usage(Outbox(library), "search", query="张三 130102199003071234")
    record_usage(Outbox(library), "search", results=3, query_chars=2)


def test_the_outbox_warns_near_its_bound_and_refuses_at_it(library):
    outbox = Outbox(library, capacity=10)
    for n in range(7):
        outbox.add("usage", {"event": "view", "results": n})
    assert outbox.status().warning_zh is None
    outbox.add("usage", {"event": "view"})
    assert "接近上限" in outbox.status().warning_zh
    outbox.add("usage", {"event": "view"})
    outbox.add("usage", {"event": "view"})
    with pytest.raises(OutboxFull) as info:
        outbox.add("usage", {"event": "view"})
    assert "上限" in info.value.zh
    status = outbox.status()
    assert status.pending == 10 and "已达上限" in status.warning_zh


def test_an_undelivered_heartbeat_is_replaced_by_the_next_and_other_records_stay(library):
    outbox = Outbox(library, capacity=10)
    record_usage(outbox, "view", kind="document", item_id="d1")
    for _ in range(50):  # a kiosk offline for half a day: 50 heartbeats, never more than one waiting
        latest = record_heartbeat(library, outbox, "1.0", ["小票打印机：缺纸"])
    assert outbox.status().pending == 2 and outbox.status().warning_zh is None
    assert {row.kind for row in outbox.due()} == {"usage", "heartbeat"}
    assert [row.id for row in outbox.due() if row.kind == "heartbeat"] == [latest]
    assert library.get_meta("outbox.superseded_total") == "49" and outbox.status().superseded_total == 49
    with library.transaction() as db:  # the superseded ones stay in the kiosk's own records
        assert db.execute("SELECT count(*) FROM records WHERE kind = 'heartbeat'").fetchone() == (50,)


def test_uploads_are_signed_idempotent_and_update_the_fleet_view(library, city):
    key = enrolled(city)
    outbox = Outbox(library)
    record_heartbeat(library, outbox, "0.1.0", faults=["打印机缺纸"])
    record_usage(outbox, "view", kind="document", item_id="d1")
    with background(create_app(city)) as url:
        uploader = Uploader(outbox, url + "/v1/outbox", "xian-01", key, backoff=0)
        report = uploader.upload()
        assert (report.sent, report.failed, outbox.status().pending) == (2, 0, 0)
        with httpx.Client(base_url=url) as http:
            assert http.get("/v1/kiosks").status_code == 401
            view = http.get("/v1/kiosks", headers={"Authorization": f"Bearer {city.admin_token()}"}).json()
        uploader.close()
    assert view[0]["id"] == "xian-01" and view[0]["faults"] == ["打印机缺纸"]
    assert view[0]["software_version"] == "0.1.0" and view[0]["records"] == 2 and view[0]["last_seen"]


def test_unknown_revoked_and_forged_kiosks_are_refused_and_keep_their_records(library, city):
    key = enrolled(city)
    outbox = Outbox(library)
    outbox.add("usage", {"event": "view"})
    with background(create_app(city)) as url:
        stranger = Uploader(outbox, url + "/v1/outbox", "nobody", key, backoff=0)
        assert "拒绝" in stranger.upload().refused
        with httpx.Client(base_url=url) as http:
            forged = http.post(
                "/v1/outbox",
                content=b'{"kind":"usage","created_at":"x","payload":{}}',
                headers={
                    "Idempotency-Key": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
                    "X-Kiosk-Id": "xian-01",
                    "X-Kiosk-Signature": "AAAA",
                },
            )
            assert forged.status_code == 401
        fleet.revoke(city, "xian-01")
        revoked = Uploader(outbox, url + "/v1/outbox", "xian-01", key, backoff=0)
        assert revoked.upload().refused
    assert outbox.status().pending == 1 and stored(city) == []


def flaky(app, rng, stats):
    """Fail 20% of requests before processing; drop the reply of 30% after processing."""

    async def wrapper(scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/v1/outbox":
            return await app(scope, receive, send)
        stats["attempts"] += 1
        roll = rng.random()
        if roll < 0.2:
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        if roll < 0.5:

            async def swallow(message):
                pass

            await app(scope, receive, swallow)  # the record is stored ...
            await send(
                {"type": "http.response.start", "status": 201, "headers": [(b"content-length", b"64")]}
            )
            await asyncio.sleep(0)
            raise ConnectionResetError("reply lost")  # ... but the connection drops mid-reply
        return await app(scope, receive, send)

    return wrapper


def test_a_flaky_server_stores_every_record_exactly_once(library, city):
    key = enrolled(city)
    outbox = Outbox(library)
    ids = {outbox.add("usage", {"event": "view", "results": n}) for n in range(200)}
    stats = {"attempts": 0}
    with background(flaky(create_app(city), random.Random(5), stats)) as url:
        uploader = Uploader(outbox, url + "/v1/outbox", "xian-01", key, backoff=0, give_up_after=1000)
        for _ in range(100):  # bounded
            uploader.upload()
            if outbox.status().pending == 0:
                break
        uploader.close()
    rows = stored(city)
    assert outbox.status().pending == 0
    assert len(rows) == 200 and {r[0] for r in rows} == ids
    assert stats["attempts"] > 260  # failures and lost replies really happened, and were retried
