"""`city applications list|show`: the inbox of disclosure applications.

    city applications list [--overdue] [--json]    number, kiosk, date of receipt, deadline, agency
    city applications show NUMBER [--json]          the sealed form, opened with the city's key
    city applications reply NUMBER --kind 予以公开 [--text …]   答复 (Art. 36: one of its seven kinds)
    city applications reply NUMBER --correction --text …        补正 (Art. 30)
    city applications reply NUMBER --extend-to YYYY-MM-DD [--text …]   延期 (Art. 33, once)

    city applications holidays FILE.json            a year's holiday table (holiday-cn format) to the kiosks
    city applications agencies FILE.json            the agencies kiosks offer: {"agencies": ["…", …]}

A reply, 补正 or 延期 is published at once to the kiosks as the application's status record (keyed by a
hash of the number and the phone's last four digits), which 查询申请进度 shows after their next sync.

`show` prints the applicant's personal data: it is for the office that answers, on the city's machine.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from city import applications
from city.home import CityError, CityHome
from content.application_status import CORRECTION, EXTENSION, REPLY, REPLY_KINDS

LABELS = {
    "kind": "申请人类型",
    "name": "姓名/名称",
    "id_number": "身份证号码",
    "credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "contact_person": "联系人",
    "phone": "联系电话",
    "address": "通信地址",
    "email": "电子邮箱",
    "description": "所需信息的描述",
    "doc_number": "文号",
    "doc_title": "文件名称",
    "item_id": "库内文件编号",
    "medium": "提供形式",
    "route": "获取方式",
    "agency": "受理机关",
    "filled_by_staff": "代为填写",
}


def _list(args, home: CityHome) -> int:
    today = applications.today()
    entries = [e for e in applications.inbox(home) if not args.overdue or e.overdue(today)]
    if args.json:
        print(
            json.dumps(
                [e.to_dict() | {"overdue": e.overdue(today)} for e in entries], ensure_ascii=False, indent=1
            )
        )
        return 0
    if not entries:
        print("没有逾期的申请" if args.overdue else "尚未收到申请")
        return 0
    for e in entries:
        due = (
            e.deadline
            + ("（预估）" if e.deadline_estimated else "")
            + ("  已逾期" if e.overdue(today) else "")
        )
        print(f"{e.number}  {e.kiosk_id}  收到 {e.received_on}  答复期限 {due}  {e.agency}")
    return 0


def _show(args, home: CityHome) -> int:
    body = applications.open_application(home, args.number)
    if args.json:
        print(json.dumps(body, ensure_ascii=False, indent=1))
        return 0
    print(f"申请编号：{body['number']}（一体机 {body['kiosk_id']}）")
    estimated = "（预估）" if body["deadline_estimated"] else ""
    print(f"收到日期：{body['received_on']}    答复期限：{body['deadline']}{estimated}")
    for field, value in body["application"].items():
        if value not in ("", False):
            print(f"{LABELS.get(field, field)}：{'是' if value is True else value}")
    return 0


def _reply(args, home: CityHome) -> int:
    chosen = [bool(args.kind), args.correction, bool(args.extend_to)]
    if sum(chosen) != 1:
        raise CityError(
            "give exactly one of --kind, --correction, --extend-to",
            "请只选择一项：--kind（答复）、--correction（补正）或 --extend-to（延期）",
        )
    if args.correction and not args.text:
        raise CityError("a correction notice needs --text", "补正通知须用 --text 说明需要补正的内容")
    deadline = None
    if args.extend_to:
        try:
            deadline = date.fromisoformat(args.extend_to)
        except ValueError:
            raise CityError(
                f"not a date: {args.extend_to}", f"日期格式不对：{args.extend_to}（应为 YYYY-MM-DD）"
            ) from None
    kind = REPLY if args.kind else CORRECTION if args.correction else EXTENSION
    result = applications.answer(
        home, args.number.strip().upper(), kind, args.text, reply=args.kind or "", deadline=deadline
    )
    print(f"已记录{kind}并发布：频道版本 {result.version}，一体机同步后可查询")
    return 0


def _file(args, home: CityHome) -> int:
    data = Path(args.file).read_bytes()
    if args.applications_command == "holidays":
        try:
            year = json.loads(data)["year"]
        except (ValueError, KeyError, TypeError):
            raise CityError(f"{args.file}: no year", f"{args.file} 中没有年份（year）") from None
        name = f"holidays/{year}.json"
    else:
        name = "agencies.json"
    result = applications.publish_file(home, name, data)
    print(f"已发布 {name}：频道版本 {result.version}，一体机同步后生效")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("applications", help="信息公开申请 disclosure applications received")
    commands = p.add_subparsers(
        dest="applications_command", metavar="list|show|reply|holidays|agencies", required=True
    )
    q = commands.add_parser("list", help="已收到的申请 list them")
    q.add_argument("--overdue", action="store_true", help="只列出已逾期的 only those past their deadline")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_list)
    q = commands.add_parser("show", help="打开一件申请 open one with the city's key")
    q.add_argument("number")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_show)
    q = commands.add_parser("reply", help="答复、补正或延期 answer, ask for a correction or extend")
    q.add_argument("number")
    q.add_argument("--kind", choices=REPLY_KINDS, help="答复的种类（条例第三十六条）")
    q.add_argument("--correction", action="store_true", help="补正通知（第三十条）")
    q.add_argument("--extend-to", metavar="YYYY-MM-DD", help="延长答复期限至（第三十三条，仅一次）")
    q.add_argument("--text", default="", help="说明（获取方式、理由、负责公开的机关、需补正的内容）")
    q.set_defaults(handler=_reply)
    for name, text in (
        ("holidays", "发布节假日表 a year's holiday table"),
        ("agencies", "发布受理机关名录 the agencies"),
    ):
        q = commands.add_parser(name, help=text)
        q.add_argument("file")
        q.set_defaults(handler=_file)
