"""Property tests of the update manifest's parser (updater/manifest.py) and of the channel's names for
updates (content/channel.py): what parses round-trips, anything else is refused with a reason, and no
accepted name leaves `updates/`."""

from __future__ import annotations

import json
import string

from hypothesis import given
from hypothesis import strategies as st

from city.software import manifest_bytes
from content.channel import CHANNEL_FILE, UPDATE_VERSION, SigningKey, file_path, make_rotation, update_file
from updater.manifest import FIELDS, VERSION, Manifest, Refused, parse, verify
from updater.trust import follow

KEY = SigningKey.generate()
KEYS = {KEY.key_id: KEY.public_hex}
versions = st.from_regex(VERSION, fullmatch=True)
hex64 = st.text("0123456789abcdef", min_size=64, max_size=64)
sizes = st.integers(1, 512 * 2**20)


def test_the_kiosk_and_the_helper_accept_the_same_versions():
    assert VERSION.pattern == UPDATE_VERSION


@given(versions, st.sampled_from(["amd64", "arm64"]), hex64, sizes)
def test_a_signed_manifest_round_trips_and_verifies(version, arch, sha, size):
    manifest = parse(manifest_bytes(KEY, version, arch, sha, size))
    assert (manifest.version, manifest.architecture, manifest.sha256, manifest.size) == (
        version,
        arch,
        sha,
        size,
    )
    verify(manifest, KEYS)
    assert update_file(f"file:updates/{manifest.deb_name}") == (version, arch, "deb")


@given(st.binary(max_size=600))
def test_any_bytes_parse_or_are_refused_with_a_reason(data):
    try:
        assert isinstance(parse(data), Manifest)
    except Refused as exc:
        assert exc.zh.startswith("更新清单格式错误")


VALID = json.loads(manifest_bytes(KEY, "0.1.0-2", "amd64", "a" * 64, 1000))
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.text(max_size=80),
    st.lists(st.integers(), max_size=2),
)


@given(st.sampled_from(FIELDS), WRONG)
def test_a_changed_field_is_refused_or_fails_its_signature(field, value):
    changed = {**VALID, field: value}
    try:
        manifest = parse(json.dumps(changed).encode())
    except Refused:
        return
    if changed != VALID:
        try:
            verify(manifest, KEYS)
        except Refused as exc:
            assert "签名" in exc.zh or "未受信任" in exc.zh
        else:
            raise AssertionError(f"{field}={value!r} verified")


@given(st.sampled_from(FIELDS))
def test_a_missing_or_extra_field_is_refused(field):
    for changed in ({k: v for k, v in VALID.items() if k != field}, {**VALID, field + "_x": 1}):
        try:
            parse(json.dumps(changed).encode())
        except Refused:
            continue
        raise AssertionError(changed)


NEXT = SigningKey.generate()
ROTATED = json.loads(
    manifest_bytes(NEXT, "0.1.0-2", "amd64", "a" * 64, 1000, [make_rotation("city", KEY, NEXT.public)])
)
ROTATION_FIELDS = ["channel", "previous_key_id", "next_key_id", "next_public", "created", "type"]


def test_a_rotated_manifest_verifies_after_following_its_record():
    manifest = parse(json.dumps(ROTATED).encode())
    followed = follow(KEYS, manifest)
    assert followed == {NEXT.key_id: NEXT.public_hex}
    verify(manifest, followed)


@given(st.sampled_from(ROTATION_FIELDS + ["signature"]), WRONG)
def test_a_changed_rotation_record_is_refused_or_hands_over_to_nothing_trusted(field, value):
    record = json.loads(json.dumps(ROTATED["rotations"][0]))
    if field == "signature":
        record["signature"] = value
    else:
        record["signed"][field] = value
    try:
        manifest = parse(json.dumps({**ROTATED, "rotations": [record]}).encode())
        verify(manifest, follow(KEYS, manifest))
    except Refused:
        return
    assert record == ROTATED["rotations"][0], f"{field}={value!r} verified"


NAME_CHARS = string.ascii_letters + string.digits + "._-+~/:%\\\x00 "


@given(
    st.one_of(versions, st.text(NAME_CHARS, max_size=60)), st.sampled_from(["deb", "json", "deb/..", "tar"])
)
def test_an_update_name_never_leaves_the_updates_folder(version, ext):
    entry = f"file:updates/zwgk-kiosk_{version}_amd64.{ext}"
    if CHANNEL_FILE.fullmatch(entry) is None:
        assert update_file(entry) is None
        return
    path = file_path(entry)
    assert path.startswith("updates/") and path.count("/") == 1 and ".." not in path
    assert VERSION.fullmatch(version) and update_file(entry) == (version, "amd64", ext)


def test_names_that_try_tricks_are_not_update_files():
    for name in (
        "updates/zwgk-kiosk_1:0.1_amd64.deb",  # an epoch: not in file names
        "updates/zwgk-kiosk_0.1/../../x_amd64.deb",
        "updates/zwgk-kiosk_0..1_amd64.deb",
        "updates/zwgk-kiosk_.1_amd64.deb",
        "updates/zwgk-kiosk_0.1_i386.deb",
        "updates/zwgk-city_0.1_amd64.deb",
        "updates/zwgk-kiosk_0.1_amd64.deb\n",
    ):
        assert CHANNEL_FILE.fullmatch(f"file:{name}") is None, name
