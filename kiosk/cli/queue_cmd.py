"""`kiosk queue status | services | windows [--set-pin N | --clear-pin N | --unlock N] | import FILE |
export [--day D] | report [--period P] | reset | example`: the queue-number machine (排队取号机) for
technicians, on `queue.db` in the data directory.

A new kiosk has no queue until a services/windows file is imported (`kiosk queue example` prints one to
start from); until then the 取号 tile does not appear.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from kiosk.cli import print_json
from kiosk.i18n import tr

ORDER = 57
DAY_NAMES = "一二三四五六日"  # 星期一 … 星期日, a character each

EXAMPLE = """\
# 排队取号配置：业务（service）和窗口（window）。导入：kiosk queue import 本文件
[queue]
priority_every = 3            # 每叫 3 个普通号叫 1 个绿色通道号
priority_age = 70             # 刷身份证时，年满 70 岁自动提供绿色通道（0 表示不提供）
recalls_before_no_show = 2    # 重呼 2 次后再重呼即为过号
call_timeout_minutes = 10     # 叫号后 10 分钟未开始办理即为过号（0 表示不限）
# status_url = "http://192.168.1.20:8470/t/"   # 号票二维码地址（默认为本机接口的地址）

[[service]]
key = "shebao"
name = "社保医保"
prefix = "A"
daily_cap = 300
hours = ["08:30-12:00", "13:30-17:00"]
days = [1, 2, 3, 4, 5]
id_card = "optional"          # none 不刷卡 / optional 可刷卡（用于绿色通道）/ required 必须刷卡
category = "公民类"
estimate_minutes = 5

[[service]]
key = "hukou"
name = "户籍办理"
prefix = "B"
id_card = "required"
hours = ["08:30-12:00", "13:30-17:00"]
days = [1, 2, 3, 4, 5]

[[window]]
number = 1
name = "1号窗口"
services = ["shebao"]
# pin = "246810"              # 窗口配对密码（6–8 位数字，导入时即转为散列，只保存散列）；也可写 pin_hash

[[window]]
number = 2
name = "2号窗口"
services = ["shebao", "hukou"]
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "queue", help="排队取号：状态、业务、窗口、导入、导出 queue-number machine"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text, handler in (
        ("status", "今天的排队情况 today's queue", _status),
        ("services", "业务列表 services", _services),
        ("windows", "窗口列表 windows", _windows),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("--json", action="store_true", help="JSON 输出")
        action.set_defaults(handler=handler)
        if name == "windows":
            pins = action.add_mutually_exclusive_group()
            pins.add_argument(
                "--set-pin", type=int, metavar="N", help="设置 N 号窗口的配对密码 set window N's PIN"
            )
            pins.add_argument("--clear-pin", type=int, metavar="N", help="取消 N 号窗口的配对密码")
            pins.add_argument("--unlock", type=int, metavar="N", help="解除 N 号窗口密码配对的锁定")
    imports = actions.add_parser(
        "import", help="导入业务和窗口配置（TOML 或 JSON）import services and windows"
    )
    imports.add_argument("file", type=Path, metavar="FILE")
    imports.set_defaults(handler=_import)
    export = actions.add_parser("export", help="导出某天的号票明细（CSV）export a day's tickets as CSV")
    export.add_argument("--day", type=_day, metavar="YYYY-MM-DD", help="日期（默认今天）")
    export.add_argument("--out", type=Path, metavar="FILE", help="写入文件（默认输出到屏幕）")
    export.set_defaults(handler=_export)
    report = actions.add_parser("report", help="报表：取号、等候、办理、过号、评价 report per day/week/month")
    report.add_argument(
        "--period", choices=("day", "week", "month"), default="day", help="日、周、月（默认今天）"
    )
    report.add_argument("--csv", action="store_true", help="CSV 输出")
    report.set_defaults(handler=_report)
    reset = actions.add_parser(
        "reset", help="结束今天所有未办完的号（号码当天不重复）end today's open tickets"
    )
    reset.add_argument("--yes", action="store_true", help="不再确认")
    reset.set_defaults(handler=_reset)
    example = actions.add_parser("example", help="输出一个配置示例 print an example file")
    example.set_defaults(handler=lambda args, ctx: print(EXAMPLE, end="") or 0)


def _day(text: str) -> date:
    import argparse

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("日期应为 YYYY-MM-DD（现为 {text}）", text=text)) from None


def _open(ctx):
    from kiosk.queue import Queue

    return Queue.open(ctx.data_dir)


def _not_configured(queue) -> bool:
    if queue.config.configured:
        return False
    print(tr("尚未配置排队取号（{path}）。", path=queue.path))
    print(tr("先导入业务和窗口：kiosk queue import FILE（示例：kiosk queue example > queue.toml）"))
    print("no queue configured yet: kiosk queue import FILE (kiosk queue example prints one)")
    return True


def _status(args, ctx) -> int:
    from dataclasses import asdict

    queue = _open(ctx)
    try:
        if not args.json and _not_configured(queue):
            return 0
        snap = queue.snapshot()
        failures = queue.print_failures()
    finally:
        queue.close()
    if args.json:
        print_json({**asdict(snap), "print_failures_today": failures})
        return 0
    print(f"{snap.day} {snap.at:%H:%M}")
    for s in snap.services:
        state = tr("可取号") if s.open else tr("不可取号：{closed_reason}", closed_reason=s.closed_reason)
        print(
            tr(
                "  {prefix} {name}：等候 {waiting} 人（绿色通道 {priority_waiting}），今天已取 {issued_today}/{capacity}，预计 {estimate}；{state}",
                prefix=s.prefix,
                name=s.name,
                waiting=s.waiting,
                priority_waiting=s.priority_waiting,
                issued_today=s.issued_today,
                capacity=s.capacity,
                estimate=s.estimate.text,
                state=state,
            )
        )
    for w in snap.windows:
        now = f"{w.current.number} {w.current.status_zh}" if w.current else tr("空闲")
        held = tr("，挂起 {held}", held="、".join(t.number for t in w.held)) if w.held else ""
        print(f"  {w.name}：{'暂停服务' if w.paused else now}{held}")
    if snap.last_calls:
        print(
            tr("最近叫号：{calls}", calls="、".join(f"{c.number}→{c.window_name}" for c in snap.last_calls))
        )
    if failures:
        print(
            tr(
                "注意：今天有 {failures} 张号票未能打印（打印机缺纸或故障），请检查打印机。",
                failures=failures,
            )
        )
    return 0


def _services(args, ctx) -> int:
    queue = _open(ctx)
    try:
        config = queue.config
    finally:
        queue.close()
    if args.json:
        print_json(config.to_dict()["service"])
        return 0
    if not config.services:
        print(tr("尚未配置业务：kiosk queue import FILE（示例：kiosk queue example）"))
        return 0
    for s in config.services:
        card = {"none": tr("不刷身份证"), "optional": tr("可刷身份证"), "required": tr("必须刷身份证")}[
            s.id_card
        ]
        days = (
            tr("每天")
            if len(s.days) == 7
            else tr("星期{days}", days="、".join(DAY_NAMES[d - 1] for d in s.days))
        )
        print(
            tr(
                "{prefix} {name}（{key}，{category}）：{number}–{prefix}{last}，每天最多 {capacity} 个，{days} {hours_text}，{card}，每人约 {estimate_minutes} 分钟",
                prefix=s.prefix,
                name=s.name,
                key=s.key,
                category=s.category,
                number=s.number(1),
                last=s.last,
                capacity=s.capacity,
                days=days,
                hours_text=s.hours_text(),
                card=card,
                estimate_minutes=s.estimate_minutes,
            )
        )
    return 0


def _windows(args, ctx) -> int:
    if args.set_pin is not None or args.clear_pin is not None or args.unlock is not None:
        return _window_pin(args, ctx)
    queue = _open(ctx)
    try:
        config, snap, pins = queue.config, queue.snapshot(), queue.window_pin_states()
    finally:
        queue.close()
    paused = {w.number: w.paused for w in snap.windows}
    pin_of = {p.window: p for p in pins}
    if args.json:
        print_json(
            [
                {**w, "paused": paused.get(w["number"], False), "pin": _pin_json(pin_of.get(w["number"]))}
                for w in config.to_dict()["window"]
            ]
        )
        return 0
    if not config.windows:
        print(tr("尚未配置窗口：kiosk queue import FILE（示例：kiosk queue example）"))
        return 0
    for w in config.windows:
        names = "、".join(s.name for s in config.services if s.key in w.services)
        pause = tr("（暂停服务）") if paused.get(w.number) else ""
        print(f"{w.number} {w.name}：{names or '无业务'}{pause}；{_pin_text(pin_of.get(w.number))}")
    print(tr("窗口叫号页面的配对二维码在工作人员模式的“排队叫号”中生成。"))
    return 0


def _pin_json(state) -> dict:
    if state is None:
        return {"set": False}
    return {
        "set": state.has_pin,
        "locked_seconds": state.locked_seconds,
        "staff_only": state.staff_only,
        "lockouts": state.lockouts,
    }


def _pin_text(state) -> str:
    if state is None or not state.has_pin:
        return tr("未设配对密码")
    if state.staff_only:
        return tr("配对密码已锁定（需解锁：kiosk queue windows --unlock 窗口号）")
    if state.locked_seconds:
        return tr("配对密码已锁定，约 {minutes} 分钟后解除", minutes=-(-state.locked_seconds // 60))
    return tr("已设配对密码")


def _window_pin(args, ctx) -> int:
    import getpass

    queue = _open(ctx)
    try:
        if args.set_pin is not None:
            pin = getpass.getpass(tr("{set_pin} 号窗口的新配对密码（6 到 8 位数字）：", set_pin=args.set_pin))
            if getpass.getpass(tr("再输入一次：")) != pin:
                print(tr("两次输入不一致，未修改。"))
                return 2
            queue.set_window_pin(args.set_pin, pin)
            print(tr("已设置 {set_pin} 号窗口的配对密码（只保存其散列）。", set_pin=args.set_pin))
        elif args.clear_pin is not None:
            queue.clear_window_pin(args.clear_pin)
            print(tr("已取消 {clear_pin} 号窗口的配对密码；已配对的设备不受影响。", clear_pin=args.clear_pin))
        else:
            queue.unlock_window_pin(args.unlock)
            print(tr("已解除 {unlock} 号窗口密码配对的锁定。", unlock=args.unlock))
    finally:
        queue.close()
    return 0


def _import(args, ctx) -> int:
    queue = _open(ctx)
    try:
        config = queue.import_file(args.file)
    finally:
        queue.close()
    print(
        tr(
            "已导入 {services} 项业务、{windows} 个窗口（{file}）。",
            services=len(config.services),
            windows=len(config.windows),
            file=args.file,
        )
    )
    print(f"imported {len(config.services)} services and {len(config.windows)} windows")
    return 0


def _export(args, ctx) -> int:
    from kiosk.queue.export import tickets_csv

    queue = _open(ctx)
    try:
        tickets = queue.tickets(args.day)
        text = tickets_csv(tickets, queue.config)
    finally:
        queue.close()
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(tr("已导出 {rows} 行到 {out}", rows=len(tickets), out=args.out), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _reset(args, ctx) -> int:
    if not args.yes:
        answer = input(
            tr("结束今天所有未办完的号（等候、已叫、挂起、过号）？号码今天不会重新从 1 开始。[y/N] ")
        )
        if answer.strip().lower() not in ("y", "yes", tr("是")):
            print(tr("未做任何更改。"))
            return 1
    queue = _open(ctx)
    try:
        closed = queue.reset()
    finally:
        queue.close()
    print(tr("已结束 {closed} 个未办完的号（记录保留）。明天开门时号码从头开始。", closed=closed))
    print(f"closed {closed} open tickets; numbering restarts tomorrow")
    return 0


def _report(args, ctx) -> int:
    from kiosk.queue import reports

    queue = _open(ctx)
    try:
        first, last = reports.period_days(args.period, date.today())
        report = reports.build(queue.tickets_between(first, last), queue.config, args.period, first, last)
    finally:
        queue.close()
    if args.csv:
        sys.stdout.write(reports.to_csv(report))
        return 0
    print(tr("{first} 至 {last}", first=first.isoformat(), last=last.isoformat()))
    for r in report.rows:

        def shown(value) -> str:
            return "–" if value is None else str(value)

        print(
            tr(
                "  {group} {name}：取号 {issued}，办结 {served}，过号 {no_shows}，等候中位 {wait_median} 分钟（P90 {wait_p90}），办理中位 {service_median} 分钟，评价 {ratings} 条（满意 {satisfied}）",
                group=reports.GROUPS[r.group],
                name=r.name,
                issued=r.issued,
                served=r.served,
                no_shows=r.no_shows,
                wait_median=shown(r.wait_median),
                wait_p90=shown(r.wait_p90),
                service_median=shown(r.service_median),
                ratings=r.ratings,
                satisfied=r.satisfied,
            )
        )
    return 0
