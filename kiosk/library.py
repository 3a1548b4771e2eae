"""The kiosk's library service: opens the data directory's library and keeps the bundled gazette (and the
demo service guides that come with it) in it.

The touch UI and the command line both reach the offline library through here.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from content.errors import LibraryDamaged
from content.importer import ImportResult, import_gazette
from content.store import Library
from kiosk.config import Config

log = logging.getLogger(__name__)

BUNDLED_GAZETTE = "dingzhou-gazette-2022-02.md"
BUNDLED_GUIDES = "guides"  # demo 办事指南 (content/data/guides/, marked demo: true)


def bundled_gazette_path() -> Path:
    return Path(str(resources.files("content") / "data" / BUNDLED_GAZETTE))


def bundled_guides_path() -> Path:
    return Path(str(resources.files("content") / "data" / BUNDLED_GUIDES))


def open_library(
    config: Config, data_dir: Path, *, bundled: bool | None = None, check: bool = False
) -> Library:
    """Open (and migrate) the library; an empty one gets the bundled gazette and demo guides when `bundled`
    (default: the content.bundled_gazette option) says so. With `check`, a library that fails SQLite's
    quick_check (1.8 s at 200,000 documents) is closed and LibraryDamaged raised: the kiosk's start."""
    library = Library(data_dir / "library.db", blobs_dir=data_dir / "blobs")
    if check:
        try:
            library.check()
        except LibraryDamaged:
            library.close()
            raise
    wanted = config["content.bundled_gazette"] if bundled is None else bundled
    if wanted and library.stats()["items"] == 0:
        from content.guides_import import import_guides  # jsonschema: only for the bundled import

        with library.transaction():
            result = import_bundled_gazette(library, config)
            guides = import_guides(library, bundled_guides_path())
        log.info("imported bundled gazette", extra={"fields": result.to_dict()})
        log.info("imported bundled demo guides", extra={"fields": guides.to_dict()})
    return library


def import_bundled_gazette(library: Library, config: Config) -> ImportResult:
    return import_file(library, config, bundled_gazette_path())


def import_file(library: Library, config: Config, path: Path, allow_partial: bool = False) -> ImportResult:
    return import_gazette(
        library, path, allow_partial=allow_partial, max_bytes=config["content.max_import_mb"] * 2**20
    )
