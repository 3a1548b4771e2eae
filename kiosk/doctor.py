"""What a technician checks on a kiosk that misbehaves (`kiosk doctor`): the disk, the library (opens, passes
SQLite's quick_check), the sync (its last error and what its staging folder holds), the outbox (pending
and refused records) and damaged libraries kept aside by a recovery. Each finding says, in Chinese, what
is wrong and what to do; nothing here changes anything (`kiosk doctor --recover` does, through
content.recover).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from content.disk import NEEDED, folder_size, free_bytes
from content.errors import ContentError
from kiosk.config import Config


@dataclass
class Finding:
    area: str  # disk, library, sync, outbox, damaged
    ok: bool
    zh: str  # for the technician
    en: str  # for the log and --json readers
    value: Any = None  # the measured figure, when there is one

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def examine(config: Config, data_dir: Path) -> list[Finding]:
    findings = [_disk(data_dir)]
    path = data_dir / "library.db"
    if not path.exists():
        findings.append(
            Finding("library", True, f"资料库 {path} 尚未建立（首次启动时建立）", "no library yet")
        )
    else:
        findings += _library(config, data_dir, path)
    findings.append(_staging(data_dir))
    damaged = sorted(data_dir.glob("library.damaged-*.db"))
    if damaged:
        size = sum(database_size(p) for p in damaged)
        findings.append(
            Finding(
                "damaged",
                True,
                f"恢复时留下的损坏资料库 {len(damaged)} 个（{mb(size)}）：{damaged[-1].name}；"
                "确认新资料库正常后可删除",
                f"{len(damaged)} damaged libraries kept aside ({size} bytes)",
                size,
            )
        )
    return findings


def database_size(path: Path) -> int:
    """A database file with its -wal and -shm."""
    files = (Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm"))
    return sum(file.stat().st_size for file in files if file.exists())


def _disk(data_dir: Path) -> Finding:
    free = free_bytes(data_dir)
    if free < NEEDED:
        return Finding(
            "disk",
            False,
            f"磁盘剩余空间 {mb(free)}，不足 {mb(NEEDED)}：请清理 {data_dir} 下的 logs/、printer/ 或磁盘上的其他文件",
            f"{free} bytes free in {data_dir}, under {NEEDED}",
            free,
        )
    return Finding("disk", True, f"磁盘剩余空间 {mb(free)}", f"{free} bytes free", free)


def _library(config: Config, data_dir: Path, path: Path) -> list[Finding]:
    from content.outbox import Outbox
    from content.store import Library
    from content.sync import sync_status

    try:
        library = Library(path, blobs_dir=data_dir / "blobs")
    except ContentError as exc:
        return [Finding("library", False, f"资料库无法打开：{exc.zh}", str(exc))]
    findings = []
    with library:
        started = time.monotonic()
        found = library.quick_check()
        seconds = time.monotonic() - started
        if found:
            findings.append(
                Finding(
                    "library",
                    False,
                    f"资料库完整性检查未通过（{found[0][:80]}）：请运行 kiosk doctor --recover 重建资料库，"
                    "本地公告和待上传记录会保留，内容从市级平台重新同步",
                    f"quick_check failed: {'; '.join(found[:3])}",
                    found,
                )
            )
            return findings
        items = library.stats()["items"]
        findings.append(
            Finding(
                "library",
                True,
                f"资料库完好：{items} 条内容，{mb(database_size(path))}，完整性检查 {seconds:.1f} 秒",
                f"quick_check ok in {seconds:.2f} s, {items} items",
                items,
            )
        )
        status = sync_status(library)
        if status.last_error_zh and (status.last_attempt or "") > (status.last_success or ""):
            findings.append(
                Finding("sync", False, f"上次同步失败：{status.last_error_zh}", status.last_error or "")
            )
        elif status.version is None:
            findings.append(Finding("sync", True, "尚未从市级平台同步过内容", "never synced"))
        else:
            findings.append(
                Finding(
                    "sync",
                    not status.stale_since,
                    f"频道 {status.channel} 版本 {status.version}，上次成功同步 {status.last_success}"
                    + (f"；内容自 {status.stale_since} 起已过期" if status.stale_since else ""),
                    f"channel {status.channel} version {status.version}",
                    status.version,
                )
            )
        outbox = Outbox(library, capacity=config["sync.outbox_max"]).status()
        findings.append(
            Finding(
                "outbox",
                not outbox.warning_zh and not outbox.refused,
                f"待上传记录 {outbox.pending} 条（上限 {outbox.capacity}）"
                + (
                    f"，被市级平台拒收 {outbox.refused} 条：kiosk outbox status 查看原因"
                    if outbox.refused
                    else ""
                )
                + (f"；{outbox.warning_zh}" if outbox.warning_zh else ""),
                f"{outbox.pending} pending, {outbox.refused} refused",
                outbox.pending,
            )
        )
    return findings


def _staging(data_dir: Path) -> Finding:
    staging = data_dir / "sync"
    size = folder_size(staging) if staging.is_dir() else 0
    if size > NEEDED:
        return Finding(
            "staging",
            False,
            f"同步暂存 {staging} 占用 {mb(size)}（未完成的同步，下次同步续传）；磁盘紧张时可删除该文件夹",
            f"sync staging holds {size} bytes",
            size,
        )
    return Finding("staging", True, f"同步暂存 {mb(size)}", f"sync staging {size} bytes", size)
