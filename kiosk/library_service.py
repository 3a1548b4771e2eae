"""Opening the library and the home tiles: the `library` service of `kiosk.services`.

Opening never raises: a missing or corrupt database, or one that fails SQLite's quick_check (run as part
of opening, on the opening thread, never before the first frame), leaves `store` None and `maintenance`
holding the Chinese message the touch UI shows on its "系统维护中" screen (the English reason goes to the
log). The background sync starts only on a library that passed.

The library modules (the store, its search engine and pypinyin's dictionaries: about a second) are
imported by `open`, on the thread that opens it, so the touch UI draws its first frame meanwhile: its
home tiles come from `last_tiles()` (what the library offered when it last opened), and the reading
services are reached through `opened_browse()`, which waits for an opening still under way.

When the content changes while the kiosk runs (a sync applied a new channel version, staff changed a
local notice), whoever changed it calls `changed(reason)`: `content_version` goes up, the new home tiles
are remembered for the next start and a `ContentChange` goes out on the bus.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from content.errors import StoreUnavailable
from kiosk.config import Config
from kiosk.events import Bus, ContentChange, LibraryOpened
from kiosk.features import Facts, registry
from kiosk.i18n import tr, translate
from kiosk.session import Session

if TYPE_CHECKING:
    from content.store import Library
    from kiosk.browse import Browse

log = logging.getLogger(__name__)

HOME_TILES = "home-tiles.json"
Usage = Callable[..., None]  # usage(kind, **fields): `kiosk.usage.UsageRecords.event`


class LibraryUnavailable(Exception):
    """The library could not be opened; `zh` is the message residents see."""

    def __init__(self, zh: str):
        super().__init__("library unavailable")
        self.zh = zh


class LibraryService:
    """The library store once open, the reading services over it, and the home tiles."""

    def __init__(
        self,
        config: Callable[[], Config],
        data_dir: Path,
        session: Session,
        bus: Bus,
        *,
        usage: Usage | None = None,
        bundled: bool | None = None,
        hold: str = "",
    ):
        self._config = config  # the configuration now (staff may change the hall's tier while it runs)
        self.data_dir = data_dir
        self.session = session
        self.bus = bus
        self.bundled = bundled  # import the bundled gazette into an empty library (None: the config says)
        self._usage = usage
        self.store: Library | None = None
        self.browse: Browse | None = None
        self.maintenance = ""  # Chinese reason the kiosk cannot serve residents, '' when it can
        self.hold = hold  # Chinese: serve no resident although the library opens (`kiosk.crash_loop`)
        self.content_version = 0  # one up with every change of content while the process runs
        self._opened = threading.Event()
        self._opening = threading.Lock()
        self._changing = threading.Lock()
        self._tiles_lock = threading.Lock()
        self._tiles_version = 0  # the content_version of the tiles last remembered

    # --- opening ---------------------------------------------------------------------------------

    def open(self) -> None:
        """Open the library (importing the bundled gazette into an empty one). Blocking: call off the GUI thread."""
        from content.store import Library
        from kiosk.browse import Browse

        try:
            try:
                from kiosk import library as library_module  # imports the gazette importer

                store = library_module.open_library(
                    self.config, self.data_dir, bundled=self.bundled, check=True
                )
            except Exception as exc:  # noqa: BLE001 - an import that fails must not stop the kiosk
                if isinstance(exc, StoreUnavailable):
                    raise
                log.warning("bundled gazette not imported: %s", exc)
                store = Library(self.data_dir / "library.db", blobs_dir=self.data_dir / "blobs")
            self.store = store
            # held: the store stays open for sync and heartbeats, residents get the maintenance screen
            self.browse = None if self.hold else Browse(store, self.session, usage=self._usage)
            self.maintenance = self.hold
        except Exception as exc:  # noqa: BLE001 - reported on the maintenance screen, never as a traceback
            log.error("library unavailable: %s", exc)
            self.store = None
            self.browse = None
            self.maintenance = translate(getattr(exc, "zh", "")) or tr("资料库无法打开，请联系工作人员。")
        finally:
            self._opened.set()
        if self.store is not None:
            self.bus.publish(LibraryOpened(self.store))

    def ensure_open(self) -> None:
        """Open the library unless it is open or failed to: one caller opens it, the others wait for that."""
        with self._opening:
            if self.store is None and not self.maintenance:
                self.open()

    def start_opening(self) -> None:
        """`ensure_open` on a thread of its own, so that opening overlaps whatever the caller does next."""
        threading.Thread(target=self.ensure_open, name="open-library", daemon=True).start()

    def wait_opened(self, timeout: float | None = None) -> bool:
        return self._opened.wait(timeout)

    def opened_browse(self) -> Browse:
        """The reading services, once the library is open (waits for an opening under way)."""
        self.ensure_open()
        if self.browse is None:
            raise LibraryUnavailable(self.maintenance or tr("资料库暂时无法使用"))
        return self.browse

    def opened_store(self) -> Library:
        """The store, when open (never waits); `LibraryUnavailable` otherwise."""
        if self.store is None:
            raise LibraryUnavailable(self.maintenance or tr("资料库暂时无法使用"))
        return self.store

    def stats(self) -> dict[str, Any] | None:
        """`Library.stats()`, None when the library is not open or cannot be read."""
        if self.store is None:
            return None
        try:
            return self.store.stats()
        except Exception:  # noqa: BLE001 - an unreadable library counts as no content
            return None

    @property
    def config(self) -> Config:
        return self._config()

    # --- home tiles ------------------------------------------------------------------------------

    def tiles(self) -> list[dict]:
        """The home tiles this kiosk offers now (its tier, devices and configuration applied)."""
        if self.store is None:
            return []
        return registry().tiles(Facts.of(self.store, self.config))

    def last_tiles(self) -> list[dict]:
        """The home tiles as the library offered them when it last opened ([] if never or unreadable)."""
        try:
            tiles = json.loads((self.data_dir / HOME_TILES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return tiles if isinstance(tiles, list) and all(isinstance(t, dict) for t in tiles) else []

    def remember_tiles(self, tiles: list[dict], version: int = 0) -> None:
        """Keep the home tiles for the next start's first frame (best effort). `version` is the
        `content_version` read before the tiles were computed: tiles older than those kept are dropped."""
        path = self.data_dir / HOME_TILES
        with self._tiles_lock:  # the UI's opening and a sync's change may both write them
            if version < self._tiles_version:
                return
            self._tiles_version = version
            try:
                if self.last_tiles() == tiles:
                    return
                tmp = path.with_suffix(".tmp")
                tmp.write_text(json.dumps(tiles, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, path)
            except OSError as exc:
                log.warning("home tiles not kept: %s", exc)

    # --- content changes while running -----------------------------------------------------------

    def changed(self, reason: str) -> ContentChange | None:
        """The content changed: count it, remember the new home tiles and publish a `ContentChange`.

        Never raises (a listener's or the library's problem is logged); None when the library is closed."""
        try:
            with self._changing:
                if self.browse is None:
                    return None
                self.content_version += 1
                change = ContentChange(reason, self.content_version, self.tiles())
        except Exception:  # noqa: BLE001 - the change itself is done; only the refresh failed
            log.exception("content changed (%s) but the home tiles could not be read", reason)
            return None
        self.remember_tiles(change.tiles, change.version)
        log.info(
            "content changed (%s): version %d, home tiles %s",
            reason,
            change.version,
            [t["key"] for t in change.tiles],
        )
        self.bus.publish(change)
        return change

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
