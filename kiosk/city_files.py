"""After each sync, what the city handed this hall in the channel is put in force by the module that reads it.

The sync writes the channel's `file:` entries into the data directory as they are; here each reader takes
its own: the hall's queue (`kiosk/queue/channel.py`), the voice pack (`kiosk/voice/city_pack.py`), the
displays' playlist and emergency notices (`kiosk/signage/channel.py`). Each runs after every sync that
reached the channel, so one that failed (a pack refused, a disk error) is tried again with the next. One
reader's failure never stops the others nor the sync; the outcomes are kept in `city_files.json` for
`kiosk sync status`.
"""

from __future__ import annotations

import importlib
import logging
from datetime import UTC, datetime
from pathlib import Path

from content.channel import format_time
from kiosk.i18n import tr
from kiosk.signage.files import read_json, write_json

log = logging.getLogger(__name__)

STATUS = "city_files.json"


# each module's `apply(data_dir, kiosk_id) -> (state, Chinese line for staff)`, imported when a sync ran
READERS = {
    "queue": "kiosk.queue.channel",
    "voice_pack": "kiosk.voice.city_pack",
    "signage": "kiosk.signage.channel",
}


def apply(data_dir: Path, kiosk_id: str) -> dict[str, dict[str, str]]:
    """Run every reader; {reader: {"state", "zh", "at"}} as kept for `kiosk sync status`."""
    outcomes = {}
    for name, module in READERS.items():
        try:
            state, zh = importlib.import_module(module).apply(data_dir, kiosk_id)
        except Exception as exc:  # noqa: BLE001 - one reader's fault must not stop the others or the sync
            log.exception("city files: %s not applied", name)
            state, zh = (
                "failed",
                tr("未能应用市级下发的内容（{error}），下次同步时重试", error=type(exc).__name__),
            )
        outcomes[name] = {"state": state, "zh": zh, "at": format_time(datetime.now(UTC))}
    write_json(data_dir / STATUS, outcomes)
    return outcomes


def status(data_dir: Path) -> dict[str, dict[str, str]]:
    """The outcomes of the last sync's readers ({} before the first, or when the file is damaged: logged)."""
    try:
        return read_json(data_dir / STATUS, {})
    except ValueError as exc:
        log.warning("city files: %s unreadable (%s); rewritten by the next sync", STATUS, exc)
        return {}


def status_lines(data_dir: Path) -> list[str]:
    """What the last sync put in force or refused, a line each (nothing when the city handed nothing)."""
    return [row["zh"] for row in status(data_dir).values() if row.get("zh")]
