"""Daily roll-ups of what residents did, kept in the database: per kiosk and day (`usage_daily`) and per
county, township and day (`area_daily`), each row a count per activity.

An activity is a record's kind (`search`, `read`, `guide_viewed`, …), a queue ticket's event
(`queue_issued`, …) or an older kiosk's usage event (`usage_view`, …); heartbeats and the sealed
`application` form are not activities (`application_submitted` counts the application). Its day is the
Beijing date of the record's `created_at` (when the resident did it, not when it arrived).

Both tables are counted up in the transaction that stores the record (one upsert each, so a record is
counted exactly when it is stored), and `rebuild` recomputes them from the records with one
`INSERT … SELECT … GROUP BY` each. Charts read them with `GROUP BY` in SQL: a 30-day chart over 50,000
kiosks reads area rows (days × townships × activities), never the records.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from city.db import Connection

BEIJING = timezone(timedelta(hours=8))
NOT_ACTIVITIES = ("heartbeat", "application", "display_screenshot")
# The kinds whose activity is refined by a payload field: (kind, field, prefix).
BY_EVENT = (("usage", "event", "usage_"), ("queue_ticket", "event", "queue_"))
# What the dashboard calls each activity.
LABELS = {
    "search": "搜索",
    "read": "阅读文件",
    "notice_viewed": "查看公告",
    "guide_viewed": "查看办事指南",
    "checklist_printed": "打印材料清单",
    "queue_issued": "取号",
    "queue_called": "叫号",
    "queue_started": "开始办理",
    "queue_finished": "办结",
    "queue_no_show": "过号",
    "queue_cancelled": "取消取号",
    "queue_transferred": "转窗口",
    "queue_rating": "窗口评价",
    "application_submitted": "信息公开申请",
    "rating": "满意度评价",
    "idle_reset": "空闲复位",
    "usage_view": "查看（旧版记录）",
    "usage_search": "搜索（旧版记录）",
    "usage_print": "打印（旧版记录）",
    "usage_browse": "浏览（旧版记录）",
}


def label(activity: str) -> str:
    return LABELS.get(activity, activity)


def activity(kind: str, payload: dict[str, Any]) -> str | None:
    if kind in NOT_ACTIVITIES:
        return None
    for refined, field, prefix in BY_EVENT:
        if kind == refined:
            return prefix + str(payload.get(field, ""))
    return kind


def beijing_day(created_at: str) -> str:
    return datetime.fromisoformat(created_at.replace("Z", "+00:00")).astimezone(BEIJING).date().isoformat()


def today() -> date:
    return datetime.now(UTC).astimezone(BEIJING).date()


def count(conn: Connection, kiosk_id: str, kind: str, created_at: str, payload: dict[str, Any]) -> None:
    """Count one stored record (inside the caller's transaction)."""
    name = activity(kind, payload)
    if name is None:
        return
    day = beijing_day(created_at)
    conn.execute(
        "INSERT INTO usage_daily (day, kiosk_id, activity, n) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (day, kiosk_id, activity) DO UPDATE SET n = usage_daily.n + 1",
        [day, kiosk_id, name],
    )
    conn.execute(
        "INSERT INTO area_daily (day, county, township, activity, n) "
        "SELECT ?, county, township, ?, 1 FROM kiosks WHERE id = ? "
        "ON CONFLICT (day, county, township, activity) DO UPDATE SET n = area_daily.n + 1",
        [day, name, kiosk_id],
    )


def _activity_sql(conn: Connection) -> str:
    cases = " ".join(
        f"WHEN '{kind}' THEN '{prefix}' || coalesce({conn.dialect.json_text('payload', field)}, '')"
        for kind, field, prefix in BY_EVENT
    )
    return f"CASE kind {cases} ELSE kind END"


def rebuild(conn: Connection) -> None:
    """Recompute both roll-ups from the records (inside the caller's transaction)."""
    excluded = ", ".join(f"'{kind}'" for kind in NOT_ACTIVITIES)
    conn.execute("DELETE FROM usage_daily")
    conn.execute("DELETE FROM area_daily")
    conn.execute(
        "INSERT INTO usage_daily (day, kiosk_id, activity, n) "
        f"SELECT {conn.dialect.beijing_day('created_at')}, kiosk_id, {_activity_sql(conn)}, count(*) "
        f"FROM records WHERE kind NOT IN ({excluded}) GROUP BY 1, 2, 3"
    )
    conn.execute(
        "INSERT INTO area_daily (day, county, township, activity, n) "
        "SELECT u.day, k.county, k.township, u.activity, sum(u.n) FROM usage_daily u "
        "JOIN kiosks k ON k.id = u.kiosk_id GROUP BY 1, 2, 3, 4"
    )


def area_filter(county: str, township: str) -> tuple[str, list[str]]:
    where, params = "", []
    if county:
        where += " AND county = ?"
        params.append(county)
    if township:
        where += " AND township = ?"
        params.append(township)
    return where, params


def by_day(
    conn: Connection, first: str, last: str, *, county: str = "", township: str = ""
) -> list[tuple[str, str, int]]:
    """(day, activity, count) for the days `first`..`last` (inclusive), over an area or the whole city."""
    where, params = area_filter(county, township)
    rows = conn.execute(
        "SELECT day, activity, sum(n) FROM area_daily WHERE day BETWEEN ? AND ?"
        f"{where} GROUP BY day, activity ORDER BY day, activity",
        [first, last, *params],
    ).fetchall()
    return [(r[0], r[1], int(r[2])) for r in rows]


def by_area(conn: Connection, first: str, last: str, *, county: str = "") -> list[tuple[str, str, int]]:
    """(area, activity, count) over the days: per county, or per township of `county`."""
    area = "township" if county else "county"
    where, params = area_filter(county, "")
    rows = conn.execute(
        f"SELECT {area}, activity, sum(n) FROM area_daily WHERE day BETWEEN ? AND ?{where} "
        f"GROUP BY {area}, activity ORDER BY {area}, activity",
        [first, last, *params],
    ).fetchall()
    return [(r[0], r[1], int(r[2])) for r in rows]


def by_day_and_area(
    conn: Connection, first: str, last: str, *, county: str = "", township: str = ""
) -> list[tuple[str, str, str, str, int]]:
    """(day, county, township, activity, count): the area roll-up itself, for exports."""
    where, params = area_filter(county, township)
    rows = conn.execute(
        "SELECT day, county, township, activity, n FROM area_daily WHERE day BETWEEN ? AND ?"
        f"{where} ORDER BY day, county, township, activity",
        [first, last, *params],
    ).fetchall()
    return [(r[0], r[1], r[2], r[3], int(r[4])) for r in rows]


def of_kiosk(conn: Connection, kiosk_id: str, first: str, last: str) -> list[tuple[str, str, int]]:
    rows = conn.execute(
        "SELECT day, activity, n FROM usage_daily WHERE kiosk_id = ? AND day BETWEEN ? AND ? "
        "ORDER BY day, activity",
        [kiosk_id, first, last],
    ).fetchall()
    return [(r[0], r[1], int(r[2])) for r in rows]
