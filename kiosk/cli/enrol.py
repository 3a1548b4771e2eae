"""`kiosk enrol FILE`: install the enrolment file the city made (`city enrol`): trusted keys, channel
URL and this kiosk's own credential."""

from __future__ import annotations

from pathlib import Path

from kiosk import enrolment
from kiosk.cli import print_json

ORDER = 60


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "enrol", help="登记本机（安装市级平台的登记文件）install the city's enrolment file"
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_enrol)


def _enrol(args, ctx) -> int:
    installed = enrolment.install(args.file, ctx.data_dir)
    if args.json:
        print_json(
            {
                "kiosk_id": installed.kiosk_id,
                "channel": installed.channel,
                "channel_url": installed.channel_url,
                "trusted_keys": sorted(installed.trusted_keys),
            }
        )
        return 0
    print(f"已登记：本机编号 {installed.kiosk_id}，频道 {installed.channel}")
    print(f"频道地址：{installed.channel_url}")
    print(f"受信任的频道密钥：{'、'.join(k[:12] + '…' for k in installed.trusted_keys)}")
    return 0
