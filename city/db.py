"""The city's database behind one small interface: SQLite (the default: `city.db` in the city's home, for a
small city and the quick start) or PostgreSQL (production: many kiosks, `city serve --workers N`).

The database is named by a URL: `--database`, else `CITY_DATABASE_URL`, else `database_url` in the home's
settings, else SQLite in the home. PostgreSQL is reached through psycopg 3 directly, not SQLAlchemy Core:
the city's SQL is a few dozen hand-written statements that run unchanged on both engines (`ON CONFLICT`
upserts, `GROUP BY` roll-ups, `?` placeholders translated here), and what differs is a handful of
expressions that `Dialect` names. psycopg 3 brings server-side parameters, a connection pool shared by
a worker's threads (psycopg_pool) and COPY; SQLAlchemy would add a second layer over two drivers for
statements that are already portable. The schema is migrated by `city.schema` on first use.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SQLITE, POSTGRESQL = "sqlite", "postgresql"


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened (English message; `.zh` for the operator)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


@dataclass(frozen=True)
class Dialect:
    """The few expressions that differ between the engines."""

    name: str

    def json_text(self, column: str, field: str) -> str:
        """A top-level text field of a JSON text column."""
        if self.name == POSTGRESQL:
            return f"({column}::jsonb ->> '{field}')"
        return f"json_extract({column}, '$.{field}')"

    def beijing_day(self, column: str) -> str:
        """The date in Beijing (YYYY-MM-DD) of an ISO time with its zone."""
        if self.name == POSTGRESQL:
            # A fixed +8 hours, as in Python: 'Asia/Shanghai' had summer time in 1986-1991 and its LMT
            # before 1901, so a record from then would land on a different day than it was counted on.
            return f"to_char(({column}::timestamptz AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')"
        return f"date({column}, '+8 hours')"


@lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (the city's SQL has no `?` inside its literals)."""
    return sql.replace("%", "%%").replace("?", "%s")


class Connection:
    """One connection: `execute` with `?` placeholders on both engines, `transaction()` for a write that
    belongs together (on SQLite it takes the write lock at once: BEGIN IMMEDIATE)."""

    def __init__(self, raw, dialect: Dialect, release=None):
        self.raw = raw
        self.dialect = dialect
        self._release = release

    def execute(self, sql: str, params: Sequence[Any] = ()):
        if self.dialect.name == POSTGRESQL:
            return self.raw.execute(_pyformat(sql), params or None)
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows) -> None:
        if self.dialect.name == POSTGRESQL:
            with self.raw.cursor() as cursor:
                cursor.executemany(_pyformat(sql), rows)
        else:
            self.raw.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        if self.dialect.name == POSTGRESQL:
            with self.raw.transaction():
                yield self
            return
        self.raw.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        self.raw.execute("COMMIT")

    def close(self) -> None:
        if self._release is not None:
            self._release()
        else:
            self.raw.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Database:
    """A city database by URL. `connect()` opens a connection of one's own (close it); `connection()`
    lends one for a block: from a pool on PostgreSQL, this thread's own on SQLite (the server's handlers)."""

    def __init__(self, url: str):
        self.url = url
        self.dialect = Dialect(POSTGRESQL if url.startswith(("postgresql:", "postgres:")) else SQLITE)
        self._pool = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._pool_lock = threading.Lock()
        self._migrated = False

    @property
    def path(self) -> Path | None:
        return Path(self.url.removeprefix("sqlite:///")) if self.dialect.name == SQLITE else None

    def _raw(self):
        if self.dialect.name == POSTGRESQL:
            import psycopg

            try:
                return psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            except psycopg.OperationalError as exc:
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise DatabaseUnavailable(
                    f"cannot connect to the PostgreSQL database: {reason}",
                    f"无法连接 PostgreSQL 数据库：{reason}（请检查 --database / CITY_DATABASE_URL 和数据库服务）",
                ) from None
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _ready(self, conn: Connection) -> Connection:
        if not self._migrated:
            from city.schema import migrate

            with self._lock:
                if not self._migrated:
                    migrate(conn)
                    self._migrated = True
        return conn

    def connect(self) -> Connection:
        return self._ready(Connection(self._raw(), self.dialect))

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        if self.dialect.name == SQLITE:
            if not hasattr(self._local, "conn"):
                self._local.conn = self.connect()
            yield self._local.conn
            return
        with self._pool_lock:
            if self._pool is None:
                from psycopg_pool import ConnectionPool

                self.connect().close()  # migrated before the pool's connections exist
                self._pool = ConnectionPool(
                    self.url, min_size=1, max_size=8, kwargs={"autocommit": True}, open=True
                )
        with self._pool.connection() as raw:
            yield Connection(raw, self.dialect, release=lambda: None)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


_POOLED: dict[str, Database] = {}
_POOLED_LOCK = threading.Lock()


def database(url: str) -> Database:
    """The `Database` for `url`: on PostgreSQL the process's one (its pool shared by every caller), on
    SQLite a new one (its per-thread connections go with it)."""
    if not url.startswith(("postgresql:", "postgres:")):
        return Database(url)
    with _POOLED_LOCK:
        if url not in _POOLED:
            _POOLED[url] = Database(url)
        return _POOLED[url]


def release(url: str) -> None:
    """Close and forget the process's pool for `url` (a test's schema about to be dropped)."""
    with _POOLED_LOCK:
        found = _POOLED.pop(url, None)
    if found is not None:
        found.close()
