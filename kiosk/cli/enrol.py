"""`kiosk enrol FILE`: install the enrolment file the city made (`city enrol`): trusted keys, channel
URL and this kiosk's own credential (an ed25519 key or a bearer token). `kiosk enrol --show` prints the
installed enrolment. Both name the credential's kind and never print the secret."""

from __future__ import annotations

from pathlib import Path

from kiosk import enrolment
from kiosk.cli import print_json

ORDER = 60


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "enrol", help="登记本机（安装市级平台的登记文件）install the city's enrolment file"
    )
    parser.add_argument("file", type=Path, nargs="?")
    parser.add_argument(
        "--show", action="store_true", help="显示已安装的登记信息 show the installed enrolment"
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_enrol)


def _enrol(args, ctx) -> int:
    if args.show == (args.file is not None):
        raise enrolment.EnrolmentError(
            "give either an enrolment FILE to install or --show",
            "请给出要安装的登记文件，或用 --show 查看已安装的登记信息",
        )
    if args.show:
        installed = enrolment.load(ctx.data_dir)
        if installed is None:
            raise enrolment.EnrolmentError(
                "this kiosk is not enrolled", "本机尚未登记：请先执行 kiosk enrol 登记文件"
            )
    else:
        installed = enrolment.install(args.file, ctx.data_dir)
    if args.json:
        print_json(installed.describe())
        return 0
    print(f"{'登记信息' if args.show else '已登记'}：本机编号 {installed.kiosk_id}，频道 {installed.channel}")
    print(f"频道地址：{installed.channel_url}")
    print(f"上传地址：{installed.upload_url}")
    print(f"本机凭据：{enrolment.credential_label(installed.credential_type)}")
    print(f"受信任的频道密钥：{'、'.join(k[:12] + '…' for k in installed.trusted_keys)}")
    application_key = installed.describe()["application_key"]
    print(
        f"申请加密公钥：{application_key or '未下发（本机不能受理信息公开申请，请用新的登记文件重新登记）'}"
    )
    return 0
