"""A full disk, said as such: how much is free, how much is needed, and what in the data directory can go.

SQLite reports a full disk as "database or disk is full" and the OS as ENOSPC; either used to reach
staff as "文件损坏" or "内部错误", which invites throwing away a healthy library. ``full_disk_error``
builds the message instead, naming the folders of the data directory that may be cleared (logs,
printer previews, sync staging) with their sizes.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

from content.errors import DiskFull, Joined, Message

NEEDED = 64 << 20  # what a start, a sync's bookkeeping or an import needs at least
CLEARABLE = (("logs", Message("日志")), ("printer", Message("打印预览")), ("sync", Message("同步暂存")))


ALMOST_NOTHING = 1 << 20  # free space under which an I/O error is the full disk's doing


def is_full(exc: BaseException, folder: Path | None = None) -> bool:
    """Whether `exc` comes from a full disk. SQLite says "disk I/O error" rather than "full" when it
    cannot even make its shared-memory file, so with `folder` an I/O error on a disk with (almost)
    nothing free counts as full too."""
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code == sqlite3.SQLITE_FULL:
            return True
        io_error = code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN)
    elif isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        io_error = exc.errno == errno.EIO
    else:
        return False
    return io_error and folder is not None and free_bytes(folder) < ALMOST_NOTHING


def free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def folder_size(folder: Path) -> int:
    """Bytes in the files under `folder` (0 when it does not exist)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


def full_disk_error(
    data_dir: Path,
    what: str,
    what_zh: str,
    needed: int = NEEDED,
    *,
    about_library: bool = True,
    full: bool = True,
) -> DiskFull:
    """DiskFull for `what` (English) / `what_zh` (Chinese), with the free space and what can be cleared;
    `about_library`: say that the library is not damaged (it is what staff might otherwise delete);
    `full=False`: the disk is not full yet, only short of what is about to be written."""
    free = free_bytes(data_dir)
    folders = [
        (name, zh, folder_size(data_dir / name)) for name, zh in CLEARABLE if (data_dir / name).is_dir()
    ]
    clear_en = ", ".join(f"{name}/ {_mb(size)}" for name, _zh, size in folders if size)
    clear_zh = Joined(
        "、",
        [
            Message("{folder}（{path}，{size}）", folder=zh, path=data_dir / name, size=_mb(size))
            for name, zh, size in folders
            if size
        ],
    )
    free_text, needed_text = _mb(free), _mb(needed)
    return DiskFull(
        f"{what}: {'the disk is full' if full else 'not enough disk space'} "
        f"({_mb(free)} free in {data_dir}, at least {_mb(needed)} needed)"
        + (f"; can be cleared: {clear_en}" if clear_en else ""),
        Message(
            "{problem}{library}{remedy}",
            problem=Message(
                "磁盘空间已满，{what}（剩余 {free}，至少需要 {needed}）。",
                what=what_zh,
                free=free_text,
                needed=needed_text,
            )
            if full
            else Message(
                "磁盘空间不足，{what}（剩余 {free}，至少需要 {needed}）。",
                what=what_zh,
                free=free_text,
                needed=needed_text,
            ),
            library=Message("资料库本身完好，请勿删除或重新导入。") if about_library else "",
            remedy=Message("可清理：{folders}，或请技术人员清理磁盘上的其他文件。", folders=clear_zh)
            if clear_zh
            else Message("或请技术人员清理磁盘上的其他文件。"),
        ),
        free=free,
        needed=needed,
    )
