"""Device benchmark: bytes and wire time of a queue ticket in text vs raster mode, and card-read time.

Run: ``python bench/bench_devices.py``. Everything is measured in this process (medians of repeated
runs); ratios are against the first row of each table (the baseline). Target: text mode ≤ 1/10 of the
raster bytes for a typical ticket.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from device.idcard.idcard_reader import IdCardReader, SamTimeouts  # noqa: E402
from device.idcard.sam_simulator import SamSimulator  # noqa: E402
from device.idcard.sam_transport import SerialSamTransport  # noqa: E402
from device.idcard.synthetic_cards import synthetic_card, with_addresses  # noqa: E402
from device.printer.printer_profile import PROFILES  # noqa: E402
from device.printer.receipt import encode  # noqa: E402
from device.printer.sample_receipts import queue_ticket  # noqa: E402


def median_seconds(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def wire_seconds(size: int, baud: int) -> float:
    return size * 10 / baud  # 8N1: 10 bits on the wire per byte


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def bench_tickets() -> bool:
    ticket = queue_ticket()
    rows, met = [], True
    for profile in PROFILES.values():
        sizes = {}
        for mode, raster in (("text", False), ("raster", True)):
            data = encode(ticket, profile, "gb18030", raster)
            encode_s = median_seconds(
                lambda raster=raster, profile=profile: encode(ticket, profile, raster=raster), 7
            )
            sizes[mode] = len(data)
            rows.append([
                profile.name,
                mode,
                "native" if profile.native_qr else "image",
                f"{len(data):,}",
                f"{len(data) / sizes['text']:.1f}x",
                f"{wire_seconds(len(data), 9600):.2f}",
                f"{wire_seconds(len(data), 115200) * 1000:.0f}",
                f"{encode_s * 1000:.1f}",
            ])  # fmt: skip
        ratio = sizes["text"] / sizes["raster"]
        rows[-1].append(f"text/raster = {ratio:.3f} ({'meets' if ratio <= 0.1 else 'misses'} ≤ 0.1)")
        rows[-2].append("")
        met = met and ratio <= 0.1
    table(
        "Queue ticket (header, A012 at 3x, Chinese lines, QR, cut): bytes and wire time; baseline = text mode",
        ["paper", "mode", "QR", "bytes", "vs text", "s @9600", "ms @115200", "encode ms", "note"],
        rows,
    )
    return met


def bench_card_reads() -> None:
    plain = synthetic_card("resident")
    variants = [
        ("SAM status only", plain, lambda r: r.sam_status()),
        ("find→select→read (text+photo)", plain, lambda r: r.read_card(new_address=False)),
        ("  + appended address", with_addresses(plain, "示例省样本市新址路1号"), lambda r: r.read_card()),
        ("  with 2 fingerprints (0x30 0x10)", synthetic_card("resident", fingerprints=2),
         lambda r: r.read_card(fingerprint=True, new_address=False)),
    ]  # fmt: skip
    rows, baseline = [], None
    for label, card, operation in variants:
        with (
            SamSimulator(card) as sim,
            IdCardReader(SerialSamTransport(sim.port), SamTimeouts().scaled(10)) as reader,
        ):
            operation(reader)  # open the port, warm up
            seconds = median_seconds(lambda reader=reader, operation=operation: operation(reader), 30)
        baseline = baseline or seconds
        rows.append([label, f"{seconds * 1000:.2f}", f"{seconds / baseline:.1f}x"])
    table(
        "Card read through the pty simulator (real serial path; pty, so no baud-rate delay); baseline = SAM status",
        ["operation", "median ms", "vs baseline"],
        rows,
    )
    for baud in (115200, 9600):
        print(
            f"  + wire time of the 1295-byte read response at {baud} baud on hardware: {wire_seconds(1295, baud) * 1000:.0f} ms"
        )


def main() -> int:
    started = time.perf_counter()
    met = bench_tickets()
    bench_card_reads()
    print(
        f"\nfinished in {time.perf_counter() - started:.1f} s; target text ≤ 1/10 of raster bytes met: {met}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
