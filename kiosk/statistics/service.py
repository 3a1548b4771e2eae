"""The `statistics` service of `kiosk.services`: the reports the 数据统计 staff screen shows and the
monthly export to a USB stick, over the rollup `kiosk.usage` keeps and the library's titles.

Reads only: the rollup through its own database, titles through the library's read connection (never
waiting for a writer). Blocking: the UI calls it on a worker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.i18n import tr
from kiosk.statistics import export
from kiosk.statistics import report as reports
from kiosk.statistics.report import ItemInfo

if TYPE_CHECKING:
    from kiosk.library_service import LibraryService
    from kiosk.usage import UsageRecords

# Where a USB stick is mounted: /media/<label>, /media/<user>/<label>, /run/media/<user>/<label>, /mnt/…
USB_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))


class StatisticsService:
    def __init__(
        self, usage: UsageRecords, library: LibraryService, sticks: Callable[[], list[str]] | None = None
    ):
        self.usage = usage
        self.library = library
        self.sticks = sticks or mounted_sticks  # where USB sticks are mounted now

    def _lookup(self, item_id: str) -> ItemInfo | None:
        from content.errors import NotFound

        store = self.library.store
        if store is None:
            return None
        try:
            item = store.get(item_id)
        except NotFound:
            return None
        return ItemInfo(item.title, item.kind, item.interprets_id or "")

    def _names(self) -> dict[str, str]:
        from kiosk.features import registry

        return reports.function_names((f.key, f.title) for f in registry().features)

    def report(self, period: str, today: date | None = None) -> dict[str, Any]:
        """Today's, this week's or this month's figures (`kiosk.statistics.report`), as plain data."""
        self.usage.flush()  # what was just done counts
        first, last = reports.period_days(period, today or date.today())
        rows = self.usage.store().tally(first, last)
        figures = reports.build(rows, period, first, last, self._lookup, self._names()).to_dict()
        figures["not_sent"] = self.usage.store().counter("not_staged")  # tallied, never kept for the city
        return figures

    def usb_folders(self) -> list[str]:
        """Where a USB stick is mounted now, writable (`mounted_sticks`)."""
        return self.sticks()

    def export_month(self, folder: Path, month: date | None = None) -> list[str]:
        """The month of `month` (default: this one) as XLSX and CSV in `folder`; returns the files."""
        self.usage.flush()
        first, last = reports.month_days(month or date.today())
        rows = self.usage.store().tally(first, last)
        names = self._names()
        report = reports.build(rows, "month", first, last, self._lookup, names)
        details = export.detail_rows(rows, names, self._lookup)
        stem = tr("数据统计-{month}", month=f"{first:%Y-%m}")
        if not folder.is_dir():
            raise export.ExportError(f"{folder} is not a folder", tr("找不到U盘，请插好后再导出"))
        return [
            str(export.write_file(folder, f"{stem}.xlsx", export.xlsx_bytes(report, details))),
            str(export.write_file(folder, f"{stem}.csv", export.csv_bytes(details))),
        ]


def mounted_sticks(
    mounts: Path = Path("/proc/self/mounts"), roots: tuple[Path, ...] = USB_ROOTS
) -> list[str]:
    """Writable mount points of a block device (`/dev/sdb1`, `/dev/mmcblk1p1`) under /media, /run/media
    or /mnt: where udisks, usbmount or a udev rule mounts a USB stick. Nothing else there (a bind mount, a
    tmpfs, a folder of the system's) is offered as a stick."""
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        fields = line.split()
        if len(fields) < 2 or not fields[0].startswith("/dev/"):
            continue
        target = Path(_unescape(fields[1]))
        if any(root in target.parents for root in roots) and os.access(target, os.W_OK):
            found.append(str(target))
    return sorted(dict.fromkeys(found))


def _unescape(field: str) -> str:
    """/proc/mounts writes a space, tab, newline and backslash in a path as octal escapes (\\040)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)
