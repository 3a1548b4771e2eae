"""`kiosk demo`'s application key (kiosk/demo.py): the demo offers 信息公开申请 with no city, an application
there is sealed into the outbox like a real one, the key survives the next demo start, a damaged marker
gets a new key, and an enrolled kiosk never uses it."""

from __future__ import annotations

import json
import tomllib

from application_desk import CITIZEN

from city import fleet
from city.home import CityHome
from content.outbox import Outbox
from content.store import Library
from kiosk import demo, enrolment
from kiosk.applications.desk import open_desk
from kiosk.applications.form import parse
from kiosk.features.applications import key_installed
from kiosk.paths import DEMO_MARKER


def test_the_demo_takes_applications_sealed_into_its_outbox(tmp_path):
    assert not key_installed(tmp_path)
    demo.write_marker(tmp_path)
    assert key_installed(tmp_path)
    marker = json.loads((tmp_path / DEMO_MARKER).read_text(encoding="utf-8"))
    assert marker["devices"] == "sim://" and "private" not in json.dumps(marker)
    with Library(tmp_path / "library.db") as library:
        outbox = Outbox(library)
        desk = open_desk(tmp_path, outbox, None)
        try:
            assert desk.unavailable() is None
            submitted = desk.submit(parse(CITIZEN))
            assert desk.store.get(submitted.number) is not None
            pending = outbox.due()
            assert [p.kind for p in pending] == ["application"]
            assert CITIZEN["name"] not in json.dumps(pending[0].payload, ensure_ascii=False)  # sealed
        finally:
            desk.store.close()


def test_the_key_survives_a_restart_and_a_damaged_marker_gets_a_new_one(tmp_path):
    demo.write_marker(tmp_path)
    first = demo.read_marker(tmp_path)["application_key"]
    demo.write_marker(tmp_path)
    assert demo.read_marker(tmp_path)["application_key"] == first
    (tmp_path / DEMO_MARKER).write_text("{not json", encoding="utf-8")
    assert demo.application_public(tmp_path) is None and not key_installed(tmp_path)
    demo.write_marker(tmp_path)
    assert demo.read_marker(tmp_path)["application_key"] != first and key_installed(tmp_path)
    (tmp_path / DEMO_MARKER).write_text('{"application_key": "not base64"}', encoding="utf-8")
    assert demo.application_public(tmp_path) is None


def test_an_enrolled_kiosk_uses_the_enrolment_never_the_demo_key(tmp_path):
    data = tmp_path / "kiosk"
    data.mkdir()
    demo.write_marker(data)
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="dingzhou")
    home.keygen()  # no application key made: the enrolment carries none
    document = fleet.enrol(home, "dz-002", channel_url="http://x/channel/", upload_url="http://x/v1/outbox")
    (tmp_path / "enrol.json").write_text(json.dumps(document), encoding="utf-8")
    enrolment.install(tmp_path / "enrol.json", data)
    assert not key_installed(data)
    with Library(data / "library.db") as library:
        desk = open_desk(data, Outbox(library), enrolment.load(data))
        try:
            assert desk.unavailable() is not None and desk.kiosk_id == "dz-002"
        finally:
            desk.store.close()
    (data / enrolment.FILE_NAME).unlink()
    assert key_installed(data)  # the same directory unenrolled is the demo's again


def test_the_demo_configures_its_hall_queue_once_and_keeps_one_staff_made(tmp_path):
    from kiosk.queue import Queue, configured_in, parse_config

    assert demo.configure_queue(tmp_path) and configured_in(tmp_path)
    queue = Queue.open(tmp_path)
    try:
        services = queue.config.services
        assert [s.prefix for s in services] == ["A", "B", "C"]
        assert all(s.guide.startswith("guide-demo-") for s in services)
        own = '[[service]]\nkey = "x"\nname = "综合受理"\nprefix = "Z"\n[[window]]\nnumber = 9\nname = "9号窗口"\nservices = ["x"]\n'
        queue.configure(parse_config(tomllib.loads(own)))
    finally:
        queue.close()
    assert not demo.configure_queue(tmp_path)  # staff's own configuration stays
    queue = Queue.open(tmp_path)
    try:
        assert [s.prefix for s in queue.config.services] == ["Z"]
    finally:
        queue.close()
