"""Property tests: parse_gazette raises nothing but ImportFailed, on any text and on damaged copies of
the real issue, and always finishes (bounded examples, the whole file runs in well under 30 s)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.errors import ImportFailed
from content.gazette import decode_gazette_bytes, parse_gazette

SEED = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
HEADER = "\n".join(SEED_LINES[:60])  # the masthead and the whole 目录

# Text built from the pieces the parser looks for, so that random input reaches deep code paths.
PIECES = [
    "\n",
    "\n\n",
    "  \n",
    "# ",
    "## ",
    "### ",
    "- ",
    "**",
    "\t",
    "●",
    "目 录",
    "目录",
    "公报",
    "定州市人民政府公报",
    "2022 年第 2 号",
    "4 月 30 日出版",
    ".....(3)",
    "..",
    "(",
    ")",
    "（",
    "）",
    "《",
    "》",
    "“",
    "”",
    "解读",
    "解 读",
    "定政发字〔2022〕3 号",
    "2022 年 4 月 22 日",
    "2022年13月40日",
    "附件",
    "附件：1. ",
    "附录 A",
    "一、",
    "（一）",
    "1. ",
    "（1）",
    "5.1 ",
    "D. 4. 4. 2",
    "第一条",
    "关于印发",
    "的通知",
    "定州市人民政府办公室",
    "。",
    "，",
    "：",
    "；",
    "DB 13/T 5480—2022",
    "3",
    "序号\t编号",
    "市科技局会同相关部门研究制定",
    "的",
    "产业",
    " ",
]
gazette_like = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=80).map("".join)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_import_failed(text: str) -> None:
    try:
        parsed = parse_gazette(text)
    except ImportFailed as exc:
        assert str(exc) and exc.zh
        assert exc.__cause__ is None or isinstance(exc.__cause__, ImportFailed), "a bug behind ImportFailed"
        return
    assert len(parsed.items) + len(parsed.unmatched) == len(parsed.issue.toc)
    assert len({i.id for i in parsed.items}) == len(parsed.items)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    _parse_or_import_failed(text)


@FAST
@given(gazette_like)
def test_gazette_like_text(text):
    _parse_or_import_failed(text)


@FAST
@given(gazette_like)
def test_real_header_with_random_body(body):
    _parse_or_import_failed(HEADER + "\n" + body)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["delete", "duplicate", "swap"]), st.integers(0, len(SEED_LINES) - 1)),
        min_size=1,
        max_size=30,
    )
)
def test_damaged_copies_of_the_real_issue(edits):
    lines = list(SEED_LINES)
    for op, at in edits:
        at %= max(len(lines), 1)
        if not lines:
            break
        if op == "delete":
            del lines[at]
        elif op == "duplicate":
            lines.insert(at, lines[at])
        else:
            j = (at * 7919) % len(lines)
            lines[at], lines[j] = lines[j], lines[at]
    _parse_or_import_failed("\n".join(lines))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_or_fail_cleanly(data):
    try:
        text = decode_gazette_bytes(data)
    except ImportFailed:
        return
    assert text.encoding in ("utf-8", "gb18030", "utf-16")
    _parse_or_import_failed(text.text)


def test_long_lines_do_not_hang():
    """Inputs that would make a backtracking expression quadratic stay fast."""
    nasty = [
        "a\t" + "." * 20000 + "x",
        "- " + "." * 20000,
        "(" * 20000,
        "定州市人民政府公报\n2022 年第 2 号\n## 目 录\n- " + "《" * 5000 + ".....(3)\n" + "《" * 5000,
        "公报\n2022年第1号\n目录\n" + "- 甲.....(1)\n" * 3000 + "# 甲\n" * 3000,
        " 1" * 20000,
    ]
    for text in nasty:
        _parse_or_import_failed(text)
