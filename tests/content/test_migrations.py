"""Migrations never lose data: a database made by migration N opens and upgrades under N+1."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from content import migrations
from content.store import Library

NAMES = [m.name for m in migrations.library._migrations]


def test_latest_names_the_last_migration():
    assert NAMES[-1] == migrations.LATEST


@pytest.mark.parametrize("next_name", NAMES[1:])
def test_database_of_an_earlier_migration_upgrades_with_its_data(tmp_path, next_name):
    path = tmp_path / "library.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    migrations.library.apply(db, stop_before=next_name)
    db.execute(
        "INSERT INTO items (id, kind, title, body_md, doc_number, date) VALUES "
        "('old-1', 'document', '旧版本保存的文件', '正文：秸秆综合利用', '定政发字〔2021〕9号', '2021-05-06')"
    )
    db.execute("INSERT INTO meta (key, value) VALUES ('kiosk.note', '保留')")
    conn.close()

    with Library(path) as library:
        item = library.get("old-1")
        assert item.title == "旧版本保存的文件"
        assert item.doc_number == "定政发字〔2021〕9号"
        assert library.get_meta("kiosk.note") == "保留"
        applied = [m.name for m in migrations.library.applied(library.db)]
        assert applied == NAMES
        assert [h.id for h in library.search("秸秆")] == ["old-1"]


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "library.db"
    Library(path).close()
    with Library(path) as library:
        assert [m.name for m in migrations.library.applied(library.db)] == NAMES
