"""Real-time printer status (DLE EOT 1–4): validated reply bytes → `PrinterStatus`.

A valid reply has bits 1 and 4 set and bits 0 and 7 clear (``b & 0x93 == 0x12``). No reply, or an
invalid byte, is recorded as such: a silent printer is "no reply", never "paper OK" (python-escpos 3.1's
`paper_status()` returns "adequate" when nothing answers; shared/reference/devices.md §4.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from device.errors import Message

QUERIES = (1, 2, 3, 4)


def is_valid(byte: int) -> bool:
    return byte & 0x93 == 0x12


@dataclass(frozen=True)
class Problem:
    code: str
    en: str
    zh: str
    hint: str


PAPER_OUT = Problem("paper-out", "paper out", Message("打印机缺纸"), Message("打印机缺纸，请更换纸卷"))
PAPER_NEAR_END = Problem(
    "paper-near-end", "paper near end", Message("打印纸即将用完"), Message("打印纸即将用完，请准备更换纸卷")
)
COVER_OPEN = Problem("cover-open", "cover open", Message("打印机上盖未关"), Message("请合上打印机上盖"))
OFFLINE = Problem(
    "offline", "printer offline", Message("打印机离线"), Message("请检查打印机电源、上盖和纸卷")
)
CUTTER = Problem(
    "cutter-error",
    "auto-cutter error",
    Message("切刀故障"),
    Message("切刀卡纸或故障，请打开上盖清除卡纸后重启打印机"),
)
ERROR = Problem(
    "error",
    "printer error",
    Message("打印机故障"),
    Message("请关闭打印机电源，稍候再开；仍有问题请联系维护人员"),
)
NO_REPLY = Problem(
    "no-reply",
    "printer did not answer the status query",
    Message("打印机无应答"),
    Message("打印机无响应，请检查电源、连接线和波特率"),
)
BAD_REPLY = Problem(
    "bad-reply",
    "printer status reply is not valid",
    Message("打印机状态应答无效"),
    Message("请检查波特率设置和连接线"),
)
# Problems that stop printing (paper near end is a warning only).
BLOCKING = frozenset({"paper-out", "cover-open", "offline", "cutter-error", "error", "no-reply", "bad-reply"})


@dataclass(frozen=True)
class PrinterStatus:
    """Decoded status. ``replies`` maps each DLE EOT n to its byte, or None if nothing (valid) came."""

    replies: dict[int, int | None] = field(default_factory=dict)
    supported: bool = True  # False for transports that cannot read (file, dummy)
    invalid: bool = False  # some bytes came back, but none was a valid status byte

    @property
    def answered(self) -> bool:
        return any(self.replies.get(n) is not None for n in QUERIES)

    def _bit(self, n: int, mask: int) -> bool | None:
        byte = self.replies.get(n)
        return None if byte is None else bool(byte & mask)

    @property
    def offline(self) -> bool | None:
        return self._bit(1, 0x08)

    @property
    def cover_open(self) -> bool | None:
        return self._bit(2, 0x04)

    @property
    def paper_out(self) -> bool | None:
        out = self._bit(4, 0x60)
        stopped = self._bit(2, 0x20)
        return None if out is None and stopped is None else bool(out or stopped)

    @property
    def paper_near_end(self) -> bool | None:
        return self._bit(4, 0x0C)

    @property
    def cutter_error(self) -> bool | None:
        return self._bit(3, 0x08)

    @property
    def error(self) -> bool | None:
        return self._bit(2, 0x40)

    @property
    def problems(self) -> list[Problem]:
        if not self.supported:
            return []
        if not self.answered:
            return [BAD_REPLY if self.invalid else NO_REPLY]
        found = []
        for flag, problem in (
            (self.paper_out, PAPER_OUT),
            (self.cover_open, COVER_OPEN),
            (self.cutter_error, CUTTER),
            (self.paper_near_end and not self.paper_out, PAPER_NEAR_END),
        ):
            if flag:
                found.append(problem)
        if self.error and not found:
            found.append(ERROR)
        if self.offline and not found:
            found.append(OFFLINE)
        return found

    @property
    def ready(self) -> bool:
        """True only if the printer answered and nothing blocks printing."""
        return self.supported and self.answered and not any(p.code in BLOCKING for p in self.problems)


def paper_text(status: PrinterStatus) -> str:
    if not status.supported:
        return Message("不支持状态查询")
    if status.paper_out is None:
        return Message("无应答")
    if status.paper_out:
        return Message("缺纸")
    return Message("即将用完") if status.paper_near_end else Message("正常")


def reply_byte(
    n: int,
    *,
    paper: str = "ok",
    cover_open: bool = False,
    cutter_error: bool = False,
) -> int:
    """The byte a printer in this state answers to DLE EOT n (used by the printer simulator)."""
    byte = 0x12
    if n == 1 and (cover_open or paper == "out" or cutter_error):
        byte |= 0x08
    elif n == 2:
        byte |= (0x04 if cover_open else 0) | (0x20 if paper == "out" else 0) | (0x40 if cutter_error else 0)
    elif n == 3 and cutter_error:
        byte |= 0x08
    elif n == 4:
        byte |= {"ok": 0, "near-end": 0x0C, "out": 0x60}[paper]
    return byte
