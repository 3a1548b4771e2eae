"""The `city` command line: keys, kiosk enrolment, publishing, USB export and import, gc, the reference server.

    city keygen --channel dingzhou [--url https://zwgk.example/channel/] [--rotate] [--application-key]
    city enrol KIOSK-ID --out FILE [--url URL] [--upload-url URL] [--token] [--county 定州市 --township 东亭镇]
    city revoke KIOSK-ID
    city publish --gazette FILE | --from DIR | --guides DIR [--valid-days N] [--force]
    city publish-update FILE.deb              a kiosk package into the channel, signed (city/software.py)
    city export --to DIR [--packs]
    city gc [--keep-versions 3] [--keep-days 7] [--dry-run] [--json]
    city import-outbox DIR [--json]
    city status
    city kiosks
    city applications list [--overdue | --due-within N] | show NUMBER | export FILE.csv|.xlsx | reply NUMBER …
    city [--database URL] serve [REPO] [--host 127.0.0.1] [--port 8080] [--workers N] [--body-timeout 20]
        [--header-timeout 10]

Everything lives in one directory: CITY_DATA_DIR, or --home.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from city import application_key, applications_cli, fleet, gc, hall_cli, outbox_import
from city.home import CityError, CityHome
from city.limits import BODY_TIMEOUT, HEADER_TIMEOUT
from city.lock import publish_lock
from city.publish import folder_collection, gazette_collection, guides_collection, publish


def _keygen(args, home: CityHome) -> int:
    if args.application_key:
        print(f"申请加密密钥 application key: {application_key.make(home, rotate=args.rotate)}")
        return 0
    if args.channel:
        home.save_settings(channel=args.channel)
    home.channel()
    if args.url:
        home.save_settings(url=args.url)
    key, rotation = home.keygen(rotate=args.rotate)
    print(f"签名密钥 signing key: {key.key_id}")
    print(f"公钥 public key: {key.public_hex}")
    if rotation:
        print(
            f"已轮换：{rotation.previous_key_id} → {rotation.next_key_id}（下次发布时生效，请执行 city publish --force）"
        )
    if not application_key.exists(home):
        print(f"申请加密密钥 application key: {application_key.make(home)}")
    return 0


def _enrol(args, home: CityHome) -> int:
    settings = home.settings()
    channel_url = args.url or settings.get("url")
    if not channel_url:
        raise CityError("no channel URL: give --url or `city keygen --url`", "缺少频道地址：请加 --url")
    upload_url = (
        args.upload_url
        or settings.get("upload_url")
        or channel_url.rstrip("/").rsplit("/", 1)[0] + "/v1/outbox"
    )
    kind = "token" if args.token else "ed25519"
    out = Path(args.out)
    if out.is_dir():
        raise CityError(f"--out {out} is a directory", f"--out {out} 是文件夹，请给出文件名")
    # The file is opened before the kiosk is enrolled: an unwritable path fails with nothing enrolled,
    # instead of leaving the city with a credential that no file holds.
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise CityError(
            f"cannot write {out}: {exc.strerror}; nothing was enrolled",
            f"无法写入登记文件 {out}：{exc.strerror}；一体机未登记",
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            document = fleet.enrol(
                home,
                args.kiosk_id,
                channel_url=channel_url,
                upload_url=upload_url,
                credential=kind,
                county=args.county,
                township=args.township,
            )
            fh.write(json.dumps(document, ensure_ascii=False, indent=1).encode())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    secret_zh, secret_en = ("访问令牌", "its token") if args.token else ("私钥", "its private key")
    print(
        f"已登记一体机 {args.kiosk_id}（凭据：{kind}），登记文件：{args.out}（含{secret_zh}，请妥善保管）\n"
        f"enrolled {args.kiosk_id} ({kind} credential); {args.out} holds {secret_en}: keep it safe"
    )
    return 0


def _revoke(args, home: CityHome) -> int:
    fleet.revoke(home, args.kiosk_id)
    print(f"已吊销一体机 {args.kiosk_id}")
    return 0


def _publish(args, home: CityHome) -> int:
    with publish_lock(home):  # building the collection adds blobs: `city gc` must not run in between
        if args.gazette:
            collection = gazette_collection(home, args.gazette, allow_partial=args.allow_partial)
        elif args.guides:
            collection = guides_collection(home, args.guides)
        elif args.voice_pack:
            from city.voice_publish import voice_pack_collection

            collection = voice_pack_collection(home, args.voice_pack)
        else:
            collection = folder_collection(home, args.from_dir)
        result = publish(home, collection, valid_days=args.valid_days, force=args.force)
    if result.unchanged:
        print(f"内容未变化，仍为版本 {result.version}（{result.entries} 个条目）")
    else:
        print(
            f"已发布版本 {result.version}：{collection.name}，{result.entries} 个条目，"
            f"{result.shards} 个分片（新写入 {result.shards_written} 个）"
        )
    return 0


def _publish_update(args, home: CityHome) -> int:
    from city.software import publish_update

    version, arch, result = publish_update(home, args.deb)
    print(
        f"已发布一体机软件 {version}（{arch}），频道版本 {result.version} published kiosk software {version} for {arch}"
    )
    return 0


def _export(args, home: CityHome) -> int:
    copied = home.repo.export(args.to, packs=args.packs)
    root = home.repo.current_root()
    print(f"已导出版本 {root.version} 到 {args.to}（复制 {copied} 个文件）")
    return 0


def _gc(args, home: CityHome) -> int:
    report = gc.collect(
        home, keep_versions=args.keep_versions, keep_days=args.keep_days, dry_run=args.dry_run
    )
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print("\n".join(report.summary()))
        if report.missing:
            print(
                f"注意：保留的版本引用了 {report.missing} 个仓库中不存在的文件（gc 不会补回，请检查仓库）\n"
                f"warning: kept versions name {report.missing} files the repository does not hold"
            )
    return 0


def _import_outbox(args, home: CityHome) -> int:
    report = outbox_import.import_outbox(home, args.folder)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return 2 if report.errors else 0
    for f in report.files:
        if f.kiosk_id:  # the file was read and its signature verified
            print(f"{f.file}：一体机 {f.kiosk_id}，{f.records} 条记录，新增 {f.new}，重复 {f.duplicate}")
        if f.error:
            print(f"错误：{f.error['zh']}\nerror: {f.error['en']}", file=sys.stderr)
    kiosks = report.kiosks()
    print(
        "合计："
        + (
            "；".join(f"一体机 {k} 新增 {c['new']} 条、重复 {c['duplicate']} 条" for k, c in kiosks.items())
            or "未导入记录"
        )
        + (f"；{report.errors} 个文件有错误" if report.errors else "")
    )
    print(
        "total: "
        + (
            "; ".join(f"{k}: {c['new']} new, {c['duplicate']} duplicate" for k, c in kiosks.items())
            or "nothing imported"
        )
        + (f"; {report.errors} files with errors" if report.errors else "")
    )
    return 2 if report.errors else 0


def _status(args, home: CityHome) -> int:
    root = home.repo.current_root()
    info = {
        "home": str(home.path),
        "channel": home.settings().get("channel"),
        "key_id": home.current_key().key_id if home.has_key() else None,
        "version": root.version if root else None,
        "expires": root.expires if root else None,
        "shards": len(root.shards) if root else 0,
    }
    print(json.dumps(info, ensure_ascii=False, indent=1))
    return 0


def _kiosks(args, home: CityHome) -> int:
    conn = home.db()
    try:
        print(json.dumps(fleet.fleet(conn), ensure_ascii=False, indent=1))
    finally:
        conn.close()
    return 0


def _fleet_screenshot(args, home: CityHome) -> int:
    from city import screenshots

    request_id = screenshots.request(home, args.kiosk_id)
    print(
        f"已请求一体机 {args.kiosk_id} 的公示屏截图（{request_id}），它在下次同步后上传，见管理后台该机页面"
    )
    return 0


def _serve(args, home: CityHome) -> int:
    from city.server import serve

    serve(
        home,
        args.repo,
        args.host,
        args.port,
        body_timeout=args.body_timeout,
        header_timeout=args.header_timeout,
        workers=args.workers,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="city", description="市级政务公开频道：密钥、登记、发布、导出、服务"
    )
    parser.add_argument("--home", type=Path, help="数据目录 (default: CITY_DATA_DIR)")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="数据库 postgresql://… (default: CITY_DATABASE_URL, settings.json database_url, SQLite city.db)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("keygen", help="生成（或轮换）频道签名密钥 make or rotate the signing key")
    p.add_argument("--channel", help="频道编号 channel id, e.g. dingzhou")
    p.add_argument("--url", help="频道公开地址 public channel URL")
    p.add_argument("--rotate", action="store_true")
    p.add_argument(
        "--application-key",
        action="store_true",
        help="只生成（或加 --rotate 轮换）信息公开申请加密密钥 make or rotate only the application key",
    )
    p.set_defaults(handler=_keygen)

    p = sub.add_parser("enrol", help="登记一体机并生成登记文件 enrol a kiosk")
    p.add_argument("kiosk_id")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--url", help="频道地址 channel URL")
    p.add_argument("--upload-url", help="上传地址 upload URL (default: <server>/v1/outbox)")
    p.add_argument(
        "--token",
        action="store_true",
        help="用访问令牌代替 ed25519 密钥（代理或设备不支持签名时）bearer token instead of an ed25519 key",
    )
    p.add_argument("--county", default="", help="所在县（市、区）county, for the dashboard and statistics")
    p.add_argument("--township", default="", help="所在乡镇（街道）township")
    p.set_defaults(handler=_enrol)

    p = sub.add_parser("revoke", help="吊销一体机 revoke a kiosk")
    p.add_argument("kiosk_id")
    p.set_defaults(handler=_revoke)

    p = sub.add_parser("publish", help="发布新版本 publish the next version")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--gazette", type=Path, metavar="FILE")
    source.add_argument("--from", dest="from_dir", type=Path, metavar="DIR")
    source.add_argument(
        "--guides", type=Path, metavar="DIR", help="办事指南文件夹 a folder of service guides"
    )
    source.add_argument(
        "--voice-pack", type=Path, metavar="DIR", help="叫号语音包（manifest.json 与 WAV 片段）a voice pack"
    )
    p.add_argument("--allow-partial", action="store_true")
    p.add_argument("--valid-days", type=int, default=30)
    p.add_argument("--force", action="store_true", help="内容未变也发布新版本（续期、密钥轮换后）")
    p.set_defaults(handler=_publish)

    p = sub.add_parser("publish-update", help="发布一体机软件更新 publish a zwgk-kiosk .deb to the kiosks")
    p.add_argument("deb", type=Path, metavar="FILE.deb")
    p.set_defaults(handler=_publish_update)

    p = sub.add_parser("export", help="导出到文件夹（U 盘）export to a folder (USB stick)")
    p.add_argument("--to", type=Path, required=True)
    p.add_argument("--packs", action="store_true")
    p.set_defaults(handler=_export)

    p = sub.add_parser("gc", help="清理旧版本不再引用的文件 remove files no recent version names")
    p.add_argument("--keep-versions", type=int, default=3, metavar="N", help="保留最近 N 个版本 (default: 3)")
    p.add_argument(
        "--keep-days", type=float, default=7, metavar="D", help="保留 D 天内发布的版本 (default: 7)"
    )
    p.add_argument("--dry-run", action="store_true", help="只统计，不删除 count only, remove nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_gc)

    p = sub.add_parser(
        "import-outbox", help="导入一体机经 U 盘带回的记录 import kiosk records from a USB folder"
    )
    p.add_argument("folder", type=Path, metavar="DIR")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_import_outbox)

    sub.add_parser("status", help="频道状态 channel status").set_defaults(handler=_status)
    sub.add_parser("kiosks", help="一体机列表 fleet view").set_defaults(handler=_kiosks)
    fleet_sub = sub.add_parser("fleet", help="一体机 fleet").add_subparsers(dest="fleet", required=True)
    p = fleet_sub.add_parser(
        "screenshot", help="请求一体机的公示屏截图 ask a kiosk for its displays' screenshots"
    )
    p.add_argument("kiosk_id", metavar="KIOSK")
    p.set_defaults(handler=_fleet_screenshot)
    applications_cli.add_parser(sub)
    hall_cli.add_parser(sub)

    p = sub.add_parser("serve", help="运行参考服务器 run the reference server")
    p.add_argument("repo", type=Path, nargs="?")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument(
        "--body-timeout",
        type=float,
        default=BODY_TIMEOUT,
        metavar="S",
        help=f"一个请求体须在此秒数内收完 seconds for a request body (default {BODY_TIMEOUT:g})",
    )
    p.add_argument(
        "--header-timeout",
        type=float,
        default=HEADER_TIMEOUT,
        metavar="S",
        help=f"请求头须在此秒数内收完 seconds for request headers (default {HEADER_TIMEOUT:g})",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="工作进程数（大于 1 需要 PostgreSQL）worker processes (more than 1 needs PostgreSQL)",
    )
    p.set_defaults(handler=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    home = CityHome(args.home, database_url=args.database)
    try:
        return int(args.handler(args, home) or 0)
    except KeyboardInterrupt:
        return 130
    except (CityError, OSError) as exc:
        zh = getattr(exc, "zh", None) or str(exc)
        print(f"错误：{zh}\nerror: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - content errors carry .zh too
        zh = getattr(exc, "zh", None)
        if zh is None:
            raise
        print(f"错误：{zh}\nerror: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
