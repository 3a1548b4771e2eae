"""`kiosk doctor [--json]`: the disk, the library and its check, sync, staging and outbox, for a technician;
`kiosk doctor --recover`: replace a damaged library with a fresh one keeping local notices and records
(content/recover.py), then the next sync fetches the content again. Stop the kiosk (`systemctl stop
zwgk-kiosk`) before recovering.
"""

from __future__ import annotations

from content.recover import recover
from kiosk.cli import print_json
from kiosk.doctor import examine
from kiosk.i18n import tr

ORDER = 85


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "doctor", help="检查磁盘、资料库、同步和待上传记录；--recover 重建损坏的资料库 check and recover"
    )
    parser.add_argument(
        "--recover",
        action="store_true",
        help="重建损坏的资料库，保留本地公告和待上传记录（先停止一体机程序）rebuild a damaged library",
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_doctor)


def _doctor(args, ctx) -> int:
    recovered = recover(ctx.data_dir) if args.recover else None
    findings = examine(ctx.config, ctx.data_dir)
    healthy = all(f.ok for f in findings)
    if args.json:
        print_json(
            {
                "healthy": healthy,
                "findings": [f.to_dict() for f in findings],
                "recovered": recovered.to_dict() if recovered else None,
            }
        )
        return 0 if healthy else 1
    if recovered is not None:
        print(
            tr(
                "资料库已重建：保留本地公告 {notices} 条、记录 {records} 条（待上传 {pending} 条，被拒收 {refused} 条）；"
                "损坏的文件留在 {damaged}",
                notices=recovered.notices,
                records=recovered.records,
                pending=recovered.pending,
                refused=recovered.refused,
                damaged=recovered.damaged,
            )
        )
        if recovered.damaged_tables:
            print(
                tr(
                    "以下数据表有损坏的页，其上的行已丢失：{tables}",
                    tables="、".join(recovered.damaged_tables),
                )
            )
        print(tr("下一步：启动一体机程序，或运行 kiosk sync --once 从市级平台重新同步内容"))
    for finding in findings:
        print(tr("正常  {what}", what=finding.zh) if finding.ok else tr("问题  {what}", what=finding.zh))
    print(tr("检查完毕，一切正常") if healthy else tr("发现问题，请按上面的提示处理"))
    return 0 if healthy else 1
