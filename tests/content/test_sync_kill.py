"""kill -9 at 30 random moments of a real `kiosk sync` (a subprocess against the real server on loopback):
afterwards the store passes PRAGMA integrity_check, holds exactly the old or the new version, and the
next sync completes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from channel_kit import item, make_city, publish_items
from city_server import background

from city import fleet
from city.server import create_app
from content.store import Library
from content.sync import SyncClient
from content.transport import HttpSource, TransportSettings

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("KILL_RUNS", "30"))


def state(path: Path) -> tuple[int | None, dict[str, str]]:
    """(applied version, {item id: content hash}) read with plain sqlite3, after an integrity check."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        row = conn.execute("SELECT version FROM sync_state").fetchone()
        items = dict(conn.execute("SELECT id, content_hash FROM items"))
        return (row[0] if row else None), items
    finally:
        conn.close()


def sync_in_process(data: Path, url: str, enrolment: dict) -> None:
    with Library(data / "library.db", blobs_dir=data / "blobs") as library:
        client = SyncClient(
            library, data / "sync", pinned=enrolment["trusted_keys"], channel=enrolment["channel"]
        )
        source = HttpSource(url + "/channel/", TransportSettings(backoff=0.01, retries=5))
        client.sync(source)
        source.close()


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_old_or_new_and_the_next_sync_completes(tmp_path):
    city = make_city(tmp_path / "city")
    publish_items(city, [item(n, body_chars=1200) for n in range(800)], per_shard=256)
    rng = random.Random(20221130)
    config = tmp_path / "kiosk.toml"
    config.write_text("[content]\nbundled_gazette = false\n", encoding="utf-8")
    with background(create_app(city)) as url:
        document = fleet.enrol(city, "k", channel_url=url + "/channel/", upload_url=url + "/v1/outbox")
        template = tmp_path / "template"
        template.mkdir()
        (template / "enrolment.json").write_text(json.dumps(document))
        sync_in_process(template, url, document)
        old = state(template / "library.db")
        # The new version: 100 documents changed, 40 removed, 40 added.
        publish_items(
            city,
            [item(n, revision=int(n < 100), body_chars=1200) for n in range(800) if not 100 <= n < 140]
            + [item(n, body_chars=1200) for n in range(800, 840)],
            per_shard=256,
        )
        reference = tmp_path / "reference"
        shutil.copytree(template, reference)
        sync_in_process(reference, url, document)
        new = state(reference / "library.db")
        assert old[0] == 1 and new[0] == 2 and old[1] != new[1]

        env = {**os.environ, "KIOSK_CONFIG": str(config), "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "kiosk", "sync", "--from", url + "/channel/", "--once"]

        def run(data: Path, kill_after: float | None) -> int | None:
            process = subprocess.Popen(
                command,
                env={**env, "KIOSK_DATA_DIR": str(data)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if kill_after is None:
                return process.wait(timeout=60)
            try:
                return process.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
                return None

        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "kiosk", "--version"], env=env, check=True, capture_output=True)
        startup = time.monotonic() - started
        calibration = tmp_path / "calibration"
        shutil.copytree(template, calibration)
        started = time.monotonic()
        assert run(calibration, None) == 0
        full = time.monotonic() - started
        assert state(calibration / "library.db") == new

        outcomes = {"old": 0, "new": 0, "finished": 0}
        late = full  # where the end of a sync is expected; moves later while the machine is slower

        def covered() -> bool:
            return outcomes["old"] >= 5 and outcomes["new"] + outcomes["finished"] >= 3

        n = 0
        # At least RUNS kills; more (up to twice as many) while the moments have not yet fallen both
        # before and after the commit: on a busy machine a sync can take longer than the calibration run.
        while n < RUNS or (not covered() and n < 2 * RUNS):
            data = tmp_path / f"run{n}"
            shutil.copytree(template, data)
            # Even runs: anywhere in the sync; odd runs: its last 40 %, where the apply and commit are.
            start = startup * 0.8 if n % 2 == 0 else late * 0.6
            code = run(data, rng.uniform(start, late * 1.05))
            n += 1
            after = state(data / "library.db")
            if after not in (old, new):
                (version, items), target = after, new if after[0] == 2 else old
                diff = sorted(k for k in items.keys() | target[1].keys() if items.get(k) != target[1].get(k))
                shutil.copytree(data, tmp_path.parent / "failed-run", dirs_exist_ok=True)
                raise AssertionError(
                    f"run {n - 1}: neither the old nor the new version: v{version}, {len(diff)} differ: {diff[:10]} {[(items.get(k), old[1].get(k), new[1].get(k)) for k in diff[:3]]}"
                )
            outcomes["finished" if code == 0 else "old" if after == old else "new"] += 1
            if n % 2 == 0 and after == old and outcomes["new"] + outcomes["finished"] < 3:
                late *= 1.15  # a late kill still found the old version: this machine is slower now
            elif code == 0 and outcomes["old"] < 5:
                late *= 0.85  # the sync finished before the kill: faster now than the calibration run
            sync_in_process(data, url, document)
            assert state(data / "library.db") == new
            shutil.rmtree(data)
    print(f"startup {startup:.2f}s, full sync {full:.2f}s, {n} runs, outcomes {outcomes}")
    # The moments really fell before, during and after the apply.
    assert outcomes["old"] >= 5, outcomes
    assert outcomes["new"] + outcomes["finished"] >= 3, outcomes
