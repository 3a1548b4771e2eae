"""The one translation mechanism for Python (kiosk/i18n.py): a language is a catalogue file, a missing or
broken translation shows the Chinese, and every `tr` call in the code passes one whole sentence (a string
literal, never an f-string or pieces) whose placeholders are the values it is given."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from kiosk import i18n, sync_text
from kiosk.i18n import tr

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def english(tmp_path):
    catalogue = {
        "频道 {channel}，版本 {version}": "Channel {channel}, version {version}",
        "待上传记录：{pending} / {capacity} 条": "{pending} of at most {capacity} records waiting to be sent",
        "上次成功同步：{time}": "Last synced {when}",  # a slip: its placeholder differs
    }
    (tmp_path / "en.json").write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    i18n.set_language("en", tmp_path)
    yield
    i18n.set_language(i18n.SOURCE)


def test_the_source_language_fills_in_the_values():
    assert tr("待上传记录：{pending} / {capacity} 条", pending=3, capacity=100) == "待上传记录：3 / 100 条"
    assert tr("资料库暂时无法使用") == "资料库暂时无法使用"


def test_a_language_is_a_catalogue_file_and_the_text_follows_it(english, caplog):
    assert sync_text.version_line("dingzhou", 7) == "Channel dingzhou, version 7"
    assert tr("待上传记录：{pending} / {capacity} 条", pending=3, capacity=100) == (
        "3 of at most 100 records waiting to be sent"
    )
    assert tr("上次成功同步：{time}", time="2024-05-01 08:30") == "上次成功同步：2024-05-01 08:30"
    assert tr("资料库暂时无法使用") == "资料库暂时无法使用"  # not translated yet: the Chinese
    assert i18n.language() == "en"


def test_a_missing_or_damaged_catalogue_shows_the_chinese(tmp_path):
    (tmp_path / "xx.json").write_text("[1, 2", encoding="utf-8")
    try:
        for language in ("xx", "yy"):
            i18n.set_language(language, tmp_path)
            assert sync_text.version_line("dingzhou", 7) == "频道 dingzhou，版本 7"
    finally:
        i18n.set_language(i18n.SOURCE)


# Where each marks its sentences: `tr` in kiosk/, ui/ and display/ (its own), `Message` in content/ and device/.
MARKERS = {"kiosk": "tr", "ui": "tr", "display": "tr", "content": "Message", "device": "Message"}


def marked_calls(folders=tuple(MARKERS)):
    """(file, line, first argument node, keyword names) of every call of each folder's marker."""
    for folder in folders:
        for path in sorted(ROOT.glob(f"{folder}/**/*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == MARKERS[folder]:
                    first = node.args[0] if node.args else None
                    yield path.relative_to(ROOT), node.lineno, first, {k.arg for k in node.keywords}


def test_every_marked_sentence_is_one_literal_with_its_values():
    """A `tr` takes its values by name, exactly the template's placeholders; so does a `Message` given
    values (one without values keeps its template as it is, braces and all)."""
    calls = list(marked_calls())
    assert sum(1 for c in calls if str(c[0]).startswith("content")) > 30  # the scan finds both markers
    assert sum(1 for c in calls if str(c[0]).startswith("kiosk")) > 30
    wrong = []
    for path, line, text, names in calls:
        message = path.parts[0] in ("content", "device")
        if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
            wrong.append(f"{path}:{line}: not a string literal")
        elif None in names:
            wrong.append(f"{path}:{line}: values passed as **mapping, not by name")
        elif (names or not message) and i18n.placeholders(text.value) != names:
            wrong.append(f"{path}:{line}: placeholders {i18n.placeholders(text.value)} but values {names}")
    assert not wrong, "\n".join(wrong)


def test_the_services_use_the_configured_language(tmp_path):
    from kiosk.config import defaults
    from kiosk.services import build

    try:
        build(defaults().with_values(kiosk__language="xx"), tmp_path)
        assert i18n.language() == "xx" and tr("资料库暂时无法使用") == "资料库暂时无法使用"
    finally:
        i18n.set_language(i18n.SOURCE)
