"""Structured logs never carry an ID number or a name in full."""

from __future__ import annotations

import json
import logging

from kiosk import logs


def test_masks():
    assert logs.mask_id_number("13010219900307123X") == "1301**********123X"
    assert logs.mask_name("张三丰") == "张**"
    assert logs.mask_name("") == ""


def test_json_lines_scrub_id_numbers(tmp_path):
    logs.setup(tmp_path, "info")
    try:
        logging.getLogger("test").info(
            "card read 13010219900307123X", extra={"fields": {"who": "id 130102199003071234 ok", "n": 3}}
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        lines = (tmp_path / "kiosk.jsonl").read_text(encoding="utf-8").splitlines()
        entry = json.loads(lines[-1])
        assert entry["msg"] == "card read 1301**********123X"
        assert entry["who"] == "id 1301**********1234 ok"
        assert entry["n"] == 3
        assert "13010219900307" not in "\n".join(lines)
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_zwgk", False)]:
            root.removeHandler(handler)
            handler.close()
