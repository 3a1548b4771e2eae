"""Recovering a damaged library (content/recover.py): the damaged file is kept aside, a fresh library holds
the local notices with their attachments, the records, the pending outbox and the refused records; a
table with a damaged page keeps every row on its sound pages and is named. The fresh library passes its
check and syncs again."""

from __future__ import annotations

import os
import sqlite3

import pytest
from channel_kit import item, make_city, open_kiosk, publish_items

from content.model import Item
from content.outbox import Outbox
from content.records import record_usage
from content.recover import RecoveryFailed, recover
from content.store import Library
from content.sync import sync_status
from content.transport import DirectorySource

PAGE = 4096
RECORDS = 3000  # enough rows for the records table to span many pages


def notice(n: int) -> Item:
    return Item(
        id=f"local-{n}",
        kind="notice",
        title=f"村务公开：第{n}季度财务收支",
        body_md="收入 1,200 元，支出 800 元。",
        origin="local",
        valid_from="2024-01-01",
    )


@pytest.fixture
def kiosk(tmp_path):
    """A kiosk that synced a channel, holds two local notices (one with a photo), records (some pending,
    some delivered, one refused), and outbox counters."""
    city = make_city(tmp_path / "city")
    publish_items(city, [item(n) for n in range(50)])
    city.repo.export(tmp_path / "usb")
    data = tmp_path / "kiosk"
    library, client = open_kiosk(data, city)
    client.sync(DirectorySource(tmp_path / "usb"))
    library.upsert_items([notice(1), notice(2)])
    photo = library.add_attachment(b"\x89PNG" + os.urandom(500), "image/png")
    library.link_attachment("local-1", photo.sha256, "照片.png", "photo")
    outbox = Outbox(library, capacity=100_000)
    for n in range(RECORDS):
        record_usage(outbox, "view", kind="document", item_id=f"doc-{n % 50:06d}")
    due = outbox.due(limit=12)
    for row in due[:10]:
        outbox.mark_sent(row.id)
    outbox.refuse(due[10].id, 422, "field 'x' unknown", "记录字段“x”未声明")
    library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    return data, city, tmp_path / "usb"


def damage(path, table: str, leaf: int | None = None) -> None:
    """Random bytes over one page of `table`: its root, or its `leaf`-th leaf page."""
    conn = sqlite3.connect(path)
    if leaf is None:
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    else:
        pages = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", [table]
        ).fetchall()
        page = pages[leaf][0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * PAGE)
        fh.write(os.urandom(PAGE))


def test_damage_outside_what_is_kept_loses_nothing_and_the_next_sync_refills(kiosk):
    data, city, usb = kiosk
    damage(data / "library.db", "items_kind_date", leaf=0)  # a city index page: the check fails
    with Library(data / "library.db") as library:
        assert library.quick_check() != []
    report = recover(data)
    assert (report.notices, report.records, report.pending, report.refused) == (2, RECORDS, RECORDS - 11, 1)
    assert report.damaged_tables == []
    assert os.path.exists(report.damaged) and "library.damaged-" in report.damaged

    library, client = open_kiosk(data, city)
    with library:
        assert library.quick_check() == []
        assert [i.id for i in library.current_notices()] == ["local-2", "local-1"]
        assert [a.name for a in library.attachments_of("local-1")] == ["照片.png"]
        status = Outbox(library).status()
        assert (status.pending, status.refused, status.sent_total) == (RECORDS - 11, 1, 10)
        assert [r.reason_zh for r in Outbox(library).refused()] == ["记录字段“x”未声明"]
        assert sync_status(library).version is None  # the channel's state went with the damaged file
        assert client.sync(DirectorySource(usb)).added == 50
        assert library.stats()["by_kind"]["document"] == 50 and library.search("秸秆综合利用")


def test_a_damaged_page_loses_only_its_own_rows(kiosk):
    data, _city, _usb = kiosk
    with Library(data / "library.db") as library:
        rows_per_page = (
            RECORDS
            // library.db.execute(
                "SELECT count(*) FROM dbstat WHERE name = 'records' AND pagetype = 'leaf'"
            ).fetchone()[0]
        )
    damage(data / "library.db", "records", leaf=5)
    with Library(data / "library.db") as library, pytest.raises(sqlite3.DatabaseError):
        library.db.execute("SELECT count(*) FROM records NOT INDEXED").fetchone()
    report = recover(data)
    assert report.damaged_tables == ["records"]
    assert RECORDS - 2 * rows_per_page <= report.records < RECORDS  # one page's rows, about
    assert report.notices == 2 and report.pending <= report.records and report.refused <= 1
    with Library(data / "library.db") as library:
        assert library.quick_check() == []
        assert Outbox(library, capacity=100_000).status().pending == report.pending


def test_damage_to_the_schema_keeps_nothing_but_gives_a_working_library(kiosk):
    data, _city, _usb = kiosk
    with open(data / "library.db", "r+b") as fh:  # page 1 after the header: the schema table
        fh.seek(100)
        fh.write(os.urandom(PAGE - 100))
    report = recover(data)
    assert report.damaged_tables == sorted(
        ["items", "attachments", "item_attachments", "records", "outbox", "outbox_refused", "meta"]
    )
    assert (report.notices, report.records) == (0, 0)
    with Library(data / "library.db") as library:
        assert library.quick_check() == [] and library.stats()["items"] == 0


def test_nothing_to_recover_is_said(tmp_path):
    with pytest.raises(RecoveryFailed) as caught:
        recover(tmp_path)
    assert "不存在" in caught.value.zh
