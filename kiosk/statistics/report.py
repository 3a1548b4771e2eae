"""What staff read in 数据统计: a period's rollup (today, this week, this month) turned into the figures
the charts show. Pure: the tally rows and a way to look items up in, a `Report` out.

- use per day and per function (one use = one action of `rollup.USES`);
- the most read documents, each with the reads of its 解读;
- searches by how they were typed, and how many of them found nothing (by class, never the text);
- queue waits per service (mean wait from the `called` events), tickets issued, no-shows;
- idle resets and the mean rating.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from kiosk.i18n import N_, tr, translate
from kiosk.statistics.rollup import USES
from kiosk.statistics.store import Tallied

# Names of what records count that is not a home function (those are named by `kiosk.features`).
OTHER_FUNCTIONS = {
    "search": N_("搜索"),
    "queue": N_("排队取号"),
    "applications": N_("信息公开申请"),
    "kiosk": N_("整机"),
}
CLASS_NAMES = {
    "doc_number": N_("文号"),
    "question": N_("提问"),
    "letters": N_("拼音或首字母"),
    "words": N_("中文词语"),
    "other": N_("其他"),
}
WEEKDAYS = (N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"), N_("周日"))
MOST_READ = 10


@dataclass(frozen=True)
class ItemInfo:
    """What a report needs of a library item: its title, kind and the document a 解读 interprets."""

    title: str
    kind: str
    interprets_id: str = ""


Lookup = Callable[[str], ItemInfo | None]  # None: no longer in the library


def period_days(period: str, today: date) -> tuple[date, date]:
    """The first and last day of `period` ("today", "week" from Monday, "month" from the 1st)."""
    if period == "today":
        return today, today
    if period == "week":
        return today - timedelta(days=today.weekday()), today
    if period == "month":
        return today.replace(day=1), today
    raise ValueError(f"unknown period {period!r}")


def month_days(month: date) -> tuple[date, date]:
    """The first and last day of `month`'s calendar month."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


@dataclass
class Report:
    period: str
    first: str
    last: str
    total_uses: int = 0
    per_day: list[dict[str, Any]] = field(default_factory=list)  # {day, label, uses}
    per_function: list[dict[str, Any]] = field(default_factory=list)  # {key, name, uses}, most first
    most_read: list[dict[str, Any]] = field(
        default_factory=list
    )  # {id, title, reads, seconds, interpretations}
    searches: list[dict[str, Any]] = field(default_factory=list)  # {cls, name, searches, noResult, opened}
    queue: list[dict[str, Any]] = field(
        default_factory=list
    )  # {service, issued, called, waitMinutes, noShow}
    idle_resets: int = 0
    rating: float | None = None  # mean of every rating in the period
    ratings: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def function_names(declared: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Function key → name: the declared functions' titles over the built-in names."""
    return {**OTHER_FUNCTIONS, **dict(declared)}


def build(
    rows: Iterable[Tallied],
    period: str,
    first: date,
    last: date,
    lookup: Lookup,
    names: dict[str, str] | None = None,
) -> Report:
    names = names or OTHER_FUNCTIONS
    report = Report(period, first.isoformat(), last.isoformat())
    per_day: dict[str, int] = defaultdict(int)
    per_function: dict[str, int] = defaultdict(int)
    reads: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # item → [reads, seconds]
    searches: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    queue: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rating_sum = 0
    for row in rows:
        if row.measure in USES:
            per_day[row.day] += row.count
            per_function[row.function] += row.count
        if row.measure == "read":
            reads[row.item][0] += row.count
            reads[row.item][1] += row.total
        elif row.function == "search":
            searches[row.item][row.measure] += row.count
        elif row.function == "queue" and row.measure != "rating":
            queue[row.item][row.measure] += row.count
            queue[row.item][row.measure + "_total"] += row.total
        if row.measure == "rating":
            report.ratings += row.count
            rating_sum += row.total
        elif row.measure == "idle_reset":
            report.idle_resets += row.count
    day = first
    while day <= last:
        key = day.isoformat()
        if period == "month":
            label = tr("{month}月{day}日", month=day.month, day=day.day)
        else:
            label = translate(WEEKDAYS[day.weekday()])
        report.per_day.append({"day": key, "label": label, "uses": per_day.get(key, 0)})
        day += timedelta(days=1)
    report.total_uses = sum(per_day.values())
    report.per_function = [
        {"key": key, "name": translate(names.get(key, key)), "uses": uses}
        for key, uses in sorted(per_function.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    report.most_read = _most_read(reads, lookup)
    report.searches = [
        {
            "cls": cls,
            "name": translate(CLASS_NAMES.get(cls, cls)),
            "searches": counts["searches"],
            "noResult": counts["no_result"],
            "opened": counts["result_opened"],
        }
        for cls, counts in sorted(searches.items(), key=lambda kv: (-kv[1]["no_result"], kv[0]))
    ]
    report.queue = [
        {
            "service": service,
            "issued": counts["issued"],
            "called": counts["called"],
            "waitMinutes": round(counts["called_total"] / counts["called"] / 60, 1)
            if counts["called"]
            else 0,
            "noShow": counts["no_show"],
        }
        for service, counts in sorted(queue.items())
    ]
    report.rating = round(rating_sum / report.ratings, 2) if report.ratings else None
    return report


def _most_read(reads: dict[str, list[int]], lookup: Lookup) -> list[dict[str, Any]]:
    """Documents by their reads plus their 解读's reads; a 解读 read alone brings its document in."""
    documents: dict[str, dict[str, Any]] = {}

    def document(item_id: str, info: ItemInfo | None) -> dict[str, Any]:
        if item_id not in documents:
            documents[item_id] = {
                "id": item_id,
                "title": info.title if info else tr("（已不在资料库中：{id}）", id=item_id),
                "reads": 0,
                "seconds": 0,
                "interpretations": [],
            }
        return documents[item_id]

    for item_id, (count, seconds) in reads.items():
        info = lookup(item_id)
        if info is not None and info.kind == "interpretation" and info.interprets_id:
            parent = document(info.interprets_id, lookup(info.interprets_id))
            parent["interpretations"].append({"id": item_id, "title": info.title, "reads": count})
        else:
            entry = document(item_id, info)
            entry["reads"] += count
            entry["seconds"] += seconds
    for entry in documents.values():
        entry["interpretations"].sort(key=lambda i: (-i["reads"], i["id"]))
        entry["interpretationReads"] = sum(i["reads"] for i in entry["interpretations"])
        entry["avgSeconds"] = round(entry["seconds"] / entry["reads"]) if entry["reads"] else 0
        entry["minutes"] = round(entry["avgSeconds"] / 60, 1)
    ranked = sorted(documents.values(), key=lambda e: (-(e["reads"] + e["interpretationReads"]), e["id"]))
    return ranked[:MOST_READ]
