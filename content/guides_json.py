"""JSON with the line of every value: a guide file's error names the line to fix, not only the field.

`parse(text)` returns the value (as `json.loads` would, but refusing duplicate keys, NaN and Infinity)
and a map from each value's path (a tuple of keys and list indexes, like jsonschema's ``absolute_path``)
to the line it starts on. Primitives are read with the standard library's own decoder; only objects and
arrays are walked here, iteratively, so deep nesting is an error and never a recursion limit.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any

from translatable import Message

Path = tuple[str | int, ...]
MAX_DEPTH = 64

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(parse_constant=lambda name: _refuse_constant(name))


class JsonSyntaxError(ValueError):
    """Text that is not JSON (or that a guide file may not hold), at a line and column."""

    def __init__(self, en: str, zh: str, line: int, column: int):
        super().__init__(f"line {line} column {column}: {en}")
        self.en, self.zh, self.line, self.column = en, zh, line, column


class _Constant(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


@dataclass
class Parsed:
    value: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int:
        """The line of the value at `path`, or of its nearest enclosing value that exists."""
        path = tuple(path)
        while path not in self.lines:
            path = path[:-1]
        return self.lines[path]


class _Text:
    def __init__(self, text: str):
        self.text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1

    def column(self, offset: int) -> int:
        start = self.text.rfind("\n", 0, offset) + 1
        return offset - start + 1

    def error(self, offset: int, en: str, zh: str) -> JsonSyntaxError:
        return JsonSyntaxError(en, zh, self.line(offset), self.column(offset))

    def skip(self, offset: int) -> int:
        return _SPACE.match(self.text, offset).end()


def parse(text: str) -> Parsed:
    """Parse JSON text, recording the line of every value (see the module docstring)."""
    src = _Text(text)
    lines: dict[Path, int] = {}
    # The stack holds open containers: [path, container, pending key (objects)].
    stack: list[list[Any]] = []
    result: Any = None
    pos = src.skip(0)
    path: Path = ()
    while True:
        # --- read one value at `pos` for `path` ------------------------------------------------------
        if pos >= len(text):
            raise src.error(pos, "unexpected end of text", Message("文件意外结束（缺少内容或括号）"))
        lines[path] = src.line(pos)
        char = text[pos]
        if char in "{[":
            if len(stack) >= MAX_DEPTH:
                raise src.error(
                    pos,
                    f"nested deeper than {MAX_DEPTH}",
                    Message("嵌套超过 {max_depth} 层", max_depth=MAX_DEPTH),
                )
            container: Any = {} if char == "{" else []
            stack.append([path, container, None])
            pos = src.skip(pos + 1)
            closing = "}" if char == "{" else "]"
            if pos < len(text) and text[pos] == closing:
                value, pos = stack.pop()[1], pos + 1
            else:
                if char == "{":
                    pos, path = _key(src, pos, stack[-1])
                else:
                    path = (*path, 0)
                continue
        else:
            try:
                value, end = _DECODER.raw_decode(text, pos)
            except _Constant as exc:
                raise src.error(
                    pos, f"{exc} is not JSON", Message("{text} 不是有效的 JSON 值", text=exc)
                ) from None
            except json.JSONDecodeError as exc:
                raise src.error(exc.pos, exc.msg, _zh(exc.msg)) from None
            pos = end
        # --- store it in its container, then close every container that ends here --------------------
        while True:
            if not stack:
                result = value
                pos = src.skip(pos)
                if pos != len(text):
                    raise src.error(
                        pos, "extra text after the JSON value", Message("JSON 内容之后还有多余的文字")
                    )
                return Parsed(result, lines)
            frame = stack[-1]
            container = frame[1]
            if isinstance(container, dict):
                container[frame[2]] = value
            else:
                container.append(value)
            pos = src.skip(pos)
            closing = "}" if isinstance(container, dict) else "]"
            if pos < len(text) and text[pos] == ",":
                pos = src.skip(pos + 1)
                if isinstance(container, dict):
                    pos, path = _key(src, pos, frame)
                else:
                    path = (*frame[0], len(container))
                break
            if pos < len(text) and text[pos] == closing:
                value, pos = stack.pop()[1], pos + 1
                continue
            raise src.error(
                pos,
                f"expected ',' or '{closing}'",
                Message("缺少逗号或“{closing}”（上一项之后）", closing=closing),
            )


def _key(src: _Text, pos: int, frame: list[Any]) -> tuple[int, Path]:
    """Read `"key":` at `pos` for the object in `frame`; return where its value starts and its path."""
    text = src.text
    if pos >= len(text) or text[pos] != '"':
        raise src.error(pos, "expected a quoted key", Message("这里应是带双引号的字段名（或多了一个逗号）"))
    try:
        key, end = _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise src.error(exc.pos, exc.msg, _zh(exc.msg)) from None
    if key in frame[1]:
        raise src.error(pos, f"duplicate key {key!r}", Message("字段“{key}”重复出现", key=key))
    end = src.skip(end)
    if end >= len(text) or text[end] != ":":
        raise src.error(end, "expected ':' after the key", Message("字段“{key}”之后缺少冒号", key=key))
    frame[2] = key
    return src.skip(end + 1), (*frame[0], key)


_ZH = {
    "Expecting value": Message("这里缺少值（或多了一个逗号）"),
    "Unterminated string starting at": Message("字符串缺少结尾的双引号"),
    "Invalid control character at": Message("字符串中有控制字符（换行请写作 \\n）"),
    "Invalid \\escape": Message("无效的转义字符"),
    "Invalid \\uXXXX escape": Message("无效的 \\u 转义"),
}


def _zh(message: str) -> str:
    for en, zh in _ZH.items():
        if message.startswith(en):
            return zh
    return Message("JSON 格式错误（{message}）", message=message)
