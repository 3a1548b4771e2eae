"""What a start-up integrity check costs: ``Library.quick_check`` on a library of 200,000 documents.

Run: ``python bench/bench_store_check.py [--docs N] [--dir DIR]``. Builds (or reuses, in DIR) a library of
the synthetic corpus (bench/corpus.py), then times, as medians of three runs in this process, opening the
library (the baseline) and ``PRAGMA quick_check`` after it. The check reads every page once, so its cost
follows the database's size; the ratio says what it adds to a start.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus  # noqa: E402

from content.store import Library  # noqa: E402


def median_seconds(fn, runs: int = 3) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def build(path: Path, docs: int) -> None:
    with Library(path) as library:
        if library.stats()["items"] >= docs:
            return
        items = corpus.generate(docs)
        done = 0
        while done < docs:
            chunk = [item for _, item in zip(range(2000), items, strict=False)]
            if not chunk:
                break
            library.upsert_items(chunk)
            done += len(chunk)
            if done % 40_000 == 0:
                print(f"  built {done:,}", file=sys.stderr)
        library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-check-"))
    path = folder / "library.db"
    build(path, args.docs)
    size = path.stat().st_size

    def open_close() -> None:
        Library(path).close()

    with Library(path) as library:
        items = library.stats()["items"]
        assert library.quick_check() == [], "the built library is damaged"
        check = median_seconds(library.quick_check)
    opening = median_seconds(open_close)
    print(f"library: {items:,} items, {size / 2**20:,.0f} MB ({path})")
    print(f"open (baseline)  {opening * 1000:8.0f} ms")
    print(
        f"quick_check      {check * 1000:8.0f} ms = {check / opening:.1f}× the open, {size / 2**20 / check:,.0f} MB/s"
    )


if __name__ == "__main__":
    main()
