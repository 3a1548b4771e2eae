"""Property tests of the strict parsers: any bytes give a parsed value or a typed ChannelError, never
another exception, and no mutation of a signed root is accepted as a different root."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.channel import (
    ChannelError,
    Entry,
    Limits,
    ShardRef,
    SigningKey,
    Trust,
    decode_record,
    make_root,
    make_shard,
    parse_root,
    parse_shard,
    sha256_hex,
    shard_prefix,
    strict_loads,
    verify_root,
)

KEY = SigningKey.generate()
TRUST = Trust.from_hex({KEY.key_id: KEY.public_hex})
ENTRIES = [Entry("document", f"doc-{n}", sha256_hex(str(n).encode()), n + 1) for n in range(12)]
SHARD = make_shard("c", "", ENTRIES)
SHARD_REF = ShardRef("", sha256_hex(SHARD), len(SHARD))
ROOT = make_root(KEY, "c", 5, 0, [SHARD_REF])
PARSED_ROOT, _ = verify_root(ROOT, TRUST)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
common = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_root_parser(data):
    try:
        parse_root(data)
    except ChannelError:
        pass


@common
@given(json_values)
def test_arbitrary_json_never_crashes_the_parsers(value):
    data = json.dumps(value).encode()
    for parse in (
        lambda: parse_root(data),
        lambda: parse_shard(data, ShardRef("", sha256_hex(data), len(data)), "c", 0),
        lambda: decode_record(data, Entry("document", "x", sha256_hex(data), len(data))),
        lambda: decode_record(data, Entry("issue", "issue:x", sha256_hex(data), len(data))),
    ):
        try:
            parse()
        except ChannelError:
            pass


@common
@given(st.integers(min_value=0, max_value=len(ROOT) - 1), st.integers(min_value=1, max_value=255))
def test_no_byte_change_in_a_signed_root_yields_a_different_root(position, flip):
    data = bytearray(ROOT)
    data[position] ^= flip
    try:
        root, _ = verify_root(bytes(data), TRUST)
    except ChannelError:
        return
    assert root == PARSED_ROOT  # only changes JSON cannot see (whitespace) may pass


@common
@given(st.integers(min_value=0, max_value=len(ROOT)))
def test_every_truncation_of_a_root_is_refused(length):
    if length == len(ROOT):
        assert verify_root(ROOT, TRUST)[0].version == 5
        return
    try:
        verify_root(ROOT[:length], TRUST)
    except ChannelError:
        return
    raise AssertionError("a truncated root was accepted")


@common
@given(
    st.lists(
        st.text(min_size=1, max_size=30).filter(lambda s: s.isprintable()),
        min_size=1,
        max_size=30,
        unique=True,
    )
)
def test_shards_round_trip_and_keep_each_id_in_its_slice(ids):
    entries = [Entry("notice", i, sha256_hex(i.encode()), len(i)) for i in ids]
    by_prefix = {}
    for entry in entries:
        by_prefix.setdefault(shard_prefix(entry.id, 1), []).append(entry)
    for prefix, members in by_prefix.items():
        data = make_shard("c", prefix, members)
        shard = parse_shard(data, ShardRef(prefix, sha256_hex(data), len(data)), "c", 1)
        assert sorted(shard.entries, key=lambda e: e.id) == sorted(members, key=lambda e: e.id)
        wrong = "0" if prefix != "0" else "1"
        try:
            parse_shard(data, ShardRef(wrong, sha256_hex(data), len(data)), "c", 1)
        except ChannelError:
            pass
        else:
            raise AssertionError("a shard was accepted for another slice")


def test_strict_json_refuses_duplicates_and_floats():
    for bad in (b'{"a":1,"a":2}', b'{"a":1.5}', b"NaN", b"\xff"):
        try:
            strict_loads(bad, "x")
        except ChannelError:
            continue
        raise AssertionError(bad)


def test_caps_apply_before_parsing():
    try:
        parse_root(ROOT, Limits(max_root=100))
    except ChannelError as exc:
        assert "上限" in exc.zh
    else:
        raise AssertionError("root over the cap accepted")
