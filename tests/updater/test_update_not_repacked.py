"""A published kiosk package is written once: its shard has no pack, so publishing other entries that
share its slice (agency lists, notices) writes a new shard manifest but never the package's bytes again
(city/repo.py); the kiosk still receives it, as a blob."""

from __future__ import annotations

import json
import os
from pathlib import Path

from city_server import background
from test_update_rotation import make_deb

from city.home import CityHome
from city.publish import Collection, publish
from city.server import create_app
from city.software import publish_update
from content.channel import Entry
from content.store import Library
from content.sync import SyncClient
from content.transport import HttpSource, TransportSettings


def written(folder: Path) -> dict[str, tuple[int, int]]:
    """name -> (inode, mtime_ns) of each file in `folder`."""
    return (
        {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()} if folder.exists() else {}
    )


def test_publishing_beside_a_package_never_writes_it_again(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    deb = make_deb(tmp_path / "debs", "0.1.0-2")
    deb.write_bytes(deb.read_bytes() + os.urandom(2**20))  # the package's bytes are what must not repeat
    publish_update(home, deb)
    blobs, packs = home.repo.path / "blobs", home.repo.path / "packs"
    package_blob = written(blobs)
    before = written(packs)
    for n in range(3):
        data = json.dumps({"agencies": [f"机关{n}"]}, ensure_ascii=False).encode()
        result = publish(
            home,
            Collection(
                "agencies", [Entry("file", "file:agencies.json", home.repo.add_blob(data), len(data))]
            ),
        )
        assert result.shards == 1  # a handful of entries: one slice, the package's
    after = written(packs)
    assert {name: after[name] for name in before} == before
    assert sum((packs / name).stat().st_size for name in after) < 2**20  # no pack holds the package
    assert all(written(blobs)[name] == stat for name, stat in package_blob.items())  # not rewritten

    data = tmp_path / "kiosk"
    library = Library(data / "library.db", blobs_dir=data / "blobs")
    try:
        client = SyncClient(library, data / "sync", pinned=home.trusted_keys(), channel="test")
        with background(create_app(home)) as url:
            report = client.sync(HttpSource(url + "/channel/", TransportSettings(timeout=5.0, retries=1)))
    finally:
        library.close()
    assert (data / "updates" / deb.name).read_bytes() == deb.read_bytes() and report.packs_fetched <= 1
