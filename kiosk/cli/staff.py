"""`kiosk staff set-pin`: set the staff PIN (stored only as a scrypt hash in the data directory)."""

from __future__ import annotations

import getpass

from kiosk.staff import StaffAuth

ORDER = 45


def register(subparsers) -> None:
    parser = subparsers.add_parser("staff", help="工作人员 PIN staff PIN")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_pin = actions.add_parser("set-pin", help="设置工作人员 PIN（4–8 位数字）")
    set_pin.add_argument("--pin", help="PIN（不填则提示输入）")
    set_pin.set_defaults(handler=_set_pin)


def _set_pin(args, ctx) -> int:
    pin = args.pin or getpass.getpass("新 PIN（4–8 位数字）：")
    if not args.pin and getpass.getpass("再输入一次：") != pin:
        print("两次输入不一致，未修改。")
        return 2
    stored = StaffAuth(ctx.data_dir).set_pin(pin)
    print("已设置工作人员 PIN。")
    print(f'如需写入配置文件：staff_pin_hash = "{stored}"')
    return 0
