"""Structured logging: one JSON object a line under the data directory, rotated.

ID numbers and names must never reach a log in full. `mask_id_number` and `mask_name` come from
`device.masking`, the one place that decides how they are shortened; `JsonFormatter` also masks any
18-character ID number it finds in a message, as a last line of defence.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
from datetime import UTC, datetime
from pathlib import Path

from device.masking import mask_id_number, mask_name

__all__ = ["JsonFormatter", "mask_id_number", "mask_name", "scrub", "setup"]

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def scrub(text: str) -> str:
    return _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update({k: scrub(v) if isinstance(v, str) else v for k, v in fields.items()})
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup(log_dir: Path, level: str = "info") -> None:
    """Send every log record to ``log_dir/kiosk.jsonl`` (rotated at 5 MB, 5 files kept)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "kiosk.jsonl", maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_zwgk", False)]:
        root.removeHandler(old)
        old.close()
    handler._zwgk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
