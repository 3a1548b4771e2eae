"""The declaration of a resident function (`Feature`) and the registry that answers for all of them.

`kiosk/features/__init__.py` lists the functions; this module knows none of them by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from kiosk.i18n import tr, translate
from kiosk.options import TIERS

if TYPE_CHECKING:
    from content.store import Library
    from kiosk.browse import Browse


@dataclass(frozen=True)
class Facts:
    """What availability and subtitles are judged on: the open library, its `stats()`, and the
    configuration (None: every tier, device and option counts as present, e.g. for `Browse.functions`)."""

    library: Library
    stats: Mapping[str, Any]
    config: Any = None

    @classmethod
    def of(cls, library: Library, config: Any = None) -> Facts:
        return cls(library, library.stats(), config)

    def count(self, kind: str) -> int:
        return int(self.stats.get("by_kind", {}).get(kind, 0))


@dataclass(frozen=True)
class Availability:
    """When a function is offered: at these tiers, with these devices configured, with this option on,
    and while `content(facts)` holds (a function without its content shows no tile)."""

    tiers: tuple[str, ...] = TIERS
    devices: tuple[str, ...] = ()  # config keys of devices that must be configured (e.g. "devices.printer")
    config: str = ""  # a bool option that must be on ('' none)
    content: Callable[[Facts], bool] | None = None

    def reason(self, facts: Facts | None, config: Any) -> str:
        """'' when available, else why not (Chinese, for staff). Without `facts` the content is not judged
        (a function is offered on this kiosk even while its content is still to come)."""
        if config is not None:
            if config["kiosk.tier"] not in self.tiers:
                return tr("{tier}级专区不提供", tier=config["kiosk.tier"])
            missing = [key for key in self.devices if not _get(config, key)]
            if missing:
                return tr("未配置设备：{devices}", devices="、".join(missing))
            if self.config and not _get(config, self.config):
                return tr("配置项“{option}”未开启", option=self.config)
        if self.content is not None and facts is not None and not self.content(facts):
            return tr("资料库中暂无内容")
        return ""


Rows = Callable[["Browse", str], tuple[str, list[dict]]]


@dataclass(frozen=True)
class ListSource:
    """A list a function serves to the list screen: `rows(browse, argument)` gives (title, rows)."""

    name: str
    rows: Rows


@dataclass(frozen=True)
class Feature:
    key: str  # "notices": the tile's key, the route's name
    title: str  # the tile's title, N_("公示公告") (shown translated)
    icon: str  # the character on the tile, N_("公")
    subtitle: Callable[[Facts], str]  # the tile's second line, from the library
    screen: str  # the screen it opens: a QML file of ui/ ("NoticesScreen.qml") or its URL, or "list"
    props: Mapping[str, str] = field(default_factory=dict)  # the screen's properties
    available: Availability = Availability()
    lists: tuple[ListSource, ...] = ()
    staff_section: str = ""  # the staff screen section that manages it ('' none)
    facilities: tuple[str, ...] = ()  # the keys of `kiosk.tiers.FACILITIES` it provides
    stat: str = ""  # its statistics name: the kind its usage records carry
    view_models: tuple[str, ...] = ()  # modules of ui/ registering the QML types its screen uses
    home: bool = True  # False: a staff-only function (its staff section opens its screen), never a tile

    def tile(self, facts: Facts) -> dict[str, str]:
        return {
            "key": self.key,
            "title": translate(self.title),
            "icon": translate(self.icon),
            "subtitle": self.subtitle(facts),
        }


class Registry:
    """The declared functions in home order, and what the kiosk asks of them."""

    def __init__(self, features: Iterable[Feature]):
        self.features = tuple(features)
        keys = [f.key for f in self.features]
        if len(set(keys)) != len(keys):
            raise ValueError(f"feature keys must be unique: {keys}")
        sources: dict[str, ListSource] = {}
        for feature in self.features:
            for source in feature.lists:
                if source.name in sources:
                    raise ValueError(f"list source {source.name!r} declared twice")
                sources[source.name] = source
        self._sources = MappingProxyType(sources)
        self._by_key = {f.key: f for f in self.features}

    def plus(self, feature: Feature) -> Registry:
        """This registry with one more function (last on home)."""
        return Registry((*self.features, feature))

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> Feature:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"unknown function {key!r}") from None

    def tiles(self, facts: Facts) -> list[dict[str, str]]:
        """The home tiles the kiosk can offer now (no placeholders: a function without content is absent)."""
        return [
            f.tile(facts) for f in self.features if f.home and not f.available.reason(facts, facts.config)
        ]

    def route(self, key: str) -> tuple[str, dict[str, str]]:
        """(screen, properties) that a function's tile opens."""
        feature = self.get(key)
        return feature.screen, dict(feature.props)

    @property
    def list_sources(self) -> Mapping[str, ListSource]:
        return self._sources

    def list_source(self, name: str) -> ListSource:
        try:
            return self._sources[name]
        except KeyError:
            raise ValueError(f"unknown list source {name!r}") from None

    def staff_sections(self, config: Any) -> list[str]:
        """The staff screen sections of the functions this kiosk offers (content aside: staff add it)."""
        return [
            f.staff_section for f in self.features if f.staff_section and not f.available.reason(None, config)
        ]

    def providers(self, config: Any) -> dict[str, list[tuple[str, str]]]:
        """Facility key → [(function title, '' if offered here or why not)], for `kiosk.tiers.check`."""
        found: dict[str, list[tuple[str, str]]] = {}
        for feature in self.features:
            reason = feature.available.reason(None, config)  # a facility is there even while it is empty
            for facility in feature.facilities:
                found.setdefault(facility, []).append((translate(feature.title), reason))
        return found


def _get(config: Any, key: str) -> Any:
    try:
        return config[key]
    except KeyError:
        return ""
