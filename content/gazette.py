"""Parse one gazette issue (政府公报, markdown converted from print) into its issue, documents and 解读.

The issue's own table of contents (目录) is the guide: every entry becomes one item, found in the body
by its title, and nothing the 目录 lists is skipped silently (an entry not found is in
``ParsedGazette.unmatched``). The parsing is written by hand because no library parses this
print-converted format; the clean-up of each document's text is in ``content.gazette_body`` and
``content.gazette_text``, the topic/重点领域 table in ``content.classify``.

``read_gazette_file`` is the only function here that does I/O.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
import os
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from content import classify, media
from content.errors import ImportFailed
from content.gazette_body import build_body
from content.gazette_text import (
    clean_input,
    clean_title,
    has_cjk,
    is_date_line,
    match_key,
    normalise_doc_number,
    parse_cn_date,
)
from content.model import GazetteIssue, Item, TocEntry
from translatable import Joined, Message

DEFAULT_MAX_BYTES = 50 * 2**20
# Where a title is looked for: at most this many lines per 目录 entry (a real issue prints a title
# once or twice), so that thousands of entries and look-alike lines cost linear time, not their product.
MAX_TRIES = 64
TOC_ENTRY_MAX = 200  # characters of one 目录 entry over its lines (the longest in the seed issue is 41)
INTERPRETATION_SECTION = "政策解读"

# Every run of spaces or marks is matched possessively (``*+``): the tokens around each run cannot
# match what it holds, so this finds the same matches without backtracking, which made a long run of
# spaces cost time quadratic in its length.
_TOC_HEADING = re.compile(r"^#{0,6}+\s*+\**+\s*+目\s*+录\s*+\**+\s*+$")
_NAME = re.compile(r"^#{0,6}+\s*+\**+\s*+(?P<name>[^\s#*].{0,40}?公\s*+报)\s*+\**+\s*+$")
_YEAR_NUMBER = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*第\s*(?P<n>\d{1,3})\s*[号期]")
_PUBLISHED = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*出\s*版"
)
_PAGE_AT_END = re.compile(r"(?:[（(]\s*(?P<p1>\d{1,4})\s*[)）]|(?P<p2>\d{1,4}))\s*$")
_LEADER_CHARS = " .．…·\t"
_BARE_PAGE_NUMBER = re.compile(r"^\s*+[-—–]?+\s*+\d{1,3}+\s*+[-—–]?+\s*+$")
_ISSUER = re.compile(
    r"^(?P<issuer>.{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|局|厅))(?:关于|印发|转发|批转)"
)
_DRAFTER = re.compile(
    r"(?P<dept>市[^\s，。、；：（）()“”《》]{1,14}?(?:局|委员会|办公室|中心))(?:会同[^，。；]{0,20}?)?(?:研究)?(?:制定|起草)"
)
_ISSUER_PREFIX = re.compile(r"^.{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府)(?=关于|印发)")
_VARIANT_PARENS = re.compile(r"（(?:试行|暂行|修订|征求意见稿)）")


@dataclass
class GazetteText:
    """A decoded gazette file and the encoding it was decoded from (utf-8, gb18030 or utf-16)."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text


@dataclass
class ParsedGazette:
    issue: GazetteIssue
    items: list[Item] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # 目录 titles not found in the body
    warnings: list[str] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------


def _failed(en: str, zh: str) -> ImportFailed:
    return ImportFailed(en, zh)


def read_gazette_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> GazetteText:
    """Read and decode a gazette file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030/GBK.

    Raises ImportFailed for a missing, empty, oversized (checked before reading), binary or
    undecodable file, and for anything that is not a regular file (a FIFO would block the open).
    The file may be on a USB stick: it is opened and read through content.media, with timeouts.
    """
    path = Path(path)
    try:
        with media.open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise _failed(
                    f"{path} is {size:,} bytes, larger than the limit of {max_bytes:,} bytes",
                    Message(
                        "文件 {path} 大小为 {size:,} 字节，超过上限 {max_bytes:,} 字节，拒绝导入。",
                        path=path,
                        size=size,
                        max_bytes=max_bytes,
                    ),
                )
            data = media.read(fh, max_bytes + 1, path)
    except media.MediaError as exc:
        raise _failed(str(exc), Message("{problem}。", problem=exc.zh)) from None
    except OSError as exc:
        raise _failed(
            f"cannot read {path}: {exc}", Message("无法读取文件 {path}：{error}", path=path, error=exc)
        ) from exc
    if len(data) > max_bytes:  # grew while we looked
        raise _failed(
            f"{path} is larger than the limit of {max_bytes:,} bytes",
            Message("文件 {path} 超过上限 {max_bytes:,} 字节，拒绝导入。", path=path, max_bytes=max_bytes),
        )
    return decode_gazette_bytes(data, str(path))


def decode_gazette_bytes(data: bytes, name: str = "file") -> GazetteText:
    if not data.strip():
        raise _failed(f"{name} is empty", Message("文件 {name} 是空的，没有可导入的内容。", name=name))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), "utf-16", name)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise _failed(
            f"{name} is a binary file (it contains NUL bytes), not a text gazette",
            Message("文件 {name} 是二进制文件，不是文本格式的公报。", name=name),
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return _checked(data.decode("utf-8"), "utf-8", name)
    except UnicodeDecodeError as exc:
        # a file cut off in the middle of a character (an interrupted copy) is still UTF-8
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            result = _checked(data[: exc.start].decode("utf-8"), "utf-8", name)
            result.warnings.append(Message("文件 {name} 在一个 UTF-8 字符中间结束，已被截断", name=name))
            return result
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _failed(
            f"{name} is neither UTF-8 nor GB18030/GBK text ({exc})",
            Message("文件 {name} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本，无法识别。", name=name),
        ) from exc
    if not _plausible_chinese(text):
        raise _failed(
            f"{name} decodes as GB18030 only into implausible text; it is binary or in an unknown encoding",
            Message("文件 {name} 无法识别为文本（可能是二进制文件或未知编码）。", name=name),
        )
    return GazetteText(text, "gb18030")


def _checked(text: str, encoding: str, name: str) -> GazetteText:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise _failed(
            f"{name} is a binary file (control characters), not a text gazette",
            Message("文件 {name} 是二进制文件，不是文本格式的公报。", name=name),
        )
    return GazetteText(text, encoding)


def _plausible_chinese(text: str) -> bool:
    """Mostly CJK ideographs, CJK punctuation, ASCII and whitespace, and some CJK at all."""
    if not text:
        return False
    good = 0
    cjk = 0
    for c in text:
        o = ord(c)
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            cjk += 1
            good += 1
        elif (
            (32 <= o < 127)
            or c in "\t\n\r\f"
            or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF
            or 0x2000 <= o <= 0x206F
        ):
            good += 1
    return cjk > 0 and good >= 0.97 * len(text)


# --- header and 目录 --------------------------------------------------------------------------


def issue_id(name: str, year: int, number: int) -> str:
    return "gz-" + hashlib.sha1(name.encode()).hexdigest()[:6] + f"-{year}-{number:02d}"


@dataclass
class _Entry:
    section: str
    title: str
    page: int | None
    kind: str


def _find_toc(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if len(line) < 40 and _TOC_HEADING.match(line.strip()):
            return i
    raise _failed(
        "no table of contents (目录) found: this does not look like a gazette issue",
        Message("文件中没有找到目录（目录），不像是一期政府公报，无法导入。"),
    )


def _parse_header(lines: list[str], source: str) -> tuple[str, int, int, str, list[str]]:
    warnings: list[str] = []
    name = ""
    for line in lines:
        m = _NAME.match(line.strip())
        if m:
            name = re.sub(r"\s+", "", m.group("name"))
            break
    head = "\n".join(lines)
    yn = _YEAR_NUMBER.search(head)
    if not name or not yn:
        missing = "name (…公报)" if not name else "year and number (…年第N号)"
        raise _failed(
            f"no recognisable gazette header before the 目录 in {source or 'the text'}: missing the {missing}",
            Message("目录之前没有可识别的公报刊头（应有“……公报”及“××××年第×号”），无法导入。"),
        )
    year, number = int(yn.group("y")), int(yn.group("n"))
    date = ""
    pub = _PUBLISHED.search(head)
    if pub:
        y = int(pub.group("y") or year)
        date = parse_cn_date(f"{y}年{pub.group('m')}月{pub.group('d')}日") or ""
    if not date:
        warnings.append(Message("报头中没有找到出版日期（…月…日出版）"))
    return name, year, number, date, warnings


def _leader_page(text: str) -> tuple[str, int | None] | None:
    """``title.....(3)`` → (title, 3); None when the line does not end with a dot leader and page."""
    m = _PAGE_AT_END.search(text)
    if not m:
        return None
    before = text[: m.start()]
    title = before.rstrip(_LEADER_CHARS)
    leader = before[len(title) :]
    if sum(1 for c in leader if c in ".．…·") < 2:
        return None
    page = int(m.group("p1") or m.group("p2"))
    return title, page


def _parse_toc(lines: list[str], start: int) -> tuple[list[_Entry], int, list[str]]:
    """Entries of the 目录 starting after line ``start``; returns them and the first body line."""
    entries: list[_Entry] = []
    warnings: list[str] = []
    section = ""
    pending: list[str] = []

    def finish(page: int | None) -> None:
        title = clean_title("".join(p.strip() for p in pending))
        pending.clear()
        if not title:
            return
        interp = "解读" in section or re.sub(r"\s+", "", title).endswith("解读")
        entries.append(_Entry(section, title, page, "interpretation" if interp else "document"))

    def next_nonblank(i: int) -> str:
        for j in range(i + 1, min(i + 4, len(lines))):
            if lines[j].strip():
                return lines[j].strip()
        return ""

    i = start + 1
    while i < len(lines):
        s = lines[i].strip()
        if not s:
            i += 1
            continue
        is_heading = s.startswith("#")
        bare = s.lstrip("#").strip()
        if "●" in bare[:3] or (
            is_heading and not pending and re.match(r"^[-*] ", next_nonblank(i)) and len(bare) <= 20
        ):
            if pending:
                finish(None)
            section = re.sub(r"\s+", "", bare.replace("●", "").replace("*", ""))
            i += 1
            continue
        item = re.match(r"^[-*]\s+(.*)$", s)
        if item:
            if pending:
                finish(None)
            pending.append(item.group(1))
        elif not is_heading and (pending or _leader_page(s)):
            if pending and sum(map(len, pending)) + len(s) > TOC_ENTRY_MAX:
                break  # no title is this long: the 目录 has ended (and each line need not rejoin them all)
            pending.append(s)
        else:
            break
        lp = _leader_page("".join(pending))
        if lp:
            pending[:] = [lp[0]]
            finish(lp[1])
        i += 1
    if pending:
        finish(None)
    if not entries:
        raise _failed(
            "the 目录 lists no documents",
            Message("目录中没有列出任何文件，无法导入。"),
        )
    return entries, i, warnings


# --- the body ---------------------------------------------------------------------------------


def _drop_page_artefacts(lines: list[str]) -> list[str]:
    """Blank out page numbers and running heads (a short line repeated on many pages: a standard's
    number such as ``DB 13/T 5480—2022``, the gazette's name). The first occurrence of a running
    head is kept: it is the cover (the standard's own number), not a page header."""
    keys = [re.sub(r"\s+", " ", ln.strip().lstrip("#").replace("*", "").strip()) for ln in lines]
    counts: dict[str, int] = {}
    for ln, key in zip(lines, keys, strict=True):
        if key and "\t" not in ln and len(key) <= 40:
            counts[key] = counts.get(key, 0) + 1
    running = {
        k
        for k, n in counts.items()
        if n >= 3 and ((not has_cjk(k) and any(c.isalnum() for c in k)) or "公报" in k)
    }
    out: list[str] = []
    seen: set[str] = set()
    for ln, key in zip(lines, keys, strict=True):
        if "\t" not in ln and _BARE_PAGE_NUMBER.match(ln) and ln.strip():
            out.append("")
        elif key in running:
            out.append(ln if key not in seen else "")
            seen.add(key)
        else:
            out.append(ln)
    return out


def _title_matches(line_keys: list[str], key: str) -> int:
    """How many consecutive lines (1–3) spell the title ``key``; 0 if they do not."""
    joined = ""
    for n, lk in enumerate(line_keys[:3], start=1):
        joined += lk
        if not joined or not key.startswith(joined):
            return 0
        if joined == key or (len(joined) >= max(6, 0.75 * len(key)) and n == 1 and len(line_keys) > 0):
            return n
    return 0


def _locate(
    entries: list[_Entry], lines: list[str], body_start: int
) -> tuple[dict[int, tuple[int, int]], list[str]]:
    """Entry index → (first line, number of title lines) in the body."""
    warnings: list[str] = []
    idx = [i for i in range(body_start, len(lines)) if lines[i].strip() and "\t" not in lines[i]]
    keys = [match_key(lines[i]) if len(lines[i]) <= 300 else "" for i in idx]
    used: set[int] = set()
    found: dict[int, tuple[int, int]] = {}
    # a title starts on a line whose key is a prefix of the title's key: lines by their key
    by_key: dict[str, list[int]] = {}
    for p, k in enumerate(keys):
        if k:
            by_key.setdefault(k, []).append(p)
    lengths = sorted({len(k) for k in by_key})
    headings = _Headings(lines, idx, keys)
    cursor = 0
    for e_no, entry in enumerate(entries):
        key = match_key(entry.title)
        if not key:
            continue
        hit = None
        buckets = [by_key[key[:n]] for n in lengths if n <= len(key) and key[:n] in by_key]
        splits = [bisect.bisect_left(b, cursor) for b in buckets]
        # in 目录 order after the previous document first, then anywhere (a misplaced document)
        after = heapq.merge(*(b[at : at + MAX_TRIES] for b, at in zip(buckets, splits, strict=True)))
        before = heapq.merge(*(b[: min(at, MAX_TRIES)] for b, at in zip(buckets, splits, strict=True)))
        for p in itertools.islice(itertools.chain(after, before), MAX_TRIES):
            if p in used:
                continue
            n = _title_matches(keys[p : p + 3], key)
            if n:
                hit = (p, n)
                break
        if hit is None:
            hit = headings.fuzzy(key, used)
            if hit:
                warnings.append(
                    Message(
                        "目录条目“{entry}”按相近的标题对应到正文标题“{heading}”",
                        entry=entry.title,
                        heading=lines[idx[hit[0]]].strip(),
                    )
                )
        if hit:
            p, n = hit
            used.update(range(p, p + n))
            found[e_no] = (idx[p], idx[p + n - 1] + 1)
            cursor = p + n
    return found, warnings


class _Headings:
    """The body's headings by their last character, for titles printed with a typo."""

    def __init__(self, lines: list[str], idx: list[int], keys: list[str]) -> None:
        self.keys = keys
        self.by_last: dict[str, list[int]] = {}
        for p, k in enumerate(keys):
            if k and lines[idx[p]].lstrip().startswith("#"):
                self.by_last.setdefault(k[-1], []).append(p)

    def fuzzy(self, key: str, used: set[int]) -> tuple[int, int] | None:
        best, best_ratio = None, 0.0
        if len(key) > 200:
            return None
        candidates = (
            p
            for p in self.by_last.get(key[-1], ())
            # a heading that differs from the 目录 by a character or two (a typo), not a different
            # title that shares most of its words (方案 vs 《方案》解读)
            if abs(len(self.keys[p]) - len(key)) <= 3 and ("解读" in key) == ("解读" in self.keys[p])
        )
        for p in itertools.islice(candidates, MAX_TRIES):
            if p in used:
                continue
            sm = SequenceMatcher(None, self.keys[p], key, autojunk=False)
            if sm.real_quick_ratio() < 0.9 or sm.quick_ratio() < 0.9:
                continue
            r = sm.ratio()
            if r >= 0.9 and r > best_ratio:
                best, best_ratio = (p, 1), r
        return best


def _document_head(lines: list[str]) -> tuple[str, str, int]:
    """文号 and date printed under the title; returns them and how many lines they take."""
    doc_number = date = ""
    used = 0
    seen = 0
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        seen += 1
        if seen > 4:
            break
        number = normalise_doc_number(s)
        if number and not doc_number:
            doc_number, used = number, i + 1
        elif is_date_line(s) and not date:
            date, used = parse_cn_date(s) or "", i + 1
        else:
            break
    return doc_number, date, used


def _issuer(title: str) -> str:
    m = _ISSUER.match(title)
    return m.group("issuer") if m else ""


def _doc_keys(title: str) -> set[str]:
    """Ways a 解读 may quote a document title: with or without issuer, 关于, 印发…的通知, (试行)."""
    keys = {title}
    t = _ISSUER_PREFIX.sub("", title)
    keys.add(t)
    if t.startswith("关于"):
        t = t[2:]
        keys.add(t)
    m = re.match(r"^印发(?P<inner>.+)的通知$", t)
    if m:
        keys.add(m.group("inner"))
    keys.update(re.findall(r"《([^《》]+)》", title))
    return {_interp_key(k) for k in keys if k}


def _interp_key(text: str) -> str:
    text = match_key(text).strip("《》")
    text = _VARIANT_PARENS.sub("", text)
    return text[2:] if text.startswith("关于") else text


def _quoted(title: str) -> str:
    start, end = title.find("《"), title.rfind("》")
    if 0 <= start < end:
        return title[start + 1 : end]
    return re.sub(r"解\s*读$", "", title)


class _Documents:
    """The issue's documents and the ways a 解读 may quote each title, worked out once per issue."""

    def __init__(self, docs: list[Item]) -> None:
        self.keys = [(doc, _doc_keys(doc.title)) for doc in docs]
        self.by_key: dict[str, Item] = {}
        for doc, keys in self.keys:
            for k in keys:
                self.by_key.setdefault(k, doc)

    def link(self, interp_title: str) -> tuple[Item | None, bool]:
        """The document a 解读 interprets (and whether the match was only approximate)."""
        key = _interp_key(_quoted(interp_title))
        if key in self.by_key:
            return self.by_key[key], False
        best, best_ratio = None, 0.0
        for doc, keys in self.keys if len(self.keys) <= 500 and len(key) <= 200 else []:
            for k in keys:
                sm = SequenceMatcher(None, key, k, autojunk=False)
                # the quick ratios bound the ratio from above: skip what cannot win
                if sm.real_quick_ratio() <= best_ratio or sm.quick_ratio() <= best_ratio:
                    continue
                r = sm.ratio()
                if r > best_ratio:
                    best, best_ratio = doc, r
        return (best, True) if best_ratio >= 0.85 else (None, False)


def parse_gazette(text: str, source: str = "") -> ParsedGazette:
    """Parse the text of one issue. Raises ImportFailed only; never anything else."""
    try:
        return _parse(text, source)
    except ImportFailed:
        raise
    except (ValueError, IndexError, KeyError, RecursionError) as exc:  # a bug must not be a traceback
        raise _failed(
            f"the gazette text could not be parsed: {type(exc).__name__}: {exc}",
            Message("公报内容无法解析，请检查文件格式。"),
        ) from exc


def _parse(text: str, source: str) -> ParsedGazette:
    text = clean_input(text)
    if not text.strip():
        raise _failed("the gazette text is empty", Message("公报内容为空，没有可导入的内容。"))
    lines = text.split("\n")
    toc_at = _find_toc(lines)
    name, year, number, pub_date, warnings = _parse_header(lines[:toc_at], source)
    entries, body_start, toc_warnings = _parse_toc(lines, toc_at)
    warnings += toc_warnings
    lines = lines[:body_start] + _drop_page_artefacts(lines[body_start:])
    issue = GazetteIssue(
        id=issue_id(name, year, number),
        name=name,
        year=year,
        number=number,
        date=pub_date,
        toc=[TocEntry(e.section, e.title, e.page) for e in entries],
        source=source,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    found, locate_warnings = _locate(entries, lines, body_start)
    warnings += locate_warnings
    unmatched = [e.title for n, e in enumerate(entries) if n not in found]
    starts = sorted(found[n][0] for n in found)

    def segment_end(first_line: int) -> int:
        k = bisect.bisect_right(starts, first_line)
        return starts[k] if k < len(starts) else len(lines)

    items: list[Item] = []
    docs: list[Item] = []
    for n, entry in enumerate(entries):
        if n not in found:
            continue
        begin, body_from = found[n]
        seg = lines[body_from : segment_end(begin)]
        item = Item(
            id=f"{issue.id}-{n + 1:02d}",
            kind=entry.kind,
            title=_printed_title(entry, lines[begin:body_from]),
            section=entry.section,
            page=entry.page,
            issue_id=issue.id,
            origin="gazette",
            source=source,
        )
        if entry.kind == "document":
            doc_number, date, used = _document_head(seg)
            seg = seg[used:]
            item.doc_number, item.date = doc_number, date
            item.issuer = _issuer(item.title)
            if not doc_number:
                warnings.append(Message("“{title}”下没有印文号", title=item.title))
            if not date:
                warnings.append(Message("“{title}”下没有印成文日期", title=item.title))
            docs.append(item)
        body = build_body(seg)
        item.body_md, item.annexes = body.markdown, body.annexes
        item.topics = classify.topics(item.title, item.body_md)
        item.category = classify.category(item.title, item.body_md)
        items.append(item)
    documents = _Documents(docs)
    for item in items:
        if item.kind == "interpretation":
            _fill_interpretation(item, documents, warnings)
    if unmatched:
        warnings.append(
            Message(
                "目录中有 {count} 个条目在正文中没有找到：{titles}",
                count=len(unmatched),
                titles=Joined("；", unmatched),
            )
        )
    return ParsedGazette(issue, items, unmatched, warnings)


def _printed_title(entry: _Entry, title_lines: list[str]) -> str:
    """The body's heading when it spells the whole title (its brackets as printed), else the 目录's."""
    printed = clean_title("".join(ln.strip().lstrip("#") for ln in title_lines))
    if match_key(printed) == match_key(entry.title):
        return printed
    return entry.title


def _fill_interpretation(item: Item, documents: _Documents, warnings: list[str]) -> None:
    doc, approximate = documents.link(item.title)
    if doc is None:
        warnings.append(Message("解读“{title}”：没有找到它所解读的文件", title=item.title))
    else:
        item.interprets_id = doc.id
        # a 解读 is filed with its policy: same 重点领域, its topics first
        item.category = doc.category
        item.topics = list(dict.fromkeys(doc.topics + item.topics))[: classify.MAX_TOPICS]
        if approximate:
            warnings.append(
                Message(
                    "解读“{title}”按相近的标题对应到文件“{document}”", title=item.title, document=doc.title
                )
            )
    own_dates = [ln for ln in item.body_md.split("\n") if is_date_line(ln)]
    if own_dates:
        item.date = parse_cn_date(own_dates[-1]) or ""
    elif doc is not None:
        item.date = doc.date
    m = _DRAFTER.search(item.body_md)
    item.issuer = m.group("dept") if m else ""
