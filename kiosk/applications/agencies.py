"""The agencies an application may be addressed to (受理机关): the list the city publishes in the channel
(`agencies.json` in the data directory, written by the sync), else the hall's own government.

The file is `{"agencies": ["定州市人民政府办公室", …]}`; a file that is not one is logged and the default
is used, so a bad publication never leaves the form without a choice.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "agencies.json"
MAX_AGENCIES = 200


def parse(data: bytes) -> list[str]:
    """The agency names of a published list; `ValueError` (English) when it is not one."""
    value = json.loads(data)
    names = value.get("agencies") if isinstance(value, dict) else None
    if not isinstance(names, list) or not names or len(names) > MAX_AGENCIES:
        raise ValueError(f"agencies must be a list of 1..{MAX_AGENCIES} names")
    if not all(isinstance(n, str) and 0 < len(n.strip()) <= 100 for n in names):
        raise ValueError("every agency must be a name of 1..100 characters")
    return list(dict.fromkeys(n.strip() for n in names))


def agencies(data_dir: Path, hall_name: str) -> list[str]:
    path = data_dir / FILE_NAME
    if path.is_file():
        try:
            return parse(path.read_bytes())
        except (OSError, ValueError) as exc:
            log.warning("agency list %s left out: %s", path, exc)
    return [hall_name]
