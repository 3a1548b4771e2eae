"""Importing a gazette issue file into the library: read, parse, check, then store in one transaction.

Nothing is skipped silently: table-of-contents entries that could not be matched are named, and the
import fails unless the caller allows a partial import. A failed import leaves the store unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from content.errors import ImportFailed
from content.gazette import parse_gazette, read_gazette_file
from content.store import Library, WriteReport
from translatable import Message


@dataclass
class ImportResult:
    issue_id: str
    issue_name: str
    documents: int
    interpretations: int
    report: WriteReport
    unmatched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"

    def to_dict(self) -> dict:
        return {
            "issue_id": self.issue_id,
            "issue": self.issue_name,
            "documents": self.documents,
            "interpretations": self.interpretations,
            "encoding": self.encoding,
            **self.report.summary(),
            "unmatched": self.unmatched,
            "warnings": self.warnings,
        }


def import_gazette(
    library: Library, path: Path, *, allow_partial: bool = False, max_bytes: int = 50 * 2**20
) -> ImportResult:
    loaded = read_gazette_file(path, max_bytes=max_bytes)
    parsed = parse_gazette(loaded.text, source=path.name)
    unlinked = [i.title for i in parsed.items if i.kind == "interpretation" and not i.interprets_id]
    if parsed.unmatched and not allow_partial:
        names = "；".join(parsed.unmatched)
        raise ImportFailed(
            f"{len(parsed.unmatched)} table-of-contents entries have no matching document: {names} "
            "(use --allow-partial to import the rest)",
            Message(
                "目录中有 {count} 篇文件在正文中找不到：{names}。未导入任何内容（可加 --allow-partial 导入其余部分）。",
                count=len(parsed.unmatched),
                names=names,
            ),
        )
    if unlinked and not allow_partial:
        names = "；".join(unlinked)
        raise ImportFailed(
            f"{len(unlinked)} interpretations name no document of this issue: {names} (use --allow-partial)",
            Message(
                "有 {count} 篇解读找不到所解读的文件：{names}。未导入任何内容（可加 --allow-partial 仍然导入）。",
                count=len(unlinked),
                names=names,
            ),
        )
    report = library.replace_issue(parsed.issue, parsed.items)
    kinds = [item.kind for item in parsed.items]
    return ImportResult(
        issue_id=parsed.issue.id,
        issue_name=Message(
            "{name} {year}年第{number}号",
            name=parsed.issue.name,
            year=parsed.issue.year,
            number=parsed.issue.number,
        ),
        documents=kinds.count("document"),
        interpretations=kinds.count("interpretation"),
        report=report,
        unmatched=list(parsed.unmatched),
        warnings=[*loaded.warnings, *parsed.warnings],
        encoding=loaded.encoding,
    )
