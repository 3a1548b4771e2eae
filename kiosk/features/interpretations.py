"""政策宣传解读: the 解读 of policy documents, as one list (offered once the library holds one)."""

from __future__ import annotations

from kiosk.features.feature import Availability, Feature, ListSource

FEATURE = Feature(
    key="interpretations",
    title="政策宣传解读",
    icon="解",
    subtitle=lambda facts: f"政策解读 {facts.count('interpretation')} 篇",
    screen="list",
    props={"source": "interpretations", "argument": ""},
    available=Availability(content=lambda facts: facts.count("interpretation") > 0),
    lists=(
        ListSource(
            "interpretations", lambda browse, _: ("政策宣传解读", browse.listing("interpretation", limit=200))
        ),
    ),
    stat="interpretation",
)
