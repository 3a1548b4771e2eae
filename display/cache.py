"""The display's copy of the last content and its media on disk, so it shows on when the kiosk is down
or restarting (and after its own restart). Written atomically; media files are named by their SHA-256
and checked against it."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _write(path: Path, data: bytes) -> None:
    # kiosk/signage/files.write_bytes does the same, but display/ may import nothing of kiosk/
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Cache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.content_path = folder / "content.json"
        self.media_dir = folder / "media"

    def load(self) -> dict[str, Any] | None:
        """The last content kept, None if there is none (or it is damaged: logged)."""
        try:
            return json.loads(self.content_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.error("display cache %s unreadable: %s", self.content_path, exc)
            return None

    def save(self, content: dict[str, Any]) -> None:
        _write(self.content_path, json.dumps(content, ensure_ascii=False).encode("utf-8"))
        self.prune(content)

    def media_path(self, sha256: str) -> Path:
        return self.media_dir / sha256

    def has_media(self, sha256: str) -> bool:
        return self.media_path(sha256).exists()

    def save_media(self, sha256: str, data: bytes) -> bool:
        """Keep a media file if its bytes match its name; False (logged) otherwise."""
        if hashlib.sha256(data).hexdigest() != sha256:
            log.error("display: media %s does not match its hash; not kept", sha256[:12])
            return False
        _write(self.media_path(sha256), data)
        return True

    def prune(self, content: dict[str, Any]) -> None:
        """Remove media the content no longer names."""
        wanted = set(media_of(content))
        for path in self.media_dir.glob("*") if self.media_dir.exists() else ():
            if path.name not in wanted and not path.name.startswith("."):
                path.unlink(missing_ok=True)


def pages_of(content: dict[str, Any]) -> list[dict[str, Any]]:
    gazette = content.get("gazette") or {}
    items = [i for i in (content.get("items") or {}).values() if i]
    return [*content.get("notices", []), *gazette.get("pages", []), *items]


def media_of(content: dict[str, Any]) -> dict[str, str]:
    """Every media file the content names: sha256 → the item that carries it."""
    return {
        sha: page["id"]
        for page in pages_of(content)
        for sha in (*page.get("images", []), *page.get("videos", []))
    }
