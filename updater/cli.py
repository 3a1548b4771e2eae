"""`zwgk-kiosk-update`: one run of the root helper (from `zwgk-kiosk-update.service`), or
`--trust-enrolment` to pin the channel keys of the kiosk's enrolment again after a re-enrolment.

    zwgk-kiosk-update [--data-dir /var/lib/zwgk-kiosk] [--state-dir /var/lib/zwgk-kiosk-updater]
                      [--ready-timeout 120] [--usb DIR ...] [--trust-enrolment]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from updater.manifest import Refused
from updater.run import Settings, run_once
from updater.state import make_dir
from updater.trust import pin_from_enrolment

EXIT = {"installed": 0, "up-to-date": 0, "refused": 1, "rolled-back": 3, "failed": 4}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="zwgk-kiosk-update", description="安装经签名的一体机软件更新（root）"
    )
    parser.add_argument("--data-dir", type=Path, default=Settings.data_dir)
    parser.add_argument("--state-dir", type=Path, default=Settings.state_dir)
    parser.add_argument(
        "--ready-timeout",
        type=float,
        default=Settings.ready_timeout,
        metavar="S",
        help="等待新版本就绪的秒数",
    )
    parser.add_argument(
        "--usb",
        type=Path,
        action="append",
        metavar="DIR",
        help="U 盘上的更新文件夹（默认：自动查找 zwgk-updates/）",
    )
    parser.add_argument("--trust-enrolment", action="store_true", help="重新信任本机登记文件中的频道密钥")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("错误：须以 root 运行\nerror: must run as root", file=sys.stderr)
        return 2
    if args.trust_enrolment:
        try:
            keys = pin_from_enrolment(make_dir(args.state_dir), args.data_dir)
        except Refused as exc:
            print(f"错误：{exc.zh}\nerror: {exc}", file=sys.stderr)
            return 2
        print(f"已信任频道密钥 pinned keys: {', '.join(sorted(keys))}")
        return 0
    status = run_once(Settings(args.data_dir, args.state_dir, args.usb, args.ready_timeout))
    print(json.dumps(status, ensure_ascii=False, indent=1))
    return EXIT[status["result"]]


if __name__ == "__main__":
    sys.exit(main())
