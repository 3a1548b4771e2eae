"""The helper across `city keygen --rotate`, end to end: a real city home rotates its key (once, then
again), `city publish-update` signs with the new key, a real sync from `city serve`'s app on loopback
brings the package to the kiosk (whose sync follows the rotation), and the root helper, pinned at
enrolment to the first key, follows the same records and installs it; no re-enrolment, no
`--trust-enrolment`."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from city_server import background

from city.home import CityHome
from city.server import create_app
from city.software import publish_update
from content.store import Library
from content.sync import ARCHITECTURE, SyncClient
from content.transport import HttpSource, TransportSettings
from updater.run import Settings, run_once
from updater.system import Commands

FAST = TransportSettings(timeout=5.0, retries=2, backoff=0.01, backoff_max=0.05)


def make_deb(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        (tree / "DEBIAN").mkdir()
        (tree / "DEBIAN/control").write_text(
            f"Package: zwgk-kiosk\nVersion: {version}\nArchitecture: {ARCHITECTURE}\n"
            "Maintainer: t <t@localhost>\nDescription: test\n test package\n"
        )
        deb = folder / f"zwgk-kiosk_{version}_{ARCHITECTURE}.deb"
        subprocess.run(["dpkg-deb", "-Znone", "-b", str(tree), str(deb)], check=True, capture_output=True)
    return deb


class Installed(Commands):
    """dpkg's database and systemd: installing records the version, the kiosk always becomes ready."""

    def __init__(self):
        self.installed = "0.1.0-1"

    def architecture(self) -> str:
        return ARCHITECTURE

    def installed_version(self, package: str) -> str | None:
        return self.installed

    def repack(self, package: str, folder: Path) -> Path:
        return make_deb(folder, self.installed)

    def install(self, deb: Path) -> None:
        self.installed = self.deb_fields(deb)["Version"]

    def restart(self, unit: str = "", timeout: float = 0) -> None:
        pass

    def state(self, unit: str = "") -> str:
        return "active"


def test_the_helper_follows_the_citys_key_rotations_without_a_new_enrolment(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    enrolled = home.trusted_keys()
    data = tmp_path / "kiosk"
    data.mkdir()
    (data / "enrolment.json").write_text(json.dumps({"trusted_keys": enrolled}))
    settings = Settings(data, tmp_path / "updater", [], ready_timeout=1)
    machine = Installed()
    library = Library(data / "library.db", blobs_dir=data / "blobs")
    client = SyncClient(library, data / "sync", pinned=enrolled, channel="test")
    try:
        for version in ("0.1.0-2", "0.1.0-3"):
            home.keygen(rotate=True)
            publish_update(home, make_deb(tmp_path / "debs", version))
            with background(create_app(home)) as url:
                client.sync(HttpSource(url + "/channel/", FAST))
            status = run_once(settings, machine)
            assert status["result"] == "installed" and status["installed"] == version, status
            pinned = json.loads((settings.state_dir / "trusted-keys.json").read_text())
            assert pinned == home.trusted_keys()
    finally:
        library.close()
    assert len(home.rotations()) == 2 and not set(enrolled) & set(pinned)
