"""`city queue publish KIOSK FILE` / `city queue withdraw KIOSK`: a hall's queue services and windows.

The file is the one `kiosk queue import` takes (TOML or JSON), checked with the same code
(`content/queue_config.py`) before anything is signed; window PINs are refused (they are set at the hall,
never carried in the channel). It is addressed by the kiosk id of the hall's kiosk as enrolled (`city
enrol ID`; the id is in the kiosk's enrolment file, so each kiosk takes only its own): published as
`file:city_queue/<kiosk>.json`, one collection per kiosk, holding the checked configuration in its file
form. `kiosk/queue/channel.py` applies it after the kiosk's next sync.
"""

from __future__ import annotations

from pathlib import Path

from city.home import CityError, CityHome
from city.lock import publish_lock
from city.publish import Collection, publish
from city.repo import PublishResult
from content import queue_config
from content.channel import Entry, canonical_json
from content.queue_config import CHANNEL_FOLDER as FOLDER
from content.queue_config import RECORD_TYPE


def _kiosk(home: CityHome, kiosk_id: str) -> None:
    conn = home.db()
    try:
        row = conn.execute("SELECT revoked_at FROM kiosks WHERE id = ?", [kiosk_id]).fetchone()
    finally:
        conn.close()
    if row is None or row[0]:
        raise CityError(f"no enrolled kiosk {kiosk_id}", f"没有已登记的一体机 {kiosk_id}")


def publish_queue(home: CityHome, kiosk_id: str, path: Path) -> PublishResult:
    """Check `path` and publish it to `kiosk_id` (CityError naming every problem, nothing signed)."""
    _kiosk(home, kiosk_id)
    try:
        config = queue_config.load(path)
    except queue_config.QueueConfigError as exc:
        raise CityError(str(exc), f"{exc.zh}\n未发布") from None
    if not config.configured:
        raise CityError(
            f"{path}: no service is served by a window", f"{path}：没有任何窗口办理的业务，未发布"
        )
    data = canonical_json({"type": RECORD_TYPE, "format": 1, "kiosk": kiosk_id, "config": config.to_dict()})
    with publish_lock(home):  # the blob is added under the lock: `city gc` must not run in between
        entry = Entry("file", f"file:{FOLDER}/{kiosk_id}.json", home.repo.add_blob(data), len(data))
        return publish(home, Collection(f"{FOLDER}:{kiosk_id}", [entry]))


def withdraw_queue(home: CityHome, kiosk_id: str) -> PublishResult:
    """Take the city's services off `kiosk_id` (its own services and every ticket stay)."""
    return publish(home, Collection(f"{FOLDER}:{kiosk_id}", []))
