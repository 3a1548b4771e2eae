"""`kiosk voice build-pack DIR | check DIR | say NUMBER WINDOW`: the voice packs of 语音叫号.

`build-pack` makes the default pack with espeak-ng (packaging runs it at install time; the kiosk also
builds it under the data directory the first time it needs it). `check` reads a pack as the kiosk would
(a city's recorded pack before it is published). `say` says one call through the configured player, or
writes it to a WAV file with `--out`, printing its pinyin and the clips' times.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.i18n import tr

ORDER = 62


def register(subparsers) -> None:
    parser = subparsers.add_parser("voice", help="语音叫号的语音包 voice packs for calling")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build-pack", help="用 espeak-ng 生成默认语音包 build the default pack")
    build.add_argument("dir", type=Path)
    build.set_defaults(handler=_build)
    check = actions.add_parser("check", help="检查语音包 check a pack")
    check.add_argument("dir", type=Path)
    check.set_defaults(handler=_check)
    say = actions.add_parser("say", help="播报一次叫号 say one call")
    say.add_argument("number", help="号码，如 A001")
    say.add_argument("window", type=int, help="窗口号，如 3")
    say.add_argument("--pack", type=Path, help="语音包目录（默认：数据目录下的语音包）")
    say.add_argument("--out", type=Path, help="写入 WAV 文件而不播放")
    say.set_defaults(handler=_say)


def _build(args, ctx) -> int:
    from kiosk.voice.build_pack import build

    pack = build(args.dir)
    print(
        tr(
            "语音包已生成：{folder}（{clips} 个片段，{rate} Hz）",
            folder=args.dir,
            clips=len(pack.clips),
            rate=pack.rate,
        )
    )
    return 0


def _check(args, ctx) -> int:
    from kiosk.voice.pack import VoicePack

    pack = VoicePack.load(args.dir)
    seconds = sum(c.seconds for c in pack.clips.values())
    print(
        tr(
            "语音包有效：{name}（{clips} 个片段，共 {seconds} 秒，{rate} Hz）",
            name=pack.name,
            clips=len(pack.clips),
            seconds=f"{seconds:.1f}",
            rate=pack.rate,
        )
    )
    return 0


def _say(args, ctx) -> int:
    from kiosk.voice.build_pack import build
    from kiosk.voice.join import join
    from kiosk.voice.pack import PackSource, VoicePack
    from kiosk.voice.player import make_player
    from kiosk.voice.script import announcement, pinyin

    pack = VoicePack.load(args.pack) if args.pack else PackSource(ctx.data_dir / "voice", build=build)()
    clips = announcement(args.number.strip().upper(), args.window, ctx.config["voice.times"])
    joined = join(pack, clips)
    print(pinyin(clips))
    pause = tr("（停顿）")
    timeline = " ".join(f"{s.clip or pause}@{s.start:.2f}" for s in joined.segments)
    print(tr("{seconds} 秒：{timeline}", seconds=f"{joined.seconds:.2f}", timeline=timeline))
    if args.out:
        args.out.write_bytes(joined.wav)
        print(tr("已写入 {file}", file=args.out))
    else:
        make_player(ctx.config["voice.player"]).play(joined.wav)
    return 0
