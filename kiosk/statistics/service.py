"""The `statistics` service of `kiosk.services`: the reports the 数据统计 staff screen shows and the
monthly export to a USB stick, over the rollup `kiosk.usage` keeps and the library's titles.

Reads only: the rollup through its own database, titles through the library's read connection (never
waiting for a writer). Blocking: the UI calls it on a worker.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.statistics import export
from kiosk.statistics import report as reports
from kiosk.statistics.report import ItemInfo

if TYPE_CHECKING:
    from kiosk.library_service import LibraryService
    from kiosk.usage import UsageRecords

# Where a USB stick is mounted: /media/<label>, /media/<user>/<label>, /run/media/<user>/<label>, /mnt/…
USB_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))


class StatisticsService:
    def __init__(self, usage: UsageRecords, library: LibraryService, usb_roots: tuple[Path, ...] = USB_ROOTS):
        self.usage = usage
        self.library = library
        self.usb_roots = usb_roots

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
        return reports.build(rows, period, first, last, self._lookup, self._names()).to_dict()

    def usb_folders(self) -> list[str]:
        """Writable folders where a USB stick is mounted (a stick's own folder, not the roots)."""
        found = []
        for root in self.usb_roots:
            for depth in ("*", "*/*"):
                try:
                    candidates = sorted(root.glob(depth))
                except OSError:
                    continue
                for path in candidates:
                    if path.is_dir() and os.access(path, os.W_OK) and not _holds_sticks(path):
                        found.append(str(path))
        return list(dict.fromkeys(found))

    def export_month(self, folder: Path, month: date | None = None) -> list[str]:
        """The month of `month` (default: this one) as XLSX and CSV in `folder`; returns the files."""
        self.usage.flush()
        first, last = reports.month_days(month or date.today())
        rows = self.usage.store().tally(first, last)
        names = self._names()
        report = reports.build(rows, "month", first, last, self._lookup, names)
        details = export.detail_rows(rows, names, self._lookup)
        stem = f"数据统计-{first:%Y-%m}"
        if not folder.is_dir():
            raise export.ExportError(f"{folder} is not a folder", "找不到U盘，请插好后再导出")
        return [
            str(export.write_file(folder, f"{stem}.xlsx", export.xlsx_bytes(report, details))),
            str(export.write_file(folder, f"{stem}.csv", export.csv_bytes(details))),
        ]


def _holds_sticks(path: Path) -> bool:
    """/media/<user> holds sticks rather than being one (a stick's own top folder has no mount below)."""
    try:
        return any(child.is_dir() and os.path.ismount(child) for child in path.iterdir())
    except OSError:
        return True
