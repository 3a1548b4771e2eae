"""Queue API benchmark: a window's call → the event at an SSE client, and 20 windows calling at once.

Run: ``python bench/bench_queue_api.py [--calls N] [--seconds S]``. Everything is real and in this
process: the kiosk's API (Starlette on uvicorn, on its own thread, loopback), the queue's `queue.db`
(WAL, synchronous=FULL), the SSE feed, httpx clients with window tokens, and SSE clients reading the feed
as displays do.

1. **Call → event.** Window 1 posts `call-next`; the time runs from just before the request until the
   `call` event arrives at an SSE client. Baselines measured in the same run: `FeedHub.publish` → the
   same client (the feed alone), and a `GET /api/health` round trip (HTTP alone). Target p95 ≤ 100 ms.
2. **20 windows in parallel** for a compressed period (`--seconds`, 60 by default; a real hall's ten
   minutes at its pace is a few hundred calls, here each window acts twice a second): each window
   finishes its ticket and calls the next (`call-next` with `finish_current`), residents take tickets
   as fast as they are called, and three display clients follow the feed. After a warm-up of `WARM_UP`
   seconds (not counted) the run is cut in six equal slices: requests, errors and p95 per slice; the
   first slice is the baseline, "p95 unchanged" means the last slice's p95 within 1.5× of it. Beside it,
   the same loop with one window: the lone window's p95, against which the crowd's is also given.
   ``--minutes 10`` runs the crowd for ten minutes and cuts it per minute instead, with the machine's
   1-minute load average during each (sampled every 5 s), since other work on the machine moves the p95.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))

import httpx  # noqa: E402
from sse import SseClient  # noqa: E402

from kiosk.api.feed import FeedHub  # noqa: E402
from kiosk.api.runner import ApiRunner  # noqa: E402
from kiosk.config import defaults  # noqa: E402
from kiosk.queue import Queue, QueueError, parse_config  # noqa: E402
from kiosk.services import build  # noqa: E402

WINDOWS = 20
WARM_UP = 3.0
TARGET_CALL_P95 = 0.100


# Four services, each served by a quarter of the windows: ten minutes at 20 calls a second stay under a
# service's 9,999 numbers a day.
SERVICES = (
    ("shebao", "社保医保", "A"),
    ("hukou", "户籍办理", "B"),
    ("qiye", "企业开办", "C"),
    ("yibao", "医保报销", "D"),
)


def hall(windows: int) -> dict:
    return {
        "queue": {"call_timeout_minutes": 0},
        "service": [
            {"key": key, "name": name, "prefix": prefix, "last": 9999, "daily_cap": 9999}
            for key, name, prefix in SERVICES
        ],
        "window": [
            {"number": n, "name": f"{n}号窗口", "services": [SERVICES[(n - 1) % len(SERVICES)][0]]}
            for n in range(1, windows + 1)
        ],
    }


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


def load_text(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1f}"


def next_of(client: SseClient, kind: str, timeout: float = 10.0):
    while True:
        event = client.next(timeout)
        if event.type == kind:
            return event


def call_to_event(api: ApiRunner, queue: Queue, hub: FeedHub, calls: int) -> dict[str, list[float]]:
    token = queue.issue_token(1)
    headers = {"Authorization": f"Bearer {token}"}
    client = SseClient(f"{api.url}/api/feed")
    http = httpx.Client(base_url=api.url, headers=headers, timeout=10)
    samples: dict[str, list[float]] = {"call": [], "publish": [], "health": []}
    try:
        for n in range(calls + 10):  # the first 10 warm up
            queue.take("shebao")
            while not client.events.empty():
                client.events.get()
            started = time.monotonic()
            reply = http.post("/api/windows/1/call-next", json={"finish_current": True})
            reply.raise_for_status()
            event = next_of(client, "call")
            call_time = event.arrived - started
            while not client.events.empty():
                client.events.get()
            started = time.monotonic()
            hub.publish("bench", {"n": n})
            publish_time = next_of(client, "bench").arrived - started
            started = time.perf_counter()
            http.get("/api/health").raise_for_status()
            health_time = time.perf_counter() - started
            if n >= 10:
                samples["call"].append(call_time)
                samples["publish"].append(publish_time)
                samples["health"].append(health_time)
            time.sleep(0.25)  # a window acts at most 5 times a second (ACTIONS_PER_SECOND)
    finally:
        http.close()
        client.close()
    return samples


def windows_in_parallel(
    api: ApiRunner,
    queue: Queue,
    windows: int,
    seconds: float,
    pace: float,
    slice_seconds: float | None = None,
) -> dict:
    """`windows` windows calling for `seconds`; cut in six slices, or in slices of `slice_seconds`."""
    tokens = {n: queue.issue_token(n) for n in range(1, windows + 1)}
    displays = [SseClient(f"{api.url}/api/feed") for _ in range(3)]
    results: list[tuple[float, float, int]] = []  # (start offset, latency, status)
    loads: list[tuple[float, float]] = []  # (offset, 1-minute load average)
    refused: list[str] = []  # tickets the queue refused the residents (a cap reached)
    lock = threading.Lock()
    start = time.monotonic() + WARM_UP
    stop = start + seconds

    def resident() -> None:  # as many tickets as the windows call, without reading the queue's state
        served = [key for key, _, _ in SERVICES][:windows]
        per_round = max(1, windows // len(served))
        while (began := time.monotonic()) < stop:
            for service in served:
                for _ in range(per_round):
                    try:
                        queue.take(service)
                    except QueueError as exc:
                        refused.append(exc.code)
            time.sleep(max(0.0, pace - (time.monotonic() - began)))

    def load_average() -> None:
        while (now := time.monotonic()) < stop:
            if now >= start:
                loads.append((now - start, os.getloadavg()[0]))
            time.sleep(5.0)

    def window(number: int) -> None:
        with httpx.Client(
            base_url=api.url, headers={"Authorization": f"Bearer {tokens[number]}"}, timeout=30
        ) as http:
            while (now := time.monotonic()) < stop:
                try:
                    reply = http.post(f"/api/windows/{number}/call-next", json={"finish_current": True})
                    status = reply.status_code
                except httpx.HTTPError:
                    status = 0
                if now >= start:
                    with lock:
                        results.append((now - start, time.monotonic() - now, status))
                time.sleep(max(0.0, pace - (time.monotonic() - now)))

    threads = [
        threading.Thread(target=resident, daemon=True),
        threading.Thread(target=load_average, daemon=True),
    ]
    threads += [threading.Thread(target=window, args=(n,), daemon=True) for n in range(1, windows + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = sum(d.events.qsize() for d in displays)
    for display in displays:
        display.close()
    count = math.ceil(seconds / slice_seconds) if slice_seconds else 6
    width = slice_seconds or seconds / 6
    slices = []
    for index in range(count):
        low, high = width * index, min(seconds, width * (index + 1))
        part = [(lat, st) for at, lat, st in results if low <= at < high]
        load = [value for at, value in loads if low <= at < high]
        slices.append(
            {
                "requests": len(part),
                "errors": sum(1 for _, st in part if st != 200),
                "p50": pct([lat for lat, _ in part], 0.5),
                "p95": pct([lat for lat, _ in part], 0.95),
                "load": statistics.mean(load) if load else float("nan"),
            }
        )
    return {
        "slices": slices,
        "display_events": events,
        "statuses": sorted({st for _, _, st in results}),
        "refused": len(refused),
        "tickets": len(queue.tickets()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pace", type=float, default=0.5, help="seconds between one window's calls")
    parser.add_argument("--minutes", type=float, help="the crowd runs this long, cut per minute")
    args = parser.parse_args()
    if args.minutes:
        args.seconds = args.minutes * 60
    slice_seconds = 60.0 if args.minutes else None
    slice_name = "minute" if args.minutes else "slice"

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        services = build(defaults(), data / "kiosk", bundled=False)
        queue = services.queue
        queue.configure(parse_config(hall(WINDOWS)))
        hub = FeedHub(max_clients=16)
        api = ApiRunner(services, "127.0.0.1", 0, feed=hub)
        api.start()
        try:
            samples = call_to_event(api, queue, hub, args.calls)
            queue.reset()
            lone = windows_in_parallel(api, queue, 1, min(args.seconds, 20.0), args.pace)
            queue.reset()
            crowd = windows_in_parallel(api, queue, WINDOWS, args.seconds, args.pace, slice_seconds)
        finally:
            api.stop()
            services.close()

    print(f"## call → event at an SSE client ({args.calls} calls, one window)\n")
    print("| measure | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for name, label in (
        ("call", "POST call-next → `call` event at the client"),
        ("publish", "baseline: FeedHub.publish → the same client"),
        ("health", "baseline: GET /api/health round trip"),
    ):
        values = samples[name]
        print(f"| {label} | {ms(statistics.median(values))} | {ms(pct(values, 0.95))} | {ms(max(values))} |")
    verdict = "✅" if pct(samples["call"], 0.95) <= TARGET_CALL_P95 else "❌"
    print(f"\ncall → event p95 {ms(pct(samples['call'], 0.95))} ms (target ≤ 100 ms) {verdict}\n")

    lone_p95 = pct([s["p95"] for s in lone["slices"] if s["requests"]], 0.5)  # the median slice
    print(f"## {WINDOWS} windows calling at once, {args.seconds:.0f} s, one call every {args.pace} s each\n")
    print(f"| {slice_name} | requests | errors | p50 ms | p95 ms | p95 / first {slice_name} | load average |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    first = crowd["slices"][0]["p95"]
    for index, part in enumerate(crowd["slices"], start=1):
        ratio = part["p95"] / first if first else float("nan")
        print(
            f"| {index} | {part['requests']} | {part['errors']} | {ms(part['p50'])} | {ms(part['p95'])} "
            f"| {ratio:.2f} | {load_text(part['load'])} |"
        )
    crowd_p95 = pct([s["p95"] for s in crowd["slices"]], 0.5)
    total = sum(s["requests"] for s in crowd["slices"])
    errors = sum(s["errors"] for s in crowd["slices"])
    last_ratio = crowd["slices"][-1]["p95"] / first if first else float("nan")
    print(
        f"\n{total} requests, {errors} errors (statuses {crowd['statuses']}), "
        f"{crowd['display_events']} events at the 3 display clients, {crowd['tickets']} tickets in queue.db "
        f"({crowd['refused']} refused to residents); lone window p95 {ms(lone_p95)} ms, "
        f"crowd p95 {ms(crowd_p95)} ms ({crowd_p95 / lone_p95:.2f}×); "
        f"last/first {slice_name} p95 {last_ratio:.2f} {'✅' if errors == 0 and last_ratio <= 1.5 else '❌'}"
    )
    print(
        json.dumps(
            {"call_p95_ms": pct(samples["call"], 0.95) * 1000, "errors": errors, "last_first": last_ratio}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
