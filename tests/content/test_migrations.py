"""Migrations never lose data: a database made by migration N opens and upgrades under N+1."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlite_utils import Database

from content import migrations
from content.guides_record import guide_record
from content.model import Guide, Material, Step, TimeLimit
from content.store import Library

NAMES = [m.name for m in migrations.library._migrations]
# A GB/T 36114 guide of the first versions, as the 实施清单 fields carry it on.
OLD_GUIDE = Guide(
    authority="市人社局",
    department="市人社局",
    served=["自然人"],
    materials=[Material("居民身份证"), Material("户口簿")],
    steps=[Step("申请"), Step("登记")],
    promised_limit=TimeLimit(None, "即办"),
    window="12号窗口",
)


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
    db.execute("INSERT INTO items (id, kind, title) VALUES ('guide-1', 'guide', '城乡居民养老保险参保登记')")
    db.execute(
        "INSERT INTO guides (item_id, audience, subject, materials, process, fees, time_limit, window) VALUES "
        "('guide-1', '公民类', '市人社局', '1. 居民身份证\n2. 户口簿', '申请\n登记', '免费', '即时办结', '12号窗口')"
    )
    if "service_guides" in db.table_names():  # written by the version that made this database
        db.execute(
            "INSERT INTO service_guides (item_id, audiences, department, record) VALUES ('guide-1', '[\"公民类\"]', "
            "'市人社局', ?)",
            [json.dumps(guide_record(OLD_GUIDE), ensure_ascii=False)],
        )
    conn.close()

    with Library(path) as library:
        item = library.get("old-1")
        assert item.title == "旧版本保存的文件"
        assert item.doc_number == "定政发字〔2021〕9号"
        assert library.get_meta("kiosk.note") == "保留"
        applied = [m.name for m in migrations.library.applied(library.db)]
        assert applied == NAMES
        assert [h.id for h in library.search("秸秆")] == ["old-1"]
        assert library.get("guide-1").guide == OLD_GUIDE
        assert [h.id for h in library.search("户口簿")] == ["guide-1"]


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "library.db"
    Library(path).close()
    with Library(path) as library:
        assert [m.name for m in migrations.library.applied(library.db)] == NAMES
