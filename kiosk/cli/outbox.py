"""`kiosk outbox status [--json]`, `kiosk outbox retry-refused [--json]` and `kiosk outbox export --to DIR
[--json]`: the records waiting for the city, and those it refused.

`status` also lists the records the city refused for what they are (HTTP 422, 413): out of the retry
loop, kept with the city's reason; `retry-refused` puts them back once the cause is fixed.

`export` is for a kiosk without network that syncs its content from a USB stick: it writes every pending
record onto the stick exactly as the upload would send it (content/outbox_file.py) and takes the records
out of the backlog once the file is on disk; at the city, `city import-outbox DIR` takes them in.
"""

from __future__ import annotations

from pathlib import Path

from content.outbox import Outbox
from content.outbox_file import OutboxFileError, export_outbox
from kiosk import enrolment
from kiosk import library as library_service
from kiosk.cli import print_json
from kiosk.i18n import tr, translate

ORDER = 55


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "outbox", help="待上传记录：状态、导出到 U 盘 outbox status, export to USB"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="待上传记录数、上限和提醒 backlog, bound and warning")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    retry = actions.add_parser(
        "retry-refused", help="把被市级平台拒收的记录重新放回上传队列 put refused records back in the outbox"
    )
    retry.add_argument("--json", action="store_true")
    retry.set_defaults(handler=_retry_refused)
    export = actions.add_parser(
        "export", help="把待上传记录导出到 U 盘（无网络时）write pending records to a USB folder"
    )
    export.add_argument("--to", type=Path, required=True, metavar="DIR", help="U 盘上的文件夹 folder")
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=_export)


def _outbox(library, ctx) -> Outbox:
    return Outbox(library, capacity=ctx.config["sync.outbox_max"])


def _status(args, ctx) -> int:
    with library_service.open_library(ctx.config, ctx.data_dir) as library:
        outbox = _outbox(library, ctx)
        status, refused = outbox.status(), outbox.refused()
    if args.json:
        print_json({**status.to_dict(), "refused_records": [r.to_dict() for r in refused]})
        return 0
    if status.oldest:
        print(
            tr(
                "待上传记录 {pending} 条，上限 {capacity} 条，最早一条记于 {oldest}",
                pending=status.pending,
                capacity=status.capacity,
                oldest=status.oldest,
            )
        )
    else:
        print(
            tr(
                "待上传记录 {pending} 条，上限 {capacity} 条",
                pending=status.pending,
                capacity=status.capacity,
            )
        )
    print(
        tr(
            "已上传 {sent} 条，经 U 盘交回 {exported} 条",
            sent=status.sent_total,
            exported=status.exported_total,
        )
    )
    if status.superseded_total:
        print(
            tr(
                "未送出即被新心跳取代的设备心跳 {count} 条（只需上报最新状态，本机记录仍保留）",
                count=status.superseded_total,
            )
        )
    if status.failing:
        print(tr("上传失败待重试 {count} 条：{error}", count=status.failing, error=status.last_error or ""))
    if status.refused:
        print(tr("被市级平台拒收、已移出上传队列的记录 {count} 条（保留在本机）：", count=status.refused))
        for record in refused:
            print(
                f"  {record.refused_at} {record.kind} {record.id} HTTP {record.status}：{record.reason_zh or record.reason}"
            )
        print(tr("原因排除后可执行 kiosk outbox retry-refused 重新上传"))
    if status.warning_zh:
        print(tr("注意：{warning}", warning=translate(status.warning_zh)))
    print(
        f"pending {status.pending} of {status.capacity}; uploaded {status.sent_total}, "
        f"exported {status.exported_total}, failing {status.failing}, heartbeats superseded {status.superseded_total}, "
        f"refused by the city {status.refused}"
    )
    return 0


def _retry_refused(args, ctx) -> int:
    with library_service.open_library(ctx.config, ctx.data_dir) as library:
        moved = _outbox(library, ctx).retry_refused()
    if args.json:
        print_json({"requeued": moved})
        return 0
    print(tr("已把 {count} 条被拒收的记录放回上传队列", count=moved))
    print(f"{moved} refused records are back in the outbox")
    return 0


def _export(args, ctx) -> int:
    enrolled = enrolment.load(ctx.data_dir)
    if enrolled is None:
        raise enrolment.EnrolmentError(
            "this kiosk is not enrolled", tr("本机尚未登记：请先执行 kiosk enrol 登记文件")
        )
    try:
        private_key = enrolled.private_key
    except enrolment.EnrolmentError:
        raise OutboxFileError(
            "a USB export needs the kiosk's ed25519 key to sign it; this kiosk is enrolled with a token, "
            "which must not travel on a stick",
            tr(
                "经 U 盘导出需要用本机的 ed25519 密钥签名，而本机登记的是访问令牌（令牌不能写入 U 盘）："
                "请让市级管理员用 ed25519 密钥重新登记本机（city enrol 不加 --token）"
            ),
        ) from None
    with library_service.open_library(ctx.config, ctx.data_dir) as library:
        report = export_outbox(_outbox(library, ctx), enrolled.kiosk_id, private_key, args.to)
    if args.json:
        print_json(report.to_dict())
        return 0
    if not report.records and not report.too_large:
        print(tr("没有待上传的记录，未写入文件"))
        print("nothing to export: the outbox is empty")
        return 0
    print(
        tr(
            "已导出 {records} 条记录到 {folder}（{files} 个文件），请带到市级平台执行 city import-outbox；"
            "本机剩余待上传 {pending} 条",
            records=report.records,
            folder=args.to,
            files=len(report.files),
            pending=report.pending,
        )
    )
    print(
        f"exported {report.records} records to {args.to} ({len(report.files)} files) for "
        f"`city import-outbox`; {report.pending} still pending"
    )
    if report.too_large:
        print(tr("注意：{count} 条记录超过 1 MB，市级平台无法接收，仍保留在本机", count=report.too_large))
        print(f"warning: {report.too_large} records are over 1 MiB, which the city refuses; they stay here")
    return 0
