"""The declared record schemas (content/record_schema.py), on generated input: every record the declaration
allows is accepted and round-trips; anything else, from arbitrary bytes to a valid record with one value
swapped for a hostile one, is refused with `RecordInvalid`, never another exception; whatever is accepted
can be stored (UTF-8, finite, within SQLite's integers). The kiosk refuses the same records before they
reach its outbox."""

from __future__ import annotations

import base64
import json
import math
import sqlite3
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content import record_schema as rs
from content.channel import format_time
from content.outbox import Outbox
from content.records import record_heartbeat, record_usage
from content.store import Library

common = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
printable = st.characters(blacklist_categories=("Cc", "Cs"))


def value_of(spec) -> st.SearchStrategy:
    """Values `spec` accepts."""
    if isinstance(spec, rs.Text):
        if spec.pattern:
            return st.from_regex(spec.pattern, fullmatch=True).filter(lambda s: len(s) <= spec.max_chars)
        return st.text(printable, max_size=min(spec.max_chars, 40))
    if isinstance(spec, rs.Int):
        return st.integers(spec.low, spec.high)
    if isinstance(spec, rs.Flag):
        return st.booleans()
    if isinstance(spec, rs.Time):
        # from 1970: a kiosk whose clock battery died writes 1970, and its records must still arrive
        return st.datetimes(datetime(1970, 1, 1), timezones=st.just(UTC)).map(format_time)
    if isinstance(spec, rs.Day):
        return st.dates().map(lambda d: d.isoformat()).filter(lambda d: len(d) == 10)
    if isinstance(spec, rs.Choice):
        return st.sampled_from(spec.values)
    if isinstance(spec, rs.Jpeg):  # whole JPEGs as far as the check reads them: SOI … EOI
        return st.binary(max_size=200).map(
            lambda b: base64.b64encode(b"\xff\xd8\xff" + b + b"\xff\xd9").decode()
        )
    if isinstance(spec, rs.Nullable):
        return st.none() | value_of(spec.inner)
    if isinstance(spec, rs.ListOf):
        return st.lists(value_of(spec.item), max_size=min(spec.max_items, 5))
    if isinstance(spec, rs.Fields):
        required = {name: value_of(spec.fields[name]) for name in spec.required}
        optional = {name: value_of(f) for name, f in spec.fields.items() if name not in spec.required}
        return st.fixed_dictionaries(required, optional=optional)
    raise AssertionError(spec)


records = st.sampled_from(sorted(rs.SCHEMAS)).flatmap(
    lambda kind: st.tuples(st.just(kind), value_of(rs.Time()), value_of(rs.SCHEMAS[kind].payload))
)
hostile_values = st.sampled_from(
    [{"a": 1}, [1], 2**70, -(2**70), math.nan, math.inf, 1.5, True, "\ud800", "a\x00b", "<script>", "", None]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def storable(record: rs.Record) -> None:
    """What the city does with an accepted record: SQLite takes it and JSON writes it without NaN."""
    text = json.dumps(record.payload, ensure_ascii=False, allow_nan=False)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE r (kind, created_at, payload, version)")
    values = [record.kind, record.created_at, text, record.schema]
    values += [v for v in record.payload.values() if isinstance(v, int)]
    conn.execute(f"INSERT INTO r VALUES ({', '.join('?' * 4)})", values[:4])
    for number in values[4:]:
        conn.execute("SELECT ?", [number])
    conn.close()


@common
@given(records)
def test_every_declared_record_is_accepted_and_round_trips(record):
    kind, created_at, payload = record
    rs.check_payload(kind, payload)
    parsed = rs.parse_record(rs.record_body(kind, created_at, payload))
    assert parsed == rs.Record(kind, created_at, payload, rs.SCHEMAS[kind].version)
    storable(parsed)


@common
@given(records, st.data(), hostile_values)
def test_one_hostile_value_in_a_declared_record_is_refused(record, data, hostile):
    kind, created_at, payload = record
    spec = rs.SCHEMAS[kind].payload
    name = data.draw(st.sampled_from(sorted(spec.fields)))
    try:
        spec.fields[name].check(hostile, name)
    except rs.RecordInvalid:
        pass
    else:  # the field happens to accept this value (None where nullable, "" for text): not hostile here
        return
    payload = {**payload, name: hostile}
    with pytest.raises(rs.RecordInvalid):
        rs.check_payload(kind, payload)
    body = json.dumps({"kind": kind, "created_at": created_at, "payload": payload}).encode()
    with pytest.raises(rs.RecordInvalid):
        rs.parse_record(body)


@common
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_cleanly(body):
    try:
        storable(rs.parse_record(body))
    except rs.RecordInvalid as exc:
        assert str(exc) and exc.zh


@common
@given(st.sampled_from(sorted(rs.SCHEMAS)), json_values, st.dictionaries(st.text(max_size=8), json_values))
def test_arbitrary_json_is_accepted_only_when_it_fits_and_then_stores(kind, created_at, payload):
    body = json.dumps({"kind": kind, "created_at": created_at, "payload": payload}).encode()
    try:
        record = rs.parse_record(body)
    except rs.RecordInvalid:
        return
    rs.check_payload(record.kind, record.payload)
    storable(record)


@pytest.mark.parametrize(
    "body, reason",
    [
        (
            b'{"kind":"usage","kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{"event":"view"}}',
            "duplicate",
        ),
        (
            b'{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{"event":"view","results":NaN}}',
            "NaN",
        ),
        (
            b'{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{"event":"view","results":1e400}}',
            "range",
        ),
        (
            b'{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":'
            + b"[" * 50_000
            + b"]" * 50_000
            + b"}",
            "deep",
        ),
        (
            b'{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{"event":"view","results":'
            + b"9" * 5000
            + b"}}",
            "JSON",
        ),
    ],
)
def test_json_that_python_would_read_loosely_is_refused_with_its_reason(body, reason):
    with pytest.raises(rs.RecordInvalid) as info:
        rs.parse_record(body)
    assert reason in str(info.value)


def test_the_kiosk_checks_a_record_before_it_reaches_the_outbox(tmp_path):
    with Library(tmp_path / "library.db") as library:
        outbox = Outbox(library)
        for payload in (
            {"event": "view", "n": 1},
            {"event": "stare"},
            {},
            {"event": "view", "results": 2**70},
        ):
            with pytest.raises(rs.RecordInvalid) as info:
                outbox.add("usage", payload)
            assert "记录字段" in info.value.zh
        with pytest.raises(rs.RecordInvalid):
            outbox.add("<script>", {"event": "view"})
        assert outbox.status().pending == 0
        with library.transaction() as db:
            assert db.execute("SELECT count(*) FROM records").fetchone() == (0,)
        # what the kiosk writes today fits
        record_usage(outbox, "search", results=3, query_chars=2)
        record_heartbeat(library, outbox, "0.1.0", ["小票打印机：缺纸"])
        for row in outbox.due():
            rs.parse_record(rs.record_body(row.kind, row.created_at, row.payload))


def test_a_heartbeat_with_unruly_fault_messages_is_still_written(tmp_path):
    """A device's message with line breaks, a NUL, a lone surrogate or 500 characters must not cost the kiosk
    its heartbeat (the schema would refuse it as it is): the lines are tidied to what the schema takes."""
    faults = [
        "打印机：缺纸\n请更换",
        "读卡器：\x00超时",
        "端口：\ud800",
        "x" * 500,
        "",
        *(f"～设备{n}：故障" for n in range(80)),
    ]
    with Library(tmp_path / "library.db") as library:
        outbox = Outbox(library)
        record_heartbeat(library, outbox, "0.1.0", faults)
        [row] = outbox.due()
    written = row.payload["faults"]
    assert "打印机：缺纸 请更换" in written and "读卡器： 超时" in written and "端口：?" in written
    assert len(written) == 64 and all(len(line) <= 200 for line in written)
    rs.parse_record(rs.record_body(row.kind, row.created_at, row.payload))


ID = "130102199003071234"


@pytest.mark.parametrize(
    "body",
    [
        f'{{"kind":"{ID}","created_at":"2022-05-01T00:00:00Z","payload":{{}}}}',
        f'{{"kind":"usage","created_at":"{ID}","payload":{{"event":"view"}}}}',
        f'{{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{{"event":"{ID}"}}}}',
        f'{{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{{"event":"view","kind":"张三{ID}"}}}}',
        f'{{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{{"event":"view","{ID}":1}}}}',
        f'{{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{{"event":"view"}},"{ID}":1}}',
        f'{{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{{"event":"view","item_id":"{ID * 20}"}}}}',
        f'{{"kind":"usage","created_at":"2022-05-01T00:00:00Z","{ID}":1,"{ID}":2}}',
        f'{{"kind":"usage","created_at":"2022-05-01T00:00:00Z","payload":{{"event":"view","results":{ID}e400}}}}',
    ],
)
def test_a_reason_never_repeats_an_id_number_or_a_name(body):
    """Reasons are logged by the kiosk and shown to staff: a refused value is named by its type and
    length unless it is short Latin text."""
    with pytest.raises(rs.RecordInvalid) as info:
        rs.parse_record(body.encode())
    for text in (str(info.value), info.value.zh):
        assert "1990030712" not in text and "张三" not in text
