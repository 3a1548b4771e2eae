"""Benchmark of channel sync with the real city server on loopback. Prints markdown tables (for the README);
asserts nothing.

    .venv/bin/python -m bench.bench_sync                  # 200,000 documents
    .venv/bin/python -m bench.bench_sync --docs 20000     # a quick run

Measures, against the targets of issue 5:
1. initial sync: fetch + verify time (on the default connections, and on one for comparison) vs a plain
   sequential download of the same files (≤ 1.3; the faster of two plain runs), and the apply time into
   the library (with the search index) on its own;
2. a 1% change: body bytes transferred vs the changed blobs + root + changed shards (≤ 1.2);
3. a link cut at 50% of the content, then resumed: total bytes vs the content (≤ 1.05);
4. applying a 2,000-document delta (1,600 changed, 200 added, 200 removed): apply time (≤ 2 s).
Bytes are HTTP body bytes (headers excluded). Documents come from `bench.corpus` (~2 KB bodies). The
server is `city serve` in its own process; the link cut is a TCP proxy that drops every connection.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx

from bench import corpus
from city.home import CityHome
from city.publish import items_collection, publish
from content.store import Library
from content.sync import Incomplete, SyncClient
from content.transport import HttpSource, TransportSettings

MB = 1e6


def channel_files(home: CityHome) -> list[str]:
    """The files a first sync over HTTP fetches: the root, every shard and every shard's pack."""
    root = home.repo.current_root()
    files = ["root.json"]
    for ref in root.shards:
        files.append(f"shards/{ref.name}")
        shard = json.loads(home.repo.shard_path(ref.name).read_bytes())
        if shard["pack"]:
            files.append(f"packs/{shard['pack']['name']}")
    return files


def content_bytes(home: CityHome, files: list[str]) -> int:
    return sum((home.repo.path / f).stat().st_size for f in files)


def settle() -> None:
    """Let the disk catch up with the previous phase (its writes and deletes) before timing the next."""
    os.sync()
    time.sleep(1)


def plain_download(url: str, files: list[str], target: Path) -> float:
    """The same files with plain httpx: stream to disk, no verification, no Range, no apply."""
    target.mkdir(parents=True, exist_ok=True)
    settle()
    started = time.perf_counter()
    with httpx.Client(base_url=url, headers={"Accept-Encoding": "identity"}) as client:
        for n, name in enumerate(files):
            with client.stream("GET", name) as response, open(target / str(n), "wb") as fh:
                response.raise_for_status()
                for chunk in response.iter_raw():
                    fh.write(chunk)
    return time.perf_counter() - started


def kiosk(path: Path, home: CityHome) -> tuple[Library, SyncClient]:
    library = Library(path / "library.db", blobs_dir=path / "blobs")
    return library, SyncClient(library, path / "sync", pinned=home.trusted_keys(), channel=home.channel())


class CuttingProxy:
    """A TCP proxy on loopback between kiosk and server that cuts the link (closes every connection and
    refuses new ones) once `limit` bytes went from server to kiosk, until `heal()`."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.limit: int | None = None
        self.sent = 0
        self.down = False
        self.lock = threading.Lock()
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def heal(self) -> None:
        with self.lock:
            self.limit, self.down = None, False

    def close(self) -> None:
        self.listener.close()
        self._cut()

    def _cut(self) -> None:
        for sock in self.open:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self.open.clear()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target_port))
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.open += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, downstream: bool) -> None:
        try:
            while data := src.recv(65536):
                if downstream:
                    with self.lock:
                        if self.limit is not None and self.sent + len(data) >= self.limit:
                            dst.sendall(data[: self.limit - self.sent])
                            self.sent = self.limit
                            self.down = True
                            self._cut()
                            return
                        self.sent += len(data)
                dst.sendall(data)
        except OSError:
            pass


@contextmanager
def city_server(home: CityHome):
    """`city serve` in its own process (as in production), on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "city.cli", "--home", str(home.path), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("city serve did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--change", type=float, default=0.01, help="share of documents changed in step 2")
    parser.add_argument("--delta", type=int, default=2000, help="documents in the applied delta of step 4")
    parser.add_argument("--per-shard", type=int, default=64)
    parser.add_argument("--work", type=Path, help="working directory (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-sync-"))
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("k1", "k2", "k3", "plain"):
        shutil.rmtree(work / stale, ignore_errors=True)
    rows: list[tuple[str, str, str, str]] = []

    print(f"generating {args.docs} documents …", file=sys.stderr)
    items = list(corpus.generate(args.docs))
    home = CityHome(work / "city")
    home.save_settings(channel="bench")
    if not home.has_key():
        home.keygen()
    started = time.perf_counter()
    publish(home, items_collection(home, "corpus", items), per_shard=args.per_shard)
    publish_seconds = time.perf_counter() - started
    root = home.repo.current_root()
    files = channel_files(home)
    content = content_bytes(home, files)
    print(
        f"published in {publish_seconds:.1f}s: {len(root.shards)} shards, {content / MB:.1f} MB",
        file=sys.stderr,
    )

    with city_server(home) as port:
        url = f"http://127.0.0.1:{port}"
        channel_url = url + "/channel/"
        plain = plain_download(channel_url, files, work / "plain")
        shutil.rmtree(work / "plain")

        # 1. initial sync (on the default connections), then the same fetch on one connection
        library, client = kiosk(work / "k1", home)
        source = HttpSource(channel_url)
        settle()
        first = client.sync(source)
        k2, client2 = kiosk(work / "k2", home)
        settle()
        single = client2.sync(HttpSource(channel_url, TransportSettings(connections=1)), fetch_only=True)
        k2.close()
        shutil.rmtree(work / "k2")
        # The plain download again, after: the faster of the two is the baseline (the stricter ratio).
        plain = min(plain, plain_download(channel_url, files, work / "plain"))
        shutil.rmtree(work / "plain")
        connections = TransportSettings().connections
        rows.append(
            (
                f"initial sync: fetch + verify ({connections} connections) vs plain download of the same bytes (one stream)",
                f"{first.fetch_seconds:.1f} s vs {plain:.1f} s ({first.bytes / MB:.1f} MB)",
                f"{first.fetch_seconds / plain:.2f}",
                "≤ 1.3",
            )
        )
        rows.append(
            (
                "initial sync, for comparison: fetch + verify on one connection vs the same plain download",
                f"{single.fetch_seconds:.1f} s vs {plain:.1f} s",
                f"{single.fetch_seconds / plain:.2f}",
                "—",
            )
        )
        rows.append(
            (
                "initial sync: apply (store + search index), for information",
                f"{first.apply_seconds:.1f} s",
                "—",
                "—",
            )
        )

        # 2. a small change
        changed = max(1, round(args.docs * args.change))
        step = max(1, args.docs // changed)
        edited = {
            i: replace(items[i], body_md=items[i].body_md + "（修订）")
            for i in range(0, args.docs, step)[:changed]
        }
        items2 = [edited.get(i, it) for i, it in enumerate(items)]
        previous = {ref.name for ref in root.shards}
        publish(home, items_collection(home, "corpus", items2), per_shard=args.per_shard)
        root2 = home.repo.current_root()
        new_shards = [ref for ref in root2.shards if ref.name not in previous]
        blob_bytes = sum(len(corpus_blob) for corpus_blob in _blobs(home, edited.values()))
        ideal = len(home.repo.root_path.read_bytes()) + sum(ref.size for ref in new_shards) + blob_bytes
        settle()
        second = client.sync(HttpSource(channel_url))
        rows.append(
            (
                f"{args.change:.0%} change ({changed} documents): bytes vs changed blobs + root + changed shards",
                f"{second.bytes / MB:.2f} MB vs {ideal / MB:.2f} MB ({second.blobs_fetched} blobs, {second.shards_fetched} shards)",
                f"{second.bytes / ideal:.2f}",
                "≤ 1.2",
            )
        )

        # 3. cut at 50%, then resumed (fetch only: the apply is measured in steps 1 and 4)
        k3, client3 = kiosk(work / "k3", home)
        files3 = channel_files(home)
        content3 = content_bytes(home, files3)
        proxy = CuttingProxy(port)
        proxy.limit = content3 // 2
        proxied = f"http://127.0.0.1:{proxy.port}/channel/"
        cut_source = HttpSource(proxied, TransportSettings(retries=1, backoff=0.05))
        try:
            client3.sync(cut_source, fetch_only=True)
            raise SystemExit("the cut did not stop the sync")
        except Incomplete:
            pass
        proxy.heal()
        resumed = HttpSource(proxied)
        client3.sync(resumed, fetch_only=True)
        proxy.close()
        k3.close()
        total = cut_source.bytes_transferred + resumed.bytes_transferred
        rows.append(
            (
                "link cut at 50%, then resumed: total bytes vs content",
                f"{total / MB:.1f} MB vs {content3 / MB:.1f} MB",
                f"{total / content3:.3f}",
                "≤ 1.05",
            )
        )

        # 4. a 2,000-document delta, on the kiosk of steps 1-2
        n_add = n_remove = args.delta // 10
        n_change = args.delta - n_add - n_remove
        base = items2
        changed_items = {i: replace(base[i], title=base[i].title + "（修订）") for i in range(n_change)}
        removed = set(range(n_change, n_change + n_remove))
        added = [replace(it, id=f"{it.id}-new") for it in base[-n_add:]]
        items4 = [changed_items.get(i, it) for i, it in enumerate(base) if i not in removed] + added
        publish(home, items_collection(home, "corpus", items4), per_shard=args.per_shard)
        settle()
        fourth = client.sync(HttpSource(channel_url))
        rows.append(
            (
                f"apply a {args.delta}-document delta ({fourth.updated} changed, {fourth.added} added, {fourth.removed} removed)",
                f"{fourth.apply_seconds:.2f} s (fetch {fourth.fetch_seconds:.2f} s)",
                "—",
                "≤ 2 s",
            )
        )
        library.close()

    print(
        f"\n### Sync benchmark: {args.docs:,} documents, {len(root.shards)} shards, {content / MB:.0f} MB channel\n"
    )
    print("| measure | figures | ratio | target |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        f"\npublish (city side, first version): {publish_seconds:.1f} s; `city serve` in its own process on loopback, {sys.platform}, 2 shared cores"
    )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _blobs(home: CityHome, items) -> list[bytes]:
    from content.channel import encode_record, item_record

    return [encode_record("item", item_record(it)) for it in items]


if __name__ == "__main__":
    sys.exit(main())
