"""政府信息查询: the library of government documents, browsed by gazette issue, plain-language topic,
section, 重点领域 and date."""

from __future__ import annotations

from kiosk.features.feature import Feature, ListSource
from kiosk.i18n import N_, tr


def _toc(browse, issue_id: str) -> tuple[str, list[dict]]:
    toc = browse.issue_toc(issue_id)
    return toc["title"], toc["entries"]


FEATURE = Feature(
    key="library",
    title=N_("政府信息查询"),
    icon=N_("查"),
    subtitle=lambda facts: tr("政策文件 {count} 篇 · 全文检索", count=facts.count("document")),
    screen="LibraryScreen.qml",
    lists=(
        ListSource("issues", lambda browse, _: (tr("政府公报"), browse.issues())),
        ListSource("toc", _toc),
        ListSource("sections", lambda browse, _: (tr("按栏目"), browse.sections())),
        ListSource("categories", lambda browse, _: (tr("重点领域"), browse.categories())),
        ListSource("topics", lambda browse, _: (tr("按主题"), browse.topics())),
        ListSource("topic", lambda browse, name: (name, browse.listing(topic=name))),
        ListSource("section", lambda browse, name: (name, browse.listing(section=name))),
        ListSource("category", lambda browse, name: (name, browse.listing(category=name))),
        ListSource("dates", lambda browse, _: (tr("按日期"), browse.by_date(limit=200))),
    ),
    facilities=("e_reading", "reading_area"),
    stat="document",
)
