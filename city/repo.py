"""A channel repository on the city's disk: writes blobs, shards, packs and the signed root.

Everything but `root.json` is written once under its SHA-256 and never changed, so a web server, CDN or
object store may cache it forever; a new version writes only the shards (and packs) whose slice changed
and then replaces `root.json` atomically. Old files stay, so a kiosk halfway through the previous
version can still finish.

Each version's root is also kept as `roots/<version>.json`, written before `root.json` names it: that is
how `city gc` (city/gc.py) knows which files the recent versions name and removes only the others.

A shard holding a software package (city/software.py, 100–250 MB) has no pack: its entries are fetched as
blobs, so a later change to a notice in the same slice never writes the package again into a new pack.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from content.channel import (
    ROOT_FILE,
    Entry,
    Limits,
    PackRef,
    Root,
    Rotation,
    ShardRef,
    SigningKey,
    choose_prefix_len,
    make_root,
    make_shard,
    parse_root,
    parse_shard,
    sha256_hex,
    shard_prefix,
    update_file,
)

ROOTS_DIR = "roots"
BIG = Limits(max_root=2**31, max_shard=2**31, max_blob=2**40, max_total=2**50)


def write_atomic(path: Path, data: bytes, *, fsync: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        if fsync:
            fh.flush()
            os.fsync(fh.fileno())
    tmp.replace(path)


@dataclass
class PublishResult:
    version: int
    entries: int
    shards: int
    shards_written: int
    blobs_written: int
    unchanged: bool = False


def _is_package(entry: Entry) -> bool:
    update = update_file(entry.id) if entry.kind == "file" else None
    return update is not None and update[2] == "deb"


class Repo:
    def __init__(self, path: Path):
        self.path = Path(path)

    def blob_path(self, sha256: str) -> Path:
        return self.path / "blobs" / sha256

    def shard_path(self, name: str) -> Path:
        return self.path / "shards" / name

    def pack_path(self, name: str) -> Path:
        return self.path / "packs" / name

    @property
    def root_path(self) -> Path:
        return self.path / ROOT_FILE

    @property
    def roots_dir(self) -> Path:
        return self.path / ROOTS_DIR

    def root_record_path(self, version: int) -> Path:
        """Where the root of `version` is kept after newer versions replace `root.json`."""
        return self.roots_dir / f"{version}.json"

    def add_blob(self, data: bytes) -> str:
        """Store bytes under their SHA-256 (once)."""
        digest = sha256_hex(data)
        target = self.blob_path(digest)
        if not target.exists():
            write_atomic(target, data, fsync=False)
        return digest

    def current_root(self) -> Root | None:
        if not self.root_path.exists():
            return None
        root, _ = parse_root(self.root_path.read_bytes(), BIG)
        return root

    def entries(self) -> dict[str, Entry]:
        """The entries of the current version (read back from its shards)."""
        root = self.current_root()
        result: dict[str, Entry] = {}
        if root is None:
            return result
        for ref in root.shards:
            shard = parse_shard(
                self.shard_path(ref.name).read_bytes(), ref, root.channel, root.prefix_len, BIG
            )
            result.update((e.id, e) for e in shard.entries)
        return result

    def publish(
        self,
        key: SigningKey,
        channel: str,
        entries: Iterable[Entry],
        rotations: Iterable[Rotation] = (),
        *,
        valid_for: timedelta = timedelta(days=30),
        packs: bool = True,
        per_shard: int = 64,
        force: bool = False,
    ) -> PublishResult:
        """Sign the next version holding exactly `entries` (their blobs must be in the repo already).

        Publishing the same entries again makes no new version unless `force` (e.g. to renew expiry or
        after a key rotation)."""
        entries = sorted(entries, key=lambda e: e.id)
        previous = self.current_root()
        prefix_len = choose_prefix_len(len(entries), per_shard)
        if previous and previous.channel != channel:
            raise ValueError(f"repository holds channel {previous.channel!r}, not {channel!r}")
        slices: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            if not self.blob_path(entry.sha256).exists():
                raise FileNotFoundError(f"blob {entry.sha256} of {entry.id!r} is not in the repository")
            slices[shard_prefix(entry.id, prefix_len)].append(entry)
        refs, written = [], 0
        for prefix, members in sorted(slices.items()):
            pack = self._pack(members) if packs and not any(map(_is_package, members)) else None
            data = make_shard(channel, prefix, members, pack)
            name = sha256_hex(data)
            if not self.shard_path(name).exists():
                write_atomic(self.shard_path(name), data, fsync=False)
                written += 1
            refs.append(ShardRef(prefix, name, len(data)))
        rotations = tuple(rotations)
        if (
            previous
            and not force
            and tuple(previous.shards) == tuple(refs)
            and previous.key_id == key.key_id
            and previous.rotations == rotations
        ):
            return PublishResult(previous.version, len(entries), len(refs), 0, 0, unchanged=True)
        version = previous.version + 1 if previous else 1
        root = make_root(key, channel, version, prefix_len, refs, rotations, valid_for=valid_for)
        os.sync()  # shards, packs and blobs are on disk before the root that names them
        write_atomic(self.root_record_path(version), root)  # kept before anyone can fetch it
        write_atomic(self.root_path, root)
        return PublishResult(version, len(entries), len(refs), written, 0)

    def _pack(self, members: list[Entry]) -> PackRef:
        """Concatenate a shard's blobs in entry order (named by the SHA-256 of the whole)."""
        chunks = [self.blob_path(e.sha256).read_bytes() for e in sorted(members, key=lambda e: e.id)]
        data = b"".join(chunks)
        name = sha256_hex(data)
        if not self.pack_path(name).exists():
            write_atomic(self.pack_path(name), data, fsync=False)
        return PackRef(name, len(data))

    def export(self, target: Path, *, packs: bool = False) -> int:
        """Copy the current version (root, its shards and blobs, optionally packs) to `target`: a USB
        stick. Files already there with the right name are not copied again. Returns the files copied."""
        root = self.current_root()
        if root is None:
            raise FileNotFoundError("the repository has no published version")
        copied = 0
        for ref in root.shards:
            shard = parse_shard(
                self.shard_path(ref.name).read_bytes(), ref, root.channel, root.prefix_len, BIG
            )
            names = [("shards", ref.name)] + [("blobs", e.sha256) for e in shard.entries]
            if packs and shard.pack:
                names.append(("packs", shard.pack.name))
            for folder, name in names:
                destination = target / folder / name
                if not destination.exists():
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(self.path / folder / name, destination.with_name(name + ".tmp"))
                    destination.with_name(name + ".tmp").replace(destination)
                    copied += 1
        os.sync()
        write_atomic(target / ROOT_FILE, self.root_path.read_bytes())
        return copied + 1
