"""公示公告: the notices valid today, from the city's channel and posted by staff (村务公开).

The worked example of a function in its place: this declaration gives its home tile (with today's
count), its screen (`ui/NoticesScreen.qml`), its list, the staff section where notices are posted,
edited and withdrawn (`kiosk.notices` holds the rules, `NoticeBoard` in `kiosk.services` tells the
kiosk when they change), the appendix facility it provides (公示牌) and its statistics name.
"""

from __future__ import annotations

from kiosk.features.feature import Feature, ListSource

FEATURE = Feature(
    key="notices",
    title="公示公告",
    icon="公",
    subtitle=lambda facts: f"当前公告 {len(facts.library.current_notices())} 条",
    screen="NoticesScreen.qml",
    lists=(ListSource("notices", lambda browse, _: ("公示公告", browse.notices())),),
    staff_section="notices",
    facilities=("notice_board",),
    stat="notice",
)
