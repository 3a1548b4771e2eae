"""The index's lifecycle: stamp and rebuild, incremental updates that equal a rebuild, writers that bypass
the store, rollbacks, and the alias table seeding."""

from __future__ import annotations

import pytest
from test_search_kit import extra_items, gazette_items

import content.search.engine as engine
from content.model import Item
from content.search import index, search
from content.store import Library


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    monkeypatch.setattr(engine, "STRICT", True)


def snapshot(db) -> dict:
    """Everything the index holds: every token instance of the three FTS tables, and the docs table."""
    out = {}
    for table in ("search_text", "search_title", "search_pinyin"):
        db.execute(f"DROP TABLE IF EXISTS temp.vocab_{table}")
        db.execute(f"CREATE VIRTUAL TABLE temp.vocab_{table} USING fts5vocab(main, {table}, instance)")
        out[table] = db.execute(
            f"SELECT term, doc, col, offset FROM temp.vocab_{table} ORDER BY 1, 2, 3, 4"
        ).fetchall()
        db.execute(f"DROP TABLE temp.vocab_{table}")
    out["docs"] = db.execute("SELECT * FROM search_docs ORDER BY rowid").fetchall()
    return out


def assert_equals_rebuild(lib: Library) -> None:
    before = snapshot(lib.db)
    assert before["search_text"], "index is empty"
    with lib.transaction() as db:
        index.rebuild(db)
    assert snapshot(lib.db) == before
    assert lib.db.execute("SELECT count(*) FROM search_stale").fetchone()[0] == 0


def ids(hits) -> list[str]:
    return [h.id for h in hits]


@pytest.fixture
def lib(tmp_path):
    library = Library(tmp_path / "library.db")
    library.upsert_items(gazette_items()[:8] + extra_items())
    yield library
    library.close()


def test_stamp_is_written(lib):
    assert index.stamp(lib.db) == index.current_stamp()
    assert "cjk-bigram" in index.stamp(lib.db) and "pypinyin" in index.stamp(lib.db)
    assert lib.stats()["search_index"] == index.current_stamp()


def test_changed_tokenizer_version_rebuilds_on_open(tmp_path, monkeypatch):
    path = tmp_path / "library.db"
    Library(path).close()
    with Library(path) as lib:
        lib.upsert_items(extra_items())
    calls = []
    real_rebuild = index.rebuild
    monkeypatch.setattr(index, "rebuild", lambda db: calls.append(1) or real_rebuild(db))
    Library(path).close()
    assert calls == []  # same stamp: no rebuild
    monkeypatch.setattr(index, "TOKENIZER_VERSION", "cjk-bigram-999")
    with Library(path) as lib:
        assert calls == [1]
        assert index.stamp(lib.db).startswith("cjk-bigram-999;")
        assert search(lib.db, "秸秆")[0].id == "t-straw-title"


def test_index_from_an_old_tokenizer_is_replaced(tmp_path):
    """An index built by another tokenizer (here: garbage tokens) is unusable until rebuilt."""
    path = tmp_path / "library.db"
    with Library(path) as lib:
        lib.upsert_items(extra_items())
        with lib.transaction() as db:
            for table in ("search_text", "search_title"):
                db.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
            db.execute("INSERT INTO search_text(rowid, text) SELECT rowid, 'oldtoken' FROM items")
            db.execute("UPDATE meta SET value = 'trigram-1' WHERE key = ?", [index.STAMP_KEY])
        assert search(lib.db, "秸秆禁烧") == []  # what the old index gives
    with Library(path) as lib:
        assert search(lib.db, "秸秆禁烧")[0].id == "t-straw-title"
        assert search(lib.db, "oldtoken") == []
        assert_equals_rebuild(lib)


def test_incremental_updates_equal_a_rebuild(lib):
    items = {i.id: i for i in lib.items()}
    changed = items["t-straw-body"]
    changed.body_md += "新增光伏扶贫内容。"
    retitled = items["doc-04"]
    retitled.title = "定州市国土绿化实施方案（修订）"
    retopic = items["t-express"]
    retopic.topics = ["邮政快递", "乡村振兴"]
    lib.upsert_items([changed, retitled, retopic])
    lib.delete_items(["t-bank", "doc-02"])
    lib.upsert_items([Item("t-new", "notice", "关于冬季清洁取暖补贴的公示", "清洁取暖补贴发放名单。")])
    lib.upsert_items([changed])  # unchanged: no-op
    assert_equals_rebuild(lib)
    assert "t-straw-body" in ids(search(lib.db, "光伏扶贫"))
    assert search(lib.db, "修订")[0].id == "doc-04"
    assert "t-express" in ids(search(lib.db, "乡村振兴"))
    assert "t-bank" not in ids(search(lib.db, "银行网点"))


def test_doc_number_change_is_indexed(lib):
    item = lib.get("doc-04")
    item.doc_number = "定政发〔2022〕99号"
    lib.upsert_items([item])
    assert search(lib.db, "定政发〔2022〕99号")[0].id == "doc-04"
    assert not [h for h in search(lib.db, "定政发〔2022〕7号") if h.match == "docnum"]


def test_rollback_leaves_the_index_unchanged(lib):
    before = snapshot(lib.db)
    with pytest.raises(RuntimeError), lib.transaction():
        lib.upsert_items([Item("t-ghost", "notice", "回滚的公告", "不应出现的光伏内容")])
        lib.delete_items(["t-pv"])
        raise RuntimeError("abort")
    assert snapshot(lib.db) == before
    assert "t-ghost" not in ids(search(lib.db, "回滚"))
    assert "t-pv" in ids(search(lib.db, "光伏"))


def test_writer_bypassing_the_store_is_caught_up_on_open(tmp_path):
    path = tmp_path / "library.db"
    with Library(path) as lib:
        lib.upsert_items(extra_items())
        # Another tool edits items directly, without telling the index.
        with lib.transaction() as db:
            db.execute("UPDATE items SET body_md = '改为讨论快递包装回收。' WHERE id = 't-straw-body'")
            db.execute("UPDATE items SET body_md = body_md || '再改一次。' WHERE id = 't-straw-body'")
            db.execute("DELETE FROM items WHERE id = 't-bank'")
            db.execute(
                "INSERT INTO items(id, kind, title, body_md) VALUES ('t-raw', 'notice', '直接写入的公告', '冷链仓储')"
            )
    with Library(path) as lib:
        assert "t-straw-body" in ids(search(lib.db, "快递包装"))
        assert "t-straw-body" not in ids(search(lib.db, "焚烧秸秆"))
        assert "t-bank" not in ids(search(lib.db, "银行"))
        assert search(lib.db, "冷链仓储")[0].id == "t-raw"
        assert_equals_rebuild(lib)


def test_replaced_row_is_handled_exactly(lib):
    with lib.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO items(id, kind, title, body_md) VALUES ('t-pv', 'guide', '光伏指南', '新内容')"
        )
        index.reindex(db, ["t-pv"])
    assert index.stamp(lib.db) == index.current_stamp()
    assert [h.id for h in search(lib.db, "光伏指南")] == ["t-pv"]
    assert "t-pv" not in ids(search(lib.db, "分布式光伏"))
    assert_equals_rebuild(lib)


def test_lost_old_tokens_mark_the_index_dirty_and_it_is_rebuilt(tmp_path):
    path = tmp_path / "library.db"
    with Library(path) as lib:
        lib.upsert_items(extra_items())
        with lib.transaction() as db:
            # A row replaced (new rowid) while the old body was lost (say, by a tool that dropped the
            # triggers): the old entry cannot be removed exactly.
            db.execute(
                "INSERT OR REPLACE INTO items(id, kind, title, body_md) VALUES ('t-pv', 'guide', '光伏指南', '新内容')"
            )
            db.execute("DELETE FROM search_stale")
            index.reindex(db, ["t-pv"])
        assert index.stamp(lib.db) == index.DIRTY
        assert [h.id for h in search(lib.db, "光伏指南")] == ["t-pv"]  # the new row is searchable
        assert "t-pv" not in ids(search(lib.db, "分布式光伏"))  # the stale entry is never shown
    with Library(path) as lib:
        assert index.stamp(lib.db) == index.current_stamp()
        assert_equals_rebuild(lib)
        assert [h.id for h in search(lib.db, "光伏指南")] == ["t-pv"]


def test_aliases_seeded_and_city_rows_kept(tmp_path):
    path = tmp_path / "library.db"
    with Library(path) as lib:
        count = lib.db.execute("SELECT count(*) FROM aliases WHERE origin = 'bundled'").fetchone()[0]
        assert count >= 40
        with lib.transaction() as db:
            db.execute("INSERT INTO aliases VALUES ('旧词', '已删除', 'bundled')")
            db.execute("INSERT INTO aliases VALUES ('取暖费', '供热费', 'city')")
    with Library(path) as lib:
        rows = set(lib.db.execute("SELECT term, expansion, origin FROM aliases").fetchall())
        assert ("旧词", "已删除", "bundled") not in rows
        assert ("取暖费", "供热费", "city") in rows
        assert lib.db.execute("SELECT count(*) FROM aliases WHERE origin = 'bundled'").fetchone()[0] == count


def test_empty_library_searches(tmp_path):
    with Library(tmp_path / "library.db") as lib:
        assert search(lib.db, "秸秆") == []
        assert search(lib.db, "定政发〔2022〕7号") == []
        assert search(lib.db, "gtlh") == []


def test_chunked_indexing_equals_rebuild(tmp_path, monkeypatch):
    monkeypatch.setattr(index, "_CHUNK", 3)  # many chunks per write
    with Library(tmp_path / "library.db") as lib:
        lib.upsert_items(gazette_items() + extra_items())
        items = {i.id: i for i in lib.items()}
        for item_id in ("doc-01", "doc-05", "t-pv", "interp-02"):
            items[item_id].body_md += "追加的冷链内容。"
        lib.upsert_items(items.values())
        chunked = snapshot(lib.db)
        monkeypatch.setattr(index, "_CHUNK", 10**6)  # one chunk
        with lib.transaction() as db:
            index.rebuild(db)
        assert snapshot(lib.db) == chunked
        assert {"doc-01", "doc-05", "t-pv", "interp-02"} <= set(ids(search(lib.db, "冷链内容", limit=50)))


def test_fts_settings_applied_to_an_existing_index(tmp_path):
    def settings(lib: Library) -> set:
        return {
            (table, k, v)
            for table in ("search_text", "search_title", "search_pinyin")
            for k, v in lib.db.execute(
                f"SELECT k, v FROM {table}_config WHERE k IN ('automerge', 'hashsize', 'crisismerge')"
            )
        }

    wanted = {
        (table, k, v)
        for table in ("search_text", "search_title", "search_pinyin")
        for k, v in (
            ("automerge", index.AUTOMERGE),
            ("hashsize", index.HASHSIZE),
            ("crisismerge", index.CRISISMERGE),
        )
    }
    with Library(tmp_path / "library.db") as lib:
        assert settings(lib) == wanted
        lib.db.execute("INSERT INTO search_text(search_text, rank) VALUES ('automerge', 4)")
        lib.db.execute("INSERT INTO search_pinyin(search_pinyin, rank) VALUES ('crisismerge', 16)")
    with Library(tmp_path / "library.db") as lib:  # same stamp: no rebuild, settings restored
        assert settings(lib) == wanted


def fts_segments(lib: Library, table: str) -> int:
    """How many segments the FTS5 table's structure record lists (its %_data row 10: a 4-byte cookie,
    then varints: levels, segments, …)."""
    block = lib.db.execute(f"SELECT block FROM {table}_data WHERE id = 10").fetchone()[0]
    at, values = 4, []
    while len(values) < 2:
        value = 0
        for _ in range(9):
            byte = block[at]
            at += 1
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values[1]


def test_changing_many_titles_adds_one_segment_per_chunk_not_two(tmp_path):
    """Each row's delete and insert go together in rowid order: FTS5 flushes a new segment whenever a
    rowid is not above the last one written, so deletes then inserts would cost two per chunk."""
    items = [
        Item(
            id=f"d{n}", kind="document", title=f"关于秸秆综合利用的通知{n}", body_md="严禁露天焚烧秸秆。" * 20
        )
        for n in range(1200)
    ]
    with Library(tmp_path / "library.db") as lib:
        lib.upsert_items(items)
        before = {
            table: fts_segments(lib, table) for table in ("search_text", "search_title", "search_pinyin")
        }
        with lib.transaction():
            lib.upsert_items([Item(**{**vars(it), "title": it.title + "（修订）"}) for it in items])
        after = {table: fts_segments(lib, table) for table in before}
        chunks = -(-len(items) // index._CHUNK)  # noqa: SLF001
        assert all(0 < after[t] - before[t] <= chunks for t in before), (before, after, chunks)
        assert [hit.id for hit in lib.search("秸秆综合利用的通知7（修订）", limit=1)] == ["d7"]
        hits = lib.search("通知7", limit=50)
        assert hits and all("修订" in hit.title for hit in hits)  # the old titles are gone from the index
