"""Recording a tap: how long `UsageRecords.event` keeps the caller (the GUI thread, a queue press).

Run: ``python bench/bench_usage.py [RUNS]``. Real parts in this process: the statistics database and the
library's outbox (SQLite, WAL, synchronous=FULL) in a temporary directory, an enrolled kiosk (records are
staged and handed to the outbox). Rows, each the median and p95 over RUNS calls:

- baseline: handing a no-op to a thread pool (the least a call that writes elsewhere can cost);
- `usage.event` (a queue ticket) with the library idle, and while another thread holds the library's
  write lock as a sync applying a version does: the caller must not notice;
- for comparison, a record written to the outbox on the caller's thread (fsync and all);
- after the calls, how long until every record is durable in statistics.db and then in the outbox.

Ratios are against the baseline measured in the same run. Target: `usage.event` p95 within a small
multiple of the baseline and unchanged while the library is locked.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from content.outbox import Outbox  # noqa: E402
from content.store import Library  # noqa: E402
from kiosk.config import defaults  # noqa: E402
from kiosk.events import Bus, LibraryOpened  # noqa: E402
from kiosk.usage import UsageRecords  # noqa: E402


class Enrolled:
    enrolled = True


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def timed(call, runs: int, pause: float = 0.0) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
        if pause:
            time.sleep(pause)  # taps come apart; the writer keeps up between them
    return samples


def ticket(usage: UsageRecords) -> None:
    usage.event("queue_ticket", event="issued", service="A", priority=False)


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(Path(tmp) / "library.db")
        bus = Bus()
        usage = UsageRecords(defaults().with_values(sync__outbox_max=10 * runs), Enrolled(), Path(tmp), bus)
        bus.publish(LibraryOpened(library))
        ticket(usage)  # imports and the first open are not a tap's cost
        usage.flush()
        pool = ThreadPoolExecutor(1)
        rows = [
            ("baseline: a no-op handed to a thread", timed(lambda: pool.submit(lambda: None), runs, 0.002))
        ]
        rows.append(("`usage.event`, library idle", timed(lambda: ticket(usage), runs, 0.002)))
        usage.flush(60)
        held, release = threading.Event(), threading.Event()

        def sync_applying() -> None:
            with library.transaction():
                held.set()
                release.wait(120)

        holder = threading.Thread(target=sync_applying)
        holder.start()
        held.wait(10)
        rows.append(("`usage.event`, library write lock held", timed(lambda: ticket(usage), runs, 0.002)))
        usage._writer.submit(lambda: None).result(60)  # noqa: SLF001 - durable in statistics.db meanwhile
        staged = len(usage.store().staged(10 * runs))
        release.set()
        holder.join()
        usage.flush(60)
        outbox = Outbox(library, capacity=10 * runs)
        rows.append(
            (
                "for comparison: the record written to the outbox on the caller's thread",
                timed(lambda: outbox.add("queue_ticket", {"event": "issued", "service": "A"}), runs),
            )
        )
        burst_start = time.perf_counter()
        for _ in range(runs):
            ticket(usage)
        burst_call = time.perf_counter() - burst_start
        usage._writer.submit(lambda: None).result(60)  # noqa: SLF001
        burst_staged = time.perf_counter() - burst_start
        usage.flush(60)
        burst_outbox = time.perf_counter() - burst_start
        pending = outbox.status().pending
        usage.close()
        pool.shutdown()
        library.close()
    base = statistics.median(rows[0][1])
    print(f"{runs} calls per row; medians and p95 in µs; ratio = median / baseline median\n")
    print("| path | median µs | p95 µs | ratio |")
    print("|---|---:|---:|---:|")
    for label, samples in rows:
        median = statistics.median(samples)
        print(f"| {label} | {median * 1e6:,.0f} | {p95(samples) * 1e6:,.0f} | {median / base:.1f}× |")
    print(f"\nwhile the library was locked, {staged} of {runs} records were already durable in statistics.db")
    print(
        f"a burst of {runs} taps: {burst_call * 1e3:.0f} ms in the callers, all durable in statistics.db after "
        f"{burst_staged * 1e3:.0f} ms, all in the outbox after {burst_outbox * 1e3:.0f} ms "
        f"(outbox holds {pending})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
