"""Finding a font with Chinese glyphs, for raster printing and for rendering receipts to images.

Order: the ``ZWGK_CJK_FONT`` environment variable, fontconfig (``fc-list :lang=zh``), then the usual
Debian paths of fonts-noto-cjk and fonts-wqy-microhei/zenhei. No font is a `CjkFontMissing` error that
says which package to install, never a page of empty boxes.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from PIL import ImageFont

from device.errors import CjkFontMissing
from translatable import Message

COMMON_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
_PREFERRED = ("NotoSansCJK", "wqy-microhei", "wqy-zenhei", "NotoSerifCJK")


def _fontconfig_candidates() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    return sorted(
        files,
        key=lambda f: (
            next((i for i, p in enumerate(_PREFERRED) if p in f), len(_PREFERRED)),
            "Regular" not in f,
        ),
    )


@functools.cache
def find_cjk_font() -> Path:
    candidates = [os.environ.get("ZWGK_CJK_FONT", ""), *_fontconfig_candidates(), *COMMON_PATHS]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and _has_han(candidate):
            return Path(candidate)
    raise CjkFontMissing(
        "no font with Chinese glyphs found (install fonts-noto-cjk or fonts-wqy-microhei)",
        Message("未找到中文字体，无法以图像方式打印或生成预览"),
    )


def _has_han(path: str) -> bool:
    try:
        font = ImageFont.truetype(path, 24)
    except OSError:
        return False
    box = font.getbbox("汉")
    return box[2] - box[0] > 8 and font.getmask("汉").getbbox() is not None


@functools.cache
def load(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(find_cjk_font()), size)
