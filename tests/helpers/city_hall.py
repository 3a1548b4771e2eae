"""A city and one enrolled kiosk, synced from the city's channel as a USB stick carries it: what the city
publishes for a hall (queue, voice pack, signage) reaches the kiosk through the real signed channel and
`sync_service.run_once`, the path `kiosk sync --from DIR` takes."""

from __future__ import annotations

import json
from pathlib import Path

from city import fleet
from city.home import CityHome
from content.store import Library
from kiosk import enrolment, sync_service
from kiosk.config import defaults

KIOSK = "xian-09"


def make_hall(tmp_path: Path) -> tuple[CityHome, Path]:
    """(the city's home, the kiosk's data directory), the kiosk enrolled as `KIOSK`."""
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    document = fleet.enrol(
        home, KIOSK, channel_url="http://city/channel/", upload_url="http://city/v1/outbox"
    )
    data_dir = tmp_path / "kiosk"
    data_dir.mkdir()
    (tmp_path / "enrol.json").write_text(json.dumps(document), encoding="utf-8")
    enrolment.install(tmp_path / "enrol.json", data_dir)
    return home, data_dir


def sync(home: CityHome, data_dir: Path) -> sync_service.RunResult:
    """The kiosk syncs from a fresh export of the city's channel (a USB stick: nothing is uploaded)."""
    usb = data_dir.parent / "usb"
    home.repo.export(usb)
    with Library(data_dir / "library.db") as library:
        result = sync_service.run_once(library, defaults(), data_dir, str(usb))
    assert result.sync_error is None, result.sync_error
    return result
