"""`city serve --workers N`: on PostgreSQL, N processes share the upload API and an upload sent twice at
once (through different connections, so different workers) is stored once; kill -9 of a worker while
kiosks upload loses and doubles nothing (the kiosks retry, uvicorn starts a new worker). On SQLite more than
one worker is refused with a clear message."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from city import fleet
from city.home import CityHome
from content.record_schema import record_body

T = "2026-12-01T08:00:00+08:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_of(pid: int) -> set[int]:
    """The uvicorn worker processes under `pid` (spawned: `multiprocessing … spawn_main`)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.add(int(entry.name))
    return found


def start(home: CityHome, port: int, workers: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "city.cli", "--home", str(home.path), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while (workers > 1 and len(workers_of(server.pid)) < workers) or not _healthy(f"http://127.0.0.1:{port}"):
        assert server.poll() is None, server.stderr.read().decode()
        assert time.monotonic() < deadline, "city serve did not start"
        time.sleep(0.1)
    return server


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def serving(home: CityHome, workers: int) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    server = start(home, port, workers)
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        stop(server)


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the kiosks did not get their uploads through"
        time.sleep(0.05)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/v1/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def home(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    return home


def search_body(n: int) -> bytes:
    return record_body("search", T, {"query_class": "words", "results": n, "opened": n % 2 == 0})


def send(url: str, kiosk_id: str, token: str, key: str, body: bytes) -> int:
    headers = {"Idempotency-Key": key, "X-Kiosk-Id": kiosk_id, "Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=10) as http:  # a connection of its own: any worker may take it
        return http.post("/v1/outbox", content=body, headers=headers).status_code


def stored(home: CityHome) -> list[tuple[str, str]]:
    with home.db() as conn:
        return [tuple(r) for r in conn.execute("SELECT kiosk_id, idempotency_key FROM records ORDER BY seq")]


def test_more_than_one_worker_needs_postgresql_and_there_stores_each_upload_once(home, city_database, capsys):
    if city_database == "sqlite":
        from city import cli

        assert cli.main(["--home", str(home.path), "serve", "--workers", "2"]) == 2
        err = capsys.readouterr().err
        assert "需要 PostgreSQL" in err and "SQLite" in err and "Traceback" not in err
        return
    tokens = fleet.enrol_tokens(home, [(f"k{n:03}", "定州市", f"镇{n % 3}") for n in range(20)])
    with serving(home, workers=3) as (url, server):
        assert len(workers_of(server.pid)) == 3
        jobs = []
        for n, (kiosk_id, token) in enumerate(tokens.items()):
            key, body = str(uuid.uuid4()), search_body(n)
            jobs += [(kiosk_id, token, key, body)] * 4  # the same upload four times at once
        barrier = threading.Barrier(8)

        def go(job) -> int:
            try:
                barrier.wait(timeout=1)
            except threading.BrokenBarrierError:
                pass
            return send(url, *job)

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(go, jobs))
    assert sorted(statuses).count(201) == 20 and statuses.count(200) == 60, statuses
    rows = stored(home)
    assert len(rows) == len(set(rows)) == 20
    with home.db() as conn:  # the roll-ups counted each record once
        assert conn.execute("SELECT sum(n) FROM usage_daily").fetchone()[0] == 20
        assert conn.execute("SELECT sum(n) FROM area_daily WHERE county = '定州市'").fetchone()[0] == 20


def test_kill_9_of_a_worker_during_uploads_loses_and_doubles_nothing(home, city_database):
    """On PostgreSQL one of two workers is killed and uvicorn starts another; on SQLite, for comparison,
    the one server process is killed and started again."""
    tokens = fleet.enrol_tokens(home, [(f"k{n:03}", "定州市", "东亭镇") for n in range(10)])
    sent: list[tuple[str, str]] = []
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    workers = 1 if city_database == "sqlite" else 2
    servers = [start(home, port, workers)]
    done = threading.Event()

    def kiosk(kiosk_id: str, token: str) -> None:
        n = 0
        while not done.is_set():
            key, body = str(uuid.uuid4()), search_body(n)
            while True:  # a kiosk retries an upload until the city answers it
                try:
                    if send(url, kiosk_id, token, key, body) in (200, 201):
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
            sent.append((kiosk_id, key))
            n += 1

    threads = [threading.Thread(target=kiosk, args=item) for item in tokens.items()]
    try:
        for thread in threads:
            thread.start()
        wait_for(lambda: len(sent) >= 30)
        if workers == 1:
            os.kill(servers[0].pid, signal.SIGKILL)
            servers[0].wait()
            servers.append(start(home, port, 1))
        else:
            victim = min(workers_of(servers[0].pid))
            os.kill(victim, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while not (len(now := workers_of(servers[0].pid)) == 2 and victim not in now):
                assert time.monotonic() < deadline, "uvicorn did not replace the killed worker"
                time.sleep(0.1)
        after_kill = len(sent)
        wait_for(lambda: len(sent) >= after_kill + 30)  # the kiosks go on uploading
    finally:
        done.set()
        for thread in threads:
            thread.join(30)
        stop(servers[-1])
    rows = stored(home)
    assert len(rows) == len(set(rows))  # nothing doubled
    assert sorted(rows) == sorted(sent)  # nothing lost: every answered upload is there, nothing else
    assert len(sent) >= 60
