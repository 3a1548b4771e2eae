"""The hall's windows (窗口指示): which numbered window serves which guide's 窗口, from the hall file.

A guide names its window in words (社会救助窗口); where that window is in this hall is the hall's own
fact, kept beside the library in `<data dir>/hall.json`, written by staff or the installer:

    {"窗口": [{"名称": "社会救助窗口", "编号": "3", "位置": "一楼东侧"},
              {"名称": "户籍窗口", "编号": "7"}],
     "大厅平面图": "hall-map.png"}

`编号` may be any short text (3, 3-5, A2); `大厅平面图` is an image file beside `hall.json` with the
windows marked. A guide's window is matched by the longest 名称 it contains, so 社会救助窗口（或残联窗口）
is window 3. A missing file is no hall information; a bad one is a `HallFileError` naming what is wrong
(residents' screens leave it out, `hall_for_residents`; the tiers check names it to staff).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.i18n import tr

log = logging.getLogger(__name__)

HALL_FILE = "hall.json"
MAX_BYTES = 256 * 1024
WINDOWS, HALL_MAP = "窗口", "大厅平面图"  # the hall file's keys
NAME, NUMBER, PLACE = "名称", "编号", "位置"  # a window's keys
_TEXT_LIMITS = {NAME: 40, NUMBER: 12, PLACE: 40}
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


class HallFileError(Exception):
    """The hall file cannot be read as given (Chinese message in `zh` for staff)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


@dataclass(frozen=True)
class Window:
    name: str  # 名称, as guides name it: 社会救助窗口
    number: str  # 编号: 3
    where: str = ""  # 位置: 一楼东侧

    def indication(self) -> str:
        """What the guide page says in large type: 请到 3 号窗口办理."""
        return tr("请到 {number} 号窗口办理", number=self.number)


@dataclass(frozen=True)
class Hall:
    windows: tuple[Window, ...] = ()
    hall_map: Path | None = None  # the hall's plan with the windows marked

    def window_for(self, named: str) -> Window | None:
        """The hall's window a guide's 窗口 text names (the longest 名称 it contains), or None."""
        found = [w for w in self.windows if w.name and w.name in named]
        return max(found, key=lambda w: len(w.name)) if found else None


def load_hall(data_dir: Path) -> Hall:
    """The hall file of a data directory (an empty `Hall` when there is none)."""
    path = data_dir / HALL_FILE
    if not path.exists():
        return Hall()
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            raise HallFileError(
                f"{path} is not a regular file of at most {MAX_BYTES} bytes",
                tr("大厅文件 {path} 不是普通文件，或超过 {size} KB", path=path, size=MAX_BYTES // 1024),
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise HallFileError(f"{path}: {exc}", tr("大厅文件 {path} 无法读取", path=path)) from exc
    return parse_hall(raw, path.parent)


def hall_for_residents(data_dir: Path) -> Hall:
    """The hall file for the guide page and the checklist: a bad one is logged and left out (the window is
    then named in words), never shown to a resident; staff see what is wrong in the tiers check."""
    try:
        return load_hall(data_dir)
    except HallFileError as exc:
        log.warning("hall file not used: %s", exc)
        return Hall()


def window_facts(windows: list[str], data_dir: Path) -> dict[str, Any]:
    """What 窗口指示 has from the hall file (`kiosk.tiers`): how many of the guides' named `windows` it
    locates, and what is wrong with it ('' nothing)."""
    try:
        hall = load_hall(data_dir)
    except HallFileError as exc:
        return {"located_windows": 0, "hall_file_error": exc.zh}
    located = sum(1 for named in windows if hall.window_for(named) is not None)
    return {"located_windows": located, "hall_file_error": ""}


def parse_hall(raw: bytes, folder: Path) -> Hall:
    """A hall file's bytes as a `Hall`; `folder` is where its 大厅平面图 is looked for."""
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HallFileError(
            f"hall file is not UTF-8 JSON: {exc}", tr("大厅文件不是 UTF-8 编码的 JSON")
        ) from exc
    if not isinstance(data, dict):
        raise HallFileError("hall file must be a JSON object", tr("大厅文件应为一个 JSON 对象"))
    unknown = sorted(set(data) - {WINDOWS, HALL_MAP})
    if unknown:
        raise HallFileError(
            f"unknown keys {unknown}", tr("大厅文件有不认识的项：{keys}", keys="、".join(unknown))
        )
    entries = data.get(WINDOWS, [])
    if not isinstance(entries, list):
        raise HallFileError(f"{WINDOWS} must be a list", tr("大厅文件的“{key}”应为列表", key=WINDOWS))
    windows = tuple(_window(entry, n) for n, entry in enumerate(entries, 1))
    names = [w.name for w in windows]
    if len(set(names)) != len(names):
        raise HallFileError("a window name is given twice", tr("大厅文件中有重复的窗口名称"))
    return Hall(windows, _hall_map(data.get(HALL_MAP), folder))


def _window(entry: Any, n: int) -> Window:
    if not isinstance(entry, dict):
        raise HallFileError(f"window {n} must be an object", tr("大厅文件第 {n} 个窗口应为对象", n=n))
    unknown = sorted(set(entry) - set(_TEXT_LIMITS))
    if unknown:
        raise HallFileError(
            f"window {n}: unknown keys {unknown}",
            tr("大厅文件第 {n} 个窗口有不认识的项：{keys}", n=n, keys="、".join(unknown)),
        )
    values = {}
    for key, limit in _TEXT_LIMITS.items():
        value = entry.get(key, "")
        if isinstance(value, int) and not isinstance(value, bool) and key == NUMBER:
            value = str(value)
        if not isinstance(value, str):
            raise HallFileError(
                f"window {n}: {key} must be text", tr("大厅文件第 {n} 个窗口的“{key}”应为文字", n=n, key=key)
            )
        value = " ".join(value.split())
        if len(value) > limit or any(not ch.isprintable() for ch in value):
            raise HallFileError(
                f"window {n}: {key} longer than {limit} or not printable",
                tr(
                    "大厅文件第 {n} 个窗口的“{key}”超过 {limit} 个字或含有无法显示的字符",
                    n=n,
                    key=key,
                    limit=limit,
                ),
            )
        values[key] = value
    for key in (NAME, NUMBER):
        if not values[key]:
            raise HallFileError(
                f"window {n}: {key} is missing", tr("大厅文件第 {n} 个窗口缺少“{key}”", n=n, key=key)
            )
    return Window(values[NAME], values[NUMBER], values[PLACE])


def _hall_map(value: Any, folder: Path) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.lower().endswith(_IMAGE_SUFFIXES):
        raise HallFileError(
            f"{HALL_MAP} must name a PNG or JPEG file",
            tr("大厅文件的“{key}”应为 PNG 或 JPEG 图片文件名", key=HALL_MAP),
        )
    path = (folder / value).resolve()
    if folder.resolve() not in path.parents or not path.is_file():
        raise HallFileError(
            f"{HALL_MAP} {value!r} is not a file beside the hall file",
            tr("{key}“{value}”应为大厅文件所在文件夹中的图片文件", key=HALL_MAP, value=value),
        )
    return path


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")
