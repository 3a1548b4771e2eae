"""How one resident record counts in the kiosk's rollup: the (function, measure, item, count, total)
rows it adds to its day. Pure: a record in, rows out.

`function` is the function's key (`kiosk.features`: "library", "interpretations", "notices", "guides",
"queue", "applications") or "search" / "kiosk"; `item` an item id, a query class, a queue service, a
rating level or ""; `total` sums a duration (seconds read, seconds waited) where the measure has one.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Row(NamedTuple):
    function: str
    measure: str
    item: str
    count: int
    total: int


# What counts as one use of a function (the per-function and per-day charts): one row per action.
USES = frozenset({"searches", "list_opened", "read", "viewed", "printed", "issued", "submitted"})

# The function whose list or reader a kind of item is shown in (`kiosk.features`: each declares its `stat`).
FUNCTION_OF = {
    "document": "library",
    "gazette": "library",
    "all": "library",
    "interpretation": "interpretations",
    "notice": "notices",
    "guide": "guides",
}


def rows(kind: str, payload: dict[str, Any]) -> list[Row]:
    """The rollup rows of a record that fits its declared schema (`content.record_schema`)."""
    get = payload.get
    if kind == "search":
        cls = payload["query_class"]
        out = [Row("search", "searches", cls, 1, 0)]
        if payload["results"] == 0:
            out.append(Row("search", "no_result", cls, 1, 0))
        if payload["opened"]:
            out.append(Row("search", "result_opened", cls, 1, 0))
        return out
    if kind == "list_opened":
        return [Row(FUNCTION_OF.get(payload["list"], payload["list"]), "list_opened", payload["list"], 1, 0)]
    if kind == "read":
        return [Row(FUNCTION_OF[payload["item_kind"]], "read", payload["item_id"], 1, payload["seconds"])]
    if kind == "notice_viewed":
        return [Row("notices", "viewed", payload["item_id"], 1, get("seconds", 0))]
    if kind == "guide_viewed":
        return [Row("guides", "viewed", payload["item_id"], 1, get("seconds", 0))]
    if kind == "checklist_printed":
        return [Row("guides", "printed", payload["item_id"], 1, 0)]
    if kind == "queue_ticket":
        event = payload["event"]
        total = get("wait_seconds", 0) if event == "called" else get("service_seconds", 0)
        return [Row("queue", event, payload["service"], 1, total if event in ("called", "finished") else 0)]
    if kind == "queue_rating":
        return [Row("queue", "rating", str(payload["level"]), 1, payload["level"])]
    if kind == "application_submitted":
        return [Row("applications", "submitted", payload["applicant"], 1, 0)]
    if kind == "rating":
        return [Row(payload["function"], "rating", str(payload["level"]), 1, payload["level"])]
    if kind == "idle_reset":
        return [Row("kiosk", "idle_reset", payload["screen"], 1, 0)]
    return []
