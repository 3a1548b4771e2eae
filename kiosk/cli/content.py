"""`kiosk content …`: import a gazette issue or service guides, list, show, count and search the offline library."""

from __future__ import annotations

import html
import sys
import textwrap
from pathlib import Path

from content.guides_markdown import guide_markdown
from content.guides_record import guide_record
from content.model import KIND_NAMES, KINDS, Item
from content.store import Library
from kiosk import library as library_service
from kiosk.cli import print_json
from kiosk.i18n import tr, translate

ORDER = 20


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "content", help="资料库：导入、浏览、检索 the offline library: import, list, search"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    imp = actions.add_parser("import-gazette", help="导入一期政府公报 import a gazette issue file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--allow-partial", action="store_true", help="目录中有找不到的文件时仍导入其余部分")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_import)

    guides = actions.add_parser(
        "import-guides", help="导入办事指南 import service guides (a JSON file or a folder of them)"
    )
    guides.add_argument("path", type=Path, metavar="FILE|DIR")
    guides.add_argument("--json", action="store_true")
    guides.set_defaults(handler=_import_guides)

    lst = actions.add_parser("list", help="列出条目 list items")
    lst.add_argument("--kind", choices=KINDS)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)

    show = actions.add_parser("show", help="显示一个条目 show one item")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)

    stats = actions.add_parser("stats", help="资料库统计 library statistics")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=_stats)

    search = actions.add_parser("search", help="中文检索 search (words, pinyin, 文号)")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=_search)


def _open(ctx) -> Library:
    library = library_service.open_library(ctx.config, ctx.data_dir)
    if library.stats()["items"] == 0:
        # A newcomer who forgot KIOSK_DATA_DIR gets a new, empty library: say so instead of "没有找到".
        print(
            tr(
                "注意：资料库 {path} 是空的（尚未导入公报，也未同步）。\n"
                "  导入：kiosk content import-gazette 文件.md；演示资料库：KIOSK_DATA_DIR=data/demo\n"
                "note: the library at {path} is empty (set KIOSK_DATA_DIR to use another one)",
                path=library.path,
            ),
            file=sys.stderr,
        )
    return library


def summary(library: Library, item: Item) -> dict:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "doc_number": library.doc_number_of(item),
        "date": item.date,
        "section": item.section,
        "issuer": item.issuer,
        "interprets_id": item.interprets_id,
    }


def _import(args, ctx) -> int:
    with Library(ctx.data_dir / "library.db", blobs_dir=ctx.data_dir / "blobs") as library:
        result = library_service.import_file(library, ctx.config, args.file, allow_partial=args.allow_partial)
    if args.json:
        print_json(result.to_dict())
        return 0
    counts = result.report.summary()
    print(
        tr(
            "已导入 {issue}：{documents} 篇文件，{interpretations} 篇解读",
            issue=translate(result.issue_name),
            documents=result.documents,
            interpretations=result.interpretations,
        )
    )
    print(
        tr(
            "新增 {added}，更新 {updated}，未变 {unchanged}，删除 {removed}",
            added=counts["added"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            removed=counts["removed"],
        )
    )
    if result.encoding != "utf-8":
        print(tr("文件编码：{encoding}", encoding=result.encoding))
    for name in result.unmatched:
        print(tr("未找到（已跳过）：{name}", name=name))
    for warning in result.warnings:
        print(tr("注意：{warning}", warning=translate(warning)))
    return 0


def _import_guides(args, ctx) -> int:
    from content.guides_import import import_guides

    with Library(ctx.data_dir / "library.db", blobs_dir=ctx.data_dir / "blobs") as library:
        result = import_guides(library, args.path)
    if args.json:
        print_json(result.to_dict())
        return 0
    counts = result.report.summary()
    print(
        tr(
            "已导入办事指南 {guides} 项（{files} 个文件，表格和样表 {forms} 个）",
            guides=result.guides,
            files=result.files,
            forms=result.forms,
        )
    )
    print(
        tr(
            "新增 {added}，更新 {updated}，未变 {unchanged}",
            added=counts["added"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
        )
    )
    return 0


def _list(args, ctx) -> int:
    with _open(ctx) as library:
        rows = [summary(library, item) for item in library.items(args.kind)]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        number = f"  {row['doc_number']}" if row["doc_number"] else ""
        print(f"{row['id']}  [{KIND_NAMES[row['kind']]}] {row['date']}  {row['title']}{number}")
    print(tr("共 {count} 条", count=len(rows)))
    return 0


def _show(args, ctx) -> int:
    with _open(ctx) as library:
        item = library.get(args.id)
        interpretations = [i.id for i in library.interpretations_of(item.id)]
        attachments = [vars(a) for a in library.attachments_of(item.id)]
        doc_number = library.doc_number_of(item)
    if args.json:
        data = item.to_dict()
        data.update(doc_number=doc_number, interpretations=interpretations, attachments=attachments)
        if item.guide is not None:
            data["guide"] = guide_record(item.guide)
        print_json(data)
        return 0
    print(item.title)
    meta = [KIND_NAMES[item.kind], doc_number, item.issuer, item.date, item.section]
    print(" · ".join(m for m in meta if m))
    if item.interprets_id:
        print(tr("解读的文件：{id}", id=item.interprets_id))
    if interpretations:
        print(tr("相关解读：{ids}", ids=", ".join(interpretations)))
    print()
    if item.guide is not None:
        print(translate(guide_markdown(item.guide)))
    print(item.body_md)
    return 0


def _stats(args, ctx) -> int:
    with _open(ctx) as library:
        stats = library.stats()
    if args.json:
        print_json(stats)
        return 0
    kinds = "，".join(f"{KIND_NAMES[k]} {n}" for k, n in stats["by_kind"].items())
    print(tr("条目 {items}（{kinds}）", items=stats["items"], kinds=kinds))
    print(
        tr(
            "公报 {issues} 期，附件 {attachments} 个，正文 {chars} 字",
            issues=stats["gazette_issues"],
            attachments=stats["attachments"],
            chars=stats["text_chars"],
        )
    )
    print(tr("资料库 {path}", path=stats["database"]))
    print(
        tr(
            "数据库 {size} KB（含预写日志），结构版本 {schema}，检索索引 {index}",
            size=f"{stats['database_bytes'] / 1024:.0f}",
            schema=stats["schema"],
            index=stats["search_index"],
        )
    )
    return 0


def _search(args, ctx) -> int:
    with _open(ctx) as library:
        hits = library.search(args.query, limit=max(1, args.limit))
    if args.json:
        print_json([hit.to_dict() for hit in hits])
        return 0
    print_hits(hits)
    return 0


def print_hits(hits) -> None:
    if not hits:
        print(tr("没有找到"))
        return
    for n, hit in enumerate(hits, 1):
        number = f"  {hit.doc_number}" if hit.doc_number else ""
        print(f"{n:>2}. [{KIND_NAMES.get(hit.kind, hit.kind)}] {hit.title}{number}  ({hit.id})")
        snippet = hit.snippet.replace("<mark>", "【").replace("</mark>", "】")
        print(textwrap.indent(textwrap.fill(html.unescape(snippet), 60), "    "))
