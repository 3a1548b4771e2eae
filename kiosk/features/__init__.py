"""The resident functions the kiosk offers, each declared once: one module per function, one entry here.

A `Feature` holds everything the rest of the kiosk needs to know about a function: its key, its home
tile (title, icon, where the subtitle comes from), when it is available (tiers, devices, content,
configuration), the screen it opens, the lists it serves, its staff section, the facilities of the
DB 13/T 5480 appendix it provides and its statistics name. Home tiles (`Registry.tiles`), routing
(`Registry.route`), list sources (`Registry.list_source`), the staff sections, `kiosk tiers check`
(`Registry.providers`) and the usage records read these declarations; none of them names a function.

Adding a function is a module beside these (declaring `FEATURE`) and its entry in `FEATURES`.
"""

from __future__ import annotations

from kiosk.features import (
    application_status,
    applications,
    guides,
    interpretations,
    library,
    notices,
    queue,
    statistics,
)
from kiosk.features.feature import Availability, Facts, Feature, ListSource, Registry

__all__ = ["FEATURES", "REGISTRY", "Availability", "Facts", "Feature", "ListSource", "Registry", "registry"]

FEATURES: tuple[Feature, ...] = (
    library.FEATURE,
    interpretations.FEATURE,
    notices.FEATURE,
    guides.FEATURE,
    queue.FEATURE,
    applications.FEATURE,
    application_status.FEATURE,
    statistics.FEATURE,
)
REGISTRY = Registry(FEATURES)


def registry() -> Registry:
    """The registry in force (read at call time, so a test may add a function to `REGISTRY`)."""
    return REGISTRY
