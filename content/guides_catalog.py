"""The library's service guides as a catalogue (服务事项目录清单): one entry per guide with what residents
browse by (公民类/企业类, 主题, 部门, the title's 拼音首字母), read in one query, without the guides' records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from content.store import Library


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    title: str  # 事项名称
    audiences: tuple[str, ...]  # 公民类 / 企业类
    department: str  # 部门 (else the 实施主体)
    themes: tuple[str, ...]  # 主题
    demo: bool
    spelled: str  # the title's pinyin without tones, for the A–Z order: "chusheng dengji…"
    letter: str  # the 拼音首字母 the A–Z index files it under: "C" ('' when no Han character)


def catalogue(library: Library) -> list[CatalogueEntry]:
    """Every guide of the library, in the A–Z order of its title's pinyin."""
    with library.reading() as db:
        rows = db.execute(
            "SELECT i.id, i.title, i.issuer, s.audiences, s.department, s.themes, s.demo "
            "FROM items i JOIN service_guides s ON s.item_id = i.id WHERE i.kind = 'guide'"
        ).fetchall()
    entries = []
    for item_id, title, issuer, audiences, department, themes, demo in rows:
        spelled = spell(title)
        entries.append(
            CatalogueEntry(
                id=item_id,
                title=title,
                audiences=tuple(_strings(audiences)),
                department=department or issuer or "",
                themes=tuple(_strings(themes)),
                demo=bool(demo),
                spelled=spelled,
                letter=spelled[:1].upper() if spelled[:1].isascii() and spelled[:1].isalpha() else "",
            )
        )
    return sorted(entries, key=lambda e: (e.spelled == "", e.spelled, e.title))


def named_windows(library: Library) -> list[str]:
    """The 窗口 every guide names (one entry per guide that names one)."""
    with library.reading() as db:
        rows = db.execute("SELECT json_extract(record, '$.窗口') FROM service_guides").fetchall()
    return [r[0] for r in rows if isinstance(r[0], str) and r[0]]


@lru_cache(maxsize=4096)
def spell(title: str) -> str:
    """The pinyin of a title's Han characters (no tones, ü as v), words apart: a title that opens with
    digits (80周岁以上…) is filed under its first Han character."""
    han = "".join(ch for ch in title if "\u4e00" <= ch <= "\u9fff")
    return " ".join(lazy_pinyin(han, style=Style.NORMAL, errors="ignore"))


def _strings(text: str | None) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(v) for v in value if isinstance(v, str) and v] if isinstance(value, list) else []
