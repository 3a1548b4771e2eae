"""The outbox over a USB stick: `kiosk outbox export` → `city import-outbox`, with the same requests the
upload sends, duplicates dropped, tampered, truncated and foreign files refused one by one, a crash between
writing the file and marking the rows harmless, and a parser that accepts nothing else (hypothesis)."""

from __future__ import annotations

import base64
import json
import os
import uuid
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from city import cli as city_cli
from city.home import CityHome
from content.credential import SignatureCredential
from content.outbox import Outbox, Pending, Uploader, upload_request
from content.outbox_file import ExportFile, OutboxFileError, export_outbox, make_file, parse_file
from content.record_schema import RecordInvalid
from content.records import record_heartbeat, record_usage
from content.store import Library
from kiosk import cli as kiosk_cli
from kiosk import enrolment

KIOSK = "xian-01"


@pytest.fixture
def env(cli_env):
    """A city with a channel, an enrolled ed25519 kiosk, and the kiosk's outbox holding 5 records."""
    tmp_path = cli_env
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    assert city("enrol", KIOSK, "--out", str(tmp_path / "enrol.json")) == 0
    assert kiosk("enrol", str(tmp_path / "enrol.json")) == 0
    with library(tmp_path) as lib:
        outbox = Outbox(lib)
        record_heartbeat(lib, outbox, "0.1.0", faults=["打印机缺纸"])
        for n in range(4):
            record_usage(outbox, "view", kind="document", item_id=f"定政发〔2022〕{n}号")
    return tmp_path


def city(*args: str) -> int:
    return city_cli.main(list(args))


def kiosk(*args: str) -> int:
    return kiosk_cli.main(list(args))


def library(tmp_path: Path) -> Library:
    return Library(tmp_path / "kiosk" / "library.db", blobs_dir=tmp_path / "kiosk" / "blobs")


def output(capsys, code: int, runner, *args: str) -> dict:
    capsys.readouterr()
    assert runner(*args, "--json") == code
    return json.loads(capsys.readouterr().out)


def pending(tmp_path: Path) -> dict[str, tuple]:
    """The kiosk's backlog: outbox id -> (kind, payload)."""
    with library(tmp_path) as lib, lib.transaction() as db:
        rows = db.execute(
            "SELECT o.id, r.kind, r.payload FROM outbox o JOIN records r ON r.id = o.record_id"
        ).fetchall()
    return {row[0]: (row[1], json.loads(row[2])) for row in rows}


def stored(tmp_path: Path) -> dict[str, tuple]:
    """What the city stored: idempotency key -> (kind, payload)."""
    conn = CityHome(tmp_path / "city").db()
    try:
        rows = conn.execute("SELECT idempotency_key, kind, payload FROM records").fetchall()
    finally:
        conn.close()
    return {row[0]: (row[1], json.loads(row[2])) for row in rows}


def private_key(tmp_path: Path) -> Ed25519PrivateKey:
    return enrolment.load(tmp_path / "kiosk").private_key


def test_round_trip_through_both_command_lines(env, capsys):
    before = pending(env)
    assert len(before) == 5
    status = output(capsys, 0, kiosk, "outbox", "status")
    assert (status["pending"], status["capacity"], status["exported_total"]) == (5, 10000, 0)

    (env / "usb").mkdir()  # the stick
    exported = output(capsys, 0, kiosk, "outbox", "export", "--to", str(env / "usb" / "outbox"))
    assert exported["records"] == 5 and exported["pending"] == 0 and len(exported["files"]) == 1
    assert exported["files"][0].startswith(f"zwgk-outbox-{KIOSK}-")
    status = output(capsys, 0, kiosk, "outbox", "status")
    assert (status["pending"], status["exported_total"], status["sent_total"]) == (0, 5, 0)

    imported = output(capsys, 0, city, "import-outbox", str(env / "usb" / "outbox"))
    assert imported["kiosks"] == {KIOSK: {"new": 5, "duplicate": 0}} and imported["errors"] == 0
    assert stored(env) == before  # every record, under the kiosk's own key, with its payload
    assert city("kiosks") == 0
    view = json.loads(capsys.readouterr().out)[0]
    assert view["id"] == KIOSK and view["faults"] == ["打印机缺纸"] and view["records"] == 5

    again = output(capsys, 0, city, "import-outbox", str(env / "usb" / "outbox"))
    assert again["kiosks"] == {KIOSK: {"new": 0, "duplicate": 5}} and len(stored(env)) == 5

    capsys.readouterr()
    assert kiosk("outbox", "export", "--to", str(env / "usb" / "outbox")) == 0
    assert "没有待上传的记录" in capsys.readouterr().out


def test_the_text_output_is_chinese_then_english(env, capsys):
    capsys.readouterr()
    assert kiosk("outbox", "status") == 0
    out = capsys.readouterr().out
    assert out.startswith("待上传记录 5 条，上限 10000 条") and "pending 5 of 10000" in out
    assert kiosk("outbox", "export", "--to", str(env / "usb")) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith("已导出 5 条记录到") and "city import-outbox" in first
    assert second.startswith("exported 5 records to")
    assert city("import-outbox", str(env / "usb")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "一体机 xian-01，5 条记录，新增 5，重复 0" in lines[0]
    assert (
        lines[1] == "合计：一体机 xian-01 新增 5 条、重复 0 条"
        and lines[2] == "total: xian-01: 5 new, 0 duplicate"
    )


def test_the_file_holds_exactly_what_the_upload_sends(env):
    """The Uploader's requests (captured; the city answers 503, so the rows stay pending and back off)
    are byte for byte the requests in the export file: body, key, kiosk id and signature."""
    sent = {}

    def capture(request: httpx.Request) -> httpx.Response:
        sent[request.headers["idempotency-key"]] = (request.content, dict(request.headers))
        return httpx.Response(503)

    with library(env) as lib:
        outbox = Outbox(lib)
        uploader = Uploader(
            outbox, "http://city.invalid/v1/outbox", KIOSK, private_key(env), give_up_after=99
        )
        uploader.client = httpx.Client(transport=httpx.MockTransport(capture))
        assert uploader.upload().failed == 5 and outbox.due() == []  # all waiting for their retry
        report = export_outbox(outbox, KIOSK, private_key(env), env / "usb")
    assert report.records == 5
    export = parse_file((env / "usb" / report.files[0]).read_bytes())
    assert {r.idempotency_key for r in export.requests} == set(sent)
    for request in export.requests:
        body, headers = sent[request.idempotency_key]
        assert request.body == body
        assert request.headers == {
            "Content-Type": headers["content-type"],
            "Idempotency-Key": headers["idempotency-key"],
            "X-Kiosk-Id": headers["x-kiosk-id"],
            "X-Kiosk-Signature": headers["x-kiosk-signature"],
        }


def test_a_crash_between_writing_and_marking_leaves_the_rows_pending_and_each_is_stored_once(
    env, capsys, monkeypatch
):
    before = pending(env)

    def power_cut(self, ids):
        raise RuntimeError("power cut after the file was written")

    with monkeypatch.context() as patch:
        patch.setattr(Outbox, "mark_handed_over", power_cut)
        with library(env) as lib, pytest.raises(RuntimeError):
            export_outbox(Outbox(lib), KIOSK, private_key(env), env / "usb")
    assert len(list((env / "usb").glob("zwgk-outbox-*.json"))) == 1  # the file made it to the stick
    assert pending(env) == before  # and the rows are still in the backlog

    with library(env) as lib:
        record_usage(Outbox(lib), "print", kind="document", item_id="d9")
    exported = output(capsys, 0, kiosk, "outbox", "export", "--to", str(env / "usb"))
    assert exported["records"] == 6 and pending(env) == {}
    imported = output(capsys, 0, city, "import-outbox", str(env / "usb"))
    assert imported["kiosks"] == {KIOSK: {"new": 6, "duplicate": 5}}
    assert len(stored(env)) == 6 and set(stored(env)) >= set(before)


def test_big_backlogs_are_split_into_files_each_handed_over_on_its_own(env, capsys, monkeypatch):
    with library(env) as lib:
        outbox = Outbox(lib)
        for n in range(20):
            record_usage(outbox, "search", results=n, query_chars=2)
        written = []
        original = Outbox.mark_handed_over

        def second_file_fails(self, ids):
            written.append(len(ids))
            if len(written) == 2:
                raise RuntimeError("power cut")
            return original(self, ids)

        with monkeypatch.context() as patch:
            patch.setattr(Outbox, "mark_handed_over", second_file_fails)
            with pytest.raises(RuntimeError):
                export_outbox(outbox, KIOSK, private_key(env), env / "usb", per_file=10)
        assert written == [10, 10] and outbox.status().pending == 15  # the first file's 10 are handed over
        report = export_outbox(outbox, KIOSK, private_key(env), env / "usb", per_file=10)
        assert (report.records, len(report.files), outbox.status().pending) == (15, 2, 0)
    imported = output(capsys, 0, city, "import-outbox", str(env / "usb"))
    assert len(imported["files"]) == 4 and imported["kiosks"] == {KIOSK: {"new": 25, "duplicate": 10}}


def exported_file(env) -> Path:
    with library(env) as lib:
        report = export_outbox(Outbox(lib), KIOSK, private_key(env), env / "usb")
    return env / "usb" / report.files[0]


def second_kiosk(env) -> Path:
    """A good export of another kiosk in the same folder, to show one bad file does not stop the others."""
    assert city("enrol", "xian-02", "--out", str(env / "enrol-2.json")) == 0
    key = enrolment.parse((env / "enrol-2.json").read_bytes()).private_key
    with Library(env / "k2" / "library.db", blobs_dir=env / "k2" / "blobs") as lib:
        outbox = Outbox(lib)
        record_usage(outbox, "view", kind="notice", item_id="n1")
        report = export_outbox(outbox, "xian-02", key, env / "usb")
    return env / "usb" / report.files[0]


def rewrite(path: Path, edit) -> None:
    document = json.loads(path.read_bytes())
    edit(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def rename_kiosk(document: dict) -> None:
    document["kiosk_id"] = "xian-03"
    for request in document["requests"]:
        request["headers"]["X-Kiosk-Id"] = "xian-03"


@pytest.mark.parametrize(
    "tamper, reason",
    [
        (
            lambda d: d["requests"][0].update(body=d["requests"][0]["body"].replace("0.1.0", "9.9.9")),
            "签名验证失败",
        ),
        (lambda d: d["requests"].pop(), "签名验证失败"),  # a record removed (it would be lost)
        (rename_kiosk, "未登记"),  # made by a kiosk the city does not know
        (lambda d: d.update(requests=[]), "不是有效的一体机导出文件"),
    ],
)
def test_a_tampered_file_is_refused_whole_and_the_other_files_are_imported(env, capsys, tamper, reason):
    path = exported_file(env)
    rewrite(path, tamper)
    other = second_kiosk(env)
    capsys.readouterr()
    assert city("import-outbox", str(env / "usb")) == 2
    captured = capsys.readouterr()
    assert reason in captured.err and path.name in captured.err and "error: " in captured.err
    assert "一体机 xian-02，1 条记录，新增 1" in captured.out and "1 个文件有错误" in captured.out
    assert [payload for kind, payload in stored(env).values()] == [
        {"event": "view", "item_id": "n1", "kind": "notice"}
    ]
    assert other.exists() and path.exists()


@pytest.mark.parametrize("cut", [1, 100, -1])
def test_a_truncated_or_corrupt_file_is_a_clear_error_for_that_file(env, capsys, cut):
    path = exported_file(env)
    data = path.read_bytes()
    path.write_bytes(data[:cut] if cut > 0 else data[:-40] + b"\x00" * 40)
    second_kiosk(env)
    (env / "usb" / ".zwgk-outbox-xian-01-x.json.tmp").write_bytes(b"half a file")  # never the final name
    imported = output(capsys, 2, city, "import-outbox", str(env / "usb"))
    bad = [f for f in imported["files"] if f["error"]]
    assert [f["file"] for f in bad] == [path.name] and "不是有效的一体机导出文件" in bad[0]["error"]["zh"]
    assert imported["kiosks"] == {"xian-02": {"new": 1, "duplicate": 0}}


def test_special_files_on_the_stick_are_named_unread_and_the_others_imported(env, capsys):
    """A FIFO would block the import forever in open(); a device never ends. Each is a named error."""
    second_kiosk(env)
    os.mkfifo(env / "usb" / "zwgk-outbox-xian-09-fifo.json")
    (env / "usb" / "zwgk-outbox-xian-09-zero.json").symlink_to("/dev/zero")
    (env / "usb" / "zwgk-outbox-xian-09-dir.json").mkdir()
    imported = output(capsys, 2, city, "import-outbox", str(env / "usb"))
    errors = {f["file"]: f["error"]["zh"] for f in imported["files"] if f["error"]}
    assert set(errors) == {f"zwgk-outbox-xian-09-{n}.json" for n in ("fifo", "zero", "dir")}
    assert "命名管道" in errors["zwgk-outbox-xian-09-fifo.json"]
    assert "字符设备" in errors["zwgk-outbox-xian-09-zero.json"]
    assert "文件夹" in errors["zwgk-outbox-xian-09-dir.json"]
    assert imported["kiosks"] == {"xian-02": {"new": 1, "duplicate": 0}}


def test_a_revoked_kiosk_is_refused(env, capsys):
    path = exported_file(env)
    assert city("revoke", KIOSK) == 0
    imported = output(capsys, 2, city, "import-outbox", str(env / "usb"))
    assert "已被吊销" in imported["files"][0]["error"]["zh"] and stored(env) == {}
    assert path.exists()


def test_records_go_through_the_upload_api_itself(env, capsys):
    """A file the kiosk signed whole but whose record carries a wrong per-record signature: the upload
    API's own check (401) refuses that record, and the others are stored."""
    key = private_key(env)
    with library(env) as lib:
        rows = [row for _, row in Outbox(lib).pending_after(0, 10)]
    requests = [upload_request(row, KIOSK, SignatureCredential(key)) for row in rows]
    body, headers = requests[1]
    requests[1] = (body, {**headers, "X-Kiosk-Signature": base64.b64encode(b"\x00" * 64).decode()})
    (env / "usb").mkdir()
    (env / "usb" / "zwgk-outbox-xian-01-manual.json").write_bytes(
        make_file(KIOSK, key, requests, "2024-05-01T10:15:00Z")
    )
    imported = output(capsys, 2, city, "import-outbox", str(env / "usb"))
    result = imported["files"][0]
    assert (result["new"], result["refused"]) == (4, 1) and "HTTP 401 bad signature" in result["error"]["en"]
    assert rows[1].id not in stored(env) and len(stored(env)) == 4


def test_a_token_kiosk_cannot_export_and_an_unenrolled_one_is_told_to_enrol(env, capsys, tmp_path):
    assert city("enrol", "vendor-01", "--token", "--out", str(tmp_path / "token.json")) == 0
    assert kiosk("enrol", str(tmp_path / "token.json")) == 0
    capsys.readouterr()
    assert kiosk("outbox", "export", "--to", str(tmp_path / "usb")) == 2
    err = capsys.readouterr().err
    assert "访问令牌" in err and "ed25519" in err and not (tmp_path / "usb").exists()
    assert len(pending(env)) == 5
    (tmp_path / "kiosk" / "enrolment.json").unlink()
    assert kiosk("outbox", "export", "--to", str(tmp_path / "usb")) == 2
    assert "尚未登记" in capsys.readouterr().err


def test_an_unwritable_or_missing_stick_loses_nothing(env, capsys):
    (env / "usb").write_text("a file where the folder should be")
    capsys.readouterr()
    assert kiosk("outbox", "export", "--to", str(env / "usb")) == 2
    assert "无法写入" in capsys.readouterr().err and len(pending(env)) == 5
    assert kiosk("outbox", "export", "--to", str(env / "media" / "usb" / "outbox")) == 2  # not mounted
    assert "U 盘是否已插好" in capsys.readouterr().err and len(pending(env)) == 5
    assert not (env / "media").exists()


def test_a_record_too_large_for_the_city_stays_in_the_backlog(env, capsys):
    payload = {"event": "view", "note": "字" * 400_000}  # 1.2 MB of UTF-8
    with library(env) as lib:
        with pytest.raises(RecordInvalid):  # the schema no longer lets such a record in ...
            Outbox(lib).add("usage", payload)
        big = str(uuid.uuid4())  # ... but an older kiosk's backlog may hold one
        with lib.transaction() as db:
            db.execute(
                "INSERT INTO records (id, kind, created_at, payload) VALUES (?, 'usage', '2022-05-01T00:00:00Z', ?)",
                [big, json.dumps(payload, ensure_ascii=False)],
            )
            db.execute(
                "INSERT INTO outbox (id, record_id, created_at) VALUES (?, ?, '2022-05-01T00:00:00Z')",
                [big, big],
            )
    (env / "usb").mkdir()
    exported = output(capsys, 0, kiosk, "outbox", "export", "--to", str(env / "usb"))
    assert (exported["records"], exported["too_large"], exported["pending"]) == (5, 1, 1)
    assert list(pending(env)) == [big]
    assert output(capsys, 0, city, "import-outbox", str(env / "usb"))["kiosks"][KIOSK]["new"] == 5


def test_an_exported_record_that_does_not_fit_its_schema_is_refused_at_import_with_its_reason(env, capsys):
    legacy = str(uuid.uuid4())  # written by an older kiosk, before the schema: a field the city does not take
    with library(env) as lib, lib.transaction() as db:
        db.execute(
            "INSERT INTO records (id, kind, created_at, payload) VALUES (?, 'usage', '2022-05-01T00:00:00Z', ?)",
            [legacy, json.dumps({"event": "view", "n": 1})],
        )
        db.execute(
            "INSERT INTO outbox (id, record_id, created_at) VALUES (?, ?, '2022-05-01T00:00:00Z')",
            [legacy, legacy],
        )
    (env / "usb").mkdir()
    assert output(capsys, 0, kiosk, "outbox", "export", "--to", str(env / "usb"))["records"] == 6
    report = output(capsys, 2, city, "import-outbox", str(env / "usb"))
    [result] = report["files"]
    assert (result["new"], result["refused"]) == (5, 1)
    assert "HTTP 422" in result["error"]["en"] and "payload.n" in result["error"]["en"]
    assert "不是已声明的字段" in result["error"]["zh"]
    assert legacy not in stored(env) and len(stored(env)) == 5


def test_import_needs_a_folder_with_export_files(env, capsys):
    (env / "empty").mkdir()
    assert city("import-outbox", str(env / "empty")) == 2
    assert "没有一体机导出文件" in capsys.readouterr().err
    assert city("import-outbox", str(env / "missing")) == 2
    assert "不是文件夹" in capsys.readouterr().err


# --- the parser, on untrusted bytes ------------------------------------------------------------------

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
common = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
payloads = st.dictionaries(st.text(max_size=10), json_values, max_size=5)


def a_file(payload_list: list[dict]) -> bytes:
    signer = SignatureCredential(KEY)
    rows = [
        Pending(f"00000000-0000-4000-8000-{n:012d}", "usage", "2024-05-01T10:00:00Z", payload, 0)
        for n, payload in enumerate(payload_list)
    ]
    return make_file(KIOSK, KEY, [upload_request(row, KIOSK, signer) for row in rows], "2024-05-01T10:15:00Z")


def parsed_or_refused(data: bytes) -> ExportFile | None:
    try:
        return parse_file(data, "x.json")
    except OutboxFileError as exc:
        assert exc.zh and str(exc)
        return None


@common
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_are_parsed_or_refused_cleanly(data):
    parsed_or_refused(data)


@common
@given(
    st.dictionaries(
        st.sampled_from(["type", "format", "kiosk_id", "exported", "requests", "signature", "x"]), json_values
    )
)
def test_arbitrary_json_documents_are_parsed_or_refused_cleanly(document):
    parsed_or_refused(json.dumps(document).encode())


@common
@given(st.lists(payloads, min_size=1, max_size=5))
def test_what_is_written_parses_back_and_verifies(payload_list):
    export = parse_file(a_file(payload_list))
    export.verify(KEY.public_key())
    assert [json.loads(r.body)["payload"] for r in export.requests] == payload_list


@common
@given(st.lists(payloads, min_size=1, max_size=3), st.data())
def test_any_changed_byte_is_refused(payload_list, data):
    original = a_file(payload_list)
    where = data.draw(st.integers(min_value=0, max_value=len(original) - 2))  # not the final newline
    value = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b: b != original[where]))
    changed = original[:where] + bytes([value]) + original[where + 1 :]
    export = parsed_or_refused(changed)
    if export is not None:
        with pytest.raises(OutboxFileError):
            export.verify(KEY.public_key())


@common
@given(st.lists(payloads, min_size=1, max_size=3), st.data())
def test_a_cut_file_is_refused(payload_list, data):
    original = a_file(payload_list)
    cut = data.draw(st.integers(min_value=0, max_value=len(original) - 2))
    assert parsed_or_refused(original[:cut]) is None
