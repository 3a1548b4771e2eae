"""`city applications list|show|export`: the inbox of disclosure applications.

    city applications list [--overdue | --due-within N] [--json]   number, kiosk, receipt, deadline, agency
    city applications show NUMBER [--kiosk ID] [--json]  the sealed form, opened with the city's key
    city applications export FILE.csv|FILE.xlsx [--from D] [--to D] [--overdue]   the register (0600)
    city applications reply NUMBER --kind 予以公开 [--text …]   答复 (Art. 36: one of its seven kinds)
    city applications reply NUMBER --correction --text …        补正 (Art. 30)
    city applications reply NUMBER --extend-to YYYY-MM-DD [--text …]   延期 (Art. 33, once)
    city applications corrected NUMBER [--on YYYY-MM-DD]   the corrected application arrived (Art. 30)

    city applications holidays FILE.json            a year's holiday table (holiday-cn format) to the kiosks
    city applications agencies FILE.json            the agencies kiosks offer: {"agencies": ["…", …]}

A reply, 补正 or 延期 is published at once to the kiosks as the application's status record (keyed by a
hash of the number and the phone's last four digits), which 查询申请进度 shows after their next sync.

The deadlines are counted in working days (city/applications_due.py): `--due-within N` lists the open
applications with at most N working days left, and those overdue. Two kiosks' applications under one
number are both listed, marked 编号重复.

`show` and `export` give the applicant's personal data: they are for the office that answers, on the
city's machine.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from city import applications, applications_due, applications_export
from city.applications_export import LABELS
from city.home import CityError, CityHome
from content.application_status import CORRECTION, EXTENSION, REPLY, REPLY_KINDS


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise CityError(f"not a date: {text}", f"日期格式不对：{text}（应为 YYYY-MM-DD）") from None


def _list(args, home: CityHome) -> int:
    today = applications.today()
    listed = applications_due.due_list(home, applications.inbox(home), today)
    if args.overdue:
        listed = [d for d in listed if d.overdue]
    elif args.due_within is not None:
        listed = [d for d in listed if d.overdue or (d.deadline and d.working_days <= args.due_within)]
    if args.json:
        print(json.dumps([d.entry.to_dict() | d.to_dict() for d in listed], ensure_ascii=False, indent=1))
        return 0
    if not listed:
        print(
            "没有逾期的申请"
            if args.overdue
            else f"没有 {args.due_within} 个工作日内到期或已逾期的申请"
            if args.due_within is not None
            else "尚未收到申请"
        )
        return 0
    for d in listed:
        e = d.entry
        shared = f"  编号重复：一体机 {'、'.join(e.shared_with)} 也有此编号的申请" if e.shared_with else ""
        print(f"{e.number}  {e.kiosk_id}  收到 {e.received_on}  {d.describe()}  {e.agency}{shared}")
    return 0


def _show(args, home: CityHome) -> int:
    body = applications.open_application(home, args.number, args.kiosk)
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


def _corrected(args, home: CityHome) -> int:
    number = args.number.strip().upper()
    applications.open_application(home, number)  # it exists, under this number only
    applications_due.record_corrected(home, number, _day(args.on) or applications.today())
    entry = next(e for e in applications.inbox(home) if e.number == number)
    now = applications_due.due_list(home, [entry], applications.today())[0]
    print(f"已记录收到补正后的申请：{now.describe()}")
    return 0


def _export(args, home: CityHome) -> int:
    items = applications_export.select(
        home, applications.today(), since=_day(args.since), until=_day(args.until), overdue=args.overdue
    )
    count = applications_export.export(home, Path(args.file), items)
    print(f"已导出 {count} 件申请到 {Path(args.file).resolve()}（含个人信息，仅本用户可读，请妥善保管）")
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


def _working_days(text: str) -> int:
    if not text.isdigit() or int(text) > 200:
        raise argparse.ArgumentTypeError(f"工作日数应为 0–200 的整数：{text}")
    return int(text)


def add_parser(sub) -> None:
    p = sub.add_parser("applications", help="信息公开申请 disclosure applications received")
    commands = p.add_subparsers(
        dest="applications_command",
        metavar="list|show|export|reply|corrected|holidays|agencies",
        required=True,
    )
    q = commands.add_parser("list", help="已收到的申请 list them")
    chosen = q.add_mutually_exclusive_group()
    chosen.add_argument(
        "--overdue", action="store_true", help="只列出已逾期的 only those past their deadline"
    )
    chosen.add_argument(
        "--due-within",
        type=_working_days,
        metavar="N",
        help="已逾期及 N 个工作日内到期的 overdue or due within N working days",
    )
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_list)
    q = commands.add_parser("show", help="打开一件申请 open one with the city's key")
    q.add_argument("number")
    q.add_argument("--kiosk", help="编号重复时指明一体机 the kiosk, when two sent this number")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_show)
    q = commands.add_parser("export", help="导出申请登记表（含个人信息）the register as CSV or XLSX")
    q.add_argument("file", help="FILE.csv 或 FILE.xlsx")
    q.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help="收到日期起")
    q.add_argument("--to", dest="until", metavar="YYYY-MM-DD", help="收到日期止（含）")
    q.add_argument("--overdue", action="store_true", help="只导出已逾期的 only those past their deadline")
    q.set_defaults(handler=_export)
    q = commands.add_parser("reply", help="答复、补正或延期 answer, ask for a correction or extend")
    q.add_argument("number")
    q.add_argument("--kind", choices=REPLY_KINDS, help="答复的种类（条例第三十六条）")
    q.add_argument("--correction", action="store_true", help="补正通知（第三十条）")
    q.add_argument("--extend-to", metavar="YYYY-MM-DD", help="延长答复期限至（第三十三条，仅一次）")
    q.add_argument("--text", default="", help="说明（获取方式、理由、负责公开的机关、需补正的内容）")
    q.set_defaults(handler=_reply)
    q = commands.add_parser("corrected", help="收到补正后的申请 the corrected application arrived (Art. 30)")
    q.add_argument("number")
    q.add_argument("--on", metavar="YYYY-MM-DD", help="收到日期（默认今天）")
    q.set_defaults(handler=_corrected)
    for name, text in (
        ("holidays", "发布节假日表 a year's holiday table"),
        ("agencies", "发布受理机关名录 the agencies"),
    ):
        q = commands.add_parser(name, help=text)
        q.add_argument("file")
        q.set_defaults(handler=_file)
