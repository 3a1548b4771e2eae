"""Software updates end to end: `city publish-update` of real packages, a real kiosk sync from `city serve`'s
app on loopback putting the package and its manifest in the data directory (a package over the 64 MiB blob
cap streamed, only this machine's architecture fetched), and the root helper installing it, or refusing a
manifest the kiosk user changed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from city_server import background

from city.cli import main as city
from city.home import CityHome
from city.server import create_app
from content.channel import Limits
from content.store import Library
from content.sync import ARCHITECTURE, SyncClient
from content.transport import HttpSource, TransportSettings
from updater.run import Settings, run_once
from updater.system import Commands

FAST = TransportSettings(timeout=5.0, retries=2, backoff=0.01, backoff_max=0.05)


def make_deb(
    folder: Path, version: str, arch: str = "amd64", package: str = "zwgk-kiosk", payload: int = 0
) -> Path:
    """A real Debian package, with `payload` bytes of incompressible data inside."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        (tree / "DEBIAN").mkdir()
        (tree / "DEBIAN/control").write_text(
            f"Package: {package}\nVersion: {version}\nArchitecture: {arch}\nMaintainer: t <t@localhost>\n"
            "Description: test\n test package\n"
        )
        (tree / "opt").mkdir()
        (tree / "opt/payload").write_bytes(os.urandom(payload) if payload else version.encode())
        deb = folder / f"{package}_{version}_{arch}.deb"
        subprocess.run(["dpkg-deb", "-Znone", "-b", str(tree), str(deb)], check=True, capture_output=True)
    return deb


class Installed(Commands):
    """dpkg's database says 0.1.0-1 and the kiosk always becomes ready; packages are read by dpkg-deb."""

    def __init__(self):
        self.installed, self.installs = "0.1.0-1", []

    def architecture(self) -> str:
        return ARCHITECTURE

    def installed_version(self, package: str) -> str | None:
        return self.installed

    def repack(self, package: str, folder: Path) -> Path:
        return make_deb(folder, self.installed, ARCHITECTURE)

    def install(self, deb: Path) -> None:
        self.installs.append(deb.read_bytes())
        self.installed = self.deb_fields(deb)["Version"]

    def restart(self, unit: str = "", timeout: float = 0) -> None:
        pass

    def state(self, unit: str = "") -> str:
        return "active"


@pytest.fixture
def home(tmp_path) -> CityHome:
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    return home


def publish_update(home: CityHome, deb: Path, capsys) -> tuple[int, str]:
    code = city(["--home", str(home.path), "publish-update", str(deb)])
    out, err = capsys.readouterr()
    return code, out + err


def sync(home: CityHome, data: Path) -> None:
    library = Library(data / "library.db", blobs_dir=data / "blobs")
    try:
        client = SyncClient(library, data / "sync", pinned=home.trusted_keys(), channel=home.channel())
        with background(create_app(home)) as url:
            client.sync(HttpSource(url + "/channel/", FAST))
    finally:
        library.close()


def test_a_published_update_reaches_the_kiosk_and_is_installed_by_the_helper(home, tmp_path, capsys):
    other = "arm64" if ARCHITECTURE == "amd64" else "amd64"
    big = make_deb(tmp_path / "debs", "0.1.0-2", ARCHITECTURE, payload=Limits().max_blob + 2**20)
    assert publish_update(home, big, capsys)[0] == 0
    assert publish_update(home, make_deb(tmp_path / "debs", "0.1.0-2", other), capsys)[0] == 0
    data = tmp_path / "kiosk"
    sync(home, data)
    updates = data / "updates"
    assert sorted(p.name for p in updates.iterdir()) == [
        f"zwgk-kiosk_0.1.0-2_{ARCHITECTURE}.{x}" for x in ("deb", "json")
    ]
    assert (updates / big.name).read_bytes() == big.read_bytes()

    (data / "enrolment.json").write_text(json.dumps({"trusted_keys": home.trusted_keys()}))
    machine = Installed()
    status = run_once(Settings(data, tmp_path / "updater", [], ready_timeout=1), machine)
    assert status["result"] == "installed" and status["installed"] == "0.1.0-2", status
    assert machine.installs == [big.read_bytes()]

    # a newer version replaces the older one in the channel and on the kiosk
    newer = make_deb(tmp_path / "debs", "0.1.0-3", ARCHITECTURE)
    code, said = publish_update(home, newer, capsys)
    assert code == 0 and "已发布一体机软件 0.1.0-3" in said
    sync(home, data)
    assert sorted(p.name for p in updates.iterdir()) == [
        f"zwgk-kiosk_0.1.0-3_{ARCHITECTURE}.{x}" for x in ("deb", "json")
    ]


def test_a_manifest_changed_on_the_kiosk_is_refused_by_the_helper(home, tmp_path, capsys):
    deb = make_deb(tmp_path / "debs", "0.1.0-2", ARCHITECTURE)
    assert publish_update(home, deb, capsys)[0] == 0
    data = tmp_path / "kiosk"
    sync(home, data)
    manifest_path = data / "updates" / deb.with_suffix(".json").name
    # the kiosk user puts another program in place and makes the manifest's hash and size fit it
    target = data / "updates" / deb.name
    make_deb(tmp_path / "evil", "0.1.0-2", ARCHITECTURE, payload=100).replace(target)
    manifest = json.loads(manifest_path.read_text())
    manifest.update(sha256=hashlib.sha256(target.read_bytes()).hexdigest(), size=target.stat().st_size)
    manifest_path.write_text(json.dumps(manifest))
    (data / "enrolment.json").write_text(json.dumps({"trusted_keys": home.trusted_keys()}))
    machine = Installed()
    status = run_once(Settings(data, tmp_path / "updater", [], ready_timeout=1), machine)
    assert status["result"] == "refused" and "签名校验失败" in status["reason_zh"], status
    assert machine.installs == []


@pytest.mark.parametrize(
    "package, version, arch, zh",
    [
        ("zwgk-city", "0.1.0-5", "amd64", "不是一体机软件包"),
        ("zwgk-kiosk", "0.1.0-1", "amd64", "不比已发布的"),
        ("zwgk-kiosk", "1:0.2-1", "amd64", "版本号"),
        ("zwgk-kiosk", "0.2-1", "i386", "架构"),
    ],
)
def test_what_is_not_a_newer_kiosk_package_is_not_published(
    home, tmp_path, capsys, package, version, arch, zh
):
    assert publish_update(home, make_deb(tmp_path / "first", "0.1.0-2"), capsys)[0] == 0
    before = home.repo.current_root().version
    code, said = publish_update(home, make_deb(tmp_path / "debs", version, arch, package), capsys)
    assert code == 2 and zh in said, said
    assert home.repo.current_root().version == before


def test_the_same_version_with_other_contents_is_refused_and_the_same_file_again_changes_nothing(
    home, tmp_path, capsys
):
    deb = make_deb(tmp_path / "a", "0.1.0-2", payload=10)
    assert publish_update(home, deb, capsys)[0] == 0
    version = home.repo.current_root().version
    assert publish_update(home, deb, capsys)[0] == 0 and home.repo.current_root().version == version
    code, said = publish_update(home, make_deb(tmp_path / "b", "0.1.0-2", payload=10), capsys)
    assert code == 2 and "已发布过且内容不同" in said
