"""Benchmark of the display process (`kiosk display`) in one process, on Qt's offscreen platform.

    .venv/bin/python -m bench.bench_display                       # 200 calls, 24 h of slides
    .venv/bin/python -m bench.bench_display --calls 50 --hours 6  # a quick run

- Call → banner: a `call` event published on the kiosk's real feed (its API on loopback, real services
  over the bundled gazette) until the display has drawn a frame with the banner up (the first frame
  swapped after the banner's property is set). The baseline, in the same run: the same event until an
  SSE client on the same feed has read it (the transport's own floor).
- Memory: the display process alone (a child process, as `kiosk display` runs): its RSS over simulated days with an accelerated clock: notices and the gazette
  rotating at 8 s a slide (10,800 slide changes a day), a call every 5 minutes, new content every 6 hours (every slide built again);
  each slide change is drawn (the run waits for its frame). RSS after each simulated hour, after a
  Python and a QML garbage collection; growth is the end against the end of the first hour.

Prints markdown tables for the README. Not a test: nothing here asserts a figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from display import app as display_app  # noqa: E402
from display.player import Settings  # noqa: E402
from kiosk.api.runner import ApiRunner  # noqa: E402
from kiosk.config import defaults  # noqa: E402
from kiosk.notices import NoticeDraft  # noqa: E402
from kiosk.services import build  # noqa: E402
from kiosk.signage.files import write_json  # noqa: E402
from kiosk.signage.tokens import token_path  # noqa: E402

SLIDE_SECONDS = 8
CALL_EVERY = 300  # simulated seconds
CONTENT_EVERY = 6 * 3600


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Frames:
    """Waits for the next frame the window swaps (or `timeout` seconds)."""

    def __init__(self, window):
        self.loop = QEventLoop()
        self.swapped_at = 0.0
        window.frameSwapped.connect(self._swapped)

    def _swapped(self) -> None:
        self.swapped_at = time.perf_counter()
        if self.loop.isRunning():
            self.loop.quit()

    def wait(self, timeout: float = 1.0) -> float:
        QTimer.singleShot(int(timeout * 1000), self.loop.quit)
        self.loop.exec()
        return self.swapped_at


def wait_until(condition, timeout: float) -> bool:
    loop, end = QEventLoop(), time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    return condition()


def feed_baseline(url: str, feed, runs: int) -> list[float]:
    """Publish → an SSE client on the same feed has the event (ms)."""
    got: dict[int, float] = {}
    ready = threading.Event()

    def listen() -> None:
        with httpx.Client(timeout=None) as client, client.stream("GET", f"{url}/api/feed") as response:
            ready.set()
            for line in response.iter_lines():
                if line.startswith("data:") and '"bench"' in line:
                    got[int(line.split('"n":')[1].split(",")[0].rstrip("}"))] = time.perf_counter()
                    if len(got) == runs:
                        return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    ready.wait(10)
    time.sleep(0.3)
    sent = {}
    for n in range(runs):
        sent[n] = time.perf_counter()
        feed.publish("bench", {"n": n, "bench": True})
        time.sleep(0.05)
    thread.join(30)
    return [(got[n] - sent[n]) * 1000 for n in sent if n in got]


def banner_latency(kiosk_url: str, feed, screen, frames: Frames, runs: int) -> list[float]:
    window, player = screen
    wait_until(lambda: feed.clients >= 1, 10)
    latencies = []
    for n in range(runs):
        number = f"A{n % 1000:03d}"
        expected = f"请 {number} 号 到 {n % 9 + 1} 号窗口"
        t0 = time.perf_counter()
        feed.publish("call", {"number": number, "window": n % 9 + 1})
        if not wait_until(lambda e=expected: window.property("banner") == e, 5):
            print(f"call {n}: banner never came", file=sys.stderr)
            continue
        drawn = frames.wait(1.0)
        latencies.append((drawn - t0) * 1000)
        wait_until(lambda: False, 0.05)
    return latencies


def memory_run(engine, player, frames: Frames, clock, hours: int):
    """Yields (hour, RSS MB, slide changes) after each simulated hour."""
    changes, last = 0, None
    start = clock.now
    next_call, next_content = CALL_EVERY, CONTENT_EVERY
    for hour in range(1, hours + 1):
        while (clock.now - start).total_seconds() < hour * 3600:
            clock.now += timedelta(seconds=SLIDE_SECONDS)
            elapsed = (clock.now - start).total_seconds()
            if elapsed >= next_call:
                next_call += CALL_EVERY
                player.called({"number": f"B{changes % 1000:03d}", "window": changes % 9 + 1})
            if elapsed >= next_content:  # new content: every slide is built again
                next_content += CONTENT_EVERY
                player.content = {**player.content, "version": f"bench-{hour}"}
            player.tick()
            if player.rotation.index != last:
                changes, last = changes + 1, player.rotation.index
                frames.wait(0.5)
        gc.collect()
        engine.collectGarbage()
        yield hour, rss_mb(), changes


def child(api_url: str, cache: Path, hours: int) -> None:
    """The display alone in this process (as `kiosk display` runs): one JSON line per simulated hour."""
    display_app.application()
    clock = Clock()
    settings = Settings(display_id="bench", screenshot_minutes=0)
    engine, window, player = display_app.start(api_url, cache, settings, (1920, 1080), clock)
    window.show()
    frames = Frames(window)
    wait_until(lambda: (player.drain(), bool(player.content))[1], 20)
    player.link.stop()  # from here on the clock is simulated; the kiosk is not asked again
    print(json.dumps({"hour": 0, "rss": rss_mb(), "changes": 0}), flush=True)
    for hour, rss, changes in memory_run(engine, player, frames, clock, hours):
        print(json.dumps({"hour": hour, "rss": rss, "changes": changes}), flush=True)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.combine(datetime.now().date(), datetime.min.time()).replace(hour=8)

    def __call__(self) -> datetime:
        return self.now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument("--child", nargs=2, metavar=("API", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.hours)
        return

    data = Path(tempfile.mkdtemp(prefix="bench-display-"))
    services = build(defaults(), data / "kiosk", bundled=True)
    services.library.ensure_open()
    for n in range(5):
        services.notices.post(NoticeDraft(f"第{n + 1}号公示：村级财务收支情况", "本季度收支明细如下。" * 30))
    write_json(
        data / "kiosk" / "signage" / "playlist.json",
        {"entries": [{"id": "n", "show": "notices", "seconds": SLIDE_SECONDS},
                     {"id": "g", "show": "gazette", "seconds": SLIDE_SECONDS}]},
    )  # fmt: skip
    api = ApiRunner(services, "127.0.0.1", 0)
    api.start()
    display_app.application()
    clock = Clock()
    settings = Settings(display_id="bench", screenshot_minutes=0, token_file=token_path(data / "kiosk"))
    engine, window, player = display_app.start(api.url, data / "cache", settings, (1920, 1080), clock)
    window.show()
    frames = Frames(window)
    wait_until(lambda: (player.drain(), bool(player.content))[1], 20)

    baseline = feed_baseline(api.url, api.feed, args.calls)
    banner = banner_latency(api.url, api.feed, (window, player), frames, args.calls)
    player.stop()
    player.link.stop()
    command = [sys.executable, "-m", "bench.bench_display", "--hours", str(args.hours)]
    command += ["--child", api.url, str(data / "cache-child")]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1])
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    rss_start = rows[0]["rss"]
    samples = [(r["hour"], r["rss"], r["changes"]) for r in rows[1:]]

    print(f"\nCall → banner drawn ({len(banner)} calls; 1920×1080 offscreen; this machine)\n")
    print("| path | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    print(
        f"| feed → SSE client (baseline) | {statistics.median(baseline):.1f} | {pct(baseline, 0.95):.1f} | {max(baseline):.1f} |"
    )
    print(
        f"| call → banner in a drawn frame | {statistics.median(banner):.1f} | {pct(banner, 0.95):.1f} | {max(banner):.1f} |"
    )
    print(f"\nratio of medians: {statistics.median(banner) / statistics.median(baseline):.1f}×\n")
    first = samples[0][1]
    print(f"Memory over {args.hours} simulated hours ({samples[-1][2]:,} slide changes)\n")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| RSS of the display process, content loaded, before the run | {rss_start:.1f} MB |")
    print(f"| RSS after the first hour ({samples[0][2]:,} changes) | {first:.1f} MB |")
    print(f"| RSS at the end | {samples[-1][1]:.1f} MB |")
    print(f"| largest RSS | {max(s[1] for s in samples):.1f} MB |")
    print(f"| growth after the first hour | {(samples[-1][1] - first) / first * 100:+.1f} % |")
    api.stop()
    services.close()


if __name__ == "__main__":
    main()
