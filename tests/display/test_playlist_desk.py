"""Staff's playlist (`kiosk/signage/playlist_desk.py`): the page starts from the tier's default, an entry
added from the choosers is checked by the playlist's own rules and saved as the hall's playlist (what the
displays are served), each error is placed beside its field in Chinese with nothing kept, an entry is
deleted but never the last; any form is saved or refused with placed errors, never another error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import defaults
from kiosk.events import ContentChange
from kiosk.services import build
from kiosk.signage import playlist as playlists
from kiosk.signage.files import read_json
from kiosk.signage.playlist_desk import FIELDS, EntryInvalid

GAZETTE = {"show": "gazette", "seconds": 30, "priority": 5, "from": "2026-12-01", "to": "2026-12-31"}


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    made = build(defaults().with_values(kiosk__tier="县"), tmp_path_factory.mktemp("kiosk"), bundled=False)
    made.library.open()
    yield made
    made.close()


@pytest.fixture
def desk(services):
    (services.data_dir / "signage" / "playlist.json").unlink(missing_ok=True)
    return services.signage_desk.playlist


def test_an_entry_from_the_choosers_is_saved_as_the_halls_playlist_and_announced(services, desk):
    heard: list[str] = []
    stop = services.bus.subscribe(ContentChange, lambda change: heard.append(change.reason))
    try:
        assert [e["name"] for e in desk.entries()] == ["公示牌", "电子阅报栏"]  # a county hall's default
        added = desk.add({**GAZETTE, "weekdays": [1, 2, 3, 4, 5], "daypart": "morning"})
    finally:
        stop()
    assert added == {
        "id": "staff-1",
        "name": "电子阅报栏",
        "when": "2026-12-01 至 2026-12-31，工作日，08:00–12:00",
        "detail": "每页 30 秒，优先级 5",
    }
    saved = playlists.parse(read_json(services.data_dir / "signage" / "playlist.json", None))
    assert [e.id for e in saved.entries] == ["notices", "gazette", "staff-1"]
    assert saved.entries[-1].times == (("08:00", "12:00"),) and saved.entries[-1].priority == 5
    assert heard == ["signage"]  # the displays fetch it at once
    assert services.signage_desk.playlist.entries()[-1]["id"] == "staff-1"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({**GAZETTE, "seconds": 2}, "seconds", "应在 5 到 600 之间（现为 2）"),
        ({**GAZETTE, "priority": 101}, "priority", "应在 0 到 100 之间（现为 101）"),
        ({**GAZETTE, "to": "2026-11-01"}, "to", "结束日期 2026-11-01 早于开始日期 2026-12-01"),
        ({**GAZETTE, "from": "2026-13-01"}, "from", "应为日期，如 2026-12-01（现为 “2026-13-01”）"),
        ({**GAZETTE, "weekdays": []}, "weekdays", "应为星期几的列表，如 [1, 2, 3, 4, 5]（1 为星期一）"),
        ({**GAZETTE, "show": "item"}, "item", "选“单篇内容”时请填写内容编号"),
        (
            {**GAZETTE, "show": "radio"},
            "show",
            "只能是 notices（公示牌）、gazette（电子阅报栏）或 item（现为 “radio”）",
        ),
    ],
)
def test_each_error_is_placed_beside_its_field_and_nothing_is_kept(services, desk, form, field, message):
    with pytest.raises(EntryInvalid) as refused:
        desk.add(form)
    assert refused.value.errors == {field: message}
    assert not (services.data_dir / "signage" / "playlist.json").exists()


def test_a_placed_error_is_the_rules_own_sentence_in_the_language_in_use(services, desk, speak_english):
    speak_english(
        {"应在 {low} 到 {high} 之间（现为 {value}）": "must be between {low} and {high} (is {value})"}
    )
    with pytest.raises(EntryInvalid) as refused:
        desk.add({**GAZETTE, "seconds": 2})
    assert refused.value.errors == {"seconds": "must be between 5 and 600 (is 2)"}


def test_an_entry_is_deleted_but_never_the_last(desk):
    desk.add(GAZETTE)
    assert desk.delete("gazette") and desk.delete("notices")
    assert [e["id"] for e in desk.entries()] == ["staff-1"]
    assert not desk.delete("nothing")
    with pytest.raises(EntryInvalid) as refused:
        desk.delete("staff-1")
    assert refused.value.errors == {"form": "至少要保留一个播放项（公示屏不能没有内容）"}
    assert [e["id"] for e in desk.entries()] == ["staff-1"]


values = st.none() | st.integers(-5, 700) | st.text(max_size=12) | st.lists(st.integers(-1, 9), max_size=4)


@given(form=st.fixed_dictionaries({}, optional={k: values for k in (*FIELDS, "daypart")}))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_form_is_saved_or_refused_with_placed_errors(desk, form):
    try:
        desk.add(form)
    except EntryInvalid as exc:
        assert exc.errors and set(exc.errors) <= {*FIELDS, "form"} and all(exc.errors.values())
