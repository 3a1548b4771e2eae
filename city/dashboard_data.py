"""What the city dashboard shows, read from the database in SQL: a page of the fleet (filtered by county,
township, problem and a search in the kiosk id, sorted, counted), the fleet's summary, the alerts, and the
usage from the daily roll-ups (city/rollup.py). Each query reads one page or one group of rows, so the
fleet page for 50,000 kiosks reads 50 rows and a few counts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from city.db import Connection
from content.channel import format_time

PAGE_SIZE = 50
SILENT_AFTER = timedelta(days=1)
PAPER_OUT_AFTER = timedelta(hours=1)
PAPER_OUT = "缺纸"  # in the fault a kiosk reports: "小票打印机：缺纸"
# The fleet's sortable columns: the name in a URL and its ORDER BY expression.
SORTS = {
    "id": "id",
    "area": "county, township",
    "last_seen": "last_seen",
    "channel": "coalesce(channel_version, -1)",
    "software": "software_version",
    "backlog": "coalesce(outbox_pending, -1)",
    "records": "records_stored",
}
PROBLEMS = ("silent", "stale", "faults", "revoked")
_COLUMNS = (
    "id, county, township, last_seen, channel_version, software_version, faults, content_stale_since, "
    "outbox_pending, records_stored, revoked_at, enrolled_at, credential"
)


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def query_text(value) -> str:
    """A query parameter as filter text: at most 64 characters, no control characters (PostgreSQL takes no
    NUL in text; none belongs in a county, a township or a kiosk id)."""
    return _CONTROL.sub("", str(value or ""))[:64].strip()


@dataclass(frozen=True)
class FleetQuery:
    county: str = ""
    township: str = ""
    search: str = ""
    problem: str = ""
    sort: str = "id"
    descending: bool = False
    page: int = 1

    @classmethod
    def parse(cls, params) -> FleetQuery:
        """From a request's query parameters; anything unknown falls back to the default."""

        def text(name: str) -> str:
            return query_text(params.get(name, ""))

        try:
            page = max(1, min(int(params.get("page", 1)), 1_000_000))
        except ValueError:
            page = 1
        return cls(
            county=text("county"),
            township=text("township"),
            search=text("q"),
            problem=text("problem") if text("problem") in PROBLEMS else "",
            sort=text("sort") if text("sort") in SORTS else "id",
            descending=text("order") == "desc",
            page=page,
        )


@dataclass
class Kiosk:
    id: str
    county: str
    township: str
    last_seen: str
    channel_version: int | None
    software_version: str
    faults: list[str]
    content_stale_since: str
    outbox_pending: int | None
    records: int
    revoked: bool
    enrolled_at: str
    credential: str

    def silent(self, now: datetime) -> bool:
        return (self.last_seen or self.enrolled_at) < format_time(now - SILENT_AFTER)


def _kiosk(row) -> Kiosk:
    try:
        faults = json.loads(row[6])
    except ValueError:
        faults = []
    return Kiosk(
        row[0], row[1], row[2], row[3], row[4], row[5], faults, row[7], row[8], int(row[9]), bool(row[10]),
        row[11], row[12],
    )  # fmt: skip


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(query: FleetQuery, now: datetime) -> tuple[str, list[Any]]:
    clauses, params = ["1 = 1"], []
    if query.county:
        clauses.append("county = ?")
        params.append(query.county)
    if query.township:
        clauses.append("township = ?")
        params.append(query.township)
    if query.search:
        clauses.append("id LIKE ? ESCAPE '\\'")
        params.append(_like(query.search))
    if query.problem == "silent":
        clauses.append(
            "revoked_at = '' AND (CASE WHEN last_seen = '' THEN enrolled_at ELSE last_seen END) < ?"
        )
        params.append(format_time(now - SILENT_AFTER))
    elif query.problem == "stale":
        clauses.append("revoked_at = '' AND content_stale_since <> ''")
    elif query.problem == "faults":
        clauses.append("revoked_at = '' AND faults <> '[]'")
    elif query.problem == "revoked":
        clauses.append("revoked_at <> ''")
    return " AND ".join(clauses), params


@dataclass
class FleetPage:
    query: FleetQuery
    kiosks: list[Kiosk]
    total: int  # kiosks matching the filter

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def fleet_page(conn: Connection, query: FleetQuery, now: datetime, *, size: int = PAGE_SIZE) -> FleetPage:
    where, params = _where(query, now)
    total = conn.execute(f"SELECT count(*) FROM kiosks WHERE {where}", params).fetchone()[0]
    direction = "DESC" if query.descending else "ASC"
    order = ", ".join(f"{column} {direction}" for column in SORTS[query.sort].split(", "))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM kiosks WHERE {where} ORDER BY {order}, id {direction} LIMIT ? OFFSET ?",
        [*params, size, (query.page - 1) * size],
    ).fetchall()
    return FleetPage(query, [_kiosk(r) for r in rows], int(total))


def fleet_all(conn: Connection, query: FleetQuery, now: datetime):
    """Every kiosk matching the filter, in the query's order (for the exports), as an iterator."""
    where, params = _where(query, now)
    direction = "DESC" if query.descending else "ASC"
    order = ", ".join(f"{column} {direction}" for column in SORTS[query.sort].split(", "))
    for row in conn.execute(
        f"SELECT {_COLUMNS} FROM kiosks WHERE {where} ORDER BY {order}, id {direction}", params
    ):
        yield _kiosk(row)


@dataclass
class Summary:
    kiosks: int = 0
    active: int = 0
    silent: int = 0
    stale: int = 0
    faults: int = 0
    backlog: int = 0


def summary(conn: Connection, now: datetime, *, county: str = "", township: str = "") -> Summary:
    where, params = _where(FleetQuery(county=county, township=township), now)
    row = conn.execute(
        "SELECT count(*), "
        "sum(CASE WHEN revoked_at = '' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN revoked_at = '' AND (CASE WHEN last_seen = '' THEN enrolled_at ELSE last_seen END) < ? "
        "THEN 1 ELSE 0 END), "
        "sum(CASE WHEN revoked_at = '' AND content_stale_since <> '' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN revoked_at = '' AND faults <> '[]' THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN revoked_at = '' THEN coalesce(outbox_pending, 0) ELSE 0 END) FROM kiosks WHERE {where}",
        [format_time(now - SILENT_AFTER), *params],
    ).fetchone()
    return Summary(*(int(value or 0) for value in row))


def areas(conn: Connection) -> dict[str, list[str]]:
    """Each county with its townships, as the kiosks name them."""
    result: dict[str, list[str]] = {}
    for county, township in conn.execute(
        "SELECT DISTINCT county, township FROM kiosks ORDER BY county, township"
    ):
        result.setdefault(county, []).append(township)
    return result


@dataclass
class Alert:
    kiosk_id: str
    county: str
    township: str
    since: str
    detail: str


@dataclass
class Alerts:
    paper_out: list[Alert] = field(default_factory=list)
    stale: list[Alert] = field(default_factory=list)
    silent: list[Alert] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def alerts(conn: Connection, now: datetime, *, limit: int = 200) -> Alerts:
    """Printers out of paper for more than an hour, content stale, kiosks silent for a day (the oldest
    first, at most `limit` of each; `counts` has them all)."""
    found = Alerts()
    paper = (
        "FROM kiosk_faults f JOIN kiosks k ON k.id = f.kiosk_id "
        "WHERE k.revoked_at = '' AND f.fault LIKE ? AND f.since <= ?"
    )
    paper_params = [f"%{PAPER_OUT}%", format_time(now - PAPER_OUT_AFTER)]
    stale = "FROM kiosks WHERE revoked_at = '' AND content_stale_since <> ''"
    seen = "CASE WHEN last_seen = '' THEN enrolled_at ELSE last_seen END"
    silent = f"FROM kiosks WHERE revoked_at = '' AND {seen} < ?"
    silent_params = [format_time(now - SILENT_AFTER)]
    for name, sql, params, select, order in (
        ("paper_out", paper, paper_params, "f.kiosk_id, k.county, k.township, f.since, f.fault", "f.since"),
        ("stale", stale, [], "id, county, township, content_stale_since, ''", "content_stale_since"),
        ("silent", silent, silent_params, f"id, county, township, {seen}, last_seen", seen),
    ):
        found.counts[name] = int(conn.execute(f"SELECT count(*) {sql}", params).fetchone()[0])
        rows = conn.execute(f"SELECT {select} {sql} ORDER BY {order} LIMIT ?", [*params, limit]).fetchall()
        setattr(found, name, [Alert(*row) for row in rows])
    return found
