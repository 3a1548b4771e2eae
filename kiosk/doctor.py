"""What a technician checks on a kiosk that misbehaves (`kiosk doctor`): the disk, the library (opens, passes
SQLite's quick_check), the sync (its last error and what its staging folder holds), the outbox (pending
and refused records), the last software update (what the root helper wrote) and damaged libraries kept
aside by a recovery. Each finding says, in Chinese, what is wrong and what to do; nothing here changes
anything (`kiosk doctor --recover` does, through content.recover).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from content.disk import NEEDED, folder_size, free_bytes
from content.errors import ContentError
from kiosk import sync_text
from kiosk.config import Config
from kiosk.i18n import tr, translate


@dataclass
class Finding:
    area: str  # disk, library, sync, outbox, update, damaged
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
            Finding(
                "library", True, tr("资料库 {path} 尚未建立（首次启动时建立）", path=path), "no library yet"
            )
        )
    else:
        findings += _library(config, data_dir, path)
    findings.append(_staging(data_dir))
    findings.append(_update(data_dir))
    damaged = sorted(data_dir.glob("library.damaged-*.db"))
    if damaged:
        size = sum(database_size(p) for p in damaged)
        findings.append(
            Finding(
                "damaged",
                True,
                tr(
                    "恢复时留下的损坏资料库 {count} 个（{size}）：{name}；确认新资料库正常后可删除",
                    count=len(damaged),
                    size=mb(size),
                    name=damaged[-1].name,
                ),
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
            tr(
                "磁盘剩余空间 {free}，不足 {needed}：请清理 {folder} 下的 logs/、printer/ 或磁盘上的其他文件",
                free=mb(free),
                needed=mb(NEEDED),
                folder=data_dir,
            ),
            f"{free} bytes free in {data_dir}, under {NEEDED}",
            free,
        )
    return Finding("disk", True, tr("磁盘剩余空间 {free}", free=mb(free)), f"{free} bytes free", free)


def _library(config: Config, data_dir: Path, path: Path) -> list[Finding]:
    from content.outbox import Outbox
    from content.store import Library
    from content.sync import sync_status

    try:
        library = Library(path, blobs_dir=data_dir / "blobs")
    except ContentError as exc:
        return [Finding("library", False, tr("资料库无法打开：{reason}", reason=translate(exc.zh)), str(exc))]
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
                    tr(
                        "资料库完整性检查未通过（{found}）：请运行 kiosk doctor --recover 重建资料库，"
                        "本地公告和待上传记录会保留，内容从市级平台重新同步",
                        found=found[0][:80],
                    ),
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
                tr(
                    "资料库完好：{items} 条内容，{size}，完整性检查 {seconds} 秒",
                    items=items,
                    size=mb(database_size(path)),
                    seconds=f"{seconds:.1f}",
                ),
                f"quick_check ok in {seconds:.2f} s, {items} items",
                items,
            )
        )
        status = sync_status(library)
        failed = bool(status.last_error_zh) and (status.last_attempt or "") > (status.last_success or "")
        findings.append(
            Finding(
                "sync",
                not failed and not status.stale_since,
                "；".join(sync_text.status_lines(status)[:-1]),  # as `kiosk sync status` says it
                status.last_error or f"channel {status.channel} version {status.version}",
                status.version,
            )
        )
        outbox = Outbox(library, capacity=config["sync.outbox_max"]).status()
        said = [
            tr("待上传记录 {pending} 条（上限 {capacity}）", pending=outbox.pending, capacity=outbox.capacity)
        ]
        if outbox.refused:
            said.append(tr("被市级平台拒收 {count} 条：kiosk outbox status 查看原因", count=outbox.refused))
        if outbox.warning_zh:
            said.append(translate(outbox.warning_zh))
        findings.append(
            Finding(
                "outbox",
                not outbox.warning_zh and not outbox.refused,
                "；".join(said),
                f"{outbox.pending} pending, {outbox.refused} refused",
                outbox.pending,
            )
        )
    return findings


def _update(data_dir: Path) -> Finding:
    """The last run of the root helper that installs software updates (updater/, as root at night)."""
    path = data_dir / "update-status.json"
    try:
        status = json.loads(path.read_text("utf-8"))
        result, when, reason = status["result"], status["last_run"], status["reason_zh"]
    except FileNotFoundError:
        return Finding(
            "update", True, tr("尚无软件更新记录（每晚自动检查）"), "the update helper has not run"
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Finding("update", False, tr("软件更新记录 {path} 无法读取", path=path), f"{path}: {exc}")
    return Finding(
        "update",
        result in ("installed", "up-to-date"),
        tr("软件更新（{when}）：{reason}", when=when, reason=reason),
        f"update {result} at {when}: {status.get('reason_en', '')}",
        status.get("installed"),
    )


def _staging(data_dir: Path) -> Finding:
    staging = data_dir / "sync"
    size = folder_size(staging) if staging.is_dir() else 0
    if size > NEEDED:
        return Finding(
            "staging",
            False,
            tr(
                "同步暂存 {folder} 占用 {size}（未完成的同步，下次同步续传）；磁盘紧张时可删除该文件夹",
                folder=staging,
                size=mb(size),
            ),
            f"sync staging holds {size} bytes",
            size,
        )
    return Finding("staging", True, tr("同步暂存 {size}", size=mb(size)), f"sync staging {size} bytes", size)
