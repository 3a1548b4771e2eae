"""`kiosk diag`: device diagnostics for field technicians.

    kiosk diag [--json] [--sim]                      serial ports + every configured device, OK/FAULT
    kiosk diag idcard [--read] [--sim [--card KIND]] probe the reader, or read one card (masked fields)
    kiosk diag printer [--test-page | --preview OUT.png] [--sim]

``--sim`` runs against the built-in simulators, so the tool can be learnt without hardware. The exit
code is non-zero when any device is at fault. Names and ID numbers are only ever shown masked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from device.idcard.synthetic_cards import CARD_KINDS
from kiosk.cli import print_json
from kiosk.devices import UNCONFIGURED, DeviceCheck, DeviceService, DiagReport
from kiosk.i18n import N_, tr, translate
from kiosk.logs import mask_id_number, mask_name
from kiosk.paths import DEMO_MARKER

STATE_LABELS = {
    "ok": N_("正常 OK"),
    "warning": N_("注意 WARNING"),
    "fault": N_("故障 FAULT"),
    UNCONFIGURED: N_("未配置"),
}


def register(subparsers) -> None:
    parser = subparsers.add_parser("diag", help="设备诊断 diagnose devices (ID-card reader, receipt printer)")
    _common_options(parser, nested=False)
    parser.set_defaults(handler=_overview)
    devices = parser.add_subparsers(dest="device", metavar="DEVICE")

    idcard = devices.add_parser("idcard", help="身份证阅读器 ID-card reader")
    _common_options(idcard, nested=True)
    idcard.add_argument("--read", action="store_true", help="读一张证件并显示（已脱敏）read one card, masked")
    idcard.add_argument(
        "--card", choices=CARD_KINDS, default="resident", help="模拟证件类型（仅与 --sim 合用）"
    )
    idcard.set_defaults(handler=_idcard)

    printer = devices.add_parser("printer", help="小票打印机 receipt printer")
    _common_options(printer, nested=True)
    action = printer.add_mutually_exclusive_group()
    action.add_argument("--test-page", action="store_true", help="打印自检页 print the self-test page")
    action.add_argument(
        "--preview", type=Path, metavar="OUT.png", help="把自检页生成为图片 render it to a PNG"
    )
    printer.set_defaults(handler=_printer)


def _common_options(parser: argparse.ArgumentParser, nested: bool) -> None:
    # Accepted before and after the device name; SUPPRESS keeps a nested default from hiding the outer one.
    default = argparse.SUPPRESS if nested else False
    parser.add_argument("--json", action="store_true", default=default, help="JSON output")
    parser.add_argument("--sim", action="store_true", default=default, help="使用内置模拟设备 use simulators")


def _service(args, ctx) -> DeviceService:
    simulate = args.sim or _demo_library(ctx)
    return DeviceService(
        ctx.config, ctx.data_dir, simulate=simulate, sim_card=getattr(args, "card", "resident")
    )


def _demo_library(ctx) -> bool:
    """The data directory is the demo's and no device is configured: diagnose the demo's simulators."""
    if not (ctx.data_dir / DEMO_MARKER).exists():
        return False
    if ctx.config["devices.idcard"] or ctx.config["devices.printer"]:
        return False
    print(
        tr("演示资料库（{folder}，由 kiosk demo 建立）：诊断演示所用的模拟设备 sim://", folder=ctx.data_dir)
        + "\ndemo library: diagnosing the demo's simulated devices",
        file=sys.stderr,
    )
    return True


# --- overview ---


def _overview(args, ctx) -> int:
    report = _service(args, ctx).diagnose()
    if args.json:
        print_json(report.to_dict())
    else:
        _print_report(report)
    return 0 if report.ok else 1


def _print_report(report: DiagReport) -> None:
    print(tr("串口 serial ports:"))
    if not report.ports:
        print(tr("  （未发现串口 none found）"))
    for port in report.ports:
        extra = "  ".join(x for x in (port.vid_pid, port.serial_number, port.description) if x)
        print(f"  {port.device}  {extra}".rstrip())
    print(tr("设备 devices:"))
    for check in report.checks:
        _print_check(check)
    unconfigured = len(report.checks) - report.configured
    if not report.ok:
        verdict = tr("有设备故障 FAULT")
    elif not report.configured:
        verdict = tr(
            "未配置任何设备 nothing configured（在配置中填写 devices.idcard、devices.printer；"
            "或用 kiosk diag --sim 练习）"
        )
    elif unconfigured:
        verdict = tr(
            "已配置的设备正常，另有 {count} 台未配置 configured devices OK, {count} not configured",
            count=unconfigured,
        )
    else:
        verdict = tr("全部正常 all OK")
    print(tr("结论：{verdict}", verdict=verdict))


def _print_check(check: DeviceCheck) -> None:
    where = f"  {check.url}" if check.url else ""
    print(f"  [{translate(STATE_LABELS.get(check.state, check.state))}] {check.title}{where}")
    print(f"      {translate(check.summary)}")
    for key, value in check.facts.items():
        print(f"      {translate(key)}：{translate(value)}")
    if check.hint:
        print(tr("      处理办法：{hint}", hint=translate(check.hint)))


def _single(args, ctx, device: str) -> int:
    report = _service(args, ctx).diagnose()
    check = next(c for c in report.checks if c.device == device)
    if args.json:
        print_json({"ok": not check.fault, "device": check.__dict__})
    else:
        _print_check(check)
    return 1 if check.fault else 0


# --- ID-card reader ---


def masked_card(card) -> dict[str, str]:
    """What a technician may see of a card: enough to check the read, not enough to identify anyone."""
    return {
        N_("证件类型"): card.card_type.label,
        N_("姓名"): mask_name(card.name),
        N_("英文姓名"): mask_name(card.name_en) if card.name_en else "",
        N_("性别"): card.gender,
        N_("民族"): card.nation,
        N_("出生年份"): str(card.birth_date.year) if card.birth_date else "",
        N_("住址"): (card.current_address[:3] + "****") if card.current_address else "",
        N_("证件号码"): mask_id_number(card.id_number),
        N_("校验位"): {True: tr("正确"), False: tr("错误"), None: tr("不适用")}[card.check_digit_valid],
        N_("签发机关"): card.issuer,
        N_("有效期限"): card.validity_text,
        N_("照片"): tr("{size} 字节（WLT 格式）", size=len(card.photo_wlt)) if card.photo_wlt else tr("无"),
        N_("指纹"): tr("{size} 字节", size=len(card.fingerprint)) if card.fingerprint else tr("无"),
    }


def _idcard(args, ctx) -> int:
    if not args.read:
        return _single(args, ctx, "idcard")
    service = _service(args, ctx)
    if not service.idcard_url:
        print(tr("身份证阅读器未配置：请在配置中填写 devices.idcard（或使用 --sim 练习）"))
        return 1
    card = service.read_card()
    if card is None:
        message = tr("未读到证件：请将身份证平放在读卡区后重试")
        print_json({"ok": False, "message": message}) if args.json else print(message)
        return 1
    fields = {key: value for key, value in masked_card(card).items() if value}
    if args.json:
        print_json({"ok": True, "card": fields})
    else:
        print(tr("读卡成功（敏感信息已脱敏）："))
        for key, value in fields.items():
            print(f"  {translate(key)}：{value}")
    return 0


# --- printer ---


def _printer(args, ctx) -> int:
    service = _service(args, ctx)
    if args.preview:
        path = service.preview_test_page(args.preview)
        print_json({"ok": True, "preview": str(path)}) if args.json else print(
            tr("预览已生成 preview written: {file}", file=path)
        )
        return 0
    if not args.test_page:
        return _single(args, ctx, "printer")
    if not service.printer_url:
        print(tr("小票打印机未配置：请在配置中填写 devices.printer（或使用 --sim 练习）"))
        return 1
    files = service.print_test_page()
    if args.json:
        print_json({"ok": True, "files": [str(f) for f in files]})
    else:
        print(tr("自检页已发送到打印机 test page sent"))
        for path in files:
            print(tr("  模拟打印输出 simulated output: {file}", file=path))
    return 0
