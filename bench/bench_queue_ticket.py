"""Queue benchmark: a ticket press → the ticket's bytes at the simulated printer.

Run: ``python bench/bench_queue_ticket.py [RUNS]``. Everything is the kiosk's own path in this process:
`QueueDesk.take` (the number committed to `queue.db`, WAL, synchronous=FULL), the estimate, the ticket in
Chinese text mode, the printer opened from the configuration (`sim://`: the pty simulator, which renders
what it receives), the page awaited, the print counted. Baselines in the same process, alternating run
by run with the whole path: the same printer path printing a fixed sample ticket (the device's share) and
`Queue.take` alone (the commit). Target: the whole path's p95 ≤ 300 ms. The pty has no baud rate: the
ticket's size and its wire time at 9600 and 115200 baud are printed beside it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from device.printer.printer_profile import PROFILES  # noqa: E402
from device.printer.receipt import encode  # noqa: E402
from device.printer.sample_receipts import queue_ticket  # noqa: E402
from kiosk.config import defaults  # noqa: E402
from kiosk.queue import parse_config, ticket_receipt  # noqa: E402
from kiosk.services import build  # noqa: E402

TARGET_P95 = 0.300
HALL = {
    "service": [
        {"key": "shebao", "name": "社保医保", "prefix": "A", "last": 9999},
        {"key": "other", "name": "其他业务", "prefix": "B", "last": 9999},
    ],
    "window": [{"number": 1, "services": ["shebao", "other"]}],
}


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    folder = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    services = build(defaults().with_values(devices__printer="sim://"), folder)
    desk, queue = services.queue_desk, services.queue
    queue.configure(parse_config(HALL))
    devices = desk._devices()
    whole, device_only, commit_only = [], [], []

    def press() -> None:
        result = desk.take("shebao")
        assert result["printed"], result["message"]

    def sample_ticket() -> None:
        devices.print_receipt(queue_ticket())

    for step, (fn, samples) in enumerate(
        [(press, whole), (sample_ticket, device_only), (lambda: queue.take("other"), commit_only)]
        * (runs + 3)
    ):
        started = time.perf_counter()
        fn()
        if step >= 9:  # three warm-up rounds
            samples.append(time.perf_counter() - started)

    last = queue.tickets()[-2]
    data = encode(
        ticket_receipt.build(
            last, hall="定州市政务服务中心", service_name="社保医保", estimate=queue.estimate(last),
            status_base=desk.status_base(),
        ),
        PROFILES["80mm"],
        "gb18030",
    )  # fmt: skip
    base = statistics.median(device_only)
    print(f"queue ticket, {runs} runs each, alternating (this machine, {time.strftime('%Y-%m-%d %H:%M')})")
    print("| path | p50 ms | p95 ms | p50 vs baseline |")
    print("|---|---:|---:|---:|")
    for name, samples in (
        ("press → ticket bytes at the printer (whole path)", whole),
        ("baseline: the same printer path, a fixed sample ticket", device_only),
        ("Queue.take alone (commit to queue.db)", commit_only),
    ):
        median = statistics.median(samples)
        print(f"| {name} | {median * 1000:.1f} | {p95(samples) * 1000:.1f} | {median / base:.2f}× |")
    ok = p95(whole) <= TARGET_P95
    print(
        f"\nwhole path p95 {p95(whole) * 1000:.1f} ms (target ≤ {TARGET_P95 * 1000:.0f} ms): {'✅' if ok else '❌'}"
    )
    print(
        f"ticket: {len(data)} bytes on 80 mm; on the wire {len(data) * 10 / 9600:.2f} s at 9600 baud, "
        f"{len(data) * 10 / 115200 * 1000:.0f} ms at 115200"
    )
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
