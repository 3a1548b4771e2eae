"""A month of statistics as staff take it away: an XLSX workbook (openpyxl) with one sheet per chart and
the daily rollup, and the rollup as CSV (UTF-8 with a BOM, which Excel and WPS open as Chinese), written
to a USB stick.

A file is written beside its final name, flushed to the stick and then renamed, so a stick pulled out
half-way leaves no half file under the final name; a full or read-only stick, or one pulled out, is an
`ExportError` with a Chinese message for staff.
"""

from __future__ import annotations

import csv
import errno
import io
import os
from collections.abc import Iterable
from pathlib import Path

from kiosk.i18n import tr
from kiosk.statistics.report import CLASS_NAMES, Lookup, Report
from kiosk.statistics.store import Tallied

MEASURE_NAMES = {
    "searches": "搜索",
    "no_result": "无结果搜索",
    "result_opened": "打开了结果的搜索",
    "list_opened": "打开列表",
    "read": "阅读",
    "viewed": "查看",
    "printed": "打印材料清单",
    "issued": "取号",
    "called": "叫号",
    "started": "开始办理",
    "finished": "办结",
    "no_show": "过号未到",
    "cancelled": "取消",
    "transferred": "转办",
    "rating": "评价",
    "submitted": "提交申请",
    "idle_reset": "闲置复位",
}
# What a rollup row's total sums, by measure (the others have none).
TOTAL_NAMES = {
    "read": "阅读秒数",
    "viewed": "查看秒数",
    "called": "等候秒数",
    "finished": "办理秒数",
    "rating": "评分合计",
}
DETAIL_HEADER = ("日期", "功能", "指标", "项目", "项目名称", "次数", "合计", "合计的含义")


class ExportError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def detail_rows(rows: Iterable[Tallied], names: dict[str, str], lookup: Lookup) -> list[tuple]:
    """The rollup as rows of `DETAIL_HEADER`, names in Chinese."""
    titles: dict[str, str] = {}
    out = []
    for row in rows:
        if row.function == "search":
            title = CLASS_NAMES.get(row.item, row.item)
        elif row.measure in ("read", "viewed", "printed"):
            if row.item not in titles:
                info = lookup(row.item)
                titles[row.item] = info.title if info else tr("（已不在资料库中）")
            title = titles[row.item]
        else:
            title = ""
        total_name = TOTAL_NAMES.get(row.measure, "")
        out.append(
            (
                row.day,
                names.get(row.function, row.function),
                MEASURE_NAMES.get(row.measure, row.measure),
                row.item,
                title,
                row.count,
                row.total if total_name else "",
                total_name,
            )
        )
    return out


def csv_bytes(details: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DETAIL_HEADER)
    writer.writerows(details)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(report: Report, details: list[tuple]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = tr("概况")
    rating = "" if report.rating is None else report.rating
    for row in (
        (tr("统计期间"), tr("{start} 至 {end}", start=report.first, end=report.last)),
        (tr("使用次数"), report.total_uses),
        (tr("闲置复位次数"), report.idle_resets),
        (tr("评价次数"), report.ratings),
        (tr("平均评分（1–5）"), rating),
    ):
        summary.append(row)
    sheets = (
        (tr("每日使用"), (tr("日期"), tr("使用次数")), [(d["day"], d["uses"]) for d in report.per_day]),
        (
            tr("各功能使用"),
            (tr("功能"), tr("使用次数")),
            [(f["name"], f["uses"]) for f in report.per_function],
        ),
        (
            reading := tr("阅读排行"),
            (tr("文件"), tr("阅读次数"), tr("平均阅读分钟"), tr("解读阅读次数"), tr("解读")),
            [
                (
                    m["title"],
                    m["reads"],
                    m["minutes"],
                    m["interpretationReads"],
                    "；".join(
                        tr("{title}（{reads}次）", title=i["title"], reads=i["reads"])
                        for i in m["interpretations"]
                    ),
                )
                for m in report.most_read
            ],
        ),
        (
            tr("搜索情况"),
            (tr("搜索方式"), tr("搜索次数"), tr("无结果次数"), tr("打开了结果")),
            [(s["name"], s["searches"], s["noResult"], s["opened"]) for s in report.searches],
        ),
        (
            tr("排队等候"),
            (tr("业务"), tr("取号"), tr("叫号"), tr("平均等候分钟"), tr("过号未到")),
            [(q["service"], q["issued"], q["called"], q["waitMinutes"], q["noShow"]) for q in report.queue],
        ),
        (tr("明细"), DETAIL_HEADER, details),
    )
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 40 if title == reading else 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_file(folder: Path, name: str, data: bytes) -> Path:
    """`data` as `folder/name`, whole or not at all (see the module)."""
    target = folder / name
    partial = folder / f".{name}.part"
    try:
        with open(partial, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except OSError as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        if exc.errno == errno.ENOSPC:
            raise ExportError(
                f"{folder} is full", tr("U盘空间不足，请换一个U盘或删除其中不用的文件后再导出")
            ) from exc
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise ExportError(
                f"{folder} is read-only: {exc}", tr("U盘不可写入（可能已写保护），请换一个U盘")
            ) from exc
        raise ExportError(
            f"cannot write {target}: {exc}", tr("无法写入U盘（可能已拔出），请重新插好后再导出")
        ) from exc
    return target
