"""Reading files from removable media (a USB stick): regular files only, and no read waits forever.

A named pipe (FIFO), device or socket on a stick is refused before it is opened: opening a FIFO for
reading blocks until some writer comes, and a device may never end. The open itself is non-blocking
and the opened file is checked again, in case the name was swapped after the first check. A stick that
stops answering blocks a read in the kernel where nothing can interrupt it, so every open and read runs
on a daemon thread that is abandoned after ``READ_TIMEOUT`` seconds: the caller gets an error and
releases its locks, and only that thread stays blocked.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import BinaryIO, TypeVar

from content.errors import Message

READ_TIMEOUT = 30.0  # seconds one open or read of a file on removable media may take
CHUNK = 1 << 20  # the most one timed read asks for (1 MiB takes well under a second on any stick)

T = TypeVar("T")

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)", Message("命名管道")),
    (stat.S_ISCHR, "a character device", Message("字符设备")),
    (stat.S_ISBLK, "a block device", Message("块设备")),
    (stat.S_ISSOCK, "a socket", Message("套接字")),
    (stat.S_ISDIR, "a directory", Message("文件夹")),
)


class MediaError(Exception):
    """A file on removable media that was not read: not a regular file, or the medium did not answer."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def _check_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    en, zh = next(
        ((en, zh) for test, en, zh in _KINDS if test(mode)), ("not a regular file", Message("特殊文件"))
    )
    raise MediaError(
        f"{path} is {en}, not a regular file: refused without reading it",
        Message("{path} 是{kind}，不是普通文件，已拒绝读取", path=path, kind=zh),
    )


def with_timeout(work: Callable[[], T], path: Path, timeout: float = READ_TIMEOUT) -> T:
    """``work()`` on a daemon thread; MediaError when it has not returned after ``timeout`` seconds."""
    outcome: list = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name="media-read", daemon=True).start()
    if not done.wait(timeout):
        raise MediaError(
            f"{path} did not answer within {timeout:g} s (a hung or failing medium)",
            Message(
                "读取 {path} 超过 {seconds} 秒无响应，U 盘可能已损坏或接触不良，请拔下后重试",
                path=path,
                seconds=f"{timeout:g}",
            ),
        )
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def _open_regular(path: Path) -> BinaryIO:
    _check_regular(path, os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        _check_regular(path, os.fstat(fd).st_mode)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def open_regular(path: Path, timeout: float = READ_TIMEOUT) -> BinaryIO:
    """Open a regular file for reading; MediaError for anything else, or a medium that does not answer.
    FileNotFoundError and other OSErrors pass through."""
    return with_timeout(lambda: _open_regular(Path(path)), Path(path), timeout)


def read(fh: BinaryIO, size: int, path: Path, timeout: float = READ_TIMEOUT) -> bytes:
    """Up to ``size`` bytes from an open file, read in chunks of at most CHUNK bytes; MediaError when
    one chunk takes longer than ``timeout`` seconds."""
    parts = []
    while size > 0:
        chunk = with_timeout(partial(fh.read, min(size, CHUNK)), path, timeout)
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def read_file(path: Path, limit: int, timeout: float = READ_TIMEOUT) -> bytes:
    """The first ``limit`` bytes of a regular file (pass one more than allowed to see if it is longer)."""
    with open_regular(path, timeout) as fh:
        return read(fh, limit, Path(path), timeout)
