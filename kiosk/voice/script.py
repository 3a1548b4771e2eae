"""What a call says, as a sequence of clip names: "请 A001 号 到 3 号窗口 办理".

A ticket's number is read letter by letter and digit by digit (A零零一: `letter_a`, `digit_0`, `digit_0`,
`digit_1`); a window's number as a cardinal (十二号: `digit_shi`, `digit_2`), as halls announce them.
`PINYIN` gives each clip's words in pinyin with tone numbers: what the default pack feeds espeak-ng's
`cmn-latn-pinyin` voice, and `pinyin(clips)` the whole call's reading for logs and tests.
"""

from __future__ import annotations

import re
import string

from kiosk.i18n import tr

DIGITS = ("ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3")

PINYIN: dict[str, str] = {
    "qing": "qing3",
    "hao": "hao4",
    "dao": "dao4",
    "hao_chuangkou": "hao4 chuang1 kou3",
    "banli": "ban4 li3",
    "digit_shi": "shi2",
    "digit_bai": "bai3",
    **{f"digit_{n}": reading for n, reading in enumerate(DIGITS)},
}
# Letters are said by their English names, as Chinese halls call "A零零一"; the pack says each as a clip.
LETTERS = {f"letter_{c.lower()}": c for c in string.ascii_uppercase}
CHIME = "chime"
CLIPS = (CHIME, *PINYIN, *LETTERS)  # every clip a complete pack has

TICKET_NUMBER = re.compile(r"[A-Z]{0,2}[0-9]{1,6}")
MAX_WINDOW = 999


class ScriptError(ValueError):
    """A number or window that cannot be said; `zh` for staff."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def number_clips(number: str) -> list[str]:
    """A ticket number, letter by letter and digit by digit: "A001" → letter_a digit_0 digit_0 digit_1."""
    if not TICKET_NUMBER.fullmatch(number):
        raise ScriptError(f"cannot say ticket number {number!r}", tr("无法播报号码“{number}”", number=number))
    return [f"letter_{c.lower()}" if c.isalpha() else f"digit_{c}" for c in number]


def cardinal_clips(value: int) -> list[str]:
    """1–999 as said in Mandarin: 3 三, 10 十, 12 十二, 20 二十, 105 一百零五, 110 一百一十."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WINDOW:
        raise ScriptError(f"cannot say window {value!r}", tr("无法播报窗口号“{value}”", value=value))
    hundreds, tens, ones = value // 100, value // 10 % 10, value % 10
    clips: list[str] = []
    if hundreds:
        clips += [f"digit_{hundreds}", "digit_bai"]
    if tens:
        if tens > 1 or hundreds:  # 十二, but 一百一十二
            clips.append(f"digit_{tens}")
        clips.append("digit_shi")
    elif hundreds and ones:
        clips.append("digit_0")  # 一百零五
    if ones:
        clips.append(f"digit_{ones}")
    return clips


def call_clips(number: str, window: int) -> list[str]:
    """One saying of a call: 请 A001 号 到 3 号窗口 办理 (no chime)."""
    return ["qing", *number_clips(number), "hao", "dao", *cardinal_clips(window), "hao_chuangkou", "banli"]


def announcement(number: str, window: int, times: int = 2) -> list[str]:
    """What the hall hears for one call: the chime, then the call `times` times ("" marks a pause)."""
    once = call_clips(number, window)
    clips = [CHIME]
    for n in range(times):
        clips += ([""] if n else []) + once
    return clips


def pinyin(clips: list[str]) -> str:
    """The clips' reading: "qing3 A ling2 ling2 yi1 hao4 dao4 san1 hao4 chuang1 kou3 ban4 li3"."""
    words = []
    for clip in clips:
        if clip in PINYIN:
            words.append(PINYIN[clip])
        elif clip in LETTERS:
            words.append(LETTERS[clip])
    return " ".join(words)
