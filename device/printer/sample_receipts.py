"""Receipts the device layer prints itself: the technician's test page and a typical queue ticket.

The ticket is what the benchmark measures; the test page exercises character sets, sizes, alignment,
bold, a QR code and a cut, and is what ``kiosk diag printer --test-page`` / ``--preview`` print.
"""

from __future__ import annotations

from datetime import datetime

from device.printer.escpos_commands import Align
from device.printer.printer_profile import PrinterProfile
from device.printer.receipt import Receipt


def queue_ticket(
    number: str = "A012",
    *,
    hall: str = "样本市政务服务中心",
    service: str = "社保医保综合窗口",
    waiting: int = 5,
    url: str = "https://zwfw.example.gov.cn/q?t=A012",
    when: datetime | None = None,
) -> Receipt:
    when = when or datetime(2024, 6, 1, 9, 30)
    return (
        Receipt()
        .center(hall, size=1, bold=True)
        .center("排队取号凭条")
        .separator()
        .center(number, size=3, bold=True)
        .center(service)
        .pair("前面等候", f"{waiting} 人")
        .pair("取号时间", when.strftime("%Y-%m-%d %H:%M"))
        .text("请留意叫号屏幕和语音提示，过号请重新取号。扫描下方二维码可查看排队进度。")
        .qr(url)
        .center("请妥善保管本凭条")
        .cut()
    )


def self_test_page(
    profile: PrinterProfile, encoding: str, url: str = "https://zwfw.example.gov.cn/diag"
) -> Receipt:
    receipt = (
        Receipt()
        .center("打印机自检页", size=2, bold=True)
        .center(f"纸宽 {profile.name}（{profile.columns} 列 / {profile.dots} 点） 编码 {encoding}")
        .separator("=")
        .text(
            "ASCII: ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 !#$%&()*+,-./:;<=>?@[]"
        )
        .text("常用汉字：政务公开专区一体机欢迎您")
        .text("全角标点：，。、；：？！“”‘’（）《》【】……——")
        .text("繁体字：政務公開專區歡迎您")
        .text("生僻字：㐀䶮堃喆犇淼")
        .separator()
        .text("1倍字号 ABC 汉字")
        .text("2倍字号 汉字", size=2)
        .text("3倍 汉字", size=3)
        .text("倍宽", width=2, height=1)
        .text("倍高", width=1, height=2)
        .text("粗体 Bold 汉字", bold=True)
        .text("左对齐 left")
        .text("居中 center", align=Align.CENTER)
        .text("右对齐 right", align=Align.RIGHT)
        .separator()
        .text("二维码（内容为下方网址）：")
        .qr(url)
        .center(url)
        .cut()
    )
    return receipt
