"""公示公告: the notices valid today, from the city's channel and posted by staff (村务公开).

The worked example of a function in its place: this declaration gives its home tile (with today's
count), its screen (`ui/NoticesScreen.qml`), its list, the staff section where notices are posted,
edited and withdrawn (`kiosk.notices` holds the rules; `NoticeBoard` below, the `notices` service of
`kiosk.services`, tells the kiosk when they change), the appendix facility it provides (公示牌) and
its statistics name.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk.features.feature import Feature, ListSource
from kiosk.i18n import N_, tr

if TYPE_CHECKING:
    from content.model import Item
    from kiosk.library_service import LibraryService
    from kiosk.notices import NoticeDraft

FEATURE = Feature(
    key="notices",
    title=N_("公示公告"),
    icon=N_("公"),
    subtitle=lambda facts: tr("当前公告 {count} 条", count=len(facts.library.current_notices())),
    screen="NoticesScreen.qml",
    lists=(ListSource("notices", lambda browse, _: (tr("公示公告"), browse.notices())),),
    staff_section="notices",
    facilities=("notice_board",),
    stat="notice",
)


class NoticeBoard:
    """Staff post, edit and withdraw local notices (`kiosk.notices` holds the rules); each change goes
    through the library service, so the home tile, the lists and the next start's tiles follow."""

    def __init__(self, library: LibraryService):
        self.library = library

    def post(self, draft: NoticeDraft) -> Item:
        from kiosk import notices

        item = notices.post(self.library.opened_store(), draft)
        self.library.changed("notice")
        return item

    def edit(self, item_id: str, draft: NoticeDraft) -> Item:
        from kiosk import notices

        item = notices.edit(self.library.opened_store(), item_id, draft)
        self.library.changed("notice")
        return item

    def withdraw(self, item_id: str) -> None:
        from kiosk import notices

        notices.withdraw(self.library.opened_store(), item_id)
        self.library.changed("notice")

    def local_rows(self) -> list[dict[str, Any]]:
        """The local notices as the staff section lists them ([] while the library is not open)."""
        from kiosk import notices

        store, browse = self.library.store, self.library.browse
        if store is None or browse is None:
            return []
        rows = []
        today = date.today().isoformat()
        for item in notices.local_notices(store):
            row = browse.summary(item)
            row.update(text=item.body_md, validFromIso=item.valid_from, validToIso=item.valid_to)
            row["scheduled"] = item.valid_from > today  # residents do not see it yet
            rows.append(row)
        return rows
