"""`city serve` under a stand-in for systemd (tests/helpers/notify_socket.py): READY=1 only once the server
answers its own /v1/health, WATCHDOG=1 at half of WatchdogSec= while it runs, STOPPING=1 when stopped; with
`--workers 2` on PostgreSQL the workers, which systemd does not name in $WATCHDOG_PID, ping too; a stopped
(frozen) server sends no more pings; and without $NOTIFY_SOCKET nothing is sent and it serves as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
from notify_socket import NotifySocket
from test_workers import free_port, workers_of

from city.home import CityHome

WATCHDOG_USEC = 400_000  # WatchdogSec=0.4: a ping every 0.2 s


@pytest.fixture
def home(tmp_path) -> CityHome:
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test", url="http://city.example/channel/")
    home.keygen()
    return home


def start(home: CityHome, port: int, notify: str, workers: int = 1) -> subprocess.Popen:
    command = [sys.executable, "-m", "city.cli", "--home", str(home.path), "serve", "--port", str(port)]
    env = {**os.environ, "NOTIFY_SOCKET": notify, "WATCHDOG_USEC": str(WATCHDOG_USEC)}
    env.pop("WATCHDOG_PID", None)
    return subprocess.Popen(
        [*command, "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def pings_within(listener: NotifySocket, seconds: float) -> int:
    count, end = 0, time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        fields = listener.receive(left)
        count += bool(fields and fields.get("WATCHDOG") == "1")
    return count


def finish(server: subprocess.Popen) -> str:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
    try:
        _, err = server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        _, err = server.communicate()
    return err.decode(errors="replace")


def test_ready_after_its_health_answers_then_watchdog_pings_then_stopping(home):
    port = free_port()
    with NotifySocket() as listener:
        server = start(home, port, listener.name)
        try:
            ready = listener.wait_for("READY", 60)
            assert ready is not None, finish(server)
            assert ready["READY"] == "1" and ready["STATUS"] == f"serving on 127.0.0.1:{port}"
            assert healthy(port)  # READY meant a client can be served
            assert pings_within(listener, 2.0) >= 5  # one per 0.2 s, with room for a loaded machine

            server.send_signal(signal.SIGSTOP)  # a frozen process: the pings stop, systemd would kill it
            try:
                time.sleep(0.3)
                while listener.receive(0.05) is not None:
                    pass  # what was sent before the stop took effect
                assert pings_within(listener, 1.0) == 0
            finally:
                server.send_signal(signal.SIGCONT)
            assert pings_within(listener, 1.0) >= 2  # alive again

            server.send_signal(signal.SIGINT)
            assert listener.wait_for("STOPPING", 20) is not None
        finally:
            finish(server)


def test_each_worker_pings_with_the_interval_its_parent_read(home, city_database):
    if city_database != "postgresql":
        pytest.skip("more than one worker is PostgreSQL only (test_workers.py checks the refusal)")
    port = free_port()
    with NotifySocket() as listener:
        server = start(home, port, listener.name, workers=2)
        try:
            assert listener.wait_for("READY", 60) is not None, finish(server)
            assert healthy(port)
            deadline = time.monotonic() + 30
            while len(workers_of(server.pid)) < 2:
                assert time.monotonic() < deadline, "the workers did not start"
                time.sleep(0.1)
            assert pings_within(listener, 2.0) >= 10  # two workers, one ping each per 0.2 s
        finally:
            finish(server)


def test_without_a_notify_socket_it_serves_and_sends_nothing(home, tmp_path):
    port = free_port()
    with NotifySocket() as listener:
        server = start(home, port, "")
        try:
            deadline = time.monotonic() + 60
            while not healthy(port):
                assert server.poll() is None and time.monotonic() < deadline, finish(server)
                time.sleep(0.1)
            assert listener.receive(1.0) is None
        finally:
            finish(server)
