"""The resident-action record kinds (content/record_schema.py RESIDENT_ACTIONS) under hypothesis, as the
kiosk (`UsageRecords.event`) and the city (`parse_record`) check them: every declared record is taken and
rolls up; an unknown kind or field, an oversized or malformed value is refused by both, and nothing of it
is tallied or staged."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content import record_schema as rs
from content.channel import canonical_json
from kiosk.config import defaults
from kiosk.statistics.rollup import USES, rows
from kiosk.usage import UsageRecords

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))
from test_record_schema import value_of  # noqa: E402

common = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KINDS = sorted(rs.RESIDENT_ACTIONS)
actions = st.sampled_from(KINDS).flatmap(lambda k: st.tuples(st.just(k), value_of(rs.SCHEMAS[k].payload)))


class Enrolled:
    enrolled = True


@pytest.fixture
def usage(tmp_path):
    records = UsageRecords(defaults(), Enrolled(), tmp_path)
    yield records
    records.close()


def city_parses(kind: str, payload: dict) -> rs.Record:
    return rs.parse_record(rs.record_body(kind, "2026-12-04T09:30:00Z", payload))


def raw_body(kind: str, payload: dict) -> bytes:
    return canonical_json(
        {"kind": kind, "created_at": "2026-12-04T09:30:00Z", "payload": payload, "schema": 1}
    )


@common
@given(actions)
def test_every_declared_action_is_taken_by_kiosk_and_city_and_rolls_up(action):
    kind, payload = action
    rs.check_payload(kind, payload)
    assert city_parses(kind, payload).payload == payload
    out = rows(kind, payload)
    assert out and all(r.count == 1 and r.total >= 0 and r.function and r.measure for r in out)
    assert sum(r.measure in USES for r in out) <= 1  # one action is at most one use


@common
@given(actions, st.text(min_size=1, max_size=20), st.integers() | st.text(max_size=20))
def test_an_undeclared_field_is_refused_by_both(usage, action, name, value):
    kind, payload = action
    if name in rs.SCHEMAS[kind].payload.fields:
        return
    with pytest.raises(rs.RecordInvalid, match="not a declared field"):
        usage.event(kind, **{**payload, name: value})
    with pytest.raises(rs.RecordInvalid):
        rs.parse_record(raw_body(kind, {**payload, name: value}))


@common
@given(
    st.text(max_size=30).filter(lambda k: k not in rs.SCHEMAS),
    st.dictionaries(st.text(max_size=5), st.integers()),
)
def test_an_unknown_kind_is_refused_by_both(usage, kind, payload):
    with pytest.raises(rs.RecordInvalid, match="kind"):
        usage.event(kind, **{k: v for k, v in payload.items() if k.isidentifier()})
    with pytest.raises(rs.RecordInvalid):
        rs.parse_record(raw_body(kind, payload))


def text_fields(kind: str) -> list[tuple[str, rs.Text]]:
    return [(n, f) for n, f in rs.SCHEMAS[kind].payload.fields.items() if isinstance(f, rs.Text)]


@common
@given(actions, st.data())
def test_oversized_or_malformed_values_are_refused_by_both(usage, action, data):
    kind, payload = action
    field = data.draw(st.sampled_from(sorted(rs.SCHEMAS[kind].payload.fields)))
    spec = rs.SCHEMAS[kind].payload.fields[field]
    bad = data.draw(
        st.sampled_from([None, [1], {"a": 1}, 1.5, 2**70, "x" * 70_000, "a\x00b", "130102199003071234 张三"])
    )
    try:
        spec.check(bad, field)
    except rs.RecordInvalid:
        pass
    else:
        return  # this value fits this field (a 70,000-character item id would not; a Flag takes no None…)
    if bad is None:
        return  # None is "leave the field out" for `event`
    with pytest.raises(rs.RecordInvalid):
        usage.event(kind, **{**payload, field: bad})
    with pytest.raises(rs.RecordInvalid):
        rs.parse_record(raw_body(kind, {**payload, field: bad}))


def test_nothing_refused_is_tallied_or_staged(usage):
    for call in (
        lambda: usage.event("search", query_class="words", results=0, opened=False, query="秸秆"),
        lambda: usage.event("read", item_kind="document", item_id="x" * 201, seconds=1),
        lambda: usage.event("idle_reset", screen="张三"),
        lambda: usage.event("list_opened", list="130102199003071234"),
        lambda: usage.event("queue_ticket", event="called", service="a", wait_seconds=1),
        lambda: usage.event("queue_rating", level=0),
    ):
        with pytest.raises(rs.RecordInvalid):
            call()
    usage.flush()
    assert usage.store().tally(date.min, date.max) == [] and usage.store().staged() == []


def test_the_declared_kinds_carry_no_free_text_where_a_person_could_be_written():
    """Every text field of a resident action is an item id, a key or a short name with a declared form:
    none is open text of a resident's own (a query, a name, a phone)."""
    free = {(kind, name) for kind in KINDS for name, spec in text_fields(kind) if spec.pattern is None}
    assert free == {
        ("read", "item_id"),
        ("notice_viewed", "item_id"),
        ("guide_viewed", "item_id"),
        ("checklist_printed", "item_id"),
        ("queue_ticket", "window"),
        ("queue_rating", "window"),
    }, free


def test_every_screen_name_fits_the_idle_reset_record():
    """The idle reset records the screen it left (ui/appstate.py): each screen's name must fit the kind."""
    names = {
        m.group(1)
        for path in (Path(__file__).resolve().parents[2] / "ui").glob("*.qml")
        for m in re.finditer(r'screenName: "([^"]+)"', path.read_text(encoding="utf-8"))
    }
    assert {"home", "reader", "statistics"} <= names
    for name in names:
        rs.check_payload("idle_reset", {"screen": name})
