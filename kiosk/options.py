"""The kiosk's configuration options, declared once.

Every option has a key (``section.name``), a type, a default and a description. `kiosk config`, the
staff screen and the validator are generated from this list; nothing else defines options.
Descriptions are Chinese because staff read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.i18n import N_

TIERS = ("省", "市", "县", "乡镇", "村")
PRINTER_ENCODINGS = ("gb18030", "gbk", "big5", "utf-8")
PRINTER_PROFILES = ("58mm", "80mm")


@dataclass(frozen=True)
class Option:
    key: str
    type: str  # one of: str, int, float, bool, choice, device, url, path, cafile (a PEM CA bundle), address (an IP)
    default: Any
    description: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    secret: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


OPTIONS: tuple[Option, ...] = (
    # --- the hall and the zone ---
    Option("kiosk.hall_name", "str", "定州市政务服务中心", N_("服务大厅名称，显示在首页")),
    Option("kiosk.tier", "choice", "市", N_("专区层级（决定提供的功能和设施）"), choices=TIERS),
    Option("kiosk.idle_timeout", "int", 90, N_("无操作多少秒后返回首页"), minimum=15, maximum=3600),
    Option("kiosk.font_scale", "float", 1.0, N_("默认字号倍数"), minimum=0.8, maximum=2.0),
    Option(
        "kiosk.staff_pin_hash",
        "str",
        "",
        N_("工作人员 PIN 的哈希值（由 kiosk staff set-pin 生成）"),
        secret=True,
    ),
    Option(
        "kiosk.log_level", "choice", "info", N_("日志级别"), choices=("debug", "info", "warning", "error")
    ),
    Option(
        "kiosk.language",
        "str",
        "zh_CN",
        N_(
            "界面语言：zh_CN（中文）；有译文的语言填其代码（译文见 kiosk/locale/<代码>.json 和 ui/i18n/kiosk_<代码>.qm）"
        ),
    ),
    # --- content ---
    Option(
        "content.bundled_gazette",
        "bool",
        False,
        N_("数据库为空时导入内置的定州市政府公报（演示用；kiosk demo 总是导入）"),
    ),
    Option("content.max_import_mb", "int", 50, N_("导入文件的最大大小（MB）"), minimum=1, maximum=1024),
    # --- devices ---
    Option(
        "devices.idcard",
        "device",
        "",
        N_("身份证阅读器地址（serial:///dev/ttyUSB0?baudrate=115200、auto、sim://；留空表示未配置）"),
    ),
    Option(
        "devices.printer",
        "device",
        "",
        N_(
            "小票打印机地址（serial://、tcp://主机:9100、usb://VID:PID、file:///dev/usb/lp0、sim://；留空表示未配置）"
        ),
    ),
    Option("devices.printer_profile", "choice", "80mm", N_("打印纸宽度"), choices=PRINTER_PROFILES),
    Option("devices.printer_encoding", "choice", "gb18030", N_("打印机汉字编码"), choices=PRINTER_ENCODINGS),
    Option("devices.printer_raster", "bool", False, N_("打印机无中文字库时以图像方式打印")),
    # --- sync with the city (trusted keys and the kiosk's credential come from `kiosk enrol`) ---
    Option("sync.enabled", "bool", True, N_("运行时在后台定时与市级平台同步")),
    Option("sync.channel_url", "url", "", N_("频道地址（留空则使用登记文件中的地址）")),
    Option("sync.upload_url", "url", "", N_("记录上传地址（留空则使用登记文件中的地址）")),
    Option("sync.interval_minutes", "int", 60, N_("同步间隔（分钟）"), minimum=5, maximum=10080),
    Option(
        "sync.jitter_minutes",
        "int",
        10,
        N_("同步时间随机错开（分钟），避免所有一体机同时访问"),
        minimum=0,
        maximum=720,
    ),
    Option("sync.ca_bundle", "cafile", "", N_("HTTPS 根证书文件（市级自建 CA 时填写；留空使用系统证书）")),
    Option("sync.proxy", "str", "", N_("HTTP 代理地址（如 http://10.0.0.1:3128；留空不用代理）")),
    Option(
        "sync.bandwidth_kbps",
        "int",
        0,
        N_("下载带宽上限（KB/秒，0 表示不限），避免占满村里的网络"),
        minimum=0,
    ),
    Option(
        "sync.connections",
        "int",
        4,
        N_("同时下载的文件数（链路延迟高时多开几个更快；1 表示逐个下载）"),
        minimum=1,
        maximum=16,
    ),
    Option("sync.timeout_seconds", "int", 30, N_("网络超时（秒）"), minimum=5, maximum=600),
    Option("sync.retries", "int", 5, N_("网络错误时的重试次数"), minimum=0, maximum=50),
    Option("sync.max_manifest_mb", "int", 16, N_("清单文件大小上限（MB）"), minimum=1, maximum=1024),
    Option("sync.max_blob_mb", "int", 64, N_("单个内容文件大小上限（MB）"), minimum=1, maximum=4096),
    Option("sync.max_update_mb", "int", 4096, N_("一次更新的下载总量上限（MB）"), minimum=1, maximum=65536),
    Option(
        "sync.outbox_max",
        "int",
        10000,
        N_("待上传记录的上限（接近上限时提醒工作人员）"),
        minimum=100,
        maximum=1000000,
    ),
    Option(
        "sync.heartbeat_minutes",
        "int",
        15,
        N_("设备状态（心跳）上报间隔（分钟）：只上传记录、不下载内容，与同步间隔无关"),
        minimum=1,
        maximum=1440,
    ),
)

OPTIONS_BY_KEY: dict[str, Option] = {option.key: option for option in OPTIONS}

# --- the touch UI (appended by the UI work; kept after the core options so `kiosk config` lists them last) ---
OPTIONS = OPTIONS + (
    Option("ui.idle_countdown", "int", 10, N_("返回首页前倒计时的秒数"), minimum=3, maximum=60),
    Option(
        "ui.staff_corner",
        "choice",
        "top-right",
        N_("长按进入工作人员模式的屏幕角落"),
        choices=("top-left", "top-right", "bottom-left", "bottom-right"),
    ),
    Option("ui.staff_hold_seconds", "int", 3, N_("长按角落多少秒进入工作人员模式"), minimum=2, maximum=10),
)
OPTIONS_BY_KEY = {option.key: option for option in OPTIONS}

# --- the local HTTP API: calling pages, the display's feed, health (kiosk/api) ---
OPTIONS = OPTIONS + (
    Option("api.enabled", "bool", True, N_("运行时开启本机 HTTP 接口（窗口叫号页面、叫号屏数据、运行状态）")),
    Option(
        "api.listen",
        "address",
        "127.0.0.1",
        N_("本机接口的监听地址（127.0.0.1 仅本机可用；窗口电脑或手机要访问时填本机在大厅局域网中的地址）"),
    ),
    Option("api.port", "int", 8470, N_("本机接口的端口"), minimum=1, maximum=65535),
    Option(
        "api.public_url",
        "url",
        "",
        N_("窗口配对二维码中的本机地址（如 http://192.168.1.20:8470；留空则按监听地址和端口生成）"),
    ),
    # --- 语音叫号 (kiosk/voice) ---
    Option("voice.enabled", "bool", True, N_("叫号时语音播报（“请 A001 号到 3 号窗口办理”）")),
    Option(
        "voice.player",
        "str",
        "auto",
        N_("播放程序：auto（自动选择 pw-play、aplay 或 paplay）、程序名，或 file:目录（只保存为 WAV 文件）"),
    ),
    Option("voice.times", "int", 2, N_("每次叫号播报几遍"), minimum=1, maximum=3),
)
OPTIONS_BY_KEY = {option.key: option for option in OPTIONS}

# --- the display screen, `kiosk display` (display/): what the process on this PC does ---
OPTIONS = OPTIONS + (
    Option(
        "display.id", "str", "display", N_("公示屏编号（一台一体机带多块屏时区分它们；字母、数字或 _.-）")
    ),
    Option("display.api_url", "url", "", N_("公示屏读取的一体机接口地址（留空则用本机的 api.port）")),
    Option(
        "display.screenshot_minutes",
        "int",
        30,
        N_("公示屏每隔多少分钟截图一次（0 表示只在要求时截图）"),
        minimum=0,
        maximum=1440,
    ),
    Option(
        "display.backlight_on_command",
        "str",
        "",
        N_("按亮屏时段点亮屏幕时运行的命令（如 wlopm --on '*'；留空不运行）"),
    ),
    Option(
        "display.backlight_off_command",
        "str",
        "",
        N_("按亮屏时段熄屏时运行的命令（如 wlopm --off '*'；留空只显示黑屏）"),
    ),
)
OPTIONS_BY_KEY = {option.key: option for option in OPTIONS}
