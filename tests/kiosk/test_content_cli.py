"""`kiosk content …` end to end on the real seed gazette: import, list, show, stats, search, bad input."""

from __future__ import annotations

import json
import os

import pytest

from content.store import Library
from kiosk.cli import main
from kiosk.library import bundled_gazette_path

SEED = bundled_gazette_path()


@pytest.fixture
def kiosk(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    def run_json(*args: str):
        code, out, err = run(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    run.json = run_json
    return run


@pytest.fixture
def imported(kiosk):
    result = kiosk.json("content", "import-gazette", str(SEED))
    assert (result["documents"], result["interpretations"]) == (16, 14)
    return kiosk


def test_import_then_reimport_changes_nothing(imported):
    again = imported.json("content", "import-gazette", str(SEED))
    assert (again["added"], again["updated"], again["removed"], again["unchanged"]) == (0, 0, 0, 30)


def test_list_json_has_the_promised_fields(imported):
    items = imported.json("content", "list")
    assert len(items) == 30
    for item in items:
        assert {"id", "kind", "title", "doc_number", "date", "section"} <= item.keys()
    by_id = {item["id"]: item for item in items}
    interpretations = [i for i in items if i["kind"] == "interpretation"]
    assert len(interpretations) == 14
    for item in interpretations:
        assert item["doc_number"] == by_id[item["interprets_id"]]["doc_number"] != ""
    assert len(imported.json("content", "list", "--kind", "document")) == 16


def test_show_and_stats(imported):
    first = imported.json("content", "list", "--kind", "document")[0]
    shown = imported.json("content", "show", first["id"])
    assert shown["title"] == first["title"] and shown["body_md"]
    assert shown["interpretations"], "every document of the seed has its 解读"
    stats = imported.json("content", "stats")
    assert stats["by_kind"]["document"] == 16 and stats["gazette_issues"] == 1


def test_search_json_hits(imported):
    hits = imported.json("content", "search", "秸秆", "--limit", "5")
    assert hits
    for hit in hits:
        assert {"id", "kind", "title", "doc_number", "date", "snippet", "score"} <= hit.keys()
    assert "<mark>" in hits[0]["snippet"]


def write_bytes(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def bad_inputs(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    no_toc = text.replace("## 目 录", "## 前言").replace("目录", "前言")
    big = tmp_path / "huge.md"
    with open(big, "wb") as fh:
        fh.truncate(100 * 2**20)
    return {
        "empty": write_bytes(tmp_path, "empty.md", b""),
        "no-toc": write_bytes(tmp_path, "no-toc.md", no_toc.encode()),
        "truncated": write_bytes(tmp_path, "truncated.md", text[: len(text) // 2].encode()),
        "binary": write_bytes(tmp_path, "binary.md", os.urandom(4096)),
        "100MB": big,
    }


def test_bad_input_is_a_clear_error_and_leaves_the_store_unchanged(imported, tmp_path):
    before = imported.json("content", "list")
    for name, path in bad_inputs(tmp_path).items():
        code, out, err = imported("content", "import-gazette", str(path))
        assert code == 2, name
        assert "错误" in err and "Traceback" not in err, name
        assert imported.json("content", "list") == before, name


def test_truncated_issue_names_what_is_missing_and_imports_with_allow_partial(kiosk, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    path = write_bytes(tmp_path, "truncated.md", text[: len(text) // 2].encode())
    code, _, err = kiosk("content", "import-gazette", str(path))
    assert code == 2 and "--allow-partial" in err
    assert "解读" in err, "the missing entries are named"
    assert kiosk.json("content", "list") == []
    partial = kiosk.json("content", "import-gazette", str(path), "--allow-partial")
    assert partial["unmatched"] and partial["added"] == partial["documents"] + partial["interpretations"] > 0


def test_gbk_encoded_issue_is_detected_and_imported(kiosk, tmp_path):
    path = write_bytes(tmp_path, "gbk.md", SEED.read_text(encoding="utf-8").encode("gb18030"))
    result = kiosk.json("content", "import-gazette", str(path))
    assert (result["documents"], result["interpretations"]) == (16, 14)
    assert result["encoding"] in ("gb18030", "gbk")


def test_headless_demo_searches_the_bundled_gazette(kiosk, monkeypatch):
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("秸秆\n\nq\n"))
    code, out, _ = kiosk("demo", "--headless")
    assert code == 0
    assert "16 篇政策文件" in out and "14 篇政策解读" in out
    assert "秸秆" in out


def test_stats_counts_the_write_ahead_log_and_names_the_library(imported, tmp_path):
    database = tmp_path / "data" / "library.db"
    with Library(database, blobs_dir=tmp_path / "data" / "blobs") as library:
        stats = library.stats()
        on_disk = {p.name: p.stat().st_size for p in database.parent.glob("library.db*")}
    assert stats["database"] == str(database)
    assert on_disk.get("library.db-wal", 0) > 0 and stats["database_bytes"] == sum(on_disk.values())
    code, out, _ = imported("content", "stats")
    assert code == 0 and f"资料库 {database}" in out and "KB（含预写日志）" in out


def test_an_empty_library_is_named_not_just_searched(kiosk, tmp_path):
    code, out, err = kiosk("content", "search", "秸秆")
    assert code == 0 and out.strip() == "没有找到"
    assert "是空的" in err and str(tmp_path / "data" / "library.db") in err and "KIOSK_DATA_DIR" in err


def test_a_library_with_content_says_nothing_about_emptiness(imported):
    code, out, err = imported("content", "search", "秸秆")
    assert code == 0 and "秸秆" in out and "是空的" not in err
