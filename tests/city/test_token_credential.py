"""A bearer token as a kiosk's credential, next to the ed25519 key: `city enrol --token` → `kiosk enrol` →
`kiosk sync --once` against the real city server on loopback; a wrong, revoked or rotated credential is
refused and the records stay on the kiosk; each kiosk authenticates only with the kind it was enrolled
with; the city keeps only the token's hash, and the token is in no log and no command's output."""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
import uuid

import httpx
import pytest
from city_server import background
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from city import cli as city_cli
from city import fleet
from city.home import CityHome
from city.server import create_app
from content.channel import canonical_json, public_hex, upload_message
from content.credential import SignatureCredential, TokenCredential, token_digest
from content.outbox import Outbox, Uploader
from content.store import Library
from kiosk import cli as kiosk_cli
from kiosk import enrolment

NOTICE = {
    "id": "notice-2022-001",
    "kind": "notice",
    "title": "关于2022年度低保对象的公示",
    "body_md": "公示期七天。",
    "valid_from": "2022-05-01",
    "valid_to": "2022-05-08",
    "level": "市",
}


@pytest.fixture
def env(cli_env):
    tmp_path = cli_env
    (tmp_path / "kiosk.toml").write_text(
        '[kiosk]\nlog_level = "debug"\n[content]\nbundled_gazette = false\n[sync]\nretries = 0\n',
        encoding="utf-8",
    )
    notices = tmp_path / "notices"
    notices.mkdir()
    (notices / "n1.json").write_text(json.dumps(NOTICE, ensure_ascii=False), encoding="utf-8")
    assert city_cli.main(["keygen", "--channel", "dingzhou"]) == 0
    assert city_cli.main(["publish", "--from", str(notices)]) == 0
    return tmp_path


@pytest.fixture
def home(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    return home


def city(*args: str) -> int:
    return city_cli.main(list(args))


def kiosk(*args: str) -> int:
    return kiosk_cli.main(list(args))


def post(http: httpx.Client, kiosk_id: str, headers: dict[str, str], body: bytes | None = None):
    """One upload as a kiosk would send it, with the given credential headers."""
    body = body or canonical_json(
        {"kind": "usage", "created_at": "2022-05-01T00:00:00Z", "payload": {"event": "view"}}
    )
    return http.post(
        "/v1/outbox",
        content=body,
        headers={"Idempotency-Key": str(uuid.uuid4()), "X-Kiosk-Id": kiosk_id, **headers},
    )


def signed(key: Ed25519PrivateKey, kiosk_id: str, body: bytes, idempotency_key: str) -> dict[str, str]:
    signature = key.sign(upload_message(kiosk_id, idempotency_key, body))
    return {
        "Idempotency-Key": idempotency_key,
        "X-Kiosk-Id": kiosk_id,
        "X-Kiosk-Signature": base64.b64encode(signature).decode(),
    }


def post_signed(http: httpx.Client, kiosk_id: str, key: Ed25519PrivateKey):
    body = canonical_json(
        {"kind": "usage", "created_at": "2022-05-01T00:00:00Z", "payload": {"event": "view"}}
    )
    return http.post("/v1/outbox", content=body, headers=signed(key, kiosk_id, body, str(uuid.uuid4())))


def stored_count(home: CityHome) -> int:
    conn = home.db()
    try:
        return conn.execute("SELECT count(*) FROM records").fetchone()[0]
    finally:
        conn.close()


def city_files(home: CityHome) -> bytes:
    """Every byte the city keeps (database, WAL, settings, keys), to look for a secret in."""
    return b"".join(p.read_bytes() for p in sorted(home.path.rglob("*")) if p.is_file())


def test_a_token_kiosk_syncs_and_uploads_end_to_end_and_its_token_shows_nowhere(env, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    home = CityHome(env / "city")
    enrol_file = env / "xian-01.json"
    outputs = []
    with background(create_app(home), log_level="debug") as url:
        assert city("enrol", "xian-01", "--out", str(enrol_file), "--token", "--url", url + "/channel/") == 0
        outputs.append(capsys.readouterr())
        assert "凭据：token" in outputs[-1].out and "访问令牌" in outputs[-1].out
        assert oct(enrol_file.stat().st_mode & 0o777) == "0o600"
        document = json.loads(enrol_file.read_text("utf-8"))
        assert document["credential"]["type"] == "token" and "private_key" not in document["credential"]
        token = document["credential"]["token"]
        assert len(token) == 43  # secrets.token_urlsafe(32)

        assert kiosk("enrol", str(enrol_file)) == 0
        outputs.append(capsys.readouterr())
        assert "本机凭据：访问令牌（token）" in outputs[-1].out
        assert kiosk("enrol", "--show", "--json") == 0
        outputs.append(capsys.readouterr())
        shown = json.loads(outputs[-1].out)
        assert (shown["kiosk_id"], shown["credential"]) == ("xian-01", "token")
        assert (env / "kiosk" / "enrolment.json").stat().st_mode & 0o777 == 0o600

        with Library(env / "kiosk" / "library.db", blobs_dir=env / "kiosk" / "blobs") as library:
            outbox = Outbox(library)
            ids = {outbox.add("usage", {"event": "view", "results": n}) for n in range(3)}
        assert kiosk("sync", "--once") == 0
        outputs.append(capsys.readouterr())
        assert "已更新到版本 1" in outputs[-1].out and "上传记录 3 条" in outputs[-1].out

        assert kiosk("sync", "status", "--json") == 0
        outputs.append(capsys.readouterr())
        status = json.loads(outputs[-1].out)
        assert status["outbox"]["pending"] == 0 and status["credential"] == "token"
        assert kiosk("sync", "status") == 0
        outputs.append(capsys.readouterr())
        assert "本机 xian-01，凭据：访问令牌（token）" in outputs[-1].out
        assert city("kiosks") == 0
        outputs.append(capsys.readouterr())
        view = json.loads(outputs[-1].out)
        assert view[0]["id"] == "xian-01" and view[0]["credential"] == "token" and view[0]["records"] == 3
        with httpx.Client(base_url=url) as http:
            fleet_view = http.get("/v1/kiosks", headers={"Authorization": f"Bearer {home.admin_token()}"})
        assert fleet_view.json()[0]["credential"] == "token"

    conn = home.db()
    try:
        assert {r[0] for r in conn.execute("SELECT idempotency_key FROM records")} == ids
        assert conn.execute("SELECT token_sha256, public_key FROM kiosks").fetchone() == (
            token_digest(token),
            "",
        )
    finally:
        conn.close()
    # The city keeps the hash only, and the token is in no output, no log record and no log file.
    assert token.encode() not in city_files(home)
    assert caplog.records and any(r.name.startswith("httpx") for r in caplog.records)  # the capture worked
    kiosk_logs = "".join(p.read_text("utf-8") for p in (env / "kiosk" / "logs").glob("kiosk.jsonl*"))
    assert "upload" in kiosk_logs or "sync" in kiosk_logs
    for text in [caplog.text, kiosk_logs, fleet_view.text] + [o.out + o.err for o in outputs]:
        assert token not in text
    installed = enrolment.load(env / "kiosk")
    assert token not in repr(installed) and token not in repr(installed.credential)


def test_each_kiosk_authenticates_only_with_the_credential_it_was_enrolled_with(home):
    token = fleet.enrol(
        home, "vendor-01", channel_url="http://x/", upload_url="http://x/", credential="token"
    )
    token = token["credential"]["token"]
    keyed = fleet.enrol(home, "xian-01", channel_url="http://x/", upload_url="http://x/")
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(keyed["credential"]["private_key"]))
    stranger = Ed25519PrivateKey.generate()
    with background(create_app(home)) as url, httpx.Client(base_url=url) as http:
        # the token kiosk: its token, signature-less, is accepted
        assert post(http, "vendor-01", {"Authorization": f"Bearer {token}"}).status_code == 201
        assert post(http, "vendor-01", {"Authorization": f"bearer {token}"}).status_code == 201
        # a wrong, truncated, empty or missing token is 401
        assert post(http, "vendor-01", {"Authorization": f"Bearer {token[:-1]}x"}).status_code == 401
        assert post(http, "vendor-01", {"Authorization": f"Bearer {token[:20]}"}).status_code == 401
        assert post(http, "vendor-01", {"Authorization": "Bearer"}).status_code == 401
        assert post(http, "vendor-01", {"Authorization": f"Basic {token}"}).status_code == 401
        assert post(http, "vendor-01", {}).status_code == 401
        # a token kiosk cannot sign its way in, whoever's key signs
        assert post_signed(http, "vendor-01", stranger).status_code == 401
        assert post_signed(http, "vendor-01", key).status_code == 401
        # the ed25519 kiosk: its signature is accepted, a token (even a valid one of another kiosk) is not
        assert post_signed(http, "xian-01", key).status_code == 201
        assert post(http, "xian-01", {"Authorization": f"Bearer {token}"}).status_code == 401
        assert post_signed(http, "xian-01", stranger).status_code == 401
        # an unknown kiosk is 403 whatever it presents
        assert post(http, "nobody", {"Authorization": f"Bearer {token}"}).status_code == 403
        assert post_signed(http, "nobody", key).status_code == 403
    assert stored_count(home) == 3


def test_revoked_is_403_and_re_enrolling_rotates_the_credential(home, library):
    first = fleet.enrol(
        home, "vendor-01", channel_url="http://x/", upload_url="http://x/", credential="token"
    )
    old_token = first["credential"]["token"]
    outbox = Outbox(library)
    outbox.add("usage", {"event": "view"})
    with background(create_app(home)) as url, httpx.Client(base_url=url) as http:
        upload = url + "/v1/outbox"
        assert post(http, "vendor-01", {"Authorization": f"Bearer {old_token}"}).status_code == 201

        fleet.revoke(home, "vendor-01")
        assert post(http, "vendor-01", {"Authorization": f"Bearer {old_token}"}).status_code == 403
        report = Uploader(outbox, upload, "vendor-01", TokenCredential(old_token), backoff=0).upload()
        assert "未登记或已被吊销" in report.refused and outbox.status().pending == 1

        second = fleet.enrol(
            home, "vendor-01", channel_url="http://x/", upload_url="http://x/", credential="token"
        )
        new_token = second["credential"]["token"]
        assert new_token != old_token
        # re-enrolment clears the revocation for the new token only: the old one stays refused (401)
        assert post(http, "vendor-01", {"Authorization": f"Bearer {old_token}"}).status_code == 401
        report = Uploader(outbox, upload, "vendor-01", TokenCredential(old_token), backoff=0).upload()
        assert "凭据" in report.refused and outbox.status().pending == 1
        report = Uploader(outbox, upload, "vendor-01", TokenCredential(new_token), backoff=0).upload()
        assert (report.sent, report.refused, outbox.status().pending) == (1, None, 0)

        # rotating to the other kind: the token stops working, the new key signs
        fleet.revoke(home, "vendor-01")
        third = fleet.enrol(home, "vendor-01", channel_url="http://x/", upload_url="http://x/")
        key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(third["credential"]["private_key"]))
        assert post(http, "vendor-01", {"Authorization": f"Bearer {new_token}"}).status_code == 401
        assert post_signed(http, "vendor-01", key).status_code == 201
        outbox.add("usage", {"event": "view"})
        report = Uploader(outbox, upload, "vendor-01", SignatureCredential(key), backoff=0).upload()
        assert report.sent == 1

        # and back to a token: the key stops working
        fleet.revoke(home, "vendor-01")
        fourth = fleet.enrol(
            home, "vendor-01", channel_url="http://x/", upload_url="http://x/", credential="token"
        )
        assert post_signed(http, "vendor-01", key).status_code == 401
        token = fourth["credential"]["token"]
        assert post(http, "vendor-01", {"Authorization": f"Bearer {token}"}).status_code == 201
    assert stored_count(home) == 5


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "kiosk" / "library.db") as lib:
        yield lib


@pytest.mark.sqlite_only
def test_a_city_database_from_before_tokens_is_upgraded_and_its_kiosks_keep_working(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    key = Ed25519PrivateKey.generate()

    old = sqlite3.connect(home.path / "city.db")
    old.executescript(
        "CREATE TABLE kiosks (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, enrolled_at TEXT NOT NULL, "
        "revoked_at TEXT NOT NULL DEFAULT '', last_seen TEXT NOT NULL DEFAULT '', channel_version INTEGER, "
        "software_version TEXT NOT NULL DEFAULT '', faults TEXT NOT NULL DEFAULT '[]', "
        "content_stale_since TEXT NOT NULL DEFAULT '', outbox_pending INTEGER);"
    )
    old.execute(
        "INSERT INTO kiosks (id, public_key, enrolled_at) VALUES (?, ?, ?)",
        ["xian-01", public_hex(key.public_key()), "2022-01-01T00:00:00Z"],
    )
    old.commit()
    old.close()
    with background(create_app(home)) as url, httpx.Client(base_url=url) as http:
        assert post_signed(http, "xian-01", key).status_code == 201
        assert post(http, "xian-01", {"Authorization": "Bearer " + "a" * 43}).status_code == 401
    conn = home.db()
    try:
        assert fleet.fleet(conn)[0]["credential"] == "ed25519"
    finally:
        conn.close()


def test_enrolment_files_with_a_token_are_checked_and_never_show_it(home, tmp_path):
    document = fleet.enrol(
        home, "vendor-01", channel_url="http://x/", upload_url="http://x/", credential="token"
    )
    token = document["credential"]["token"]
    path = tmp_path / "vendor-01.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    installed = enrolment.install(path, tmp_path / "kiosk-data")
    assert installed.credential_type == "token" and isinstance(installed.credential, TokenCredential)
    assert token not in repr(installed) and token not in json.dumps(installed.describe())
    with pytest.raises(enrolment.EnrolmentError) as info:
        installed.private_key  # noqa: B018 - the property raises
    assert "访问令牌" in info.value.zh

    for bad in ("", "short", token[:-3] + "!!!", 12345, None):
        document["credential"]["token"] = bad
        path.write_text(json.dumps(document), encoding="utf-8")
        with pytest.raises(enrolment.EnrolmentError) as info:
            enrolment.install(path, tmp_path / "kiosk-data")
        assert "访问令牌" in info.value.zh and (
            not isinstance(bad, str) or not bad or bad not in str(info.value)
        )
    document["credential"] = {"type": "password", "password": "x"}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(enrolment.EnrolmentError):
        enrolment.install(path, tmp_path / "kiosk-data")
    # the refused files did not replace the installed enrolment
    assert enrolment.load(tmp_path / "kiosk-data").credential_type == "token"


def test_enrol_into_an_unwritable_path_enrols_nothing(home, tmp_path, capsys):
    home.save_settings(url="http://x/channel/")
    missing = tmp_path / "no-such-dir" / "vendor-01.json"
    assert city("--home", str(home.path), "enrol", "vendor-01", "--out", str(missing), "--token") == 2
    assert "无法写入登记文件" in capsys.readouterr().err
    conn = home.db()
    try:
        assert fleet.fleet(conn) == []
    finally:
        conn.close()
    out = tmp_path / "vendor-01.json"
    assert city("--home", str(home.path), "enrol", "vendor-01", "--out", str(out), "--token") == 0
    assert json.loads(out.read_text("utf-8"))["credential"]["type"] == "token"
    assert not list(tmp_path.glob(".vendor-01.json.*"))


def test_kiosk_sync_as_a_loop_sends_a_heartbeat_with_each_sync(env, capsys, monkeypatch):
    home = CityHome(env / "city")
    with background(create_app(home)) as url:
        assert city("enrol", "xian-02", "--out", str(env / "xian-02.json"), "--url", url + "/channel/") == 0
        assert kiosk("enrol", str(env / "xian-02.json")) == 0

        def stop_after_the_first_round(seconds: float) -> None:
            raise SystemExit(0)

        monkeypatch.setattr("kiosk.cli.sync.time.sleep", stop_after_the_first_round)
        with pytest.raises(SystemExit):
            kiosk("sync")  # no --once: the loop a kiosk without the touch UI runs
        assert "已更新到版本 1" in capsys.readouterr().out
        conn = home.db()
        try:
            rows = conn.execute("SELECT kind, payload FROM records").fetchall()
        finally:
            conn.close()
    assert [kind for kind, _ in rows] == ["heartbeat"]
    assert json.loads(rows[0][1])["channel_version"] == 1  # sent after the apply
