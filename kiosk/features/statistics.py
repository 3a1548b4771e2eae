"""数据统计: staff's statistics of what residents did on this kiosk (issue 16 §2), a staff-only function.

No home tile: its staff section (数据统计 in `ui/StaffScreen.qml`) opens its screen
(`ui/StatisticsScreen.qml`: use per day and per function, the most read documents with their 解读,
searches that found nothing by class, queue waits; a month to a USB stick as XLSX and CSV). The figures
come from `kiosk.statistics` (the `statistics` service of `kiosk.services`).
"""

from __future__ import annotations

from kiosk.features.feature import Feature
from kiosk.i18n import N_

FEATURE = Feature(
    key="statistics",
    title=N_("数据统计"),
    icon=N_("统"),
    subtitle=lambda facts: "",
    screen="StatisticsScreen.qml",
    staff_section="statistics",
    view_models=("ui.statistics",),
    home=False,
)
