"""Every Chinese string literal in kiosk/, ui/, content/, device/ and display/ goes through the one
translation mechanism (issue 10 §3).

A literal holding Chinese characters is either the first argument of `tr(...)` (or of `N_(...)`, the
marker for a sentence declared before the language is chosen and translated where it is shown; in
content/ and device/, which may not import kiosk, of `Message(...)`, which `kiosk.i18n.translate`
translates where it is shown), or it is data, not a sentence, and allowed by name in `ALLOWED` with the
reason. No Chinese literal is glued to another piece with `+` or an f-string anywhere outside `NOT_YET`,
except in data `ALLOWED` names (a simulated card's made-up address is built, not translated). `NOT_YET`
names the files still to be converted: it can only shrink (an entry with nothing left to convert fails
the test until it is removed). Docstrings are code documentation and not scanned.
"""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatch
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TRANSLATING = {"tr", "N_", "Message", "Joined"}  # Joined: its separator ("、", " 或 ")
HELP_TEXT = {"help", "description", "title", "epilog"}  # argparse's keywords

# Not converted yet, file by file: each holds a Chinese literal outside `tr` or a glued sentence.
NOT_YET = {
    "content/ca_bundle.py",
    "content/channel.py",
    "content/classify.py",
    "content/gazette.py",
    "content/gazette_body.py",
    "content/gazette_text.py",
    "content/importer.py",
    "content/migrations.py",
    "content/model.py",
    "content/outbox_file.py",
    "content/sealed.py",
    "content/search/docnum.py",
    "content/search/example.py",
    "content/search/index.py",
    "content/search/question.py",
    "content/search/tokens.py",
    "content/search/vocab.py",
    "content/transport.py",
}

# Chinese literals that are data, not sentences: (file, where) → why. `where` is the enclosing
# function or class (dotted), or the module-level name assigned, or "--help" for an argparse text; the
# file may be a glob.
ALLOWED: dict[tuple[str, str], str] = {
    ("kiosk/cli/*", "--help"): "bilingual already, printed before the configuration is read",
    ("content/store.py", "Library.stats"): "SQL naming the guide record's JSON fields",
    ("kiosk/config.py", "_toml_type"): "TOML type names, bilingual, in the English message too",
    ("kiosk/options.py", "TIERS"): "the tiers of DB 13/T 5480 (省 … 村) as values",
    ("kiosk/options.py", "OPTIONS"): "default values (the demo hall's name, its tier)",
    ("kiosk/features/application_status.py", "STATES"): "the city's record kinds as keys",
    ("kiosk/guides.py", "AUDIENCES"): "the guide records' audiences (公民类, 企业类) as keys",
    ("kiosk/guides.py", "THEME_ORDER"): "the guide records' 主题 in the order residents look for them",
    ("kiosk/guides.py", "_keys"): "the group key of guides without a 主题 or department",
    ("kiosk/guides_hall.py", "WINDOWS"): "the hall file's keys (窗口, 大厅平面图): its format",
    ("kiosk/guides_hall.py", "NAME"): "a window's keys in the hall file (名称, 编号, 位置): its format",
    ("kiosk/notices.py", "SECTION"): "the section local notices are filed under (a key)",
    ("kiosk/notices.py", "NoticeDraft.level"): "the default level, one of content's NOTICE_LEVELS",
    ("kiosk/printout.py", "_SECTION"): "a pattern for a document's Chinese numbering (一、)",
    ("kiosk/related.py", "ASKING"): "words of a request stripped from what was typed",
    ("kiosk/related.py", "_is_han"): "the range of Han characters",
    (
        "content/application_status.py",
        "REPLY_KINDS",
    ): "the city's reply kinds (已公开 …): values of the records",
    (
        "content/application_status.py",
        "CORRECTION",
    ): "the record kinds 补正, 延期, 答复: values of the records",
    ("content/guides_catalog.py", "named_windows"): "SQL naming the guide record's JSON field 窗口",
    ("content/guides_catalog.py", "spell"): "the range of Han characters",
    (
        "content/guides_import.py",
        "_load_file",
    ): "the guide record's keys (事项名称, 更新日期, 公民类) read from it",
    ("content/guides_import.py", "_read_forms"): "a form reference's keys (文件, 文件名, 类型): the format",
    ("content/guides_markdown.py", "_AUDIENCE_SERVED"): "the record's audience values (公民类, 企业类) as keys",
    ("content/guides_record.py", "_KEYS"): "the guide record's field names: the file format",
    ("content/guides_record.py", "FILE_KEYS"): "the guide record's field names: the file format",
    ("content/guides_record.py", "file_refs"): "the guide record's field names where files are referenced",
    ("content/playlist.py", "SHOWS"): "the kinds of slide by the names the displays report (data)",
    ("content/playlist.py", "default_playlist"): "the tiers (省, 市, 县) as values compared with the hall's",
    ("content/queue_config.py", "CATEGORIES"): "the services' categories (公民类, 企业类) as values",
    ("content/record_schema.py", "RESIDENT_ACTIONS"): "the application form's values (公民, 纸质 …) checked",
    (
        "device/idcard/identity_card.py",
        "NATIONS",
    ): "the card's nation codes (GB/T 3304) as the card's own text",
    (
        "device/idcard/identity_card.py",
        "GENDERS",
    ): "the card's gender codes (GB/T 2261.1) as the card's own text",
    ("device/idcard/identity_card.py", "_TYPE_LABELS"): "the card types' names as printed on the cards",
    ("device/idcard/identity_card.py", "LONG_TERM"): "the card's validity value for no end date (长期)",
    ("device/idcard/identity_card.py", "UNKNOWN_GENDER"): "the gender value for a code outside the table",
    (
        "device/idcard/synthetic_cards.py",
        "synthetic_card",
    ): "made-up names and addresses of the simulated cards",
    (
        "device/printer/sample_receipts.py",
        "queue_ticket",
    ): "a sample ticket's made-up content for diag printing",
    (
        "device/printer/sample_receipts.py",
        "self_test_page",
    ): "the self-test page: characters that test the font",
    ("device/printer/cjk_font.py", "_has_han"): "a Han character to test whether a font draws Chinese",
    ("kiosk/demo.py", "DEMO_QUEUE"): "the demo hall's queue.toml: the format's keys and sample services",
    ("display/plan.py", "MODES"): "the heartbeat's mode values, compared and shown by the kiosk as sent",
    ("display/plan.py", "EMERGENCY_MODE"): "the heartbeat's mode value while an emergency notice plays",
    ("display/plan.py", "OFF_MODE"): "the heartbeat's mode value while the backlight is off",
    ("display/plan.py", "NO_END"): "the notice records' validTo value meaning no end date (data compared)",
    ("display/plan.py", "DAY_NAMES"): "one character per weekday, placed into the date line's template",
    ("display/link.py", "Link._send_loop"): "an English log line naming the staff page (公示屏) to open",
    (
        "kiosk/applications/form.py",
        "ApplicantKind.CITIZEN",
    ): "the Art. 29 form's applicant kinds: stored values",
    ("kiosk/applications/form.py", "ApplicantKind.ORGANISATION"): "the form's applicant kinds: stored values",
    (
        "kiosk/applications/form.py",
        "Medium.PAPER",
    ): "the form's media (纸质, 电子数据): values sent to the city",
    (
        "kiosk/applications/form.py",
        "Medium.ELECTRONIC",
    ): "the form's media (纸质, 电子数据): values sent to the city",
    (
        "kiosk/applications/form.py",
        "Route.COLLECT",
    ): "the form's routes (自行领取 …): values sent to the city",
    ("kiosk/applications/form.py", "Route.POST"): "the form's routes (自行领取 …): values sent to the city",
    ("kiosk/applications/form.py", "Route.EMAIL"): "the form's routes (自行领取 …): values sent to the city",
    (
        "kiosk/applications/status.py",
        "REPLY_MEANINGS",
    ): "the city's reply kinds (已公开 …) as keys; meanings are N_",
    (
        "kiosk/applications/validators.py",
        "_EXTENSION",
    ): "a pattern for a phone extension as people write it (转)",
    ("kiosk/cli/display.py", "register"): "bilingual --help texts of the subcommands, as for --help",
    (
        "kiosk/signage/playlist_desk.py",
        "DAY_NAMES",
    ): "one character per weekday, joined into 星期一、三 (data)",
    (
        "kiosk/signage/playlist_desk.py",
        "_WHERE",
    ): "a pattern reading content's 第N项 in the playlist rules' errors",
    (
        "kiosk/signage/playlist_desk.py",
        "FOR_THE_PAGE",
    ): "content's rule message as the key; the page's wording is N_",
    ("kiosk/api/server.py", "_is_chinese"): "the range of Han characters, to tell a Chinese message",
    ("kiosk/cli/queue_cmd.py", "EXAMPLE"): "a sample queue.toml: the file format's keys and sample services",
    ("kiosk/cli/queue_cmd.py", "DAY_NAMES"): "one character per weekday, joined into 星期一、三 (data)",
    ("kiosk/cli/queue_cmd.py", "register"): "bilingual --help texts of the subcommands, as for --help",
    (
        "kiosk/queue/export.py",
        "HEADER",
    ): "the day's tickets CSV columns: a format spreadsheets are set up for",
    (
        "kiosk/queue/reports.py",
        "HEADER",
    ): "the queue report's CSV columns: a format spreadsheets are set up for",
    ("kiosk/queue/reports.py", "GROUPS"): "the queue report's CSV group column values: data of the format",
    ("kiosk/statistics/export.py", "DETAIL_HEADER"): "the rollup's CSV columns: a format",
    ("kiosk/statistics/export.py", "MEASURE_NAMES"): "the rollup's measures, the CSV's data",
    ("kiosk/statistics/export.py", "TOTAL_NAMES"): "what a rollup row's total sums, the CSV's data",
    ("ui/applications.py", "CITIZEN"): "the Art. 29 form's applicant kinds (form values)",
    ("ui/applications.py", "ApplicationForm.chooseKind"): "the form's default medium and route (form values)",
    ("ui/screenshot.py", "sample_notices"): "sample content for the README's screenshots",
    ("ui/screenshot.py", "render"): "sample content and a search for the README's screenshots",
}


def sources() -> list[Path]:
    return sorted(
        path
        for folder in ("kiosk", "ui", "content", "device", "display")
        for path in ROOT.glob(f"{folder}/**/*.py")
    )


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def not_yet(path: str) -> bool:
    return path in NOT_YET


def allowed(path: str, scope: str) -> bool:
    return any(fnmatch(path, file) and scope == where for file, where in ALLOWED)


def called(call: ast.Call) -> str | None:
    """The name a call calls: `tr` for tr(…) and i18n.tr(…)."""
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def chinese(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(CJK.search(node.value))


def docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def where(chain: list[ast.AST]) -> str:
    """The allow-list name of the innermost node of `chain` (its ancestors first)."""
    parent = chain[-2] if len(chain) > 1 else None
    if isinstance(parent, ast.keyword) and parent.arg in HELP_TEXT:
        return "--help"
    names = []
    for i, node in enumerate(chain):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            chain[i - 1], ast.Module | ast.ClassDef
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            first = targets[0].elts[0] if isinstance(targets[0], ast.Tuple) else targets[0]  # A, B = …: A
            names.extend([first.id] if isinstance(first, ast.Name) else [])
    return ".".join(names) or "<module>"


def scan(text: str) -> list[tuple[int, str, str]]:
    """[(line, problem, where)] of a module's source: problem is 'outside tr' or 'glued (…)'."""
    tree = ast.parse(text)
    skip = docstrings(tree)
    translated = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and called(node) in TRANSLATING and node.args
    }
    out: list[tuple[int, str, str]] = []

    def visit(chain: list[ast.AST]) -> None:
        node = chain[-1]
        if isinstance(node, ast.JoinedStr):
            if any(chinese(v) for v in node.values) and len(node.values) > 1:
                out.append((node.lineno, "glued (f-string)", where(chain)))
            return  # its pieces are the glued sentence, reported once
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Add)
            and (chinese(node.left) or chinese(node.right))
        ):
            out.append((node.lineno, "glued (+)", where(chain)))
        if chinese(node) and id(node) not in skip and id(node) not in translated:
            out.append((node.lineno, "outside tr", where(chain)))
        for child in ast.iter_child_nodes(node):
            visit([*chain, child])

    visit([tree])
    return out


@cache
def findings() -> dict[str, list[tuple[int, str, str]]]:
    return {name(path): scan(path.read_text(encoding="utf-8")) for path in sources()}


def test_every_chinese_literal_is_translated_or_allowed_data():
    wrong = []
    for path, problems in findings().items():
        if not_yet(path):
            continue
        for line, problem, scope in problems:
            if not allowed(path, scope):
                wrong.append(f"{path}:{line}: Chinese {problem} (in {scope})")
    assert not wrong, "wrap the sentence in tr(...), whole, with named placeholders:\n" + "\n".join(wrong)


def test_the_scan_finds_what_it_looks_for():
    module = """
\"\"\"文档 is not scanned.\"\"\"
TITLE = N_("政府信息查询")
KEYWORDS = ("社保", "就业")


class Desk:
    def line(self, n, name):
        ok = tr("共 {n} 条", n=n)
        return "频道 " + name + ok, f"版本 {n}", "已连接", parser.add_argument("-x", help="帮助 help")
"""
    assert scan(module) == [
        (4, "outside tr", "KEYWORDS"),
        (4, "outside tr", "KEYWORDS"),
        (10, "glued (+)", "Desk.line"),
        (10, "outside tr", "Desk.line"),
        (10, "glued (f-string)", "Desk.line"),
        (10, "outside tr", "Desk.line"),
        (10, "outside tr", "--help"),
    ]


def test_not_yet_only_shrinks():
    """An entry of NOT_YET with nothing left to convert is removed, so the list says what remains."""
    done = [
        entry
        for entry in NOT_YET
        if not any(
            not allowed(path, scope)
            for path, problems in findings().items()
            if path == entry
            for _, problem, scope in problems
        )
    ]
    assert not done, f"converted: remove from NOT_YET {sorted(done)}"


def test_every_allowed_entry_is_still_there_and_says_why():
    seen = [(path, scope) for path, problems in findings().items() for _, _, scope in problems]
    gone = [
        (file, where) for file, where in ALLOWED if not any(fnmatch(p, file) and s == where for p, s in seen)
    ]
    assert not gone, f"allowed but gone: remove {gone}"
    assert all(len(reason) > 15 for reason in ALLOWED.values())
