"""Every Chinese string literal in kiosk/, ui/, content/, device/ and display/ goes through the one
translation mechanism (issue 10 §3).

A literal holding Chinese characters is either the first argument of `tr(...)` (or of `N_(...)`, the
marker for a sentence declared before the language is chosen and translated where it is shown; in
content/ and device/, which may not import kiosk, of `Message(...)`, which `kiosk.i18n.translate`
translates where it is shown), or it is data, not a sentence, and allowed by name in `ALLOWED` with the
reason. No Chinese literal is glued to another piece with `+` or an f-string, except in data `ALLOWED`
names (a simulated card's made-up address is built, not translated). Docstrings are code documentation
and not scanned. (Every module is converted: the list of files not yet converted that this test held
while the work went on is gone.)
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

# Chinese literals that are data, not sentences: (file, where) → why. `where` is the enclosing
# function or class (dotted), or the module-level name assigned, or "--help" for an argparse text; the
# file may be a glob.
ALLOWED: dict[tuple[str, str], str] = {
    ("content/classify.py", "<module>"): "an English assertion naming the standard's 重点领域",
    ("content/classify.py", "AREA_KEYWORDS"): "keywords that classify documents into 重点领域 (data)",
    ("content/classify.py", "BROWSE_TOPICS"): "the browse topics as the records' topic values (data)",
    ("content/classify.py", "TOPIC_KEYWORDS"): "keywords that classify documents into topics (data)",
    ("content/gazette.py", "INTERPRETATION_SECTION"): "the gazette's own section name, matched in its text",
    ("content/gazette.py", "_DRAFTER"): "a pattern for the drafting department in a gazette's text",
    ("content/gazette.py", "_Headings.fuzzy"): "the gazette's word 解读 matched in its headings",
    ("content/gazette.py", "_ISSUER"): "a pattern for a document's issuer in a gazette's text",
    ("content/gazette.py", "_ISSUER_PREFIX"): "a pattern for an issuer prefix in a gazette's titles",
    ("content/gazette.py", "_NAME"): "a pattern for the gazette's name (…公报) in its header",
    ("content/gazette.py", "_PUBLISHED"): "a pattern for the publication date (…月…日) in the header",
    ("content/gazette.py", "_TOC_HEADING"): "a pattern for the 目录 heading in a gazette's text",
    ("content/gazette.py", "_VARIANT_PARENS"): "a pattern for （试行） and its kin in document titles",
    ("content/gazette.py", "_YEAR_NUMBER"): "a pattern for …年第N号 in the gazette's header",
    ("content/gazette.py", "_doc_keys"): "words and patterns matching titles in the gazette's text",
    ("content/gazette.py", "_drop_page_artefacts"): "the gazette's running header word 公报 in its text",
    ("content/gazette.py", "_find_toc"): "an English log line quoting the gazette's term 目录",
    ("content/gazette.py", "_interp_key"): "the word 关于 stripped from titles when matching",
    ("content/gazette.py", "_parse_header"): "English messages quoting the header's parts; the date value",
    ("content/gazette.py", "_parse_toc"): "an English message quoting the gazette's term 目录",
    ("content/gazette.py", "_parse_toc.finish"): "the gazette's word 解读 matched in its contents",
    ("content/gazette.py", "_quoted"): "a pattern for 解读 at the end of a title",
    ("content/gazette_body.py", "_ANNEX_LIST"): "a pattern for 附件： lines in a document's text",
    ("content/gazette_body.py", "_BOLD_ARTICLE"): "a pattern for **第N条** in a document's text",
    ("content/gazette_body.py", "_MARKERS"): "patterns for 第N条, 第N章, 附件 in a document's text",
    ("content/gazette_body.py", "_PARTICLES"): "particles that cannot end a title line (data)",
    ("content/gazette_body.py", "_TITLE_NOUNS"): "nouns that end document titles (办法, 通知 …), data",
    ("content/gazette_body.py", "_is_title_like"): "words that open a document's front matter (目录 …)",
    ("content/gazette_body.py", "_merge_structural_headings"): "the word and pattern for 附件 headings",
    ("content/gazette_body.py", "annex_titles"): "a pattern for 附件N in a document's text",
    ("content/gazette_body.py", "can_join"): "words and a date pattern deciding line joins in text",
    ("content/gazette_text.py", "CJK"): "the ranges of Han characters",
    ("content/gazette_text.py", "CN_NUMERAL"): "Chinese numeral characters (data)",
    ("content/gazette_text.py", "_CN_DATE"): "a pattern for …年…月…日 in a document's text",
    ("content/gazette_text.py", "_DOC_NUMBER"): "a pattern for a 文号 (…〔2024〕3号) in a document's text",
    ("content/gazette_text.py", "normalise_doc_number"): "a 文号 rebuilt in its canonical form (data)",
    ("content/migrations.py", "m001_library"): "SQL naming the guide record's JSON fields",
    ("content/model.py", "GUIDE_AUDIENCES"): "the guide records' audiences (公民类, 企业类) as values",
    ("content/model.py", "GUIDE_SERVED"): "the guide records' 服务对象 values and their audience",
    ("content/model.py", "Guide.text_fields"): "the guide record's values (免费, 公民类) as indexed",
    ("content/model.py", "GuideFields.audience"): "the guide record's audience value (公民类)",
    ("content/model.py", "GuideFields.to_guide"): "the guide record's field names and values",
    ("content/model.py", "KEY_AREAS"): "the standard's 重点领域 as values of the records",
    ("content/model.py", "KIND_NAMES"): "the kinds' section names, values of the records",
    ("content/model.py", "Material.form"): "the guide record's default value (原件)",
    ("content/model.py", "Material.necessity"): "the guide record's default value (必要)",
    ("content/model.py", "Material.source"): "the guide record's default value (申请人自备)",
    ("content/model.py", "NOTICE_LEVELS"): "the tiers (省 … 村) as the notices' level values",
    ("content/model.py", "TimeLimit.text"): "a time limit in the guide record's own words (即办 …)",
    ("content/model.py", "TimeLimit.unit"): "the guide record's time-limit unit (工作日)",
    ("content/model.py", "_FREE"): "a pattern for the records' ways to say free of charge",
    ("content/model.py", "_LIST_MARKER"): "a pattern for list markers (一、 （1）) in record text",
    ("content/model.py", "_time_limit"): "patterns and values reading the records' time limits",
    ("content/search/docnum.py", "DocNumber.exact"): "a 文号 in its canonical form, a search key",
    ("content/search/docnum.py", "DocNumber.key"): "the character 字 in 文号 forms, a search key",
    ("content/search/docnum.py", "DocNumber.loose"): "a 文号 in its loose form, a search key",
    ("content/search/docnum.py", "_DOCNUM"): "a pattern for 文号 as residents type them",
    ("content/search/example.py", "_LEADING"): "a pattern for title openings skipped in examples",
    ("content/search/index.py", "_asked"): "the guide record's field names indexed for questions",
    ("content/search/question.py", "_GUIDE_QUESTION"): "patterns for how residents ask (怎么办理 …)",
    ("content/search/question.py", "_OTHER"): "patterns for question words stripped from a query",
    ("content/search/tokens.py", "HAN"): "the ranges of Han characters",
    ("content/search/vocab.py", "_in_text"): "the particle 的 skipped in vocabulary (data)",
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
    (
        "content/guides_markdown.py",
        "_AUDIENCE_SERVED",
    ): "the record's audience values (公民类, 企业类) as keys",
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
    ("kiosk/signage/playlist_desk.py", "placed"): "content's word 结束日期 matched in its rules' errors",
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


def test_every_allowed_entry_is_still_there_and_says_why():
    seen = [(path, scope) for path, problems in findings().items() for _, _, scope in problems]
    gone = [
        (file, where) for file, where in ALLOWED if not any(fnmatch(p, file) and s == where for p, s in seen)
    ]
    assert not gone, f"allowed but gone: remove {gone}"
    assert all(len(reason) > 15 for reason in ALLOWED.values())
