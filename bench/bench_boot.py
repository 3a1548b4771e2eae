"""Process start → READY=1, and back on screen after a watchdog kill (issue 17's targets: ≤ 3 s, ≤ 5 s).

Run: ``python bench/bench_boot.py [--runs N]``. Starts the real ``kiosk run`` (offscreen, the bundled
gazette, a data directory warmed by one start) under a stand-in for systemd's notification socket and
times the ``READY=1`` it sends once the home screen is shown; the baseline is a bare Python process
that sends ``READY=1`` at once (the interpreter's own start). The restart is what systemd does after a
watchdog kill: SIGABRT to the running kiosk, wait for it to exit, start it again (after ``RestartSec=``,
added from the unit) until ``READY=1``. Medians of N runs, alternating, in this process.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "packaging" / "systemd" / "zwgk-kiosk.service"


class Listener:
    def __init__(self) -> None:
        self.name = f"@zwgk-bench-notify-{os.getpid()}"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind("\0" + self.name[1:])

    def wait_ready(self, timeout: float = 60) -> float:
        """The monotonic time of the next READY=1."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            if b"READY=1" in self.sock.recv(4096):
                return time.monotonic()
        raise TimeoutError("no READY=1")


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def time_to_ready(
    listener: Listener, command: list[str], env: dict[str, str]
) -> tuple[float, subprocess.Popen]:
    started = time.monotonic()
    process = start(command, env)
    return listener.wait_ready() - started, process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    listener = Listener()
    restart_sec = float(re.search(r"(?m)^RestartSec=(\d+(?:\.\d+)?)", UNIT.read_text()).group(1))  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "kiosk.toml"
        config.write_text("[content]\nbundled_gazette = true\n", encoding="utf-8")
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            KIOSK_DATA_DIR=str(Path(tmp) / "data"),
            KIOSK_CONFIG=str(config),
            NOTIFY_SOCKET=listener.name,
        )
        kiosk = [str(Path(sys.executable).parent / "kiosk"), "run", "--window"]
        bare = [sys.executable, "-c", "from systemd_notify import Notifier; Notifier().ready()"]
        first, process = time_to_ready(listener, kiosk, env)  # imports the gazette, remembers the tiles
        stop(process)
        print(f"first start (imports the bundled gazette): {first:.2f} s")
        baseline, ready, restart = [], [], []
        for _ in range(args.runs):
            seconds, process = time_to_ready(listener, bare, env)
            process.wait()
            baseline.append(seconds)
            seconds, process = time_to_ready(listener, kiosk, env)
            ready.append(seconds)
            killed = time.monotonic()
            process.send_signal(signal.SIGABRT)  # systemd's WatchdogSignal= default
            process.wait()
            time.sleep(restart_sec)
            seconds, process = time_to_ready(listener, kiosk, env)
            restart.append(time.monotonic() - killed)
            stop(process)
    base, up, back = (statistics.median(x) for x in (baseline, ready, restart))
    print(f"\n| measure (median of {args.runs}) | s | target |\n|---|---:|---|")
    print(f"| bare Python process → READY=1 (baseline) | {base:.2f} | — |")
    print(
        f"| `kiosk run` start → READY=1 (home screen shown) | {up:.2f} | ≤ 3 s {'✅' if up <= 3 else '❌'} |"
    )
    print(f"| ratio to the baseline | {up / base:.1f}× | — |")
    print(
        f"| watchdog kill (SIGABRT) → READY=1 again, RestartSec={restart_sec:g} included | {back:.2f} | "
        f"≤ 5 s {'✅' if back <= 5 else '❌'} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
