"""Opening the library when the disk or the file is not what it should be: a full disk is said as such (the
library is healthy), a file truncated to 0 bytes is a maintenance state and never re-created, damage is
named, and `quick_check` finds damage below the header."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from content.errors import LibraryDamaged
from content.importer import import_gazette
from content.store import Library

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "content" / "data" / "dingzhou-gazette-2022-02.md"


def test_a_file_truncated_to_zero_bytes_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "library.db"
    Library(path).close()
    path.write_bytes(b"")
    with pytest.raises(LibraryDamaged) as caught:
        Library(path)
    assert "0 字节" in caught.value.zh and "不会自动重建" in caught.value.zh
    assert path.stat().st_size == 0


def test_a_missing_file_is_a_new_library(tmp_path):
    with Library(tmp_path / "new" / "library.db") as library:
        assert library.stats()["items"] == 0


def test_a_file_that_is_not_a_database_is_named_damaged(tmp_path):
    path = tmp_path / "library.db"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(LibraryDamaged) as caught:
        Library(path)
    assert "文件损坏" in caught.value.zh


def test_quick_check_finds_damage_below_the_header(tmp_path):
    path = tmp_path / "library.db"
    with Library(path) as library:
        import_gazette(library, SEED)
        assert library.quick_check() == []
        library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = 4096
    size = path.stat().st_size
    with open(path, "r+b") as fh:  # random bytes over the middle pages, the header intact
        fh.seek((size // page // 2) * page)
        fh.write(os.urandom(page * 4))
    with Library(path) as library:
        assert library.quick_check() != []


FULL_DISK = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from content.errors import DiskFull
    from content.importer import import_gazette
    from content.store import Library
    data, seed = Path(sys.argv[1]), Path(sys.argv[2])
    library = Library(data / "library.db")
    import_gazette(library, seed)

    def fill():
        fd = os.open(data / "fill", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(fd, b"x" * size)
            except OSError:
                pass
        os.close(fd)

    fill()
    out = {}
    try:  # a write on a full disk: rolled back, said as a full disk
        library.set_meta("test.key", "x" * 200000)
    except DiskFull as exc:
        out["write"] = exc.zh
    os.unlink(data / "fill")
    library.close()  # with room again, so the write-ahead log is folded in and removed
    fill()
    try:
        Library(data / "library.db")
    except DiskFull as exc:
        out["open"] = exc.zh
    os.unlink(data / "fill")
    with Library(data / "library.db") as library:
        out["documents"] = library.stats()["by_kind"]["document"]
        out["check"] = library.quick_check()
    print(json.dumps(out, ensure_ascii=False))
    """
)


def test_a_full_disk_is_said_as_such_and_the_library_survives(tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare to mount a small file system of its own")
    data = tmp_path / "data"
    data.mkdir()
    (data / "logs").mkdir()
    (data / "logs" / "kiosk.jsonl").write_bytes(b"{}\n" * 40000)
    command = f'mount -t tmpfs -o size=16m tmpfs {data} && mkdir {data}/logs && exec {sys.executable} -c "$0" {data} {SEED}'
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", command, FULL_DISK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0 and "mount" in result.stderr and not result.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert "磁盘空间已满" in out["write"] and "未保存任何内容" in out["write"]
    assert "磁盘空间已满" in out["open"] and "资料库本身完好" in out["open"] and "损坏" not in out["open"]
    assert (out["documents"], out["check"]) == (16, [])
