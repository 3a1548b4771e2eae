"""The channel format and what the kiosk refuses: each refusal names its reason and leaves the store as it was."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from channel_kit import item, make_city, open_kiosk, publish_items, resign_root, snapshot

from city.publish import items_collection, publish
from content.channel import (
    BadName,
    BadSignature,
    ChannelMismatch,
    HashMismatch,
    Limits,
    MalformedManifest,
    RollbackRefused,
    SizeExceeded,
    UnknownKey,
    choose_prefix_len,
    parse_root,
    shard_prefix,
)
from content.model import Item
from content.sync import sync_status
from content.transport import DirectorySource


@pytest.fixture
def city(tmp_path):
    return make_city(tmp_path / "city")


@pytest.fixture
def kiosk(tmp_path, city):
    library, client = open_kiosk(tmp_path / "kiosk", city)
    yield library, client
    library.close()


def usb(city, tmp_path, name="usb"):
    target = tmp_path / name
    shutil.rmtree(target, ignore_errors=True)
    city.repo.export(target)
    return target


def first_blob(folder):
    return sorted((folder / "blobs").iterdir())[0]


def test_sync_from_a_folder_applies_the_version_and_then_is_up_to_date(city, kiosk, tmp_path):
    library, client = kiosk
    publish_items(city, [item(n) for n in range(40)])
    report = client.sync(DirectorySource(usb(city, tmp_path)))
    assert (report.to_version, report.added, report.removed) == (1, 40, 0)
    assert library.get("doc-000007").title.startswith("关于")
    assert client.sync(DirectorySource(usb(city, tmp_path))).up_to_date
    status = sync_status(library)
    assert (status.channel, status.version, status.stale_since, status.last_error) == ("test", 1, None, None)


def test_a_new_version_fetches_only_what_changed_and_removes_deleted_entries(city, kiosk, tmp_path):
    library, client = kiosk
    publish_items(city, [item(n) for n in range(200)])
    client.sync(DirectorySource(usb(city, tmp_path)))
    changed = [item(n, revision=1) if n < 5 else item(n) for n in range(190)]  # 5 changed, 10 removed
    publish_items(city, changed)
    report = client.sync(DirectorySource(usb(city, tmp_path, "usb2")))
    assert (report.to_version, report.updated, report.removed, report.added) == (2, 5, 10, 0)
    assert report.blobs_fetched == 5
    assert library.get("doc-000003").version == 2
    assert library.stats()["items"] == 190


def test_items_staff_authored_are_never_touched(city, kiosk, tmp_path):
    library, client = kiosk
    local = Item(id="doc-000001", kind="notice", title="村务公开：本村低保名单", origin="local")
    library.upsert_items([local, Item(id="village-1", kind="notice", title="村委会通知", origin="local")])
    publish_items(city, [item(n) for n in range(3)])
    report = client.sync(DirectorySource(usb(city, tmp_path)))
    assert report.kept_local == ["doc-000001"]
    assert library.get("doc-000001").title == "村务公开：本村低保名单"
    publish_items(city, [])
    report = client.sync(DirectorySource(usb(city, tmp_path, "usb2")))
    assert report.removed == 2
    assert {i.id for i in library.items()} == {"doc-000001", "village-1"}


def refused(library, client, folder, error):
    before = snapshot(library)
    with pytest.raises(error) as info:
        client.sync(DirectorySource(folder))
    assert snapshot(library) == before
    assert info.value.zh and str(info.value)
    assert sync_status(library).last_error_zh == info.value.zh
    return info.value


@pytest.fixture
def synced(city, kiosk, tmp_path):
    """A kiosk at version 1, and the city at version 2 (one document changed, one added)."""
    library, client = kiosk
    publish_items(city, [item(n) for n in range(30)])
    client.sync(DirectorySource(usb(city, tmp_path, "v1")))
    publish_items(city, [item(0, revision=1)] + [item(n) for n in range(1, 31)])
    return library, client, usb(city, tmp_path, "v2")


def test_tampered_blob_is_refused(synced):
    library, client, folder = synced
    blob = next(p for p in (folder / "blobs").iterdir() if b"\xe4\xbf\xae\xe8\xae\xa21" in p.read_bytes())
    blob.write_bytes(blob.read_bytes().replace("修订1".encode(), "修订9".encode()))
    refused(library, client, folder, HashMismatch)


def test_blob_larger_than_declared_is_refused(synced):
    library, client, folder = synced
    for blob in (folder / "blobs").iterdir():
        blob.write_bytes(blob.read_bytes() + b" " * 10)
    refused(library, client, folder, SizeExceeded)


def test_blob_over_the_configured_cap_is_refused(city, tmp_path):
    publish_items(city, [item(0, body_chars=5000)])
    library, client = open_kiosk(tmp_path / "k", city, limits=Limits(max_blob=4096))
    with library:
        refused(library, client, usb(city, tmp_path), SizeExceeded)


def test_bad_signature_is_refused(synced):
    library, client, folder = synced
    root = json.loads((folder / "root.json").read_bytes())
    root["signed"]["version"] = 7
    (folder / "root.json").write_text(json.dumps(root))
    refused(library, client, folder, BadSignature)


def test_unknown_key_is_refused(synced, tmp_path):
    library, client, folder = synced
    stranger = make_city(tmp_path / "stranger")
    resign_root(
        stranger, folder / "root.json", lambda signed: signed.update(key_id=stranger.current_key().key_id)
    )
    refused(library, client, folder, UnknownKey)


def test_rollback_to_an_older_version_is_refused(city, synced, tmp_path):
    library, client, folder = synced
    client.sync(DirectorySource(folder))
    old = tmp_path / "old"
    shutil.copytree(tmp_path / "v1", old)
    assert refused(library, client, old, RollbackRefused).zh.startswith("频道版本 1 低于")


def test_same_version_with_other_content_is_refused(city, synced, tmp_path):
    library, client, folder = synced
    client.sync(DirectorySource(folder))
    resign_root(city, folder / "root.json", lambda signed: signed.update(expires="2099-01-01T00:00:00Z"))
    refused(library, client, folder, RollbackRefused)


def test_truncated_root_manifest_is_refused(synced):
    library, client, folder = synced
    data = (folder / "root.json").read_bytes()
    (folder / "root.json").write_bytes(data[: len(data) // 2])
    assert refused(library, client, folder, MalformedManifest).zh.startswith("根清单格式错误：")


def test_truncated_shard_is_refused(synced):
    library, client, folder = synced
    for shard in (folder / "shards").iterdir():
        shard.write_bytes(shard.read_bytes()[:-20])
    refused(library, client, folder, HashMismatch)


@pytest.mark.parametrize("name", ["../../../etc/passwd", "A" * 64, "abc", "g" * 64])
def test_names_that_are_not_lowercase_hex_are_refused_even_when_signed(city, synced, name):
    library, client, folder = synced
    resign_root(city, folder / "root.json", lambda signed: signed["shards"][0].update(name=name))
    zh = refused(library, client, folder, BadName).zh
    assert (
        zh.startswith("根清单的分片项的字段 name ") and "SHA-256 名称，已拒绝" in zh
    )  # named in Chinese whole


def test_another_channel_is_refused(synced, tmp_path):
    library, client, folder = synced
    other = make_city(tmp_path / "other", channel="other")
    publish_items(other, [item(1)])
    other_usb = tmp_path / "other-usb"
    other.repo.export(other_usb)
    client.pinned.update(other.trusted_keys())
    refused(library, client, other_usb, ChannelMismatch)


def test_key_rotation_is_followed_and_the_retired_key_refused(city, kiosk, tmp_path):
    library, client = kiosk
    publish_items(city, [item(n) for n in range(5)])
    client.sync(DirectorySource(usb(city, tmp_path)))
    old_key = city.current_key()
    _, rotation = city.keygen(rotate=True)
    publish_items(city, [item(n) for n in range(6)])
    report = client.sync(DirectorySource(usb(city, tmp_path, "rotated")))
    assert report.to_version == 2 and report.added == 1
    # Anything the old key signs from now on is refused, although the enrolment pinned it.
    folder = usb(city, tmp_path, "forged")

    def forge(signed):
        signed.update(version=3, key_id=old_key.key_id, rotations=[])

    document = json.loads((folder / "root.json").read_bytes())
    forge(document["signed"])
    from content.channel import canonical_json

    document["signatures"] = [
        {"key_id": old_key.key_id, "sig": old_key.sign(canonical_json(document["signed"]))}
    ]
    (folder / "root.json").write_text(json.dumps(document))
    assert "已轮换停用" in refused(library, client, folder, UnknownKey).zh
    assert rotation.next_key_id in json.loads(
        library.db.execute("SELECT trusted_keys FROM sync_state").fetchone()[0]
    )


def test_expired_content_is_still_served_and_reported_stale(city, kiosk, tmp_path):
    library, client = kiosk
    publish(city, items_collection(city, "docs", [item(1)]), valid_days=0)
    client.sync(DirectorySource(usb(city, tmp_path)))
    assert library.get("doc-000001")
    status = sync_status(library, now=datetime.now(UTC) + timedelta(seconds=5))
    assert status.stale_since == status.expires


def test_a_gazette_issue_travels_with_its_documents(tmp_path, city):
    from city.publish import gazette_collection
    from kiosk.library import bundled_gazette_path

    publish(city, gazette_collection(city, bundled_gazette_path()))
    library, client = open_kiosk(tmp_path / "k", city)
    with library:
        report = client.sync(DirectorySource(usb(city, tmp_path)))
        stats = library.stats()
        assert report.added == stats["items"] == 30
        assert stats["by_kind"]["document"] == 16 and stats["by_kind"]["interpretation"] == 14
        assert [issue.number for issue in library.issues()] == [2]


def test_shards_split_the_id_space_evenly_and_stably():
    assert [choose_prefix_len(n) for n in (0, 64, 65, 1024, 1025, 200_000)] == [0, 0, 1, 1, 2, 3]
    assert shard_prefix("doc-000001", 3) == shard_prefix("doc-000001", 4)[:3]


def test_root_written_by_the_city_parses_back(city):
    publish_items(city, [item(n) for n in range(100)])
    root, signatures = parse_root(city.repo.root_path.read_bytes())
    assert root.version == 1 and root.prefix_len == 1 and len(root.shards) == 16
    assert list(signatures) == [city.current_key().key_id]


def test_random_versions_across_reshards_always_leave_exactly_the_channel(city, kiosk, tmp_path):
    """Versions that add, change and remove at random, growing from one shard to 256 and shrinking
    back: after each sync the library holds exactly what the city published."""
    import random

    library, client = kiosk
    rng = random.Random(11)
    revisions: dict[int, int] = {}
    for version, size in enumerate((40, 300, 1200, 700, 60, 5), start=1):
        revisions = {n: revisions.get(n, 0) for n in rng.sample(range(1500), size)}
        for n in rng.sample(sorted(revisions), len(revisions) // 5):
            revisions[n] += 1
        publish_items(city, [item(n, r, body_chars=80) for n, r in revisions.items()])
        report = client.sync(DirectorySource(usb(city, tmp_path, f"v{version}")))
        assert report.to_version == version
        held = {i.id: i.body_md for i in library.items()}
        assert held == {f"doc-{n:06d}": item(n, r, body_chars=80).body_md for n, r in revisions.items()}
        with library.transaction() as db:
            assert db.execute("SELECT count(*) FROM sync_entries").fetchone()[0] == size
