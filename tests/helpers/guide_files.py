"""Guide files for tests: a demo guide with real pictures (blank form, sample, hall map)."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from kiosk.library import bundled_guides_path


def guide_with_pictures(folder: Path) -> Path:
    """The 临时救助 demo guide with a blank form, a sample and a hall map as real PNG files."""
    (folder / "forms").mkdir(parents=True)
    for name, colour in (
        ("forms/blank.png", "white"),
        ("forms/sample.png", "lightyellow"),
        ("hall.png", "lightblue"),
    ):
        Image.new("RGB", (600, 400), colour).save(folder / name)
    record = json.loads((bundled_guides_path() / "linshi.json").read_text("utf-8"))
    record["id"] = "guide-pictures"
    record["申请材料"][0]["空白表格"] = {"文件": "forms/blank.png"}
    record["申请材料"][0]["示例样表"] = {"文件": "forms/sample.png"}
    record["大厅平面图"] = {"文件": "hall.png"}
    (folder / "guide.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return folder
