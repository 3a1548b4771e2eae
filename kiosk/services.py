"""The kiosk's services, opened once per process: what `kiosk run`, `kiosk demo` and the tests start.

Opening never raises: a missing or corrupt database leaves `library` None and `maintenance` holding the
Chinese message the touch UI shows on its "系统维护中" screen (the English reason goes to the log).

The library modules (the store, its search engine and pypinyin's dictionaries: about a second) are
imported by `open_library`, on the thread that opens it, so the touch UI draws its first frame meanwhile:
its home tiles come from `last_tiles()` (what the library offered when it last opened), and the reading
services are reached through `opened_browse()`, which waits for the opening still under way.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from content.errors import StoreUnavailable
from kiosk import tiers
from kiosk.config import Config
from kiosk.session import Session
from kiosk.staff import StaffAuth, StaffSettings

if TYPE_CHECKING:
    from content.store import Library
    from kiosk.browse import Browse

log = logging.getLogger(__name__)

HOME_TILES = "home-tiles.json"


class LibraryUnavailable(Exception):
    """The library could not be opened; `zh` is the message residents see."""

    def __init__(self, zh: str):
        super().__init__("library unavailable")
        self.zh = zh


@dataclass
class Services:
    config: Config
    data_dir: Path
    session: Session = field(default_factory=Session)
    library: Library | None = None
    browse: Browse | None = None
    maintenance: str = ""  # Chinese reason the kiosk cannot serve residents, '' when it can
    staff: StaffAuth | None = None
    settings: StaffSettings | None = None
    bundled: bool | None = None  # import the bundled gazette into an empty library (None: the config says)
    _opened: threading.Event = field(default_factory=threading.Event)
    _opening: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, config: Config, data_dir: Path) -> Services:
        """The services without the library (cheap; the library opens in `open_library`)."""
        settings = StaffSettings(data_dir)
        config = settings.apply(config)
        return cls(
            config=config,
            data_dir=data_dir,
            staff=StaffAuth(data_dir, config["kiosk.staff_pin_hash"]),
            settings=settings,
        )

    def open_library(self) -> None:
        """Open the library (importing the bundled gazette into an empty one). Blocking: call off the GUI thread."""
        from content.store import Library
        from kiosk.browse import Browse

        try:
            try:
                from kiosk import library as library_service  # imports the gazette importer

                self.library = library_service.open_library(self.config, self.data_dir, bundled=self.bundled)
            except Exception as exc:  # noqa: BLE001 - an import that fails must not stop the kiosk
                if isinstance(exc, StoreUnavailable):
                    raise
                log.warning("bundled gazette not imported: %s", exc)
                self.library = Library(self.data_dir / "library.db", blobs_dir=self.data_dir / "blobs")
            self.browse = Browse(self.library, self.session)
            self.maintenance = ""
        except Exception as exc:  # noqa: BLE001 - reported on the maintenance screen, never as a traceback
            log.error("library unavailable: %s", exc)
            self.library = None
            self.browse = None
            self.maintenance = getattr(exc, "zh", "") or "资料库无法打开，请联系工作人员。"
        finally:
            self._opened.set()

    def ensure_open(self) -> None:
        """Open the library unless it is open or failed to: one caller opens it, the others wait for that."""
        with self._opening:
            if self.library is None and not self.maintenance:
                self.open_library()

    def start_opening(self) -> None:
        """`ensure_open` on a thread of its own, so that opening overlaps whatever the caller does next."""
        threading.Thread(target=self.ensure_open, name="open-library", daemon=True).start()

    def opened_browse(self) -> Browse:
        """The reading services, once the library is open (waits for an opening under way)."""
        self.ensure_open()
        if self.browse is None:
            raise LibraryUnavailable(self.maintenance or "资料库暂时无法使用")
        return self.browse

    def last_tiles(self) -> list[dict]:
        """The home tiles as the library offered them when it last opened ([] if never or unreadable)."""
        try:
            tiles = json.loads((self.data_dir / HOME_TILES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return tiles if isinstance(tiles, list) and all(isinstance(t, dict) for t in tiles) else []

    def remember_tiles(self, tiles: list[dict]) -> None:
        """Keep the home tiles for the next start's first frame (best effort)."""
        path = self.data_dir / HOME_TILES
        try:
            if self.last_tiles() == tiles:
                return
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(tiles, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("home tiles not kept: %s", exc)

    def wait_opened(self, timeout: float | None = None) -> bool:
        return self._opened.wait(timeout)

    def compliance(self) -> tiers.Compliance:
        stats = None
        if self.library is not None:
            try:
                stats = self.library.stats()
            except Exception:  # noqa: BLE001 - an unreadable library counts as no content
                stats = None
        return tiers.check(self.config["kiosk.tier"], tiers.device_states(self.config, self.data_dir), stats)

    def close(self) -> None:
        if self.library is not None:
            self.library.close()
            self.library = None
