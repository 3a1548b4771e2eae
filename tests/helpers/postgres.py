"""A throwaway PostgreSQL cluster for the city's tests and benchmarks: `initdb` and `pg_ctl` in a temporary
directory, listening only on a Unix socket inside it, as a non-root user (`nobody` when run as root:
PostgreSQL refuses to run as root, and CI runs as root), stopped and removed at the end.

`ZWGK_TEST_POSTGRES_URL` names an existing server instead (a libpq URL whose user may create schemas);
then nothing is started. Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/<n>/bin).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ENV = "ZWGK_TEST_POSTGRES_URL"
ENGINES = ("sqlite", "postgresql")
RUN_AS = "nobody"


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise RuntimeError(
            "PostgreSQL is not installed (apt-get install postgresql; `python3 quickstart.py test` does it)"
        )
    return found[-1].parent


class Cluster:
    """A running cluster: `url` for its `postgres` database; `schema_url(name)` for a schema of its own."""

    def __init__(self, url: str, stop=None, data_dir: Path | None = None):
        self.url = url
        self._stop = stop
        self.data_dir = data_dir  # None for a server named by ZWGK_TEST_POSTGRES_URL

    def postmaster_pid(self) -> int | None:
        """The server's main process (for the benchmark's CPU count), when this cluster was started here."""
        if self.data_dir is None:
            return None
        return int((self.data_dir / "postmaster.pid").read_text().split()[0])

    def schema_url(self, schema: str) -> str:
        """The URL with `search_path` set to `schema` (libpq's `options`), so tables land there."""
        options = quote(f"-c search_path={schema}")
        return f"{self.url}{'&' if '?' in self.url else '?'}options={options}"

    @contextmanager
    def schema(self) -> Iterator[str]:
        """A fresh, empty schema for one test; yields its URL and drops the schema afterwards."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        try:
            yield self.schema_url(name)
        finally:
            with psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {name} CASCADE")

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None


def _as_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", RUN_AS, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def cluster(*, durable: bool = False, settings: dict[str, str] | None = None) -> Iterator[Cluster]:
    """The cluster named by ZWGK_TEST_POSTGRES_URL, or a new one for the block. `durable` keeps fsync on
    (the benchmark's figures must include it); tests run without it."""
    if os.environ.get(ENV):
        yield Cluster(os.environ[ENV])
        return
    binaries = bin_dir()
    base = Path(tempfile.mkdtemp(prefix="zwgk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, RUN_AS)
    data, log = base / "data", base / "server.log"
    options = {
        "listen_addresses": "''",
        "unix_socket_directories": f"'{base}'",
        "max_connections": "200",
        **({} if durable else {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}),
        **(settings or {}),
    }
    try:
        subprocess.run(
            _as_user([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"])
            + ["-E", "UTF8", "--no-locale", "--no-sync"],
            check=True,
            capture_output=True,
        )
        conf = "".join(f"{name} = {value}\n" for name, value in options.items())
        with open(data / "postgresql.conf", "a", encoding="utf-8") as fh:
            fh.write(conf)
        subprocess.run(
            _as_user([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "start"]),
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace") + (log.read_text() if log.exists() else "")
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"could not start a PostgreSQL cluster: {detail}") from None

    def stop() -> None:
        subprocess.run(
            _as_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)

    running = Cluster(f"postgresql://postgres@/postgres?host={quote(str(base), safe='')}", stop, data)
    try:
        yield running
    finally:
        running.stop()


@contextmanager
def engine_url(request, engine: str) -> Iterator[str | None]:
    """None for SQLite (the home's city.db), or the URL of a fresh PostgreSQL schema, dropped afterwards."""
    if engine == "sqlite":
        yield None
        return
    from city.db import release

    with request.getfixturevalue("postgres").schema() as url:
        try:
            yield url
        finally:
            release(url)
