"""The kiosk's sync client: fetch a channel version, verify all of it, apply it in one transaction.

1. Fetch `root.json` and verify it: pinned keys (plus rotations), channel id, no rollback.
2. Fetch only the shards whose name changed, and only the blobs the kiosk lacks: an entry whose hash is
   the one already applied is never fetched again; a shard whose blobs are mostly missing (the first
   sync) is fetched as one pack. Everything lands in a staging directory under the data directory and
   partial files resume after a dropped link or a restart.
3. If anything could not be fetched, nothing is applied and the error names what is missing.
4. Apply in ONE transaction: upsert changed items (the search index follows), delete removed ones,
   store the entries, the keys and the applied version. Readers see the whole old or the whole new
   library; a `kill -9` leaves one of the two. Items staff authored (origin 'local') are never touched.

Expiry does not stop service: an expired root is still applied if it is newer, and `sync_status`
reports it stale (its text for staff is `kiosk.sync_text`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import platform
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from content.channel import (
    ITEM_KINDS,
    ChannelError,
    Entry,
    HashMismatch,
    Limits,
    PackRef,
    RollbackRefused,
    Root,
    Shard,
    ShardRef,
    Trust,
    decode_record,
    file_path,
    format_time,
    parse_shard,
    parse_time,
    record_issue,
    record_item,
    sha256_hex,
    update_file,
    verify_bytes,
    verify_root,
)
from content.disk import NEEDED, folder_size, free_bytes, full_disk_error, is_full
from content.errors import ContentError, DiskFull, Joined, Message
from content.store import Library, WriteReport
from content.transport import Source, TransferFailed

log = logging.getLogger(__name__)

BATCH = 5000  # items per upsert call: bounds memory on a first sync of a large channel
# The Debian name of this machine's architecture: a kiosk fetches only its own software updates.
ARCHITECTURE = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
# What applying adds to the library, per byte fetched: the text and its search index (200,000
# documents: 495 MB fetched, a 1.2 GB library).
APPLY_GROWTH = 2.5


class Incomplete(ChannelError):
    """Some files could not be fetched: nothing was applied."""


class SyncBusy(ContentError):
    """Another sync is running on this data directory."""


class NotEnrolled(ContentError):
    """The kiosk trusts no channel key yet."""


class ShardLog:
    """Shard manifests fetched for a version not yet applied, appended to one staging file so that a
    sync resumed after a dropped link or a restart does not fetch them again.

    One file rather than one per shard: a first sync of 200,000 documents fetches 4,096 shards, and
    creating that many small files cost more than fetching them (0.4–0.6 ms per file creation while the
    download runs, measured). Records are `<sha256 hex> <size>\n<bytes>`; on reading, a record whose
    bytes do not hash to its name (a cut write, a damaged file) ends the log there."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._records: dict[str, bytes] | None = None
        self._fh: BinaryIO | None = None

    def get(self, name: str) -> bytes | None:
        with self._lock:
            return self._load().get(name)

    def add(self, name: str, data: bytes) -> None:
        with self._lock:
            records = self._load()
            if self._fh is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = open(self.path, "ab")  # noqa: SIM115 - kept open across adds, closed by clear()
            self._fh.write(f"{name} {len(data)}\n".encode() + data)
            self._fh.flush()
            records[name] = data

    def clear(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
            self._records = None
            self.path.unlink(missing_ok=True)

    def _load(self) -> dict[str, bytes]:
        if self._records is None:
            self._records = {}
            try:
                blob = self.path.read_bytes()
            except FileNotFoundError:
                blob = b""
            at = 0
            while (newline := blob.find(b"\n", at, at + 90)) != -1:
                name, _, size = blob[at:newline].decode("ascii", "replace").partition(" ")
                if not size.isdigit():
                    break
                data = blob[newline + 1 : newline + 1 + int(size)]
                if len(data) != int(size) or sha256_hex(data) != name:
                    break
                self._records[name] = data
                at = newline + 1 + int(size)
            if at < len(blob):  # a cut or damaged tail: keep what verified, append after it
                with open(self.path, "r+b") as fh:
                    fh.truncate(at)
        return self._records


@dataclass
class SyncReport:
    source: str
    channel: str
    from_version: int | None
    to_version: int
    up_to_date: bool = False
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    kept_local: list[str] = field(default_factory=list)
    shards_fetched: int = 0
    blobs_fetched: int = 0
    packs_fetched: int = 0
    bytes: int = 0
    seconds: float = 0.0
    fetch_seconds: float = 0.0
    apply_seconds: float = 0.0
    expires: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SyncStatus:
    channel: str | None
    version: int | None
    applied_at: str | None
    created: str | None
    expires: str | None
    stale_since: str | None
    last_attempt: str | None
    last_success: str | None
    last_error: str | None
    last_error_zh: str | None
    bytes_last: int
    bytes_total: int
    source: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Applied:
    channel: str
    version: int
    root_sha256: str
    expires: str
    trusted_keys: dict[str, str]
    retired_keys: list[str]


def _run_parallel(source: Source, jobs: list[Callable[[], Any]], *, keep_going: bool = False) -> list[Any]:
    """Run fetch jobs on up to `source.connections` threads; results in the order of `jobs`.

    The first error is raised once the jobs already running have finished (the rest are cancelled);
    with `keep_going`, a TransferFailed (worth retrying later) is returned in place of its result
    instead, so that one run tries every file and can name all that are missing."""

    def guarded(job: Callable[[], Any]) -> Any:
        try:
            return job()
        except TransferFailed as exc:
            if keep_going:
                return exc
            raise

    workers = min(getattr(source, "connections", 1), len(jobs))
    if workers <= 1:
        return [guarded(job) for job in jobs]
    with ThreadPoolExecutor(workers, thread_name_prefix="sync-fetch") as pool:
        futures = [pool.submit(guarded, job) for job in jobs]
        try:
            return [future.result() for future in futures]
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def now_text() -> str:
    return format_time(datetime.now(UTC))


def applied_state(library: Library) -> Applied | None:
    state = library.sync_state()
    if state is None:
        return None
    return Applied(
        state["channel"],
        state["version"],
        state["root_sha256"],
        state["expires"],
        json.loads(state["trusted_keys"]),
        json.loads(state["retired_keys"]),
    )


_STATUS_META = (
    "sync.last_attempt",
    "sync.last_success",
    "sync.last_error",
    "sync.last_error_zh",
    "sync.bytes_last",
    "sync.bytes_total",
    "sync.source",
)


def sync_status(library: Library, now: datetime | None = None) -> SyncStatus:
    state = library.sync_state() or {}
    expires = state.get("expires")
    stale = None
    if expires and (now or datetime.now(UTC)) > parse_time(expires, Message("根清单的有效期")):
        stale = expires
    meta = library.meta_values(_STATUS_META)
    return SyncStatus(
        channel=state.get("channel"),
        version=state.get("version"),
        applied_at=state.get("applied_at"),
        created=state.get("created"),
        expires=expires,
        stale_since=stale,
        last_attempt=meta.get("sync.last_attempt"),
        last_success=meta.get("sync.last_success"),
        last_error=meta.get("sync.last_error") or None,
        last_error_zh=meta.get("sync.last_error_zh") or None,
        bytes_last=int(meta.get("sync.bytes_last") or 0),
        bytes_total=int(meta.get("sync.bytes_total") or 0),
        source=meta.get("sync.source"),
    )


class SyncClient:
    def __init__(
        self,
        library: Library,
        staging: Path,
        *,
        pinned: Mapping[str, str],
        channel: str | None = None,
        limits: Limits | None = None,
        pack_threshold: float = 0.8,
    ):
        self.library = library
        self.staging = Path(staging)
        self.pinned = dict(pinned)
        self.channel = channel
        self.limits = limits or Limits()
        self.pack_threshold = pack_threshold
        self._made: set[Path] = set()
        self._etag: str | None = None  # the ETag of the root fetched by the current sync
        self._shard_log = ShardLog(self.staging / "shards.log")

    # --- public ----------------------------------------------------------------------------------

    def sync(self, source: Source, *, fetch_only: bool = False) -> SyncReport:
        """Bring the library to the source's version, or raise (the store then unchanged).

        With `fetch_only`, fetch and verify everything into the staging directory but apply nothing
        (download on a quiet link now, apply later: the next sync fetches nothing again)."""
        started = time.monotonic()
        before = source.bytes_transferred
        self._etag = None
        self.library.set_meta("sync.last_attempt", now_text())
        try:
            with self._exclusive():
                try:
                    report = self._sync(source, fetch_only)
                except Exception as exc:
                    if not (isinstance(exc, DiskFull) or is_full(exc, self.staging)):
                        raise
                    # What was fetched filled the disk and cannot be applied: the next sync starts clean.
                    self._clean()
                    if isinstance(exc, DiskFull):
                        raise
                    raise full_disk_error(
                        self.data_dir, "the sync stopped", Message("同步已停止，未应用任何更新")
                    ) from exc
        except Exception as exc:
            self._finish(source, before, error=exc)
            raise
        report.bytes = source.bytes_transferred - before
        report.seconds = time.monotonic() - started
        self._finish(source, before)
        return report

    # --- steps -----------------------------------------------------------------------------------

    def _sync(self, source: Source, fetch_only: bool = False) -> SyncReport:
        state = applied_state(self.library)
        keys = {**self.pinned, **(state.trusted_keys if state else {})}
        if not keys:
            raise NotEnrolled(
                "no trusted channel key: enrol this kiosk first",
                Message("本机尚未登记，没有受信任的频道密钥：请先执行 kiosk enrol"),
            )
        trust = Trust.from_hex(keys, state.retired_keys if state else ())
        t0 = time.monotonic()
        known_etag = self._root_etag(source) if state else None
        root_bytes, self._etag = source.get_root(self.limits.max_root, known_etag)
        if root_bytes is None:  # 304: the source still has the root applied last time (~0.5 MB unsent)
            assert state is not None
            report = SyncReport(source.label, state.channel, state.version, state.version, up_to_date=True)
            report.expires = state.expires
            self._clean()
            return report
        channel = self.channel or (state.channel if state else None)
        root, trust = verify_root(root_bytes, trust, channel=channel, limits=self.limits)
        root_sha = sha256_hex(root_bytes)
        report = SyncReport(source.label, root.channel, state.version if state else None, root.version)
        report.expires = root.expires
        if state:
            if root.version < state.version:
                raise RollbackRefused(
                    f"channel version {root.version} is older than the applied version {state.version}",
                    Message(
                        "频道版本 {version} 低于本机已应用的版本 {applied}（疑似回滚攻击或旧 U 盘），已拒绝",
                        version=root.version,
                        applied=state.version,
                    ),
                )
            if root.version == state.version:
                if root_sha != state.root_sha256:
                    raise RollbackRefused(
                        f"version {root.version} differs from the one already applied",
                        Message(
                            "版本 {version} 与本机已应用的同号版本内容不同，已拒绝", version=root.version
                        ),
                    )
                report.up_to_date = True
                self._clean()
                return report

        applied = self.library.sync_entries()
        applied_shards = self._applied_shards()
        wanted = [ref for ref in root.shards if applied_shards.get(ref.prefix) != ref.name]
        self._check_space(sum(ref.size for ref in wanted))
        fetched = _run_parallel(source, [lambda ref=ref: self._fetch_shard(source, ref) for ref in wanted])
        changed: list[tuple[str, Shard]] = []
        for ref, (data, was_fetched) in zip(wanted, fetched, strict=True):
            report.shards_fetched += was_fetched
            changed.append((ref.name, parse_shard(data, ref, root.channel, root.prefix_len, self.limits)))

        packs = self._fetch_blobs(source, changed, applied, report)
        report.fetch_seconds = time.monotonic() - t0
        if fetch_only:
            self._etag = None  # fetched, not applied: the next sync must not take a 304 for "applied"
            return report
        t1 = time.monotonic()
        self._apply(root, root_sha, trust, changed, applied, packs, report)
        report.apply_seconds = time.monotonic() - t1
        self._clean()
        return report

    def _needs(self, entry: Entry, applied: Mapping[str, tuple]) -> bool:
        update = update_file(entry.id) if entry.kind == "file" else None
        if update and update[1] != ARCHITECTURE:
            return False
        if entry.kind == "attachment":
            return not self.library.blob_path(entry.sha256).exists()
        old = applied.get(entry.id)
        return old is None or old[1] != entry.sha256

    def _fetch_blobs(
        self,
        source: Source,
        changed: list[tuple[str, Shard]],
        applied: Mapping[str, tuple],
        report: SyncReport,
    ) -> dict[str, tuple[Path, int, int]]:
        """Fetch every blob the new version needs; returns where pack-borne blobs sit (sha -> file, offset,
        size). Raises Incomplete, after trying all, if any could not be fetched."""
        in_packs: dict[str, tuple[Path, int, int]] = {}
        needed_total = sum(e.size for _, s in changed for e in s.entries if self._needs(e, applied))
        self.limits.check(Message("本次更新"), needed_total, self.limits.max_total)
        self._check_space(needed_total)
        blobs_dir = self.staging / "blobs"
        staged = set(os.listdir(blobs_dir)) if blobs_dir.exists() else set()
        jobs: list[Callable[[], str]] = []
        for _, shard in changed:
            missing = {
                e.sha256: e for e in shard.entries if self._needs(e, applied) and e.sha256 not in staged
            }
            if not missing:
                continue
            pack = shard.pack
            pack_file = self.staging / "packs" / pack.name if pack else None
            use_pack = (
                pack is not None
                and source.uses_packs
                and (
                    pack_file.exists()
                    or pack_file.with_suffix(".part").exists()
                    or sum(e.size for e in missing.values()) >= self.pack_threshold * pack.size
                )
            )
            if use_pack:
                for sha, (offset, size) in shard.offsets().items():
                    in_packs[sha] = (pack_file, offset, size)
                jobs.append(lambda pack=pack, pack_file=pack_file: self._fetch_pack(source, pack, pack_file))
            else:
                jobs += [lambda entry=entry: self._fetch_blob(source, entry) for entry in missing.values()]
        failed: list[TransferFailed] = []
        for outcome in _run_parallel(source, jobs, keep_going=True):
            if isinstance(outcome, TransferFailed):
                failed.append(outcome)
            elif outcome == "pack":
                report.packs_fetched += 1
            elif outcome == "blob":
                report.blobs_fetched += 1
        if failed:
            more = f"; … {len(failed) - 5} more" if len(failed) > 5 else ""
            raise Incomplete(
                f"{len(failed)} files could not be fetched, nothing applied: {'; '.join(map(str, failed[:5]))}{more}",
                Message(
                    "有 {count} 个文件未能下载，本次未应用任何更新（已下载部分下次续传）：{errors}{more}",
                    count=len(failed),
                    errors=Joined("；", [e.zh for e in failed[:5]]),
                    more=more,
                ),
            )
        return in_packs

    def _fetch_pack(self, source: Source, pack: PackRef, pack_file: Path) -> str:
        if pack_file.exists():
            return "staged"
        try:
            self._fetch_file(source, f"packs/{pack.name}", pack_file, pack.name, pack.size)
        except TransferFailed as exc:
            raise TransferFailed(f"packs/{pack.name}: {exc}", exc.zh) from None
        return "pack"

    def _fetch_blob(self, source: Source, entry: Entry) -> str:
        target = self.staging / "blobs" / entry.sha256
        try:
            self._fetch_file(source, f"blobs/{entry.sha256}", target, entry.sha256, entry.size)
        except TransferFailed as exc:
            raise TransferFailed(
                f"blobs/{entry.sha256} ({entry.id}): {exc}", f"“{entry.id}”：{exc.zh}"
            ) from None
        return "blob"

    def _fetch_file(self, source: Source, path: str, target: Path, sha: str, size: int) -> None:
        """Fetch into target.part (resuming), verify hash and size, then rename to target."""
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        part = target.with_name(target.name + ".part")
        try:
            digest = source.fetch(path, part, size)
            if part.stat().st_size != size or digest != sha:
                raise HashMismatch(
                    f"{path} does not match its declared SHA-256/size",
                    Message("文件 {path} 与清单声明的校验值不符，可能被篡改或损坏，已拒绝", path=path),
                )
        except ChannelError as exc:
            if not isinstance(exc, TransferFailed):
                part.unlink(missing_ok=True)  # bad bytes: never resume from them
            raise
        part.replace(target)

    def _fetch_shard(self, source: Source, ref: ShardRef) -> tuple[bytes, bool]:
        """A shard manifest: small, so fetched into memory, verified, then kept in the staging log for a
        later run. Returns the bytes and whether they came from the source (not from the log)."""
        data = self._shard_log.get(ref.name)
        if data is not None:
            return data, False
        data = source.read(f"shards/{ref.name}", ref.size)
        verify_bytes(data, ref.name, ref.size, Message("分片 {name}…", name=ref.name[:12]))
        self._shard_log.add(ref.name, data)
        return data, True

    def _read_blob(self, entry: Entry, packs: Mapping[str, tuple[Path, int, int]]) -> bytes:
        staged = self.staging / "blobs" / entry.sha256
        if staged.exists():
            data = staged.read_bytes()
        elif entry.sha256 in packs:
            path, offset, size = packs[entry.sha256]
            with open(path, "rb") as fh:
                fh.seek(offset)
                data = fh.read(size)
        else:
            raise Incomplete(
                f"blob of {entry.id} is not staged", Message("条目“{id}”的内容未下载", id=entry.id)
            )
        verify_bytes(data, entry.sha256, entry.size, Message("条目“{id}”", id=entry.id))
        return data

    def _root_etag(self, source: Source) -> str | None:
        """The ETag this source gave for the root that is applied now (a 304 then means "unchanged")."""
        label, _, etag = (self.library.get_meta("sync.root_etag", "") or "").rpartition(" ")
        return etag if label == source.label and etag else None

    def _applied_shards(self) -> dict[str, str]:
        """prefix -> name of the shards applied (entries keep their prefix, so a changed shard rewrites
        only the entries that changed)."""
        return json.loads(self.library.get_meta("sync.shards", "{}") or "{}")

    # --- apply -----------------------------------------------------------------------------------

    def _apply(
        self,
        root: Root,
        root_sha: str,
        trust: Trust,
        changed: list[tuple[str, Shard]],
        applied: Mapping[str, tuple[str, str, int, str]],
        packs: Mapping[str, tuple[Path, int, int]],
        report: SyncReport,
    ) -> None:
        changed_prefixes = {s.prefix for _, s in changed}
        kept = {ref.prefix for ref in root.shards} - changed_prefixes
        new_ids = {e.id for _, s in changed for e in s.entries}
        new_ids |= {entry_id for entry_id, row in applied.items() if row[3] in kept}
        removed = [(entry_id, row[0]) for entry_id, row in applied.items() if entry_id not in new_ids]
        todo = [e for _, s in changed for e in s.entries if self._needs(e, applied) or e.kind == "attachment"]
        report.unchanged = len(new_ids) - len({e.id for e in todo})
        mimes: dict[str, str] = {}
        writes = WriteReport()
        lib = self.library
        with lib.transaction():
            local = lib.local_ids()
            # Records first (they name the attachments' types), then attachments, issues, aliases.
            batch = []
            links: list[tuple[str, dict[str, str]]] = []
            for entry in todo:
                if entry.kind not in ITEM_KINDS:
                    continue
                value = decode_record(self._read_blob(entry, packs), entry)
                if entry.id in local:
                    report.kept_local.append(entry.id)
                    continue
                for attachment in value.get("attachments", []):
                    mimes[attachment["sha256"]] = attachment["mime"]
                    links.append((entry.id, attachment))
                batch.append(record_item(value))
                if len(batch) >= BATCH:
                    lib.upsert_items(batch, writes)
                    batch = []
            lib.upsert_items(batch, writes)
            for entry in todo:
                if entry.kind == "attachment":
                    mime = mimes.get(entry.sha256, "application/octet-stream")
                    if not lib.blob_path(entry.sha256).exists():
                        lib.add_attachment(self._read_blob(entry, packs), mime)
                    else:  # the file survived an interrupted apply: its row may not have
                        lib.add_attachment_row(entry.sha256, mime, entry.size)
                elif entry.kind == "issue":
                    lib.save_issue(record_issue(decode_record(self._read_blob(entry, packs), entry)))
                elif entry.kind == "aliases":
                    pairs = decode_record(self._read_blob(entry, packs), entry)
                    lib.replace_aliases("city", [tuple(p) for p in pairs])
                elif entry.kind == "file" and update_file(entry.id):
                    self._copy_file(file_path(entry.id), entry, packs)
                elif entry.kind == "file":
                    self._write_file(file_path(entry.id), self._read_blob(entry, packs))
            for item_id, attachment in links:
                lib.link_attachment(item_id, attachment["sha256"], attachment["name"], attachment["role"])
            removed_items = [i for i, kind in removed if kind in ITEM_KINDS and i not in local]
            report.kept_local += [i for i, kind in removed if kind in ITEM_KINDS and i in local]
            lib.delete_items(removed_items, writes)
            for entry_id, kind in removed:
                if kind == "issue":
                    lib.delete_issue(entry_id.removeprefix("issue:"))
                elif kind == "aliases":
                    lib.replace_aliases("city", [])
                elif kind == "file":
                    (self.data_dir / file_path(entry_id)).unlink(missing_ok=True)
            # The entries and the version, in the same transaction as the content they describe.
            lib.record_sync(
                {
                    "channel": root.channel,
                    "version": root.version,
                    "root_sha256": root_sha,
                    "created": root.created,
                    "expires": root.expires,
                    "key_id": root.key_id,
                    "trusted_keys": json.dumps(trust.to_hex(), sort_keys=True),
                    "retired_keys": json.dumps(sorted(trust.retired)),
                    "applied_at": now_text(),
                },
                written=[
                    (e.id, e.kind, e.sha256, e.size, s.prefix)
                    for _, s in changed
                    for e in s.entries
                    if applied.get(e.id) != (e.kind, e.sha256, e.size, s.prefix)
                ],
                removed=[entry_id for entry_id, _ in removed],
                shards={ref.prefix: ref.name for ref in root.shards},
            )
        report.added, report.updated, report.removed = (
            len(writes.added),
            len(writes.updated),
            len(writes.removed),
        )
        report.unchanged += len(writes.unchanged)
        log.info(
            "applied channel %s version %s", root.channel, root.version, extra={"fields": report.to_dict()}
        )

    def _write_file(self, path: str, data: bytes) -> None:
        """A channel file into the data directory, whole or not at all (written again by the next sync
        should the transaction that lists it fail)."""
        target = self.data_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        part.write_bytes(data)
        os.replace(part, target)

    def _copy_file(self, path: str, entry: Entry, packs: Mapping[str, tuple[Path, int, int]]) -> None:
        """A software update (a .deb of 100–250 MB) streamed from its staged blob or pack into the data
        directory, its hash checked on the way: never whole in memory."""
        staged = self.staging / "blobs" / entry.sha256
        source, offset = (staged, 0) if staged.exists() else packs.get(entry.sha256, (None, 0, 0))[:2]
        if source is None:
            raise Incomplete(
                f"blob of {entry.id} is not staged", Message("条目“{id}”的内容未下载", id=entry.id)
            )
        target = self.data_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        digest, left = hashlib.sha256(), entry.size
        with open(source, "rb") as src, open(part, "wb") as out:
            src.seek(offset)
            while chunk := src.read(min(left, 2**20)):
                digest.update(chunk)
                out.write(chunk)
                left -= len(chunk)
        if left or digest.hexdigest() != entry.sha256:
            part.unlink()
            raise HashMismatch(
                f"{entry.id} does not match its declared SHA-256/size",
                Message("文件“{id}”与清单声明的校验值不符，可能被篡改或损坏，已拒绝", id=entry.id),
            )
        os.replace(part, target)

    # --- bookkeeping -----------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.library.path.parent

    def _check_space(self, coming: int) -> None:
        """Refuse before fetching `coming` bytes unless the disk has room for them, for what applying
        them adds to the library and for a margin. What is already staged counts as fetched; when
        there is no room it is removed too (it could not be applied), so the next sync starts clean."""
        needed = coming + int(coming * APPLY_GROWTH) + NEEDED
        if free_bytes(self.staging) + folder_size(self.staging) >= needed:
            return
        self._clean()
        raise full_disk_error(
            self.data_dir, "the sync was not started", Message("本次同步未下载任何内容"), needed, full=False
        )

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        self.staging.mkdir(parents=True, exist_ok=True)
        with open(self.staging / "lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SyncBusy(
                    "another sync is running", Message("另一个同步任务正在进行，请稍后再试")
                ) from None
            yield

    def _clean(self) -> None:
        self._made.clear()
        self._shard_log.clear()
        for folder in ("shards", "blobs", "packs"):
            shutil.rmtree(self.staging / folder, ignore_errors=True)

    def _finish(self, source: Source, before: int, error: BaseException | None = None) -> None:
        """Record the outcome for `sync status` (one write). A disk too full even for that is logged:
        the sync's own error, if any, is what the caller sees."""
        moved = source.bytes_transferred - before
        total = int(self.library.get_meta("sync.bytes_total", "0") or 0) + moved
        values = {"sync.bytes_last": str(moved), "sync.bytes_total": str(total), "sync.source": source.label}
        if error is None:
            # Only after success: the ETag then names the root that is applied (or already was).
            etag = self._etag
            values["sync.root_etag"] = f"{source.label} {etag}" if etag else ""
            values.update({"sync.last_success": now_text(), "sync.last_error": "", "sync.last_error_zh": ""})
        else:
            values["sync.last_error"] = f"{type(error).__name__}: {error}"
            values["sync.last_error_zh"] = getattr(
                error, "zh", Message("同步时发生意外错误（{error}），详情见日志", error=type(error).__name__)
            )
        try:
            self.library.update_meta(values)
        except ContentError as exc:
            log.warning("sync outcome not recorded: %s", exc)
