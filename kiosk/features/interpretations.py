"""政策宣传解读: the 解读 of policy documents, as one list (offered once the library holds one)."""

from __future__ import annotations

from kiosk.features.feature import Availability, Feature, ListSource
from kiosk.i18n import N_, tr

FEATURE = Feature(
    key="interpretations",
    title=N_("政策宣传解读"),
    icon=N_("解"),
    subtitle=lambda facts: tr("政策解读 {count} 篇", count=facts.count("interpretation")),
    screen="list",
    props={"source": "interpretations", "argument": ""},
    available=Availability(content=lambda facts: facts.count("interpretation") > 0),
    lists=(
        ListSource(
            "interpretations",
            lambda browse, _: (tr("政策宣传解读"), browse.listing("interpretation", limit=200)),
        ),
    ),
    stat="interpretation",
)
