"""Helpers for the channel and sync tests: a city home, generated items, a kiosk library and snapshots."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from city.home import CityHome
from city.publish import items_collection, publish
from content.model import Item
from content.store import Library
from content.sync import SyncClient

PHRASES = (
    "秸秆综合利用",
    "老旧小区改造",
    "冷链物流",
    "节能减排",
    "政务公开专区",
    "国土绿化",
    "地下水超采治理",
)


def make_city(path: Path, channel: str = "test") -> CityHome:
    home = CityHome(path)
    home.save_settings(channel=channel)
    home.keygen()
    return home


def item(n: int, revision: int = 0, body_chars: int = 300, kind: str = "document") -> Item:
    seed = hashlib.sha256(f"{n}-{revision}".encode()).hexdigest()
    phrase = PHRASES[n % len(PHRASES)]
    body = (f"第{n}号文件（修订{revision}）：关于{phrase}的通知。{seed}" * (body_chars // 60 + 1))[
        :body_chars
    ]
    return Item(
        id=f"doc-{n:06d}",
        kind=kind,
        title=f"关于{phrase}工作的通知（{n}）",
        body_md=body,
        doc_number=f"定政发〔2022〕{n}号",
        date="2022-03-01",
        section="市政府文件",
        origin="city",
        source="test",
    )


def publish_items(home: CityHome, items: list[Item], name: str = "docs", **kw):
    return publish(home, items_collection(home, name, items), **kw)


def open_kiosk(path: Path, home: CityHome, **kw) -> tuple[Library, SyncClient]:
    library = Library(path / "library.db", blobs_dir=path / "blobs")
    client = SyncClient(library, path / "sync", pinned=home.trusted_keys(), channel=home.channel(), **kw)
    return library, client


def snapshot(library: Library) -> tuple:
    """Everything a sync may change, to assert that a refused sync changed nothing."""
    with library.transaction() as db:
        items = db.execute("SELECT id, version, content_hash, origin FROM items ORDER BY id").fetchall()
        state = db.execute("SELECT channel, version, root_sha256 FROM sync_state").fetchall()
        entries = db.execute("SELECT count(*), coalesce(sum(size), 0) FROM sync_entries").fetchone()
        issues = db.execute("SELECT id, content_hash FROM issues ORDER BY id").fetchall()
    return items, state, entries, issues


def resign_root(home: CityHome, root_path: Path, edit) -> None:
    """Rewrite a root.json with `edit(signed)` applied and a valid signature by the city's key."""
    from content.channel import canonical_json

    document = json.loads(root_path.read_bytes())
    edit(document["signed"])
    key = home.current_key()
    document["signatures"] = [{"key_id": key.key_id, "sig": key.sign(canonical_json(document["signed"]))}]
    root_path.write_bytes(json.dumps(document, ensure_ascii=False).encode())
