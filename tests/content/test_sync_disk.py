"""A sync on a disk without room: refused before fetching when the channel says more is coming than fits,
stopped and cleaned up when the disk fills during the fetch, said as a disk problem (never the USB stick's
fault, never "内部错误"), kept in `sync status`, and the next sync with room applies. On a real tmpfs in
a mount namespace of its own (skipped where one cannot be mounted)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from channel_kit import item, make_city, publish_items

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import json, os, shutil, sys
    from pathlib import Path
    from city.home import CityHome
    from content.errors import DiskFull
    from content.store import Library
    from content.sync import SyncClient, sync_status
    from content.transport import DirectorySource

    data, usb, home = Path(sys.argv[1]), Path(sys.argv[2]), CityHome(Path(sys.argv[3]))
    library = Library(data / "library.db")
    client = SyncClient(library, data / "sync", pinned=home.trusted_keys(), channel=home.channel())

    def fill(leave):
        free = shutil.disk_usage(data).free
        with open(data / "fill", "wb") as fh:
            fh.truncate(0)
            for _ in range(max(0, free - leave) >> 16):
                fh.write(b"x" * 65536)

    def staged():
        return sorted(str(p.relative_to(data / "sync")) for p in (data / "sync").rglob("*") if p.is_file())

    class FillsUp(DirectorySource):
        # another program takes the disk while the sync fetches
        def fetch(self, path, part, size):
            if not (data / "fill").exists():
                fill(256 << 10)
            return super().fetch(path, part, size)

    out = {}
    # 1. Not enough room for what the channel says is coming (and 5 MB left by an earlier sync).
    (data / "sync" / "blobs").mkdir(parents=True)
    (data / "sync" / "blobs" / "leftover.part").write_bytes(b"x" * (5 << 20))
    fill(40 << 20)
    try:
        client.sync(DirectorySource(usb))
    except DiskFull as exc:
        out["before"] = exc.zh
    out["before_staged"] = staged()
    out["before_status"] = sync_status(library).last_error_zh
    out["before_items"] = library.stats()["items"]
    os.unlink(data / "fill")

    # 2. The disk fills while fetching.
    try:
        client.sync(FillsUp(usb))
    except DiskFull as exc:
        out["during"] = exc.zh
    out["during_staged"] = staged()
    out["during_status"] = sync_status(library).last_error_zh
    os.unlink(data / "fill")

    # 3. With room, the next sync applies.
    out["items"] = client.sync(DirectorySource(usb)).added
    out["status"] = sync_status(library).last_error_zh
    out["check"] = library.quick_check()
    print(json.dumps(out, ensure_ascii=False))
    """
)


def test_a_sync_without_room_says_so_cleans_up_and_the_next_one_applies(tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare to mount a small file system of its own")
    home = make_city(tmp_path / "city")
    publish_items(home, [item(n, body_chars=20_000) for n in range(100)])  # ~6 MB of records
    home.repo.export(tmp_path / "usb")
    data = tmp_path / "data"
    data.mkdir()
    command = f'mount -t tmpfs -o size=128m tmpfs {data} && exec {sys.executable} -c "$0" {data} {tmp_path / "usb"} {tmp_path / "city"}'
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", command, SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0 and "mount" in result.stderr and not result.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)

    assert (
        out["before"].startswith("磁盘空间不足，本次同步未下载任何内容") and "资料库本身完好" in out["before"]
    )
    assert out["before_status"] == out["before"] and out["before_items"] == 0
    assert out["before_staged"] == ["lock"]  # the earlier sync's leftover is gone too

    assert out["during"].startswith("磁盘空间已满，同步已停止") and "U 盘" not in out["during"]
    assert out["during_status"] == out["during"] and out["during_staged"] == ["lock"]

    assert (out["items"], out["status"], out["check"]) == (100, None, [])
