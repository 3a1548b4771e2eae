"""Service-guide files (`content/data/guide.schema.json`) into library items: read, check, then store in one
transaction.

A file holds one guide or a list of them; a folder is every `*.json` under it. Every file is read and
checked before anything is stored, and every problem is reported (file, line, field), so a bad file is
fixed in one round and nothing is ever half-imported. Forms (空白表格, 示例样表) and the hall map
(大厅平面图) are files named by a path relative to the guide's file, inside its folder; they are stored
once as attachments, named by SHA-256.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content.errors import ImportFailed
from content.guides_json import JsonSyntaxError, Parsed, parse
from content.guides_record import file_guide, file_refs
from content.guides_schema import FieldError, validate
from content.model import FileRef, Item
from content.store import Library, WriteReport
from translatable import Joined, Message

MAX_FILE_BYTES = 4 * 2**20
MAX_FORM_BYTES = 20 * 2**20


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file."""

    file: str
    line: int
    field: str  # for people: 申请材料第3项.份数
    zh: str
    en: str

    def __str__(self) -> str:
        return self.said()

    def said(self) -> Message:
        """The problem for staff, with where it is."""
        return Message(
            "{file}:{line}: {field}：{problem}",
            file=self.file,
            line=self.line,
            field=self.field,
            problem=self.zh,
        )


class GuideFilesRefused(ImportFailed):
    """Guide files with problems; nothing was imported."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = problems[:50]
        listed = Joined("\n  ", [p.said() for p in shown])
        if len(problems) > len(shown):
            listed = Message("{listed}\n……另有 {more} 处", listed=listed, more=len(problems) - len(shown))
        super().__init__(
            f"{len(problems)} problems in guide files, nothing imported: "
            + "; ".join(f"{p.file}:{p.line}: {p.field}: {p.en}" for p in shown),
            Message(
                "办事指南文件有 {count} 处错误，未导入任何内容：\n  {listed}",
                count=len(problems),
                listed=listed,
            ),
        )


@dataclass
class LoadedGuide:
    """A guide ready to store: its item and the forms it shows (with their bytes)."""

    item: Item
    forms: list[tuple[FileRef, bytes]] = field(default_factory=list)


def guide_files(path: Path) -> list[Path]:
    """The guide files at `path`: the file itself, or every `*.json` under a folder (not hidden ones)."""
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*.json")
            if not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    if path.is_file():
        return [path]
    raise ImportFailed(f"{path} does not exist", Message("找不到 {path}", path=path))


def load_guides(path: Path, *, origin: str = "city") -> list[LoadedGuide]:
    """Read and check every guide file at `path`; raise `GuideFilesRefused` naming every problem."""
    files = guide_files(path)
    base = path if path.is_dir() else path.parent
    if not files:
        raise ImportFailed(
            f"no *.json guide files under {path}", Message("{path} 下没有办事指南文件（*.json）", path=path)
        )
    problems: list[Problem] = []
    loaded: list[LoadedGuide] = []
    where: dict[str, str] = {}
    for file in files:
        name = file.relative_to(base).as_posix()
        guides = _load_file(file, name, base, origin, problems)
        for guide, line in guides:
            if guide.item.id in where:
                problems.append(
                    Problem(
                        name,
                        line,
                        "id",
                        Message("编号“{id}”与 {where} 重复", id=guide.item.id, where=where[guide.item.id]),
                        "duplicate id",
                    )
                )
            where.setdefault(guide.item.id, name)
            loaded.append(guide)
    if problems:
        raise GuideFilesRefused(problems)
    return loaded


def _load_file(
    file: Path, name: str, base: Path, origin: str, problems: list[Problem]
) -> list[tuple[LoadedGuide, int]]:
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    name,
                    1,
                    Message("（整个文件）"),
                    Message("文件太大（超过 {megabytes} MB）", megabytes=MAX_FILE_BYTES >> 20),
                    "too large",
                )
            )
            return []
        text = file.read_bytes().decode("utf-8").removeprefix("\ufeff")
        parsed = parse(text)
    except UnicodeDecodeError:
        problems.append(
            Problem(
                name,
                1,
                Message("（整个文件）"),
                Message("不是 UTF-8 编码的文本（请另存为 UTF-8）"),
                "not UTF-8",
            )
        )
        return []
    except OSError as exc:
        problems.append(
            Problem(
                name,
                1,
                Message("（整个文件）"),
                Message("无法读取（{strerror}）", strerror=exc.strerror),
                str(exc),
            )
        )
        return []
    except JsonSyntaxError as exc:
        problems.append(Problem(name, exc.line, Message("第 {column} 列", column=exc.column), exc.zh, exc.en))
        return []
    errors = validate(parsed)
    problems.extend(Problem(name, e.line, e.field(), e.zh, f"{e.pointer()}: {e.en}") for e in errors)
    if errors:
        return []
    records = parsed.value if isinstance(parsed.value, list) else [parsed.value]
    guides = []
    for index, record in enumerate(records):
        at = (index,) if isinstance(parsed.value, list) else ()
        forms = _read_forms(record, at, parsed, name, file.parent, base, problems)
        if forms is None:
            continue
        guide = file_guide(record)
        item = Item(
            id=record["id"],
            kind="guide",
            title=record["事项名称"].strip(),
            issuer=guide.authority,
            date=record.get("更新日期", ""),
            section=(guide.audiences() or ["公民类"])[0],
            topics=list(guide.themes),
            origin=origin,
            source=name,
            guide=guide,
        )
        guides.append((LoadedGuide(item, forms), parsed.line_of(at)))
    return guides


def _read_forms(
    record: dict[str, Any],
    at: tuple,
    parsed: Parsed,
    name: str,
    folder: Path,
    base: Path,
    problems: list[Problem],
) -> list[tuple[FileRef, bytes]] | None:
    """Read the files the guide names (forms, hall map) and put their stored form (sha256, 类型) in the record."""
    forms = []
    failed = False
    for holder, key, path in list(file_refs(record)):
        ref = holder[key]
        if "文件" not in ref:
            continue
        line = parsed.line_of((*at, *path, "文件"))
        shown = FieldError(path, line, "", "").field()
        target = (folder / ref["文件"]).resolve()
        if not target.is_relative_to(base.resolve()):
            problem = Message("文件应在办事指南所在的文件夹内"), "outside the folder"
        elif not target.is_file():
            problem = Message("找不到文件“{ref}”", ref=ref["文件"]), "no such file"
        elif target.stat().st_size > MAX_FORM_BYTES:
            problem = Message("文件太大（超过 {megabytes} MB）", megabytes=MAX_FORM_BYTES >> 20), "too large"
        else:
            try:
                data = target.read_bytes()
            except OSError as exc:
                problem = (
                    Message("无法读取文件“{ref}”（{strerror}）", ref=ref["文件"], strerror=exc.strerror),
                    str(exc),
                )
            else:
                mime = ref.get("类型") or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                stored = FileRef(ref.get("文件名") or target.name, hashlib.sha256(data).hexdigest(), mime)
                holder[key] = {"文件名": stored.name, "sha256": stored.sha256, "类型": stored.mime}
                forms.append((stored, data))
                continue
        problems.append(Problem(name, line, shown, *problem))
        failed = True
    return None if failed else forms


@dataclass
class GuideImportResult:
    files: int
    guides: int
    forms: int
    report: WriteReport

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "guides": self.guides, "forms": self.forms, **self.report.summary()}


def import_guides(library: Library, path: Path, *, origin: str = "city") -> GuideImportResult:
    """Check every guide file at `path`, then store them all (and their forms) in one transaction."""
    loaded = load_guides(path, origin=origin)
    with library.transaction():
        for guide in loaded:
            for ref, data in guide.forms:
                library.add_attachment(data, ref.mime)
        report = library.upsert_items([g.item for g in loaded])
        for guide in loaded:
            for ref, _data in guide.forms:
                library.link_attachment(guide.item.id, ref.sha256, ref.name)
    return GuideImportResult(
        files=len({g.item.source for g in loaded}),
        guides=len(loaded),
        forms=sum(len(g.forms) for g in loaded),
        report=report,
    )
