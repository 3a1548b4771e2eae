"""The library store: items, versions, issues, notices, attachments, transactions, bad files."""

from __future__ import annotations

from datetime import date

import pytest

from content.errors import NotFound, StoreUnavailable
from content.model import GazetteIssue, GuideFields, Item, TocEntry
from content.store import Library


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "library.db") as lib:
        yield lib


def doc(n: int, **kw) -> Item:
    base = dict(
        id=f"d{n}",
        kind="document",
        title=f"关于秸秆禁烧的通知{n}",
        body_md="严禁露天焚烧秸秆。",
        doc_number=f"定政发〔2022〕{n}号",
        date=f"2022-03-{n:02d}",
        section="市政府文件",
    )
    base.update(kw)
    return Item(**base)


def test_upsert_tells_added_updated_unchanged_and_bumps_versions(library):
    report = library.upsert_items([doc(1), doc(2)])
    assert report.added == ["d1", "d2"] and not report.updated
    report = library.upsert_items([doc(1), doc(2, body_md="修改后的正文")])
    assert report.unchanged == ["d1"] and report.updated == ["d2"]
    assert library.get("d1").version == 1
    assert library.get("d2").version == 2
    assert library.get("d2").body_md == "修改后的正文"


def test_get_missing_item_is_a_typed_error_with_chinese_message(library):
    with pytest.raises(NotFound) as caught:
        library.get("nope")
    assert "找不到" in caught.value.zh


def test_items_round_trip_every_field(library):
    guide = Item(
        id="g1",
        kind="guide",
        title="城乡居民基本养老保险参保登记",
        body_md="…",
        topics=["养老", "社保"],
        guide=GuideFields(
            audience="公民类", subject="市人社局", materials="居民身份证", time_limit="即时办结"
        ),
    )
    library.upsert_items(
        [guide, doc(3, annexes=["附件1"], category="乡村振兴", url="http://example.gov.cn/x")]
    )
    assert library.get("g1") == guide
    got = library.get("d3")
    assert got.annexes == ["附件1"] and got.category == "乡村振兴" and got.url.endswith("/x")


def test_interpretations_and_doc_number_of_an_interpretation(library):
    library.upsert_items(
        [doc(4), Item(id="j4", kind="interpretation", title="《通知》解读", interprets_id="d4")]
    )
    assert [i.id for i in library.interpretations_of("d4")] == ["j4"]
    assert library.doc_number_of(library.get("j4")) == "定政发〔2022〕4号"


def test_replace_issue_removes_what_the_issue_no_longer_holds(library):
    issue = GazetteIssue("gz-1", "公报", 2022, 2, "2022-04-30", [TocEntry("市政府文件", "t", 3)])
    first = library.replace_issue(issue, [doc(1, issue_id="gz-1"), doc(2, issue_id="gz-1")])
    assert sorted(first.added) == ["d1", "d2"]
    again = library.replace_issue(issue, [doc(1, issue_id="gz-1"), doc(2, issue_id="gz-1")])
    assert again.summary() == {"added": 0, "updated": 0, "unchanged": 2, "removed": 0}
    changed = library.replace_issue(issue, [doc(1, issue_id="gz-1", body_md="改")])
    assert changed.updated == ["d1"] and changed.removed == ["d2"]
    assert library.issues()[0].toc == [TocEntry("市政府文件", "t", 3)]


def test_failed_transaction_leaves_the_store_unchanged(library):
    library.upsert_items([doc(1)])
    with pytest.raises(RuntimeError), library.transaction():
        library.upsert_items([doc(1, body_md="半途"), doc(2)])
        raise RuntimeError("power cut")
    assert library.get("d1").body_md == "严禁露天焚烧秸秆。"
    with pytest.raises(NotFound):
        library.get("d2")


def test_current_notices_only_valid_today_newest_first(library):
    def notice(n, start, end):
        return Item(
            id=f"n{n}",
            kind="notice",
            title=f"公示{n}",
            valid_from=start,
            valid_to=end,
            level="村",
            origin="local",
        )

    library.upsert_items(
        [
            notice(1, "2026-11-01", "2026-11-30"),
            notice(2, "2026-11-20", ""),
            notice(3, "2026-10-01", "2026-11-28"),
            notice(4, "2026-12-01", "2026-12-31"),
        ]
    )
    assert [n.id for n in library.current_notices(date(2026, 11, 29))] == ["n2", "n1"]


def test_attachments_are_stored_once_by_sha256(library):
    first = library.add_attachment(b"\x89PNG photo", "image/png")
    second = library.add_attachment(b"\x89PNG photo", "image/png")
    assert first == second
    assert library.blob_path(first.sha256).read_bytes() == b"\x89PNG photo"
    library.upsert_items([doc(1)])
    library.link_attachment("d1", first.sha256, "现场照片.png")
    assert library.attachments_of("d1")[0].name == "现场照片.png"
    assert library.stats()["attachments"] == 1


def test_stats_counts_by_kind(library):
    library.upsert_items(
        [doc(1), doc(2), Item(id="j", kind="interpretation", title="解读", interprets_id="d1")]
    )
    stats = library.stats()
    assert stats["by_kind"] == {"document": 2, "interpretation": 1, "notice": 0, "guide": 0}
    assert stats["items"] == 3


def test_a_corrupt_database_file_is_a_clear_error(tmp_path):
    path = tmp_path / "library.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable) as caught:
        Library(path)
    assert "无法打开" in caught.value.zh


def test_reads_do_not_wait_for_a_write_and_see_the_last_committed_version(library):
    import threading

    library.upsert_items([doc(1)])
    inside, release = threading.Event(), threading.Event()

    def long_write():
        with library.transaction():
            library.upsert_items([doc(1, title="修改后的标题"), doc(2)])
            # Inside its own transaction a thread reads what it wrote.
            assert library.get("d1").title == "修改后的标题"
            inside.set()
            release.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert inside.wait(10)
        # Another thread reads the committed version at once, while the write still holds the lock.
        assert library.get("d1").title == "关于秸秆禁烧的通知1"
        assert [item.id for item in library.items()] == ["d1"]
        assert [hit.id for hit in library.search("秸秆")] == ["d1"]
        with pytest.raises(NotFound):
            library.get("d2")
    finally:
        release.set()
        writer.join(10)
    assert library.get("d1").title == "修改后的标题" and library.get("d2").id == "d2"
    assert sorted(hit.id for hit in library.search("秸秆")) == ["d1", "d2"]


def test_the_read_connection_cannot_write(library):
    import sqlite3

    with library.reading() as db, pytest.raises(sqlite3.OperationalError):
        db.execute("DELETE FROM items")
