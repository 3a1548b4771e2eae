"""The kiosk's configuration options, declared once.

Every option has a key (``section.name``), a type, a default and a description. `kiosk config`, the
staff screen and the validator are generated from this list; nothing else defines options.
Descriptions are Chinese because staff read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TIERS = ("省", "市", "县", "乡镇", "村")
PRINTER_ENCODINGS = ("gb18030", "gbk", "big5", "utf-8")
PRINTER_PROFILES = ("58mm", "80mm")


@dataclass(frozen=True)
class Option:
    key: str
    type: str  # one of: str, int, float, bool, choice, device, url, path
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
    Option("kiosk.hall_name", "str", "定州市政务服务中心", "服务大厅名称，显示在首页"),
    Option("kiosk.tier", "choice", "市", "专区层级（决定提供的功能和设施）", choices=TIERS),
    Option("kiosk.idle_timeout", "int", 90, "无操作多少秒后返回首页", minimum=15, maximum=3600),
    Option("kiosk.font_scale", "float", 1.0, "默认字号倍数", minimum=0.8, maximum=2.0),
    Option(
        "kiosk.staff_pin_hash", "str", "", "工作人员 PIN 的哈希值（由 kiosk staff set-pin 生成）", secret=True
    ),
    Option("kiosk.log_level", "choice", "info", "日志级别", choices=("debug", "info", "warning", "error")),
    # --- content ---
    Option(
        "content.bundled_gazette",
        "bool",
        True,
        "数据库为空时导入内置的政府公报（演示和首次启动用）",
    ),
    Option("content.max_import_mb", "int", 50, "导入文件的最大大小（MB）", minimum=1, maximum=1024),
    # --- devices ---
    Option(
        "devices.idcard",
        "device",
        "",
        "身份证阅读器地址（serial:///dev/ttyUSB0?baudrate=115200、auto、sim://；留空表示未配置）",
    ),
    Option(
        "devices.printer",
        "device",
        "",
        "小票打印机地址（serial://、tcp://主机:9100、usb://VID:PID、file:///dev/usb/lp0、sim://；留空表示未配置）",
    ),
    Option("devices.printer_profile", "choice", "80mm", "打印纸宽度", choices=PRINTER_PROFILES),
    Option("devices.printer_encoding", "choice", "gb18030", "打印机汉字编码", choices=PRINTER_ENCODINGS),
    Option("devices.printer_raster", "bool", False, "打印机无中文字库时以图像方式打印"),
)

OPTIONS_BY_KEY: dict[str, Option] = {option.key: option for option in OPTIONS}
