"""办事指南: the service guides (实施清单 fields), offered once the library holds one.

Its screen (`ui/GuidesScreen.qml`, view-models in `ui/guides.py`) browses 公民类/企业类 by 主题, department
and 拼音首字母 down to a guide's page (`kiosk.guides`, `kiosk.guides_page`), which prints the 材料清单
(`kiosk.guides_checklist`) and shows the window from the hall file (`kiosk.guides_hall`). It provides the
touch kiosk's 服务事项目录清单查询、窗口指示、办事指引 (what the library backs is judged by `kiosk.tiers`)
and guides in the 资料查阅区.
"""

from __future__ import annotations

from kiosk.features.feature import Availability, Feature
from kiosk.i18n import N_, tr

FEATURE = Feature(
    key="guides",
    title=N_("办事指南"),
    icon=N_("办"),
    subtitle=lambda facts: tr("办事指南 {count} 项", count=facts.count("guide")),
    screen="GuidesScreen.qml",
    available=Availability(content=lambda facts: facts.count("guide") > 0),
    facilities=("touch_kiosk", "reading_area"),
    stat="guide",
    view_models=("ui.guides",),
)
