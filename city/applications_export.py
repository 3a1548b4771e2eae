"""`city applications export`: the applications opened with the city's key, as the office's register in
CSV or XLSX (the dashboard's writers, city/dashboard_export.py: a cell a spreadsheet would read as a
formula gets a leading '). The file holds personal data: it is written 0600, never inside the channel's
repository, and nothing of it is logged. A box that cannot be opened is a row saying why, not a gap.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from city import applications, dashboard_export
from city.applications_due import Due, due_list
from city.home import CityError, CityHome

LABELS = {
    "kind": "申请人类型",
    "name": "姓名/名称",
    "id_number": "身份证号码",
    "credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "contact_person": "联系人",
    "phone": "联系电话",
    "address": "通信地址",
    "email": "电子邮箱",
    "description": "所需信息的描述",
    "doc_number": "文号",
    "doc_title": "文件名称",
    "item_id": "库内文件编号",
    "medium": "提供形式",
    "route": "获取方式",
    "agency": "受理机关",
    "filled_by_staff": "代为填写",
}
HEADER = ("申请编号", "一体机", "收到日期", "答复期限", "办理情况", "编号重复", *LABELS.values())
# what XML 1.0 (XLSX) cannot hold; CSV gets the same cells
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> object:
    if value is True:
        return "是"
    if value is False or value is None:
        return ""
    return _UNWRITABLE.sub("\ufffd", value) if isinstance(value, str) else value


def _row(home: CityHome, item: Due) -> list[object]:
    entry = item.entry
    try:
        form = applications.open_application(home, entry.number, entry.kiosk_id)["application"]
        state = item.describe()
    except CityError as exc:
        form, state = {}, exc.zh
    shared = "、".join(entry.shared_with)
    deadline = item.deadline.isoformat() if item.deadline else entry.deadline
    fixed = [entry.number, entry.kiosk_id, entry.received_on, deadline, state, shared]
    return [_text(v) for v in [*fixed, *(form.get(field, "") for field in LABELS)]]


def select(
    home: CityHome,
    today: date,
    *,
    since: date | None = None,
    until: date | None = None,
    overdue: bool = False,
) -> list[Due]:
    """The applications received from `since` to `until` (both included), only the overdue ones if asked."""
    entries = [
        e
        for e in applications.inbox(home)
        if (since is None or date.fromisoformat(e.received_on) >= since)
        and (until is None or date.fromisoformat(e.received_on) <= until)
    ]
    return [d for d in due_list(home, entries, today) if d.overdue or not overdue]


def export(home: CityHome, target: Path, items: list[Due]) -> int:
    """Write the register to `target` (.csv or .xlsx) readable by its owner only; the rows written."""
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CityError(
            f"{target.name}: give a .csv or .xlsx file", f"{target.name}：请给出 .csv 或 .xlsx 文件名"
        )
    target = target.resolve()
    if target.is_relative_to(home.repo.path.resolve()):
        raise CityError(
            "the register holds personal data: not into the channel's repository",
            "导出文件含个人信息，不能写入发布频道的目录",
        )
    rows = [_row(home, item) for item in items]
    if suffix == ".csv":
        data = dashboard_export.csv_bytes(HEADER, rows)
    else:
        data = dashboard_export.xlsx_bytes("信息公开申请登记", HEADER, rows)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
    except OSError as exc:
        raise CityError(
            f"cannot write {target}: {exc.strerror}", f"无法写入 {target}：{exc.strerror}"
        ) from None
    return len(rows)
