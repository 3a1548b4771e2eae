"""Publishing: turn a gazette issue, a folder of documents and notices, or a folder of service guides into the
channel's next version.

The channel's content is the union of *collections*: a gazette issue, or a folder. Publishing a
collection again replaces exactly its entries (what the issue or folder no longer holds is removed
from the channel, and kiosks remove it on their next sync); other collections stay as they are.
A folder holds `*.json` files, each one item (the fields of `content.model.Item`), a list of items, or
`{"items": [...], "aliases": [[term, expansion], ...]}`. An item may list attachments as
`{"file": "relative/path.pdf", "name": "…", "mime": "application/pdf"}`.
A folder of service guides holds files in the guide format (`content/data/guide.schema.json`), checked
as `kiosk content import-guides` checks them; their forms travel as attachments.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

from city.home import CityError, CityHome
from city.lock import publish_lock
from city.repo import PublishResult
from content.channel import (
    Entry,
    encode_record,
    issue_record,
    item_record,
    sha256_hex,
)
from content.guides_record import record_guide
from content.model import KINDS, Attachment, GazetteIssue, GuideFields, Item


@dataclass
class Collection:
    name: str
    entries: list[Entry]
    documents: int = 0
    notices: int = 0


def _record_entry(home: CityHome, kind: str, entry_id: str, record_kind: str, value: Any) -> Entry:
    data = encode_record(record_kind, value)
    return Entry(kind, entry_id, home.repo.add_blob(data), len(data))


def gazette_collection(home: CityHome, path: Path, *, allow_partial: bool = False) -> Collection:
    from content.gazette import parse_gazette, read_gazette_file

    loaded = read_gazette_file(path)
    text = loaded.text if hasattr(loaded, "text") else loaded
    parsed = parse_gazette(text, source=path.name)
    if parsed.unmatched and not allow_partial:
        raise CityError(
            f"{len(parsed.unmatched)} table-of-contents entries have no document: {'; '.join(parsed.unmatched)}",
            f"目录中有 {len(parsed.unmatched)} 篇文件在正文中找不到：{'；'.join(parsed.unmatched)}，未发布",
        )
    return items_collection(home, f"gazette:{parsed.issue.id}", parsed.items, issue=parsed.issue)


def items_collection(
    home: CityHome,
    name: str,
    items: Iterable[Item],
    *,
    issue: GazetteIssue | None = None,
    aliases: list[list[str]] | None = None,
    attachments: dict[str, list[tuple[Attachment, bytes]]] | None = None,
) -> Collection:
    collection = Collection(name, [])
    attachments = attachments or {}
    for item in items:
        files = attachments.get(item.id, [])
        for _attachment, data in files:
            sha = home.repo.add_blob(data)
            collection.entries.append(Entry("attachment", f"attachment:{sha}", sha, len(data)))
        value = item_record(item, [a for a, _ in files])
        collection.entries.append(_record_entry(home, item.kind, item.id, "item", value))
        collection.notices += item.kind == "notice"
        collection.documents += item.kind != "notice"
    if issue is not None:
        collection.entries.append(
            _record_entry(home, "issue", f"issue:{issue.id}", "issue", issue_record(issue))
        )
    if aliases:
        collection.entries.append(_record_entry(home, "aliases", "aliases", "aliases", aliases))
    return collection


def guides_collection(home: CityHome, folder: Path) -> Collection:
    """Every guide file under `folder` (a bad file refuses the whole folder, naming file, line and field)."""
    from content.guides_import import load_guides

    if not folder.is_dir():
        raise CityError(f"{folder} is not a folder", f"{folder} 不是文件夹")
    loaded = load_guides(folder, origin="city")
    attachments = {
        guide.item.id: [
            (Attachment(ref.sha256, ref.mime, len(data), ref.name), data) for ref, data in guide.forms
        ]
        for guide in loaded
        if guide.forms
    }
    return items_collection(
        home, f"guides:{folder.resolve().name}", [g.item for g in loaded], attachments=attachments
    )


def folder_collection(home: CityHome, folder: Path) -> Collection:
    """Every `*.json` file under `folder` (see the module docstring)."""
    if not folder.is_dir():
        raise CityError(f"{folder} is not a folder", f"{folder} 不是文件夹")
    items: list[Item] = []
    aliases: list[list[str]] = []
    attachments: dict[str, list[tuple[Attachment, bytes]]] = {}
    for path in sorted(folder.rglob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CityError(
                f"{path}: not a JSON file ({exc})", f"{path}：不是有效的 JSON 文件（{exc}）"
            ) from exc
        if isinstance(data, dict) and "items" in data:
            aliases += data.get("aliases", [])
            data = data["items"]
        for raw in data if isinstance(data, list) else [data]:
            item, files = _item_from_json(raw, path, folder)
            items.append(item)
            if files:
                attachments[item.id] = files
    ids = [item.id for item in items]
    if len(ids) != len(set(ids)):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise CityError(f"duplicate item ids: {dupes}", f"条目编号重复：{dupes}")
    return items_collection(
        home, f"folder:{folder.resolve().name}", items, aliases=aliases, attachments=attachments
    )


_ITEM_FIELDS = {f.name for f in fields(Item)}


def _item_from_json(raw: Any, path: Path, folder: Path) -> tuple[Item, list[tuple[Attachment, bytes]]]:
    if not isinstance(raw, dict):
        raise CityError(f"{path}: an item must be an object", f"{path}：条目应为 JSON 对象")
    raw = dict(raw)
    files = []
    for spec in raw.pop("attachments", []):
        data = (folder / spec["file"]).read_bytes()
        files.append(
            (
                Attachment(
                    sha256_hex(data),
                    spec.get("mime", "application/octet-stream"),
                    len(data),
                    spec.get("name", ""),
                ),
                data,
            )
        )
    unknown = set(raw) - _ITEM_FIELDS
    if unknown:
        raise CityError(
            f"{path}: unknown item fields {sorted(unknown)}", f"{path}：未知字段 {sorted(unknown)}"
        )
    raw.setdefault("origin", "city")
    raw.setdefault("source", path.name)
    if raw.get("kind") not in KINDS or not raw.get("id") or not raw.get("title"):
        raise CityError(
            f"{path}: an item needs id, title and a kind of {KINDS}",
            f"{path}：条目需要 id、title 和类型 {KINDS}",
        )
    if raw["origin"] not in ("city", "gazette"):
        raise CityError(f"{path}: origin must be city or gazette", f"{path}：来源只能是 city 或 gazette")
    guide = raw.pop("guide", None)
    try:
        if guide and set(guide) <= set(GuideFields.__dataclass_fields__):
            guide = GuideFields(**guide)
        elif guide:
            guide = record_guide(guide)
        item = Item(**raw, guide=guide or None)
    except TypeError as exc:
        raise CityError(f"{path}: {exc}", f"{path}：条目字段错误（{exc}）") from exc
    return item, files


def publish(
    home: CityHome, collection: Collection, *, valid_days: int = 30, per_shard: int = 64, force: bool = False
) -> PublishResult:
    """Replace the collection's entries and sign the next version (under the publish lock; a caller
    that builds the collection should hold the lock around building it too, as `city publish` does, so
    `city gc` cannot remove the blobs it added in between)."""
    with publish_lock(home):
        return _publish(home, collection, valid_days=valid_days, per_shard=per_shard, force=force)


def _publish(
    home: CityHome, collection: Collection, *, valid_days: int, per_shard: int, force: bool
) -> PublishResult:
    with home.db() as conn, conn.transaction():
        conn.execute("DELETE FROM published WHERE collection = ?", [collection.name])
        conn.executemany(
            "INSERT INTO published (id, kind, sha256, size, collection) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, sha256 = excluded.sha256, "
            "size = excluded.size, collection = excluded.collection",
            [(e.id, e.kind, e.sha256, e.size, collection.name) for e in collection.entries],
        )
        entries = [Entry(*row) for row in conn.execute("SELECT kind, id, sha256, size FROM published")]
        result = home.repo.publish(
            home.current_key(),
            home.channel(),
            entries,
            home.rotations(),
            valid_for=timedelta(days=valid_days),
            per_shard=per_shard,
            force=force,
        )
    return result
