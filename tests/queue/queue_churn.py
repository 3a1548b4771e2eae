"""A process that issues and calls tickets as fast as it can, "printing" each ticket's ESC/POS bytes to a
file sink (appended and fsynced: the printer has it) after the ticket is committed. Run by the kill -9
test: `python queue_churn.py DATA_DIR SINK`; prints `ready` once the queue is open."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from device.printer.printer_profile import get_profile  # noqa: E402
from device.printer.receipt import encode  # noqa: E402
from kiosk.queue import Queue, ticket_receipt  # noqa: E402

STATUS_BASE = "http://kiosk.test/t/"


def main(data_dir: Path, sink: Path) -> None:
    queue = Queue.open(data_dir)
    profile = get_profile("80mm")
    rng = random.Random(os.getpid())
    print("ready", flush=True)
    with open(sink, "ab") as out:
        while True:
            ticket = queue.take(rng.choice(["a", "b"]), priority=rng.random() < 0.2)
            paper = ticket_receipt.build(
                ticket,
                hall="测试大厅",
                service_name="业务",
                estimate=queue.estimate(ticket),
                status_base=STATUS_BASE,
            )
            out.write(encode(paper, profile, "gb18030"))
            out.flush()
            os.fsync(out.fileno())
            queue.mark_printed(ticket.id)
            if rng.random() < 0.7:
                queue.call_next(rng.choice([1, 2]), finish_current=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
