"""Search test fixtures: the bundled gazette issue split into items (a deliberately simple splitter, not
the importer), plus small hand-made items for ranking claims. No tests here."""

from __future__ import annotations

import re
from pathlib import Path

from content.model import GuideFields, Item
from content.store import Library

GAZETTE = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"
_DOCNUM_LINE = re.compile(r"^(定政[发办]字?〔\d{4}〕\s*\d+\s*号)\s*$", re.M)
_INTERP_HEADING = re.compile(r"^#+\s*《(.+?)》\s*解\s*读\s*$", re.M)
_HEADING = re.compile(r"^#+\s*(.+?)\s*$", re.M)
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", re.M)


def squeeze(text: str) -> str:
    """Remove the stray spaces the gazette's conversion left between Chinese characters."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text).strip()


def gazette_items() -> list[Item]:
    """The seed issue as documents (with 文号, date, issuer) and 解读 linked to them."""
    text = GAZETTE.read_text(encoding="utf-8")
    interp_start = next(m.start() for m in _INTERP_HEADING.finditer(text))
    numbers = list(_DOCNUM_LINE.finditer(text, 0, interp_start))
    docs: list[Item] = []
    for i, m in enumerate(numbers):
        heading = list(_HEADING.finditer(text, 0, m.start()))[-1]
        end = (
            interp_start
            if i + 1 == len(numbers)
            else list(_HEADING.finditer(text, 0, numbers[i + 1].start()))[-1].start()
        )
        body = text[m.end() : end]
        date_match = _DATE.search(body[:200])
        date = f"{date_match[1]}-{int(date_match[2]):02d}-{int(date_match[3]):02d}" if date_match else ""
        if date_match:
            body = body[date_match.end() :]
        title = squeeze(heading[1])
        issuer = "定州市人民政府办公室" if "办" in m[1] else "定州市人民政府"
        docs.append(
            Item(
                f"doc-{i + 1:02d}",
                "document",
                title,
                body.strip(),
                doc_number=squeeze(m[1]),
                issuer=issuer,
                date=date,
                section="市政府办公室文件" if "办" in m[1] else "市政府文件",
                issue_id="2022-2",
            )
        )
    interps: list[Item] = []
    headings = list(_INTERP_HEADING.finditer(text))
    for i, m in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        inner = squeeze(m[1])
        key = re.sub(r"[（(]试行[)）]|^关于", "", inner)
        target = next((d for d in docs if key in re.sub(r"[（(]试行[)）]", "", d.title)), None)
        interps.append(
            Item(
                f"interp-{i + 1:02d}",
                "interpretation",
                f"《{inner}》解读",
                text[m.end() : end].strip(),
                interprets_id=target.id if target else "",
                section="政策解读",
                issue_id="2022-2",
            )
        )
    return docs + interps


def extra_items() -> list[Item]:
    """Small items whose ranking is known by construction."""
    filler = "为进一步做好相关工作，结合我市实际，现就有关事项通知如下。" * 6
    return [
        Item(
            "t-straw-title",
            "notice",
            "关于做好秸秆禁烧工作的公告",
            filler + "各乡镇要高度重视。",
            level="市",
            date="2022-05-01",
            valid_from="2022-05-01",
        ),
        Item(
            "t-straw-body",
            "notice",
            "关于做好夏季农业生产工作的通知",
            filler + "严禁焚烧秸秆，做好禁烧巡查。" + filler,
            level="乡镇",
            date="2022-05-02",
        ),
        Item(
            "t-straw-adjacent",
            "notice",
            "关于加强农村环境治理的通知",
            filler + "全面落实秸秆禁烧责任制。" + filler,
            level="乡镇",
            date="2022-05-03",
        ),
        Item(
            "t-straw-apart",
            "notice",
            "关于农村人居环境整治的通知",
            "秸秆综合利用。" + filler * 3 + "加强巡查禁烧。",
            level="村",
            date="2022-05-04",
        ),
        Item(
            "t-pv",
            "guide",
            "分布式光伏发电项目备案办事指南",
            "个人申请分布式光伏发电项目备案，携带身份证到窗口办理。",
            section="公民类",
            guide=GuideFields(audience="公民类", materials="居民身份证、房屋产权证明", window="3号窗口"),
        ),
        Item(
            "t-express",
            "notice",
            "快递进村工程实施情况公示",
            "全市快递服务网点已覆盖所有行政村。",
            level="市",
            date="2022-06-01",
        ),
        Item(
            "t-social",
            "guide",
            "社会保险参保登记办事指南",
            "城乡居民到社会保险经办机构窗口办理参保登记。",
            section="公民类",
            guide=GuideFields(materials="居民身份证", window="社保窗口"),
        ),
        Item(
            "t-dibao",
            "notice",
            "关于城乡最低生活保障对象的公示",
            "经审核，以下家庭符合最低生活保障条件。",
            level="乡镇",
            date="2022-07-01",
        ),
        Item(
            "t-bank",
            "notice",
            "关于银行网点营业时间调整的通知",
            "各银行营业网点自七月起调整营业时间。",
            date="2022-07-02",
        ),
    ]


def make_library(path: Path) -> Library:
    """A library holding the seed issue's items and `extra_items()`."""
    lib = Library(path)
    lib.upsert_items(gazette_items() + extra_items())
    return lib
