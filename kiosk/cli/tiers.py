"""`kiosk tiers` prints the facility table of Appendices A–E; `kiosk tiers check [--json]` this kiosk's compliance."""

from __future__ import annotations

from kiosk import tiers
from kiosk.cli import print_json
from kiosk.i18n import tr
from kiosk.options import TIERS

ORDER = 40


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "tiers", help="专区层级与设施 facility table per tier; `check`: compliance"
    )
    parser.add_argument("action", nargs="?", choices=["check"], help="check：本机是否具备本层级要求的设施")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_tiers)


def _tiers(args, ctx) -> int:
    if args.action == "check":
        return _check(args, ctx)
    rows = tiers.table()
    if args.json:
        print_json(rows)
        return 0
    print(tr("DB 13/T 5480—2022 附录 A–E：各层级政务公开专区的设施（✓ 必备，宜 宜配，– 不要求）") + "\n")
    width = max(_width(r["facility"]) for r in rows)
    print(_pad(tr("设施"), width) + "".join(_pad(t, 8) for t in TIERS))
    for row in rows:
        marks = "".join(_pad(row[t].split("（")[0], 8) for t in TIERS)
        print(_pad(row["facility"], width) + marks)
    return 0


def _check(args, ctx) -> int:
    from kiosk.services import build

    services = build(ctx.config, ctx.data_dir)
    services.library.open()
    result = services.staff.compliance()
    services.close()
    if args.json:
        print_json(result.to_dict())
        return 0
    if result.compliant:
        print(tr("本专区层级：{tier}级　必备设施齐全", tier=result.tier))
    else:
        print(tr("本专区层级：{tier}级　缺少必备设施", tier=result.tier))
    width = max(_width(f.name) for f in result.facilities)
    for f in result.facilities:
        detail = f"（{f.detail}）" if f.detail else ""
        by = tr("　由“{functions}”提供", functions=f.provided_by) if f.provided_by else ""
        print(f"{_pad(f.name, width)}  {_pad(f.requirement_name, 14)}{f.status_name}{detail}{by}")
    return 0


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - _width(text) + 2)
