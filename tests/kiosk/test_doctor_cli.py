"""`kiosk doctor`: a technician's check of disk, library, sync, staging and outbox, each finding in
Chinese with what to do; `--recover` rebuilds a library that fails its check, keeping local notices and
records, and the kiosk's commands then work on the fresh library."""

from __future__ import annotations

import json
import os
import sqlite3

from content.model import Item
from content.outbox import Outbox
from content.records import record_usage
from content.store import Library
from kiosk import cli as kiosk_cli
from kiosk.library import bundled_gazette_path

PAGE = 4096


def kiosk(*args: str) -> int:
    return kiosk_cli.main(list(args))


def doctor(capsys, *args: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = kiosk("doctor", *args, "--json")
    return code, json.loads(capsys.readouterr().out)


def findings(report: dict) -> dict[str, dict]:
    return {f["area"]: f for f in report["findings"]}


def a_library_with_local_things(data) -> None:
    assert kiosk("content", "import-gazette", str(bundled_gazette_path())) == 0
    with Library(data / "library.db") as library:
        library.upsert_items([Item("local-1", "notice", "村务公开：低保名单公示", origin="local")])
        outbox = Outbox(library)
        for n in range(3):
            record_usage(outbox, "view", kind="document", item_id=f"doc-{n}")
        library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def damage_an_items_page(path) -> None:
    conn = sqlite3.connect(path)
    pages = conn.execute("SELECT pageno FROM dbstat WHERE name = 'items' AND pagetype = 'leaf'").fetchall()
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((pages[len(pages) // 2][0] - 1) * PAGE)
        fh.write(os.urandom(PAGE))


def test_a_healthy_kiosk_is_said_healthy(cli_env, capsys):
    a_library_with_local_things(cli_env / "kiosk")
    code, report = doctor(capsys)
    assert code == 0 and report["healthy"]
    found = findings(report)
    assert "资料库完好" in found["library"]["zh"] and found["library"]["value"] == 31
    assert found["outbox"]["value"] == 3 and "尚未从市级平台同步" in found["sync"]["zh"]
    assert kiosk("doctor") == 0 and "一切正常" in capsys.readouterr().out


def test_a_damaged_library_is_found_recovered_and_works_again(cli_env, capsys):
    data = cli_env / "kiosk"
    a_library_with_local_things(data)
    damage_an_items_page(data / "library.db")
    capsys.readouterr()
    assert kiosk("doctor") == 1
    out = capsys.readouterr().out
    assert "问题  资料库完整性检查未通过" in out and "kiosk doctor --recover" in out

    assert kiosk("doctor", "--recover") == 0
    out = capsys.readouterr().out
    assert "资料库已重建：保留本地公告 1 条、记录 3 条（待上传 3 条，被拒收 0 条）" in out
    assert "kiosk sync --once" in out and "一切正常" in out
    code, report = doctor(capsys)
    assert code == 0 and "损坏资料库 1 个" in findings(report)["damaged"]["zh"]
    assert findings(report)["outbox"]["value"] == 3
    assert kiosk("content", "list", "--kind", "notice", "--json") == 0
    assert [n["id"] for n in json.loads(capsys.readouterr().out)] == ["local-1"]


def test_sync_errors_and_staging_leftovers_are_named(cli_env, capsys):
    data = cli_env / "kiosk"
    a_library_with_local_things(data)
    with Library(data / "library.db") as library:
        library.update_meta(
            {
                "sync.last_attempt": "2026-12-01T00:00:00Z",
                "sync.last_error": "DiskFull: …",
                "sync.last_error_zh": "磁盘空间不足，本次同步未下载任何内容",
            }
        )
    (data / "sync" / "blobs").mkdir(parents=True)
    with open(data / "sync" / "blobs" / "cut.part", "wb") as fh:
        fh.truncate(80 << 20)  # sparse: 80 MB as far as sizes go
    code, report = doctor(capsys)
    found = findings(report)
    assert code == 1 and not found["sync"]["ok"] and "磁盘空间不足" in found["sync"]["zh"]
    assert not found["staging"]["ok"] and "80.0 MB" in found["staging"]["zh"]


def test_recovering_without_a_library_says_so(cli_env, capsys):
    assert kiosk("doctor", "--recover") == 2
    assert "不存在" in capsys.readouterr().err
