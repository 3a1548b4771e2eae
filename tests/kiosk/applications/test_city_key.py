"""The city's application key: made by `city keygen`, carried by `city enrol` to `kiosk enrol`, sealing
the kiosk's applications so that the city's private key opens them, across a rotation."""

from __future__ import annotations

import base64
import json
import stat

import pytest
from application_desk import CITIZEN

from city import application_key
from city import cli as city_cli
from city.home import CityHome
from content.outbox import Outbox
from content.sealed import open_sealed
from content.store import Library
from content.workdays import WorkCalendar
from kiosk import cli as kiosk_cli
from kiosk import enrolment
from kiosk.applications.form import parse
from kiosk.applications.store import ApplicationStore
from kiosk.applications.submit import Applications


def city(*args: str) -> int:
    return city_cli.main(list(args))


def kiosk(*args: str) -> int:
    return kiosk_cli.main(list(args))


def submit_with(installed: enrolment.Enrolment, folder):
    with Library(folder / "library.db") as library:
        store = ApplicationStore(folder / "applications.db")
        desk = Applications(
            store, Outbox(library), installed.kiosk_id, installed.application_public, WorkCalendar()
        )
        try:
            desk.submit(parse(CITIZEN))
            return desk.outbox.due()[-1].payload
        finally:
            store.close()


def test_keygen_enrol_and_a_sealed_application_the_city_opens(cli_env, capsys):
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    home = CityHome(cli_env / "city")
    (kid,) = application_key.private_keys(home)
    assert f"申请加密密钥 application key: {kid}" in capsys.readouterr().out
    assert stat.S_IMODE((application_key.folder(home) / f"{kid}.pem").stat().st_mode) == 0o600
    assert city("keygen", "--application-key") == 2  # exists already: said, nothing replaced
    assert "申请加密密钥已存在" in capsys.readouterr().err

    assert city("enrol", "dz-001", "--out", str(cli_env / "dz-001.json")) == 0
    document = json.loads((cli_env / "dz-001.json").read_text())
    assert document["application_key"]["key_id"] == kid
    assert kiosk("enrol", str(cli_env / "dz-001.json")) == 0
    assert f"申请加密公钥：{kid}" in capsys.readouterr().out
    installed = enrolment.load(cli_env / "kiosk")
    assert installed.describe()["application_key"] == kid

    payload = submit_with(installed, cli_env / "kiosk")
    assert payload["key_id"] == kid
    opened = json.loads(
        open_sealed(application_key.private_keys(home)[kid], base64.b64decode(payload["sealed"]))
    )
    assert opened["application"]["name"] == CITIZEN["name"] and opened["kiosk_id"] == "dz-001"

    # A rotation: new enrolments seal to the new key, and what was sealed to the old one still opens.
    assert city("keygen", "--application-key", "--rotate") == 0
    keys = application_key.private_keys(home)
    assert len(keys) == 2 and kid in keys
    assert application_key.enrolment_entry(home)["key_id"] != kid


def test_a_city_made_before_the_application_key_adds_it_and_older_enrolments_take_no_application(
    cli_env, capsys
):
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    home = CityHome(cli_env / "city")
    for path in application_key.folder(home).iterdir():  # as a city home made before this existed
        path.unlink()
    assert city("enrol", "dz-002", "--out", str(cli_env / "old.json")) == 0
    assert "application_key" not in json.loads((cli_env / "old.json").read_text())
    assert kiosk("enrol", str(cli_env / "old.json")) == 0
    assert "申请加密公钥：未下发" in capsys.readouterr().out
    old = enrolment.load(cli_env / "kiosk")
    assert old.application_public is None and old.describe()["application_key"] is None

    assert city("keygen", "--application-key") == 0
    assert application_key.exists(home)


@pytest.mark.parametrize(
    "entry",
    [
        "text",
        {"key_id": "0" * 16},
        {"key_id": "0" * 16, "public_key": "not base64"},
        {"key_id": "0" * 16, "public_key": base64.b64encode(b"\x09" * 32).decode()},  # id does not match
        {"key_id": "0" * 16, "public_key": 5},
    ],
)
def test_a_bad_application_key_in_an_enrolment_file_is_refused(cli_env, capsys, entry):
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    assert city("enrol", "dz-003", "--out", str(cli_env / "e.json")) == 0
    document = json.loads((cli_env / "e.json").read_text())
    document["application_key"] = entry
    with pytest.raises(enrolment.EnrolmentError) as caught:
        enrolment.parse(json.dumps(document).encode(), "e.json")
    assert caught.value.zh == "e.json 不是有效的登记文件：申请加密公钥无效"
