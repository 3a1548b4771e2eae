"""`kiosk staff set-pin | unlock | status`: the staff PIN (stored only as a scrypt hash in the data directory),
the technician's way out of a lock, and the lock's state.

`set-pin` and `unlock` print a new recovery code: staff write it down, and it lifts the lock that
follows the last escalation step when typed on the PIN pad.
"""

from __future__ import annotations

import getpass

from kiosk.cli import print_json
from kiosk.i18n import tr
from kiosk.staff import PIN_LENGTHS, StaffAuth

ORDER = 45
LENGTHS = f"{PIN_LENGTHS[0]}–{PIN_LENGTHS[-1]}"


def register(subparsers) -> None:
    parser = subparsers.add_parser("staff", help="工作人员 PIN staff PIN")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_pin = actions.add_parser(
        "set-pin", help=tr("设置工作人员 PIN（{lengths} 位数字）并生成恢复码", lengths=LENGTHS)
    )
    set_pin.add_argument("--pin", help="PIN（不填则提示输入）")
    set_pin.set_defaults(handler=_set_pin)
    unlock = actions.add_parser("unlock", help="解除工作人员模式的锁定并生成新的恢复码 lift the lock")
    unlock.set_defaults(handler=_unlock)
    status = actions.add_parser("status", help="锁定状态和锁定次数 lock state and lockouts")
    status.add_argument("--json", action="store_true", help="JSON 输出")
    status.set_defaults(handler=_status)


def _auth(ctx) -> StaffAuth:
    return StaffAuth(ctx.data_dir, ctx.config["kiosk.staff_pin_hash"])


def _print_recovery(code: str) -> None:
    grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
    print(tr("恢复码：{code}", code=grouped))
    print(
        tr("请抄写并妥善保管：多次输错 PIN 锁定后，在 PIN 键盘上输入恢复码可解除锁定。此恢复码不会再次显示。")
    )


def _set_pin(args, ctx) -> int:
    pin = args.pin or getpass.getpass(tr("新 PIN（{lengths} 位数字）：", lengths=LENGTHS))
    if not args.pin and getpass.getpass(tr("再输入一次：")) != pin:
        print(tr("两次输入不一致，未修改。"))
        return 2
    result = StaffAuth(ctx.data_dir).set_pin_with_recovery(pin)
    print(tr("已设置工作人员 PIN。"))
    print(tr('如需写入配置文件：staff_pin_hash = "{hash}"', hash=result.pin_hash))
    _print_recovery(result.recovery_code)
    return 0


def _unlock(args, ctx) -> int:
    code = _auth(ctx).unlock()
    print(tr("已解除工作人员模式的锁定。"))
    _print_recovery(code)
    return 0


def _status(args, ctx) -> int:
    auth = _auth(ctx)
    state = {"has_pin": auth.has_pin(), "locked_for": auth.locked_for(), **auth.lockouts()}
    if args.json:
        print_json(state)
        return 0
    if state["needs_recovery"]:
        print(tr("工作人员模式：已锁定，需输入恢复码或由技术人员运行 kiosk staff unlock"))
    elif state["locked_for"]:
        print(tr("工作人员模式：已锁定，{minutes} 分钟后可再试", minutes=(state["locked_for"] + 59) // 60))
    else:
        print(tr("工作人员模式：未锁定"))
    if state["last_at"]:
        print(tr("累计锁定 {total} 次，最近一次 {when}", total=state["total"], when=state["last_at"]))
    else:
        print(tr("累计锁定 {total} 次", total=state["total"]))
    return 0
