"""The city database's versioned schema, the same steps on SQLite and PostgreSQL.

`city_schema` holds the version reached; `migrate` applies the steps above it in one transaction, under
the write lock on SQLite and an advisory lock on PostgreSQL (the workers of `city serve --workers N`
start at once). Steps only ever add; never edit one that has shipped, append the next.

1. The first release's tables (kiosks, records, published). A SQLite `city.db` made before versions were
   kept is brought to it as before: columns added later (credential kinds) and records keyed per kiosk.
2. Arrival order (`records.seq`), the kiosks' county and township, a stored-records counter, the devices'
   faults with the time each was first reported, and the daily roll-ups (city/rollup.py), rebuilt from
   the records already held.
3. The newest screenshot of each display of each kiosk (`display_screenshots`, city/screenshots.py).
"""

from __future__ import annotations

from collections.abc import Callable

from city.db import POSTGRESQL, Connection

FIRST_SQLITE = """
CREATE TABLE IF NOT EXISTS kiosks (
    id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    credential TEXT NOT NULL DEFAULT 'ed25519',
    token_sha256 TEXT NOT NULL DEFAULT '',
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT NOT NULL DEFAULT '',
    last_seen TEXT NOT NULL DEFAULT '',
    channel_version INTEGER,
    software_version TEXT NOT NULL DEFAULT '',
    faults TEXT NOT NULL DEFAULT '[]',
    content_stale_since TEXT NOT NULL DEFAULT '',
    outbox_pending INTEGER
);
CREATE TABLE IF NOT EXISTS records (
    kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
    idempotency_key TEXT NOT NULL,
    body_sha256 TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, idempotency_key)
);
CREATE TABLE IF NOT EXISTS published (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    collection TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS published_collection ON published (collection)
"""
FIRST_POSTGRESQL = (
    FIRST_SQLITE.replace("IF NOT EXISTS ", "")
    .replace("channel_version INTEGER", "channel_version BIGINT")
    .replace("outbox_pending INTEGER", "outbox_pending BIGINT")
    .replace("size INTEGER", "size BIGINT")
)
# Columns the first release added to SQLite databases after it began: (table, column, definition).
# Every kiosk enrolled before them had an ed25519 key, which is what the defaults say.
ADDED_COLUMNS = (
    ("kiosks", "credential", "TEXT NOT NULL DEFAULT 'ed25519'"),
    ("kiosks", "token_sha256", "TEXT NOT NULL DEFAULT ''"),
)
# Records were first keyed by the Idempotency-Key alone and kept no hash of the body: such a table is
# rebuilt keyed per kiosk, its rows with an empty hash (city/fleet.py compares their stored record).
RECORDS_PER_KIOSK = """
CREATE TABLE records_per_kiosk (
    kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
    idempotency_key TEXT NOT NULL,
    body_sha256 TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, idempotency_key)
);
INSERT INTO records_per_kiosk (kiosk_id, idempotency_key, kind, created_at, received_at, payload)
    SELECT kiosk_id, idempotency_key, kind, created_at, received_at, payload FROM records;
DROP TABLE records;
ALTER TABLE records_per_kiosk RENAME TO records
"""
# SQLite: `seq` is the rowid itself (INTEGER PRIMARY KEY), so the table is rebuilt keeping each rowid.
RECORDS_SEQ_SQLITE = """
CREATE TABLE records_seq (
    seq INTEGER PRIMARY KEY,
    kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
    idempotency_key TEXT NOT NULL,
    body_sha256 TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (kiosk_id, idempotency_key)
);
INSERT INTO records_seq SELECT rowid, kiosk_id, idempotency_key, body_sha256, kind, created_at, received_at,
    payload FROM records ORDER BY rowid;
DROP TABLE records;
ALTER TABLE records_seq RENAME TO records
"""
RECORDS_SEQ_POSTGRESQL = """
ALTER TABLE records ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX records_seq ON records (seq)
"""
SECOND = """
ALTER TABLE kiosks ADD COLUMN county TEXT NOT NULL DEFAULT '';
ALTER TABLE kiosks ADD COLUMN township TEXT NOT NULL DEFAULT '';
ALTER TABLE kiosks ADD COLUMN records_stored BIGINT NOT NULL DEFAULT 0;
UPDATE kiosks SET records_stored = (SELECT count(*) FROM records r WHERE r.kiosk_id = kiosks.id);
CREATE INDEX kiosks_area ON kiosks (county, township);
CREATE INDEX kiosks_last_seen ON kiosks (last_seen);
CREATE INDEX records_applications ON records (seq) WHERE kind = 'application';
CREATE TABLE kiosk_faults (
    kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
    fault TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, fault)
);
CREATE TABLE usage_daily (
    day TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    activity TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (day, kiosk_id, activity)
);
CREATE INDEX usage_daily_kiosk ON usage_daily (kiosk_id, day);
CREATE TABLE area_daily (
    day TEXT NOT NULL,
    county TEXT NOT NULL,
    township TEXT NOT NULL,
    activity TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (day, county, township, activity)
)
"""

THIRD = """
CREATE TABLE display_screenshots (
    kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
    display TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    request TEXT NOT NULL DEFAULT '',
    bytes BIGINT NOT NULL,
    jpeg TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, display)
)
"""


def _script(conn: Connection, script: str) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _columns(conn: Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _first(conn: Connection) -> None:
    if conn.dialect.name == POSTGRESQL:
        _script(conn, FIRST_POSTGRESQL)
        return
    _script(conn, FIRST_SQLITE)
    for table, column, definition in ADDED_COLUMNS:
        if column not in _columns(conn, table):
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    if "body_sha256" not in _columns(conn, "records"):
        _script(conn, RECORDS_PER_KIOSK)


def _second(conn: Connection) -> None:
    from city.rollup import rebuild

    _script(conn, RECORDS_SEQ_POSTGRESQL if conn.dialect.name == POSTGRESQL else RECORDS_SEQ_SQLITE)
    _script(conn, SECOND)
    rebuild(conn)


def _third(conn: Connection) -> None:
    _script(conn, THIRD)


STEPS: tuple[tuple[int, Callable[[Connection], None]], ...] = ((1, _first), (2, _second), (3, _third))
LATEST = STEPS[-1][0]


def version(conn: Connection) -> int:
    if conn.dialect.name == POSTGRESQL:
        exists = conn.execute("SELECT to_regclass('city_schema')").fetchone()[0]
    else:
        exists = conn.execute("SELECT name FROM sqlite_master WHERE name = 'city_schema'").fetchone()
    return conn.execute("SELECT max(version) FROM city_schema").fetchone()[0] or 0 if exists else 0


def migrate(conn: Connection) -> None:
    """Bring the database to LATEST (nothing to do, and no lock taken, when it is there)."""
    if version(conn) == LATEST:
        return
    with conn.transaction():
        if conn.dialect.name == POSTGRESQL:
            conn.execute("SELECT pg_advisory_xact_lock(7201611)")  # one migrating worker at a time
        conn.execute("CREATE TABLE IF NOT EXISTS city_schema (version INTEGER NOT NULL)")
        reached = conn.execute("SELECT max(version) FROM city_schema").fetchone()[0] or 0
        for number, step in STEPS:
            if number > reached:
                step(conn)
                conn.execute("INSERT INTO city_schema (version) VALUES (?)", [number])
