"""Browsing the 办事指南 catalogue as residents do: 公民类 or 企业类, then by 主题 (life events), by
department, or A–Z by the title's 拼音首字母 (for residents who cannot type), down to the guides.

Plain dicts for the touch UI (`ui/guides.py`), from `content.guides_catalog`; Qt-free and synchronous.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kiosk.i18n import N_, tr, translate

if TYPE_CHECKING:
    from content.guides_catalog import CatalogueEntry

AUDIENCES = {"公民类": N_("个人和家庭办事"), "企业类": N_("企业和组织办事")}
BY = ("theme", "department", "letter")
# Life events in the order residents look for them (issue 15); others follow by how many guides they hold.
THEME_ORDER = (
    "生育收养",
    "户籍办理",
    "婚姻登记",
    "证件办理",
    "社会保障",
    "社会救助",
    "就业创业",
    "养老服务",
    "残疾人服务",
    "医疗卫生",
    "住房保障",
    "农业农村",
)
EXAMPLES = 2
DEMO_BADGE = N_("示例")  # on the rows of sample guides (demo content), as on their pages


class GuideBrowseError(ValueError):
    """A browse request the catalogue cannot answer (Chinese message in `zh`)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def audiences(entries: Iterable[CatalogueEntry]) -> list[dict[str, Any]]:
    """公民类 and 企业类 with how many guides each holds (both always, a resident sees what exists)."""
    entries = list(entries)
    return [
        {"name": name, "hint": translate(hint), "count": sum(name in e.audiences for e in entries)}
        for name, hint in AUDIENCES.items()
    ]


def groups(entries: Iterable[CatalogueEntry], audience: str, by: str) -> list[dict[str, Any]]:
    """The 主题, departments or letters holding guides for `audience` ('' all), each with its count and
    the first titles, so a resident sees what a group holds before opening it."""
    chosen = _for(entries, audience)
    found: dict[str, list[CatalogueEntry]] = {}
    for entry in chosen:
        for key in _keys(entry, by):
            found.setdefault(key, []).append(entry)
    if by == "theme":
        order = sorted(found, key=lambda k: (_theme_rank(k), -len(found[k]), k))
    elif by == "department":
        order = sorted(found, key=lambda k: (-len(found[k]), k))
    else:
        order = sorted(found, key=lambda k: (k == "#", k))
    return [
        {
            "name": key,
            "count": len(found[key]),
            "title": key,
            "details": _examples(found[key]),
            "badge": "",
        }
        for key in order
    ]


def letters(entries: Iterable[CatalogueEntry], audience: str) -> list[dict[str, Any]]:
    """A to Z, each letter with how many guides for `audience` are filed under it (0: nothing there)."""
    counts: dict[str, int] = {}
    for entry in _for(entries, audience):
        for key in _keys(entry, "letter"):
            counts[key] = counts.get(key, 0) + 1
    alphabet = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + (["#"] if "#" in counts else [])
    return [{"name": letter, "count": counts.get(letter, 0)} for letter in alphabet]


def guides(
    entries: Iterable[CatalogueEntry], audience: str, by: str = "", value: str = ""
) -> list[dict[str, Any]]:
    """The guides of one group (`by` '' : all of `audience`), in A–Z order."""
    if by and by not in BY:
        raise GuideBrowseError(f"unknown grouping {by!r}", tr("无法按此方式查看办事指南"))
    return [row(e) for e in _for(entries, audience) if not by or value in _keys(e, by)]


def row(entry: CatalogueEntry) -> dict[str, Any]:
    """One guide as a list row: title, its department and 主题, and 示例 on sample content."""
    return {
        "id": entry.id,
        "title": entry.title,
        "details": "　".join(p for p in (entry.department, "、".join(entry.themes)) if p),
        "badge": translate(DEMO_BADGE) if entry.demo else "",
    }


def title(audience: str, by: str, value: str) -> str:
    """The heading of a list of guides: 公民类 · 社会救助."""
    what = {"letter": tr("拼音首字母 {letter}", letter=value), "": tr("全部事项")}.get(by, value)
    return " · ".join(p for p in (audience, what) if p)


def _for(entries: Iterable[CatalogueEntry], audience: str) -> list[CatalogueEntry]:
    if audience and audience not in AUDIENCES:
        raise GuideBrowseError(f"unknown audience {audience!r}", tr("无法按此类别查看办事指南"))
    return [e for e in entries if not audience or audience in e.audiences]


def _keys(entry: CatalogueEntry, by: str) -> tuple[str, ...]:
    if by == "theme":
        return entry.themes or ("其他",)
    if by == "department":
        return (entry.department or "其他",)
    if by == "letter":
        return (entry.letter or "#",)
    raise GuideBrowseError(f"unknown grouping {by!r}", tr("无法按此方式查看办事指南"))


def _examples(found: list[CatalogueEntry]) -> str:
    """How many guides a group holds and the first titles: 共 3 项：《甲》、《乙》等."""
    titles = "、".join(f"《{e.title}》" for e in found[:EXAMPLES])
    if len(found) > EXAMPLES:
        return tr("共 {count} 项：{titles}等", count=len(found), titles=titles)
    return tr("共 {count} 项：{titles}", count=len(found), titles=titles)


def _theme_rank(theme: str) -> int:
    return THEME_ORDER.index(theme) if theme in THEME_ORDER else len(THEME_ORDER)
