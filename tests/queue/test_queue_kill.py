"""kill -9 at 50 random moments of a process issuing and calling tickets as fast as it can, each restart
on the same `queue.db`: the database passes `integrity_check`, no number appears twice, and every ticket
whose bytes reached the (file) printer is in the database."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.queue import Queue, parse_config

RUNS = int(os.environ.get("KILL_RUNS", "50"))
HERE = Path(__file__).resolve().parent
# The QR code's data goes to the printer as bytes (native QR on 80 mm): the status URL with the code.
PRINTED_CODE = re.compile(rb"http://kiosk\.test/t/([A-Za-z0-9_-]{16})(?=[^A-Za-z0-9_-])")
HALL = {
    "queue": {"call_timeout_minutes": 0},
    "service": [
        {"key": "a", "name": "甲", "prefix": "A", "last": 9999},
        {"key": "b", "name": "乙", "prefix": "B", "last": 9999},
    ],
    "window": [{"number": 1, "services": ["a", "b"]}, {"number": 2, "services": ["a"]}],
}


def check(db_path: Path, sink: Path) -> tuple[int, int]:
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        roots = db.execute(
            "SELECT day, service, seq, number, code FROM tickets WHERE parent_id IS NULL"
        ).fetchall()
        assert len({r[:3] for r in roots}) == len(roots), "a number was issued twice"
        assert len({(r[0], r[3]) for r in roots}) == len(roots), "a printed number appears twice"
        codes = {r[4] for r in roots}
        printed = [m.decode() for m in PRINTED_CODE.findall(sink.read_bytes())] if sink.exists() else []
        missing = [code for code in printed if code not in codes]
        assert not missing, f"{len(missing)} printed tickets are not in the database"
        assert len(set(printed)) == len(printed)
        at_window = db.execute(
            "SELECT window, count(*) FROM tickets WHERE status IN ('called', 'serving') GROUP BY window"
        ).fetchall()
        assert all(count == 1 for _, count in at_window)
        return len(roots), len(printed)
    finally:
        db.close()


@pytest.mark.slow
def test_kill_9_at_random_moments_never_loses_or_repeats_a_number(tmp_path):
    data = tmp_path / "data"
    sink = tmp_path / "printer.bin"
    setup = Queue.open(data)
    setup.configure(parse_config(HALL))
    setup.close()
    rng = random.Random(20261204)
    issued_before = 0
    for run in range(RUNS):
        process = subprocess.Popen(
            [sys.executable, str(HERE / "queue_churn.py"), str(data), str(sink)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert process.stdout.readline() == b"ready\n", process.stderr.read().decode()
            time.sleep(rng.uniform(0.0, 0.3))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        issued, printed = check(data / "queue.db", sink)
        assert issued >= issued_before, f"run {run}: tickets disappeared"
        issued_before = issued
    # the work really happened: hundreds of tickets, nearly all of them printed
    assert issued_before > RUNS and printed >= issued_before - RUNS
    queue = Queue.open(data)
    try:
        assert queue.take("a").status == "waiting"  # and the queue carries on
    finally:
        queue.close()
