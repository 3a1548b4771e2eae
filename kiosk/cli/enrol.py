"""`kiosk enrol FILE`: install the enrolment file the city made (`city enrol`): trusted keys, channel
URL and this kiosk's own credential (an ed25519 key or a bearer token). `kiosk enrol --show` prints the
installed enrolment. Both name the credential's kind and never print the secret."""

from __future__ import annotations

from pathlib import Path

from kiosk import enrolment
from kiosk.cli import print_json
from kiosk.i18n import tr

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
            tr("请给出要安装的登记文件，或用 --show 查看已安装的登记信息"),
        )
    if args.show:
        installed = enrolment.load(ctx.data_dir)
        if installed is None:
            raise enrolment.EnrolmentError(
                "this kiosk is not enrolled", tr("本机尚未登记：请先执行 kiosk enrol 登记文件")
            )
    else:
        installed = enrolment.install(args.file, ctx.data_dir)
    if args.json:
        print_json(installed.describe())
        return 0
    kiosk_id, channel = installed.kiosk_id, installed.channel
    if args.show:
        print(tr("登记信息：本机编号 {kiosk}，频道 {channel}", kiosk=kiosk_id, channel=channel))
    else:
        print(tr("已登记：本机编号 {kiosk}，频道 {channel}", kiosk=kiosk_id, channel=channel))
    print(tr("频道地址：{url}", url=installed.channel_url))
    print(tr("上传地址：{url}", url=installed.upload_url))
    print(tr("本机凭据：{credential}", credential=enrolment.credential_label(installed.credential_type)))
    print(tr("受信任的频道密钥：{keys}", keys="、".join(k[:12] + "…" for k in installed.trusted_keys)))
    application_key = installed.describe()["application_key"]
    if application_key:
        print(tr("申请加密公钥：{key}", key=application_key))
    else:
        print(tr("申请加密公钥：未下发（本机不能受理信息公开申请，请用新的登记文件重新登记）"))
    return 0
