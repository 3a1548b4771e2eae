"""`kiosk tiers check` reads the feature registry: each facility names the function that provides it, and
a function added to the registry shows up there without any change to the command."""

from __future__ import annotations

import json

from kiosk import features
from kiosk.cli import main
from kiosk.features import Availability, Feature


def facility(data: dict, key: str) -> dict:
    return next(f for f in data["facilities"] if f["key"] == key)


def test_the_check_names_the_function_behind_a_facility(cli_env, capsys):
    assert main(["tiers", "check", "--json"]) == 0
    board = facility(json.loads(capsys.readouterr().out), "notice_board")
    assert board["status"] == "present" and board["provided_by"] == "公示公告"
    assert main(["tiers", "check"]) == 0
    assert "由“公示公告”提供" in capsys.readouterr().out


def test_a_registered_function_is_in_the_check(cli_env, capsys, monkeypatch):
    tickets = Feature(
        key="tickets",
        title="取号",
        icon="号",
        subtitle=lambda facts: "",
        screen="QueueScreen.qml",
        available=Availability(tiers=("省",)),
        facilities=("guided_query",),
    )
    monkeypatch.setattr(features, "REGISTRY", features.REGISTRY.plus(tickets))
    assert main(["tiers", "check", "--json"]) == 0
    query = facility(json.loads(capsys.readouterr().out), "guided_query")
    assert query["status"] == "missing" and query["detail"] == "取号：市级专区不提供"
    (cli_env / "kiosk.toml").write_text(
        '[content]\nbundled_gazette = false\n[kiosk]\ntier = "省"\n', encoding="utf-8"
    )
    assert main(["tiers", "check", "--json"]) == 0
    query = facility(json.loads(capsys.readouterr().out), "guided_query")
    assert query["status"] == "present" and query["provided_by"] == "取号"
