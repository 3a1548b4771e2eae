"""The desk from a data directory: the city's holiday tables, the enrolment's key, recomputed estimates."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime

from application_desk import CITIZEN
from test_workdays import TABLE_2027

from city import application_key, fleet
from city.home import CityHome
from content.outbox import Outbox
from content.store import Library
from kiosk import enrolment
from kiosk.applications.desk import calendar, open_desk
from kiosk.applications.form import parse
from kiosk.applications.submit import BEIJING


def enrolled(tmp_path) -> enrolment.Enrolment:
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="dingzhou")
    home.keygen()
    application_key.make(home)
    document = fleet.enrol(home, "dz-001", channel_url="http://x/channel/", upload_url="http://x/v1/outbox")
    return enrolment.parse(json.dumps(document).encode())


def test_a_table_that_arrives_turns_estimates_into_exact_deadlines(tmp_path, caplog):
    data = tmp_path / "kiosk"
    data.mkdir()
    with Library(data / "library.db") as library:
        desk = open_desk(data, Outbox(library), enrolled(tmp_path))
        desk.clock = lambda: datetime(2026, 12, 4, 15, 0, tzinfo=BEIJING)
        try:
            submitted = desk.submit(parse(CITIZEN))
            assert (submitted.deadline.due, submitted.deadline.estimated) == (date(2027, 1, 1), True)
            assert desk.recompute_estimated(calendar(data)) == []  # nothing new yet

            (data / "holidays").mkdir()
            (data / "holidays" / "2027.json").write_text(json.dumps(TABLE_2027), encoding="utf-8")
            (data / "holidays" / "2028.json").write_text("{", encoding="utf-8")
            with caplog.at_level(logging.WARNING):
                assert desk.recompute_estimated(calendar(data)) == [submitted.number]
            assert "holiday table left out: 2028.json: not UTF-8 JSON" in caplog.text
            entry = desk.store.get(submitted.number)
            assert (entry.deadline, entry.deadline_estimated) == (date(2027, 1, 4), False)
            assert desk.store.estimated() == []
            assert desk.submit(parse(CITIZEN)).deadline.text() == "2027年1月4日"
        finally:
            desk.store.close()


def test_without_an_enrolment_the_desk_says_why_it_takes_nothing(tmp_path):
    with Library(tmp_path / "library.db") as library:
        desk = open_desk(tmp_path, Outbox(library), None)
        try:
            assert "申请加密公钥" in desk.unavailable()
        finally:
            desk.store.close()
