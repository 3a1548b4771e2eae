"""The staging log of fetched shard manifests: survives a restart, and a cut or damaged tail costs only
the records after it (they are fetched again), never a wrong manifest."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from content.sync import ShardLog


def name_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_records_survive_a_restart(tmp_path):
    log = ShardLog(tmp_path / "shards.log")
    blobs = [b"{}", b'{"entries": []}' * 50, bytes(range(256))]
    for data in blobs:
        log.add(name_of(data), data)
    again = ShardLog(tmp_path / "shards.log")
    assert [again.get(name_of(d)) for d in blobs] == blobs
    assert again.get("0" * 64) is None


def test_a_cut_tail_is_dropped_and_appending_continues_after_the_good_records(tmp_path):
    path = tmp_path / "shards.log"
    log = ShardLog(path)
    first, second = b"first manifest", b"second manifest" * 10
    log.add(name_of(first), first)
    log.add(name_of(second), second)
    path.write_bytes(path.read_bytes()[:-5])  # a power cut in the middle of the second write
    resumed = ShardLog(path)
    assert resumed.get(name_of(first)) == first and resumed.get(name_of(second)) is None
    resumed.add(name_of(second), second)
    assert ShardLog(path).get(name_of(second)) == second


def test_a_damaged_record_ends_the_log_there(tmp_path):
    path = tmp_path / "shards.log"
    log = ShardLog(path)
    good, damaged, after = b"good", b"to be damaged", b"after"
    for data in (good, damaged, after):
        log.add(name_of(data), data)
    raw = path.read_bytes()
    path.write_bytes(raw.replace(damaged, b"TO BE DAMAGED"))
    reread = ShardLog(path)
    assert reread.get(name_of(good)) == good
    assert reread.get(name_of(damaged)) is None and reread.get(name_of(after)) is None


def test_clear_removes_the_file(tmp_path):
    log = ShardLog(tmp_path / "shards.log")
    log.add(name_of(b"x"), b"x")
    log.clear()
    assert not (tmp_path / "shards.log").exists() and log.get(name_of(b"x")) is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.lists(st.binary(max_size=40), max_size=4))
def test_any_file_content_gives_only_verified_records(tmp_path_factory, garbage, blobs):
    path = tmp_path_factory.mktemp("log") / "shards.log"
    text = b"".join(f"{name_of(b)} {len(b)}\n".encode() + b for b in blobs)
    path.write_bytes(text + garbage)
    log = ShardLog(path)
    for data in blobs:
        assert log.get(name_of(data)) == data
    found = log._load()  # noqa: SLF001 - what a hostile staging file can put there
    assert all(name_of(data) == name for name, data in found.items())
