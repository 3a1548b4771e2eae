"""`city gc`: it removes exactly the files no kept version names, a kiosk can still sync every kept version
(from scratch, from an older state, and when it was halfway through one as gc ran) over the real HTTP
server, `--dry-run` removes nothing, and anything it cannot read makes it refuse without removing anything."""

from __future__ import annotations

import json
import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from city_server import background

from city import cli as city_cli
from city import gc
from city import repo as city_repo
from city.home import CityError, CityHome
from city.lock import publish_lock
from city.publish import items_collection, publish
from city.server import create_app
from content.channel import ChannelError, make_root, parse_root, parse_shard, sha256_hex
from content.model import Item
from content.store import Library
from content.sync import Incomplete, SyncClient
from content.transport import HttpSource, NotOnSource, TransportSettings

FAST = TransportSettings(timeout=2.0, retries=1, backoff=0.01, backoff_max=0.05)
FOLDERS = ("shards", "packs", "blobs")
T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def make_city(path: Path) -> CityHome:
    home = CityHome(path)
    home.save_settings(channel="test")
    home.keygen()
    return home


def document(n: int, revision: int) -> Item:
    return Item(
        id=f"doc-{n:04d}",
        kind="document",
        title=f"关于秸秆综合利用的通知（{n}）",
        body_md=f"第{n}号文件，第{revision}次修订。" * 20,
        date="2022-03-01",
        origin="city",
        source="test",
    )


def version_items(version: int) -> list[Item]:
    """Version v: documents 0..119, of which 5v..5v+4 are at revision v; from version 3 on, 100..119 are
    gone and 120+v is new: every version changes some shards, and some blobs stay shared between them."""
    count = 120 if version < 3 else 100
    items = [document(n, version if 5 * version <= n < 5 * version + 5 else 0) for n in range(count)]
    if version >= 3:
        items.append(document(120 + version, version))
    return items


def publish_version(home: CityHome, version: int) -> None:
    result = publish(home, items_collection(home, "docs", version_items(version)))
    assert result.version == version and not result.unchanged


def named_by_current(home: CityHome) -> set[tuple[str, str]]:
    """The files root.json names now, worked out with the channel format alone (not with city.gc)."""
    repo = home.repo.path
    root, _ = parse_root((repo / "root.json").read_bytes(), city_repo.BIG)
    names = set()
    for ref in root.shards:
        names.add(("shards", ref.name))
        shard = parse_shard((repo / "shards" / ref.name).read_bytes(), ref, root.channel, root.prefix_len)
        names |= {("blobs", e.sha256) for e in shard.entries}
        if shard.pack:
            names.add(("packs", shard.pack.name))
    return names


def files(home: CityHome) -> dict[tuple[str, str], int]:
    repo = home.repo.path
    return {
        (folder, p.name): p.stat().st_size
        for folder in FOLDERS
        if (repo / folder).is_dir()
        for p in (repo / folder).iterdir()
    }


@pytest.fixture
def published(tmp_path):
    """A city with versions 1..5, the files each version named, and some leftovers."""
    home = make_city(tmp_path / "city")
    named = {}
    for version in range(1, 6):
        publish_version(home, version)
        named[version] = named_by_current(home)
    orphan = home.repo.add_blob("从未发布的内容".encode())  # added by a publish that then failed
    partial = home.repo.path / "packs" / (sha256_hex(b"x") + ".tmp")  # an interrupted write
    partial.write_bytes(b"half")
    return home, named, orphan, partial


def city(*args: str) -> int:
    return city_cli.main(list(args))


def gc_json(capsys, home: CityHome, *args: str) -> dict:
    capsys.readouterr()
    assert city("--home", str(home.path), "gc", "--json", *args) == 0
    return json.loads(capsys.readouterr().out)


def test_each_publish_keeps_its_root(published):
    home, named, _, _ = published
    records = sorted(p.name for p in home.repo.roots_dir.iterdir())
    assert records == [f"{v}.json" for v in range(1, 6)]
    assert (home.repo.roots_dir / "5.json").read_bytes() == home.repo.root_path.read_bytes()
    assert parse_root((home.repo.roots_dir / "2.json").read_bytes())[0].version == 2


def test_dry_run_removes_nothing_and_gc_removes_exactly_the_unreachable_files(published, capsys):
    home, named, orphan, partial = published
    before = files(home)
    reachable = named[3] | named[4] | named[5]
    assert named[1] - reachable and named[2] - reachable  # old versions did name files of their own
    doomed = set(before) - reachable

    records = sum(len(home.repo.root_record_path(v).read_bytes()) for v in (1, 2))
    dry = gc_json(capsys, home, "--keep-days", "0", "--dry-run")
    assert files(home) == before and partial.exists() and (home.repo.roots_dir / "1.json").exists()
    assert dry["dry_run"] and dry["kept_versions"] == [3, 4, 5] and dry["removed_versions"] == [1, 2]

    done = gc_json(capsys, home, "--keep-days", "0")
    after = files(home)
    assert set(after) == reachable and not partial.exists()
    assert ("blobs", orphan) in doomed and ("blobs", orphan) not in after
    assert done["removed_files"] == dry["removed_files"] == len(doomed) + 2  # + the records of 1 and 2
    assert done["removed"]["partial"] == 1 and done["removed"]["roots"] == 2
    assert done["freed_bytes"] == dry["freed_bytes"] == sum(before[f] for f in doomed) + records
    assert done["kept_files"] == len(reachable) and done["missing"] == 0
    assert sorted(p.name for p in home.repo.roots_dir.iterdir()) == [
        "3.json",
        "4.json",
        "5.json",
        "collected",
    ]

    again = gc_json(capsys, home)  # the default window (3 versions, 7 days): records 1, 2 are gone on purpose
    assert again["removed_files"] == 0 and again["kept_versions"] == [3, 4, 5]


def test_the_text_report_is_chinese_then_english(published, capsys):
    home, _, _, _ = published
    capsys.readouterr()
    assert city("--home", str(home.path), "gc", "--keep-versions", "4", "--keep-days", "0") == 0
    zh, en = capsys.readouterr().out.splitlines()
    assert zh.startswith("已删除 ") and "保留版本 2、3、4、5（当前 5）" in zh and "释放" in zh
    assert en.startswith("removed ") and "bytes freed; kept versions 2, 3, 4, 5 (current 5)" in en


def test_versions_published_within_the_window_of_days_are_kept(tmp_path, monkeypatch):
    home = make_city(tmp_path / "city")
    for version in range(1, 6):  # one version a day
        moment = T0 + timedelta(days=version)
        monkeypatch.setattr(city_repo, "make_root", lambda *a, m=moment, **k: make_root(*a, now=m, **k))
        publish_version(home, version)
    now = T0 + timedelta(days=7, hours=12)  # versions 4 and 5 are younger than 3.5 days
    report = gc.collect(home, keep_versions=1, keep_days=3.5, now=now, dry_run=True)
    assert report.kept_versions == [4, 5]
    assert gc.collect(home, keep_versions=1, keep_days=30, now=now, dry_run=True).kept_versions == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert gc.collect(home, keep_versions=2, keep_days=0, now=now, dry_run=True).kept_versions == [4, 5]
    assert gc.collect(home, keep_versions=1, keep_days=0, now=now).kept_versions == [5]


def view(home: CityHome, version: int, where: Path) -> Path:
    """A channel folder serving version `version` (its kept root) over the gc'd repository's files."""
    where.mkdir()
    shutil.copyfile(home.repo.root_record_path(version), where / "root.json")
    for folder in FOLDERS:
        (where / folder).symlink_to(home.repo.path / folder)
    return where


def open_kiosk(path: Path, home: CityHome) -> tuple[Library, SyncClient]:
    library = Library(path / "library.db", blobs_dir=path / "blobs")
    return library, SyncClient(library, path / "sync", pinned=home.trusted_keys(), channel="test")


def bodies(library: Library) -> dict[str, str]:
    with library.transaction() as db:
        return dict(db.execute("SELECT id, body_md FROM items").fetchall())


def expected(version: int) -> dict[str, str]:
    return {item.id: item.body_md for item in version_items(version)}


def test_a_kiosk_syncs_every_kept_version_from_scratch_and_from_an_older_state(tmp_path, capsys):
    home = make_city(tmp_path / "city")
    publish_version(home, 1)
    old, old_client = open_kiosk(tmp_path / "old", home)  # a kiosk that last synced version 1
    with background(create_app(home)) as url:
        assert old_client.sync(HttpSource(url + "/channel/", FAST)).to_version == 1
    for version in range(2, 6):
        publish_version(home, version)
    gc_json(capsys, home, "--keep-days", "0")  # keeps 3, 4, 5: everything only version 1 or 2 named goes

    for version in (3, 4, 5):
        library, client = open_kiosk(tmp_path / f"fresh-{version}", home)
        with library, background(create_app(home, view(home, version, tmp_path / f"v{version}"))) as url:
            report = client.sync(HttpSource(url + "/channel/", FAST))
            assert (report.to_version, report.added) == (version, len(expected(version)))
            assert bodies(library) == expected(version)
    with old:
        for version in (3, 5):  # from version 1, whose own files are gone, to 3 and then to 5
            with background(create_app(home, tmp_path / f"v{version}")) as url:
                report = old_client.sync(HttpSource(url + "/channel/", FAST))
            assert report.from_version in (1, 3) and report.to_version == version
            assert bodies(old) == expected(version)


@pytest.mark.parametrize("keep_versions", [2, 1])
def test_a_kiosk_halfway_through_the_previous_version_finishes_it(tmp_path, keep_versions):
    """The kiosk has fetched root.json of version 3 when the city publishes version 4 and runs gc. With the
    previous version kept it finishes version 3; keeping only the current one (what the default window
    prevents) leaves it unable to, so it applies nothing, and its next sync gets version 4."""
    home = make_city(tmp_path / "city")
    for version in (1, 2, 3):
        publish_version(home, version)
    library, client = open_kiosk(tmp_path / "kiosk", home)
    app = create_app(home)
    ran = threading.Event()

    async def meddling(scope, receive, send):
        if scope["type"] == "http" and not scope["path"].endswith("root.json") and not ran.is_set():
            ran.set()
            publish_version(home, 4)
            gc.collect(home, keep_versions=keep_versions, keep_days=0)
        return await app(scope, receive, send)

    with library, background(meddling) as url:
        if keep_versions == 2:
            report = client.sync(HttpSource(url + "/channel/", FAST))
            assert report.to_version == 3 and bodies(library) == expected(3)
        else:
            with pytest.raises(ChannelError) as info:  # a shard of version 3 is gone (HTTP 404)
                client.sync(HttpSource(url + "/channel/", FAST))
            assert isinstance(info.value, Incomplete | NotOnSource) and bodies(library) == {}
        assert ran.is_set()
        report = client.sync(HttpSource(url + "/channel/", FAST))
        assert report.to_version == 4 and bodies(library) == expected(4)


def everything(home: CityHome) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in home.path.rglob("*") if p.is_file() and p.suffix != ".lock"}


def refused(capsys, home: CityHome, *args: str) -> str:
    """Run `city gc` expecting a refusal; nothing under the city home may have changed."""
    before = everything(home)
    capsys.readouterr()
    assert city("--home", str(home.path), "gc", *args) == 2
    assert everything(home) == before
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "\nerror: " in err
    return err


def test_an_unreadable_root_record_stops_gc(published, capsys):
    home, _, _, _ = published
    (home.repo.roots_dir / "4.json").write_bytes(b'{"signed": {"version": 4')  # a kept version's record
    err = refused(capsys, home)
    assert "roots/4.json 无法解析" in err and "未删除任何文件" in err
    (home.repo.roots_dir / "4.json").write_bytes(home.repo.root_path.read_bytes())  # version 5 as "4"
    assert "与文件名或当前频道不符" in refused(capsys, home)


def test_an_unreadable_record_of_an_old_version_stops_gc_too(published, capsys):
    home, _, _, _ = published
    (home.repo.roots_dir / "1.json").write_bytes(b"\xff\xfe")  # when it was published cannot be known
    assert "roots/1.json 无法解析" in refused(capsys, home, "--keep-days", "0")


def test_an_unparsable_current_root_stops_gc(published, capsys):
    home, _, _, _ = published
    home.repo.root_path.write_bytes(home.repo.root_path.read_bytes()[:-20])
    assert "root.json 无法解析" in refused(capsys, home)


def test_a_missing_or_corrupt_shard_of_a_kept_version_stops_gc(published, capsys):
    home, named, _, _ = published
    shard = sorted(name for folder, name in named[4] - named[3] - named[5] if folder == "shards")[0]
    path = home.repo.shard_path(shard)
    data = path.read_bytes()
    path.write_bytes(data[:-1] + b" ")
    err = refused(capsys, home)
    assert "版本 4 的分片" in err and "已损坏" in err and "未删除任何文件" in err
    path.unlink()
    err = refused(capsys, home)
    assert "版本 4 的分片" in err and "缺失" in err and "nothing was removed" in err


def test_a_repository_published_before_root_records_needs_an_explicit_choice(published, capsys):
    home, named, _, _ = published
    shutil.rmtree(home.repo.roots_dir)  # as published by an earlier release
    err = refused(capsys, home)
    assert "版本 4 没有根清单记录" in err and "--keep-versions 1 --keep-days 0" in err
    done = gc_json(capsys, home, "--keep-versions", "1", "--keep-days", "0")
    assert done["kept_versions"] == [5] and set(files(home)) == named[5]
    assert (home.repo.roots_dir / "5.json").read_bytes() == home.repo.root_path.read_bytes()
    assert gc_json(capsys, home)["removed_files"] == 0  # versions 1..4 are known to be collected now


def test_a_record_left_by_a_publish_that_stopped_before_root_json_goes(published, capsys):
    home, named, _, _ = published
    shutil.copyfile(home.repo.root_path, home.repo.roots_dir / "6.json")
    assert gc_json(capsys, home)["removed_versions"] == [6]
    assert not (home.repo.roots_dir / "6.json").exists()


def test_gc_waits_for_a_running_publish_and_then_refuses(published):
    home, _, _, _ = published
    before = files(home)
    holding, release = threading.Event(), threading.Event()

    def publisher():
        with publish_lock(home):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=publisher)
    thread.start()
    try:
        assert holding.wait(5)
        with pytest.raises(CityError) as info:
            gc.collect(home, keep_days=0, wait=0.3)
        assert "正在进行" in info.value.zh and files(home) == before
    finally:
        release.set()
        thread.join()
    assert gc.collect(home, keep_days=0, wait=0.3).removed_files > 0


def test_bad_options_are_refused(published, capsys):
    home, _, _, _ = published
    assert "至少为 1" in refused(capsys, home, "--keep-versions", "0")
    assert "不能为负数" in refused(capsys, home, "--keep-days", "-1")


def test_gc_needs_a_published_version(tmp_path, capsys):
    home = make_city(tmp_path / "city")
    capsys.readouterr()
    assert city("--home", str(home.path), "gc") == 2
    assert "尚未发布任何版本" in capsys.readouterr().err
