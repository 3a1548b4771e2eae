"""The signage's small JSON files: read whole, written whole and atomically (a crash leaves the old or
the new file, never half of one)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def signage_dir(data_dir: Path) -> Path:
    return data_dir / "signage"


def read_json(path: Path, default: Any) -> Any:
    """The file's value, or `default` when it does not exist (a damaged file is an error: ValueError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default
    return json.loads(text)


def write_bytes(path: Path, data: bytes) -> None:
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


def write_json(path: Path, value: Any) -> None:
    write_bytes(path, json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8"))
