"""The helper's own files: its root-owned directory (packages copied in, kept for rollback, versions that
failed), and files written whole, without following a link someone else placed."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

FAILED = "failed.json"


def make_dir(path: Path) -> Path:
    """A directory only root reads or writes (made so, or made so again)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.is_symlink():
        raise OSError(f"{path} is a symbolic link")
    os.chmod(path, 0o700)
    return path


def write_file(path: Path, data: bytes, mode: int) -> None:
    """Write whole or not at all. A temporary file of a fresh name and a rename: in a directory the kiosk
    user owns (the status file), a link placed at `path` is replaced, never written through."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def failed_versions(state_dir: Path) -> set[str]:
    try:
        return set(json.loads((state_dir / FAILED).read_bytes()))
    except (FileNotFoundError, ValueError, TypeError):
        return set()


def remember_failed(state_dir: Path, version: str) -> None:
    failed = sorted(failed_versions(state_dir) | {version})
    write_file(state_dir / FAILED, json.dumps(failed).encode(), 0o600)


def write_status(path: Path, status: dict[str, Any]) -> None:
    """The outcome for `kiosk doctor` (readable by the kiosk user)."""
    write_file(path, json.dumps(status, ensure_ascii=False, indent=1).encode(), 0o644)
