"""`city gc`: remove the channel files that no kept version names.

A city that publishes daily writes new shards, packs and blobs every day and never rewrites them, so the
repository grows without bound. Every publish keeps its root as `repo/roots/<version>.json` (city/repo.py);
from those, gc keeps every version that is

- the current one (`root.json`),
- one of the last `keep_versions` versions (default 3), or
- published (its signed `created` time) within the last `keep_days` days (default 7),

because a kiosk that fetched an older root is still fetching that version's shards and packs. Shards,
packs and blobs that no kept version names are removed, with the root records of the versions that are
not kept and leftover `*.tmp` files of interrupted writes. Anything else in the repository is left alone.
`roots/collected` notes the highest version removed, so a later run with a longer window knows those
records are gone on purpose.

Nothing is removed unless everything needed to decide is readable: an unparsable `root.json` or root
record, a record of another channel, a missing or corrupt shard of a kept version, or a version that may
have to be kept but has no record (published before records were kept) stops gc with a clear error.

gc holds the publish lock (city/lock.py), so no `city publish` runs between reading the roots and
removing files. `city serve` (or nginx) may keep serving: it only ever loses files no kept version names.
Record files go before content files, so an interrupted gc leaves only orphans, which the next run removes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from city.home import CityError, CityHome
from city.lock import publish_lock
from city.repo import BIG, Repo, write_atomic
from content.channel import ChannelError, Root, ShardRef, parse_root, parse_shard, parse_time

FOLDERS = ("shards", "packs", "blobs")
COLLECTED_FILE = "collected"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_RECORD = re.compile(r"([1-9][0-9]{0,17})\.json")
_PARTIAL_RECORD = re.compile(r"[1-9][0-9]{0,17}\.json\.tmp")


@dataclass
class GcReport:
    current: int
    kept_versions: list[int]
    removed_versions: list[int]  # versions whose root records were removed (aborted publishes included)
    removed: dict[str, int] = field(default_factory=dict)  # shards, packs, blobs, roots, partial -> files
    freed_bytes: int = 0
    kept_files: int = 0
    kept_bytes: int = 0
    missing: int = 0  # files a kept version names that are not in the repository (reported, not fixed)
    dry_run: bool = False

    @property
    def removed_files(self) -> int:
        return sum(self.removed.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "kept_versions": self.kept_versions,
            "removed_versions": self.removed_versions,
            "removed": self.removed,
            "removed_files": self.removed_files,
            "freed_bytes": self.freed_bytes,
            "kept_files": self.kept_files,
            "kept_bytes": self.kept_bytes,
            "missing": self.missing,
            "dry_run": self.dry_run,
        }

    def summary(self) -> tuple[str, str]:
        """(Chinese, English) one-liners for the operator."""
        r = self.removed
        kept = "、".join(str(v) for v in self.kept_versions)
        verb_zh, verb_en = (
            ("试运行，未删除任何文件：将删除", "dry run, nothing removed: would remove")
            if self.dry_run
            else ("已删除", "removed")
        )
        zh = (
            f"{verb_zh} {self.removed_files} 个文件（分片 {r['shards']}，打包 {r['packs']}，内容 {r['blobs']}，"
            f"根清单记录 {r['roots']}，未完成文件 {r['partial']}），释放 {_size(self.freed_bytes)}；"
            f"保留版本 {kept}（当前 {self.current}），{self.kept_files} 个文件 {_size(self.kept_bytes)}"
        )
        en = (
            f"{verb_en} {self.removed_files} files ({r['shards']} shards, {r['packs']} packs, {r['blobs']} blobs, "
            f"{r['roots']} root records, {r['partial']} partial), {self.freed_bytes} bytes freed; kept versions "
            f"{', '.join(str(v) for v in self.kept_versions)} (current {self.current}), "
            f"{self.kept_files} files, {self.kept_bytes} bytes"
        )
        return zh, en


def _size(n: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} 字节"


def collect(
    home: CityHome,
    *,
    keep_versions: int = 3,
    keep_days: float = 7,
    dry_run: bool = False,
    now: datetime | None = None,
    wait: float = 60.0,
) -> GcReport:
    """Remove (or with `dry_run` only count) what no kept version names; see the module docstring."""
    if keep_versions < 1:
        raise CityError(
            "--keep-versions must be at least 1 (the current version is always kept)",
            "--keep-versions 至少为 1（当前版本总是保留）",
        )
    if keep_days < 0:
        raise CityError("--keep-days cannot be negative", "--keep-days 不能为负数")
    with publish_lock(home, wait=wait):
        return _collect(home.repo, keep_versions, keep_days, dry_run, now or datetime.now(UTC))


def _refuse(en: str, zh: str) -> CityError:
    return CityError(f"{en}; nothing was removed", f"{zh}；未删除任何文件")


def _parse(data: bytes, what: str) -> Root:
    try:
        return parse_root(data, BIG)[0]
    except ChannelError as exc:
        raise _refuse(f"{what} cannot be read: {exc}", f"{what} 无法解析：{exc.zh}") from None


def _collect(repo: Repo, keep_versions: int, keep_days: float, dry_run: bool, now: datetime) -> GcReport:
    if not repo.root_path.exists():
        raise _refuse(
            f"{repo.root_path} does not exist (nothing published yet?)",
            f"{repo.root_path} 不存在（尚未发布任何版本？）",
        )
    current_bytes = repo.root_path.read_bytes()
    current = _parse(current_bytes, "root.json")
    floor = _read_floor(repo)
    records = _read_records(repo)
    roots: dict[int, Root] = {}
    for version, data in records.items():
        if version > current.version:
            continue  # written by a publish that stopped before root.json: never served
        root = _parse(data, f"roots/{version}.json")
        if root.version != version or root.channel != current.channel:
            raise _refuse(
                f"roots/{version}.json holds version {root.version} of channel {root.channel!r}",
                f"roots/{version}.json 记录的是频道“{root.channel}”的版本 {root.version}，与文件名或当前频道不符",
            )
        roots[version] = root
    roots[current.version] = current  # root.json is the truth for the current version
    kept = kept_versions(roots, current.version, floor, keep_versions, keep_days, now)
    names = _named_files(repo, [roots[v] for v in sorted(kept)])

    report = GcReport(
        current.version,
        sorted(kept),
        sorted(v for v in records if v not in kept),
        dict.fromkeys((*FOLDERS, "roots", "partial"), 0),
        dry_run=dry_run,
    )
    doomed: list[tuple[str, Path, int]] = []
    present: dict[str, set[str]] = {folder: set() for folder in FOLDERS}
    for folder in FOLDERS:
        for entry in _files(repo.path / folder):
            size = entry.stat(follow_symlinks=False).st_size
            if _HEX64.fullmatch(entry.name):
                present[folder].add(entry.name)
                if entry.name in names[folder]:
                    report.kept_files += 1
                    report.kept_bytes += size
                else:
                    doomed.append((folder, Path(entry.path), size))
            elif entry.name.endswith(".tmp") and _HEX64.fullmatch(entry.name[:-4]):
                doomed.append(("partial", Path(entry.path), size))
    report.missing = sum(len(names[folder] - present[folder]) for folder in FOLDERS)
    records_doomed: list[tuple[str, Path, int]] = [
        ("roots", repo.root_record_path(v), len(records[v])) for v in report.removed_versions
    ]
    for entry in _files(repo.roots_dir):
        if _PARTIAL_RECORD.fullmatch(entry.name):
            records_doomed.append(("partial", Path(entry.path), entry.stat(follow_symlinks=False).st_size))

    not_kept = [v for v in range(1, current.version + 1) if v not in kept]
    if not dry_run:
        if records.get(current.version) != current_bytes:
            write_atomic(repo.root_record_path(current.version), current_bytes)
        if not_kept and max(not_kept) > floor:
            write_atomic(repo.roots_dir / COLLECTED_FILE, f"{max(not_kept)}\n".encode())
    for kind, path, size in records_doomed + doomed:  # records first: see the module docstring
        if not dry_run:
            try:
                path.unlink()
            except FileNotFoundError:
                continue
        report.removed[kind] += 1
        report.freed_bytes += size
    return report


def kept_versions(
    roots: dict[int, Root], current: int, floor: int, keep_versions: int, keep_days: float, now: datetime
) -> set[int]:
    """The versions to keep, from the recorded roots (`roots` holds `current`).

    A version without a record above `floor` was published before records were kept (or its record was
    lost): gc cannot tell which files it names, so if the policy may keep it, gc refuses. Its publication
    time is bounded by the next recorded version's, since versions are published in order."""
    cutoff = now - timedelta(days=keep_days)
    kept: set[int] = set()
    published_by: datetime | None = None  # the earliest `created` of the recorded versions above v
    for version in range(current, 0, -1):
        in_window = version > current - keep_versions
        root = roots.get(version)
        if root is not None:
            created = parse_time(root.created, f"roots/{version}.json created")
            if in_window or created >= cutoff:
                kept.add(version)
            published_by = created if published_by is None else min(published_by, created)
            continue
        if version <= floor:
            continue  # removed by an earlier gc
        if in_window or published_by is None or published_by >= cutoff:
            raise _refuse(
                f"version {version} has no root record (roots/{version}.json: published before records were "
                f"kept?), so which files it names is unknown and the policy may keep it; try again after "
                f"{keep_versions} more versions and {keep_days:g} days, or keep only the current version with "
                f"--keep-versions 1 --keep-days 0",
                f"版本 {version} 没有根清单记录（roots/{version}.json，可能发布于本功能之前），无法确定它引用的文件，"
                f"而按保留规则它可能仍需保留；请在再发布 {keep_versions} 个版本并过 {keep_days:g} 天后重试，"
                f"或用 --keep-versions 1 --keep-days 0 只保留当前版本",
            )
    return kept


def _named_files(repo: Repo, roots: list[Root]) -> dict[str, set[str]]:
    """Every shard, pack and blob the given roots name (reading and verifying each shard once)."""
    names: dict[str, set[str]] = {folder: set() for folder in FOLDERS}
    for root in roots:
        for ref in root.shards:
            if ref.name in names["shards"]:
                continue
            names["shards"].add(ref.name)
            shard = _read_shard(repo, root, ref)
            names["blobs"].update(entry.sha256 for entry in shard.entries)
            if shard.pack is not None:
                names["packs"].add(shard.pack.name)
    return names


def _read_shard(repo: Repo, root: Root, ref: ShardRef):
    what = f"shard {ref.name} of version {root.version}"
    what_zh = f"版本 {root.version} 的分片 {ref.name[:12]}…"
    try:
        data = repo.shard_path(ref.name).read_bytes()
    except FileNotFoundError:
        raise _refuse(
            f"{what} is missing, so the blobs it names are unknown",
            f"{what_zh} 缺失，无法确定它引用的文件",
        ) from None
    try:
        return parse_shard(data, ref, root.channel, root.prefix_len, BIG)
    except ChannelError as exc:
        raise _refuse(f"{what} is corrupt: {exc}", f"{what_zh} 已损坏：{exc.zh}") from None


def _read_records(repo: Repo) -> dict[int, bytes]:
    records: dict[int, bytes] = {}
    for entry in _files(repo.roots_dir):
        match = _RECORD.fullmatch(entry.name)
        if match:
            records[int(match.group(1))] = Path(entry.path).read_bytes()
    return records


def _read_floor(repo: Repo) -> int:
    path = repo.roots_dir / COLLECTED_FILE
    if not path.exists():
        return 0
    text = path.read_text("utf-8", errors="replace").strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise _refuse(f"{path} is not a version number", f"{path} 的内容不是版本号")
    return int(text)


def _files(directory: Path) -> list[os.DirEntry]:
    if not directory.is_dir():
        return []
    with os.scandir(directory) as entries:
        return [entry for entry in entries if entry.is_file(follow_symlinks=False)]
