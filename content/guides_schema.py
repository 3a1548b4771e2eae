"""The guide format's JSON Schema (`content/data/guide.schema.json`) and its errors, each naming the field
and the line to fix.

One schema serves two readers: an import file (`$defs/file`: one complete guide with its id and 事项名称,
or a list of them) and a guide record as the channel and the library carry it (`$defs/record`: the same
fields, any of them may be absent, files named by SHA-256).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from content.guides_json import Parsed
from translatable import Joined, Message

SCHEMA_FILE = "guide.schema.json"


@functools.cache
def schema() -> dict[str, Any]:
    return json.loads((resources.files("content") / "data" / SCHEMA_FILE).read_text("utf-8"))


@functools.cache
def _validator(definition: str | None) -> Draft202012Validator:
    document = schema()
    if definition is not None:
        document = {**document, "$ref": f"#/$defs/{definition}"}
        for key in ("if", "then", "else"):
            document.pop(key)
    return Draft202012Validator(document)


@dataclass(frozen=True)
class FieldError:
    """One thing wrong in a guide file: where (path, line) and what, in Chinese and English."""

    path: tuple[str | int, ...]
    line: int
    zh: str
    en: str

    def field(self) -> str:
        """The field for people: 申请材料第3项.份数 (list items counted from 1)."""
        parts: list[str] = []
        for part in self.path:
            if isinstance(part, int):
                parts.append(Message("第{n}项", n=part + 1))
            else:
                parts.extend([".", part] if parts else [part])
        return Joined("", parts) if parts else Message("（整个文件）")

    def pointer(self) -> str:
        return "/" + "/".join(str(p) for p in self.path)


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_TYPES = {
    "string": Message("文字（加双引号）"),
    "integer": Message("整数"),
    "boolean": Message("true 或 false"),
    "array": Message("列表 [ … ]"),
    "object": Message("对象 { … }"),
    "null": "null",
}


def validate(parsed: Parsed, definition: str | None = None) -> list[FieldError]:
    """Every schema error of a parsed file (or, with `definition`, of a value against one `$defs` entry),
    in line order, each with the path and line of the field to fix."""
    errors = []
    for error in _validator(definition).iter_errors(parsed.value):
        errors.extend(_explain(error, parsed))
    return sorted(set(errors), key=lambda e: (e.line, e.pointer()))


def _explain(error: ValidationError, parsed: Parsed) -> list[FieldError]:
    path = tuple(error.absolute_path)
    kind = error.validator
    custom = error.schema.get("x-zh") if isinstance(error.schema, dict) else None
    if kind in ("if", "then", "else"):  # their errors come through as their own
        return []
    if kind == "required":
        name = _QUOTED.search(error.message).group(1)
        return [
            FieldError(
                (*path, name),
                parsed.line_of(path),
                custom or Message("缺少“{name}”", name=name),
                error.message,
            )
        ]
    if kind in ("additionalProperties", "unevaluatedProperties"):
        names = [n for n in _QUOTED.findall(error.message) if n in error.instance]
        return [
            FieldError(
                (*path, n),
                parsed.line_of((*path, n)),
                Message("未知字段“{n}”（字段名见 guide.schema.json）", n=n),
                error.message,
            )
            for n in names
        ]
    if kind == "type":
        expected = (
            error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        )
        zh = Message("应为{types}", types=Joined(" 或 ", [_TYPES.get(t, t) for t in expected]))
    elif kind == "enum":
        zh = Message(
            "只能是：{allowed}（现为 {value}）",
            allowed="、".join(str(v) for v in error.validator_value),
            value=json.dumps(error.instance, ensure_ascii=False)[:40],
        )
    elif kind in ("minLength", "pattern") and custom:
        zh = custom
    elif kind == "minItems":
        zh = custom or Message("至少要填 {limit} 项", limit=error.validator_value)
    elif kind == "maxItems":
        zh = custom or Message("最多 {limit} 项", limit=error.validator_value)
    elif kind == "maxLength":
        zh = Message("太长（最多 {limit} 个字）", limit=error.validator_value)
    elif kind == "minimum":
        zh = Message("不能小于 {limit}", limit=error.validator_value)
    elif kind == "maximum":
        zh = Message("不能大于 {limit}", limit=error.validator_value)
    else:
        zh = custom or Message("不符合格式（{message}）", message=error.message)
    return [FieldError(path, parsed.line_of(path), zh, error.message)]
