"""Load benchmark of the city server: N simulated kiosks, each with its own token, upload heartbeats and
resident records at their real cadence compressed in time, against `city serve` in its own process(es) on
loopback. Prints markdown tables (for the README); asserts nothing.

    .venv/bin/python -m bench.bench_city_load                      # 50,000 kiosks, 500 uploads/s, 5 min, both engines
    .venv/bin/python -m bench.bench_city_load --quick              # 2,000 kiosks, 200/s, 30 s
    .venv/bin/python -m bench.bench_city_load --engine postgresql --workers 2 --no-kill

What one run does, per database engine (PostgreSQL: a throwaway cluster with fsync on, tests/helpers/
postgres.py, and `--workers` processes; SQLite: one process, the most it takes):
1. enrols the kiosks (`fleet.enrol_tokens`, 25 counties × 20 townships) and gives the roll-ups 30 days of
   history (`area_daily` rows per township, day and activity: what the 30-day chart reads);
2. sends uploads open-loop at `--rate`: the i-th at i/rate seconds, from kiosk i mod N, so each kiosk
   uploads every N/rate s (a real kiosk sends a heartbeat every 15 min and its residents' records between:
   the compression factor is printed). Every fourth upload is a heartbeat, the others resident records.
   Uploads go over `--connections` keep-alive connections; an upload that fails (connection lost, 5xx) is
   retried under the same Idempotency-Key until the city answers, as a kiosk's outbox does;
3. at half time kills one worker with SIGKILL (`--no-kill` to leave them; on SQLite the one process is
   killed and started again);
4. counts what the database holds against what was answered (lost, doubled, extra), and times the
   dashboard's fleet page and the 30-day usage chart by their `Server-Timing` (server time).
Latency is from the request's send to its answer, retries included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from city import fleet, rollup
from city.home import CityHome
from content.application_code import kiosk_code
from content.channel import format_time
from content.record_schema import record_body
from tests.helpers.postgres import cluster

HEARTBEAT_EVERY = 15 * 60  # seconds between a real kiosk's heartbeats (sync.heartbeat_minutes)
COUNTIES, TOWNSHIPS = 25, 20
ACTIVITIES = ("search", "read", "guide_viewed", "notice_viewed", "queue_issued", "rating", "idle_reset")


def areas(n: int) -> list[tuple[str, str, str]]:
    """n kiosks k00000…, placed in the counties and townships. An id whose application number code an
    earlier one holds (k15985 has k05786's) gets a suffix, as an operator would choose another id: the city
    refuses the enrolment otherwise."""
    codes, kiosks = set(), []
    for i in range(n):
        kiosk_id = f"k{i:05}"
        while kiosk_code(kiosk_id) in codes:
            kiosk_id += "b"
        codes.add(kiosk_code(kiosk_id))
        kiosks.append(
            (kiosk_id, f"县{i % COUNTIES:02}", f"县{i % COUNTIES:02}乡{(i // COUNTIES) % TOWNSHIPS:02}")
        )
    return kiosks


def seed_history(home: CityHome, days: int = 30) -> int:
    """30 days of area roll-ups (what the kiosks' residents did before the run)."""
    rng = random.Random(7)
    today = rollup.today()
    rows = [
        (
            (today - timedelta(days=d)).isoformat(),
            f"县{c:02}",
            f"县{c:02}乡{t:02}",
            activity,
            rng.randint(50, 900),
        )
        for d in range(1, days + 1)
        for c in range(COUNTIES)
        for t in range(TOWNSHIPS)
        for activity in ACTIVITIES
    ]
    with home.db() as conn, conn.transaction():
        conn.executemany(
            "INSERT INTO area_daily (day, county, township, activity, n) VALUES (?, ?, ?, ?, ?)", rows
        )
    return len(rows)


def body_for(i: int, kiosk: int) -> bytes:
    at = format_time(datetime.now(UTC))
    if i % 4 == 0:
        faults = ["小票打印机：缺纸"] if kiosk % 97 == 0 else []
        payload = {"software_version": "0.2.0", "channel_version": 41 + kiosk % 3, "faults": faults}
        return record_body("heartbeat", at, payload | {"outbox_pending": i % 7, "content_stale_since": None})
    kind = ("search", "read", "guide_viewed")[i % 3]
    payload = {
        "search": {"query_class": "words", "results": i % 40, "opened": i % 2 == 0},
        "read": {"item_kind": "document", "item_id": f"doc-{i % 5000}", "seconds": i % 300},
        "guide_viewed": {"item_id": f"guide-{i % 200}", "seconds": i % 120},
    }[kind]
    return record_body(kind, at, payload)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: CityHome, port: int, workers: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "city.cli", "--home", str(home.path), "--database", home.database_url()]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            healthy = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200
            if healthy and (workers == 1 or len(worker_pids(server.pid)) == workers):
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("city serve did not start")
        time.sleep(0.2)


def worker_pids(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if ppid == parent and b"spawn_main" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return sorted(found)


def cpu_seconds(root: int | None) -> float:
    """CPU time of a process and all its descendants, the reaped ones included (a killed worker is counted
    once uvicorn has waited for it), in seconds."""
    if root is None:
        return 0.0
    stats, children = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            stats[int(entry.name)] = fields
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            fields = stats[pid]
            total += sum(int(v) for v in fields[11:13])  # utime, stime
            total += sum(int(v) for v in fields[13:15]) if pid == root else 0  # reaped children
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Load:
    sent: dict[tuple[str, str], int] = field(default_factory=dict)  # answered uploads → status
    latencies: list[float] = field(default_factory=list)
    first_try: list[float] = field(default_factory=list)  # latencies of uploads answered on the first try
    retries: int = 0
    errors: dict[int, int] = field(default_factory=dict)  # final refusals (4xx) by status
    started: float = 0.0
    finished: float = 0.0
    behind: float = 0.0  # how far the generator fell behind its schedule at most (s)


class Connection:
    """One keep-alive HTTP/1.1 connection, written by hand: the generator must cost the machine far less
    than the server it measures."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, kiosk_id: str, token: str, key: str, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = (
            f"POST /v1/outbox HTTP/1.1\r\nHost: city\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nIdempotency-Key: {key}\r\nX-Kiosk-Id: {kiosk_id}\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
        try:
            self.writer.write(head + body)
            await self.writer.drain()
            status_line = await asyncio.wait_for(self.reader.readline(), 30)
            if not status_line:
                raise ConnectionError("closed")
            length, close = 0, False
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and "close" in value.lower():
                    close = True
            await self.reader.readexactly(length)
            if close:
                self.close()
            return int(status_line.split()[1])
        except (OSError, ConnectionError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError):
            self.close()
            raise ConnectionError("lost") from None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def generate(
    port: int, tokens: dict[str, str], rate: float, seconds: float, connections: int, kill
) -> Load:
    load = Load()
    ids = list(tokens)
    total = int(rate * seconds)
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(Connection(port))
    tasks: set[asyncio.Task] = set()
    killed = False

    async def upload(i: int) -> None:
        kiosk_id = ids[i % len(ids)]
        key, body = str(uuid.uuid4()), body_for(i, i % len(ids))
        begun = time.perf_counter()
        tries = 0
        while True:
            tries += 1
            conn = await pool.get()
            try:
                status = await conn.post(kiosk_id, tokens[kiosk_id], key, body)
            except ConnectionError:
                status = 0
            finally:
                pool.put_nowait(conn)
            if status in (200, 201):
                load.sent[(kiosk_id, key)] = status
                load.latencies.append(time.perf_counter() - begun)
                if tries == 1:
                    load.first_try.append(load.latencies[-1])
                return
            if 400 <= status < 500:
                load.errors[status] = load.errors.get(status, 0) + 1
                return
            load.retries += 1
            await asyncio.sleep(0.2)

    loop = asyncio.get_running_loop()
    load.started = loop.time()
    for i in range(total):
        due = load.started + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            load.behind = max(load.behind, -delay)
        if kill and not killed and i >= total // 2:
            killed = True
            await loop.run_in_executor(None, kill)
        task = asyncio.create_task(upload(i))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    while tasks:
        await asyncio.gather(*list(tasks))
    load.finished = loop.time()
    while not pool.empty():
        pool.get_nowait().close()
    return load


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")
    )


def server_time(url: str, path: str, token: str, runs: int = 7) -> tuple[float, float]:
    """Median and largest `Server-Timing` of `runs` requests (after one to warm up), in ms."""
    timings = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        for run in range(runs + 1):
            response = http.get(path)
            response.raise_for_status()
            if run:
                timings.append(float(response.headers["server-timing"].split("dur=")[1]))
    return statistics.median(timings), max(timings)


@dataclass
class Result:
    engine: str
    workers: int
    kiosks: int
    enrol_s: float
    history_rows: int
    load: Load
    stored: int
    lost: int
    doubled: int
    extra: int
    killed: str
    pages: dict[str, tuple[float, float]]
    cpu_city: float  # CPU seconds of the city's processes during the load
    cpu_database: float  # … of PostgreSQL's (0 for SQLite: it runs inside the city's process)
    cpu_generator: float  # … of this process, the load generator (its kiosks' HTTP clients)


def run_engine(engine: str, args, work: Path) -> Result:
    with ExitStack() as stack:
        url, running = None, None
        if engine == "postgresql":
            settings = {"shared_buffers": "'256MB'", "max_connections": "100"}
            running = stack.enter_context(cluster(durable=True, settings=settings))
            url = running.url
        home = CityHome(work / engine, database_url=url)
        home.save_settings(channel="bench")
        home.keygen()
        started = time.perf_counter()
        tokens = fleet.enrol_tokens(home, areas(args.kiosks))
        enrol_s = time.perf_counter() - started
        history = seed_history(home)
        workers = args.workers if engine == "postgresql" else 1
        port = free_port()
        servers = [start_server(home, port, workers)]
        killed = ""
        cpu_killed = [0.0]

        def kill() -> None:
            nonlocal killed
            if workers > 1:
                victim = worker_pids(servers[0].pid)[0]
                os.kill(victim, signal.SIGKILL)
                killed = f"worker {victim} of {workers}"
            else:
                cpu_killed[0] = cpu_seconds(servers[0].pid) - cpu_before[0]  # its CPU until the kill
                os.kill(servers[0].pid, signal.SIGKILL)
                servers[0].wait()
                servers.append(start_server(home, port, 1))
                killed = "the one server process (started again)"

        database_pid = running.postmaster_pid() if running else None
        cpu_before = cpu_seconds(servers[0].pid), cpu_seconds(database_pid)
        generator_before = time.process_time()
        try:
            load = asyncio.run(
                generate(
                    port, tokens, args.rate, args.seconds, args.connections, None if args.no_kill else kill
                )
            )
            cpu_city = (
                cpu_killed[0] + cpu_seconds(servers[-1].pid) - (cpu_before[0] if len(servers) == 1 else 0)
            )
            cpu_database = cpu_seconds(database_pid) - cpu_before[1]
            cpu_generator = time.process_time() - generator_before
            base = f"http://127.0.0.1:{port}"
            admin = home.admin_token()
            pages = {
                "fleet page 1 (sorted by id)": server_time(base, "/dashboard", admin),
                "fleet sorted by last contact, descending": server_time(
                    base, "/dashboard?sort=last_seen&order=desc", admin
                ),
                "fleet of one county, page 20": server_time(base, "/dashboard?county=县07&page=20", admin),
                "fleet problem: silent a day": server_time(base, "/dashboard?problem=silent", admin),
                "fleet search k0123": server_time(base, "/dashboard?q=k0123", admin),
                "alerts": server_time(base, "/dashboard/alerts", admin),
                "usage, 30 days, whole city": server_time(base, "/dashboard/usage?days=30", admin),
                "usage, 30 days, one county": server_time(
                    base, "/dashboard/usage?days=30&county=县03", admin
                ),
                "usage, 90 days, whole city": server_time(base, "/dashboard/usage?days=90", admin),
            }
        finally:
            for server in servers:
                if server.poll() is None:
                    server.send_signal(signal.SIGINT)
                    try:
                        server.wait(30)
                    except subprocess.TimeoutExpired:
                        server.kill()
        with home.db() as conn:
            rows = {(r[0], r[1]) for r in conn.execute("SELECT kiosk_id, idempotency_key FROM records")}
            stored = conn.execute("SELECT count(*) FROM records").fetchone()[0]
        answered = set(load.sent)
        return Result(
            engine,
            workers,
            args.kiosks,
            enrol_s,
            history,
            load,
            stored,
            lost=len(answered - rows),
            doubled=stored - len(rows),
            extra=len(rows - answered),
            killed=killed or "none",
            pages=pages,
            cpu_city=cpu_city,
            cpu_database=cpu_database,
            cpu_generator=cpu_generator,
        )


def report(results: list[Result], args) -> None:
    per_kiosk = args.kiosks / args.rate
    compression = HEARTBEAT_EVERY / (per_kiosk * 4)
    print(
        f"\n{args.kiosks:,} kiosks, {args.rate:g} uploads/s for {args.seconds:g} s over {args.connections} "
        f"connections: each kiosk uploads every {per_kiosk:g} s (a heartbeat every {per_kiosk * 4:g} s, a "
        f"real kiosk's every {HEARTBEAT_EVERY} s: time compressed {compression:.1f}×)\n"
    )
    print(
        "| measure | "
        + " | ".join(f"{r.engine} ({r.workers} worker{'s' * (r.workers > 1)})" for r in results)
        + " | target |"
    )
    print("|---|" + "---:|" * len(results) + "---|")

    def row(name: str, values: list[str], target: str = "") -> None:
        print(f"| {name} | " + " | ".join(values) + f" | {target} |")

    row("kiosks enrolled (s)", [f"{r.kiosks:,} ({r.enrol_s:.1f} s)" for r in results], "50,000")
    row(
        "uploads sent / answered",
        [f"{int(args.rate * args.seconds):,} / {len(r.load.sent):,}" for r in results],
    )
    row(
        "sustained uploads/s (answered ÷ wall time)",
        [f"{len(r.load.sent) / (r.load.finished - r.load.started):,.0f}" for r in results],
        f"≥ {args.rate:g}",
    )
    row("generator behind schedule at most", [f"{r.load.behind:.2f} s" for r in results])
    row("latency p50 (ms)", [f"{percentile(r.load.latencies, 50) * 1000:.1f}" for r in results])
    row("latency p99 (ms)", [f"{percentile(r.load.latencies, 99) * 1000:.1f}" for r in results], "≤ 200")
    row(
        "latency p99 of uploads answered on the first try (ms)",
        [f"{percentile(r.load.first_try, 99) * 1000:.1f}" for r in results],
    )
    row("latency max (ms)", [f"{max(r.load.latencies, default=0) * 1000:.0f}" for r in results])
    row(
        "server CPU per upload (ms): city + database",
        [
            f"{r.cpu_city * 1000 / len(r.load.sent):.2f} + {r.cpu_database * 1000 / len(r.load.sent):.2f}"
            for r in results
        ],
    )
    row(
        "uploads/s two free cores would take at that cost",
        [f"{2 * len(r.load.sent) / (r.cpu_city + r.cpu_database):,.0f}" for r in results],
    )
    row(
        "load generator CPU per upload (ms), on the same two cores",
        [f"{r.cpu_generator * 1000 / len(r.load.sent):.2f}" for r in results],
    )
    row(
        "uploads/s two cores could carry, server and generator together",
        [f"{2 * len(r.load.sent) / (r.cpu_city + r.cpu_database + r.cpu_generator):,.0f}" for r in results],
    )
    row("retries (connection lost, 5xx)", [f"{r.load.retries:,}" for r in results])
    row("errors (4xx)", [f"{sum(r.load.errors.values()):,}" for r in results], "0")
    row("kill -9 during the load", [r.killed for r in results])
    row("rows stored / answered", [f"{r.stored:,} / {len(r.load.sent):,}" for r in results])
    row(
        "lost / doubled / stored but never answered",
        [f"{r.lost} / {r.doubled} / {r.extra}" for r in results],
        "0 / 0 / –",
    )
    row("roll-up history rows (30 days × townships × activities)", [f"{r.history_rows:,}" for r in results])
    for name in results[0].pages:
        target = "≤ 500" if name.startswith("fleet") else "≤ 1,000" if "30 days" in name else ""
        row(
            f"{name}: server ms, median (max of 7)",
            [f"{r.pages[name][0]:.1f} ({r.pages[name][1]:.1f})" for r in results],
            target,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 kiosks, 200 uploads/s, 30 s")
    parser.add_argument("--kiosks", type=int, default=50_000)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="city serve --workers on PostgreSQL")
    parser.add_argument("--engine", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--no-kill", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.kiosks, args.rate, args.seconds = 2000, 200, 30
    engines = ["postgresql", "sqlite"] if args.engine == "both" else [args.engine]
    with tempfile.TemporaryDirectory(prefix="zwgk-city-load-") as work:
        os.chmod(work, 0o755)
        results = [run_engine(engine, args, Path(work)) for engine in engines]
    report(results, args)


if __name__ == "__main__":
    main()
