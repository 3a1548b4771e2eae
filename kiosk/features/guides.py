"""办事指南: service guides (GB/T 36114 fields), as one list (offered once the library holds one)."""

from __future__ import annotations

from kiosk.features.feature import Availability, Feature, ListSource

FEATURE = Feature(
    key="guides",
    title="办事指南",
    icon="办",
    subtitle=lambda facts: f"办事指南 {facts.count('guide')} 项",
    screen="list",
    props={"source": "guides", "argument": ""},
    available=Availability(content=lambda facts: facts.count("guide") > 0),
    lists=(ListSource("guides", lambda browse, _: ("办事指南", browse.listing("guide", limit=200))),),
    facilities=("reading_area",),
    stat="guide",
)
