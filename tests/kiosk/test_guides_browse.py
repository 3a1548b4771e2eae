"""The 办事指南 catalogue, page, hall file and 材料清单 without Qt: browsing by audience, 主题, department and
拼音首字母; the page's blocks in a resident's order; the window a hall file names; the checklist as printed
(rendered back from the ESC/POS bytes); and the hall file's parser on any input."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.guides_catalog import catalogue, spell
from content.guides_import import import_guides
from content.store import Library
from device.printer.escpos_render import render
from device.printer.printer_profile import PROFILES
from device.printer.receipt import encode
from kiosk import guides
from kiosk.config import load
from kiosk.devices import DeviceService
from kiosk.guides_checklist import DEMO_LINE, checklist
from kiosk.guides_hall import Hall, HallFileError, Window, hall_for_residents, load_hall, parse_hall
from kiosk.guides_page import DEMO_NOTE, guide_page
from kiosk.library import bundled_guides_path
from kiosk.printout import print_receipt
from tests.helpers.guide_files import guide_with_pictures

DIBAO = "guide-demo-dibao"
HALL = Hall((Window("社会救助窗口", "3", "一楼东侧"), Window("户籍窗口", "7")))


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guides")
    with Library(folder / "library.db", blobs_dir=folder / "blobs") as lib:
        import_guides(lib, bundled_guides_path())
        yield lib


@pytest.fixture(scope="module")
def entries(library):
    return catalogue(library)


def test_the_catalogue_is_every_guide_in_pinyin_order_filed_by_its_first_han_character(entries):
    assert len(entries) == 19
    assert [e.spelled for e in entries] == sorted(e.spelled for e in entries)
    by_title = {e.title: e for e in entries}
    assert by_title["城乡居民最低生活保障审核确认"].letter == "C"
    assert by_title["80周岁以上老年人高龄津贴申领"].letter == "Z"  # 周: the digits are skipped
    assert spell("8０") == "" and all(e.demo for e in entries)


def test_audiences_count_both_and_a_guide_for_both_is_in_each(entries):
    assert guides.audiences(entries) == [
        {"name": "公民类", "hint": "个人和家庭办事", "count": 19},
        {"name": "企业类", "hint": "企业和组织办事", "count": 1},
    ]
    assert [r["title"] for r in guides.guides(entries, "企业类")] == ["农机购置与应用补贴申请"]


def test_themes_come_in_life_event_order_with_counts_and_examples(entries):
    themes = guides.groups(entries, "公民类", "theme")
    names = [g["name"] for g in themes]
    assert names[:3] == ["生育收养", "户籍办理", "婚姻登记"]
    rescue = next(g for g in themes if g["name"] == "社会救助")
    assert (
        rescue["count"] == 5
        and rescue["details"].startswith("共 5 项：《")
        and rescue["details"].endswith("等")
    )
    listed = guides.guides(entries, "公民类", "theme", "社会救助")
    assert len(listed) == 5 and "城乡居民最低生活保障审核确认" in [r["title"] for r in listed]


def test_departments_most_guides_first_and_letters_a_to_z(entries):
    departments = guides.groups(entries, "公民类", "department")
    assert departments[0] == {**departments[0], "name": "民政局", "count": 8}
    letters = guides.letters(entries, "公民类")
    assert [x["name"] for x in letters] == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    assert sum(x["count"] for x in letters) == 19 and {"name": "A", "count": 0} in letters
    assert [r["title"] for r in guides.guides(entries, "公民类", "letter", "S")] == [
        "生育登记",
        "失业登记",
        "死亡人员户口注销",
    ]
    assert guides.title("公民类", "letter", "S") == "公民类 · 拼音首字母 S"


def test_demo_guides_are_marked_on_their_rows_and_an_unknown_request_is_refused(entries):
    assert {r["badge"] for r in guides.guides(entries, "")} == {"示例"}
    with pytest.raises(guides.GuideBrowseError) as refused:
        guides.guides(entries, "外星人类")
    assert refused.value.zh == "无法按此类别查看办事指南"
    with pytest.raises(guides.GuideBrowseError):
        guides.groups(entries, "公民类", "colour")


def test_the_page_reads_in_a_residents_order_with_the_window_of_the_hall(library):
    page = guide_page(library, library.get(DIBAO), HALL)
    assert page["demoNote"] == DEMO_NOTE and page["window"] == "请到 3 号窗口办理"
    headings = [b["text"] for b in page["blocks"] if b["kind"] == "heading"]
    assert headings == [
        "受理条件",
        "申请材料（共 5 项）",
        "办理流程",
        "收费",
        "办理时限",
        "办理地点和时间",
        "咨询和投诉",
        "常见问题",
        "设定依据",
    ]
    entries = [b for b in page["blocks"] if b["kind"] == "entry"]
    first = next(b for b in entries if b["marker"] == "1.")
    assert (first["name"], first["text"]) == ("最低生活保障申请书", "必要　原件　1 份　申请人自备")
    assert first["facts"].startswith("填报须知：")
    assert {"name": "免费", "big": True}.items() <= next(b for b in entries if b["name"] == "免费").items()
    window = next(b for b in entries if b["name"] == "请到 3 号窗口办理")
    assert window["big"] and window["text"] == "社会救助窗口　一楼东侧"
    assert next(b for b in entries if b["marker"] == "第1步")["name"] == "申请"


def test_without_the_hall_the_page_names_the_window_in_words_and_fees_are_itemised(library):
    page = guide_page(library, library.get(DIBAO), Hall())
    assert (
        page["window"] == ""
        and {"name": "窗口", "text": "社会救助窗口"}.items()
        <= next(b for b in page["blocks"] if b.get("name") == "窗口").items()
    )
    fees = guide_page(library, library.get("guide-demo-shenfenzheng"), Hall())["blocks"]
    after = [b for b in fees[[b.get("text") for b in fees].index("收费") + 1 :]]
    assert after[0]["kind"] == "entry" and after[0]["text"].startswith("标准：")


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_the_checklist_on_paper_has_every_material_with_a_tick_box_and_the_window(library, profile):
    item = library.get(DIBAO)
    page = render(
        encode(checklist(item, HALL, "定州市政务服务中心"), PROFILES[profile], "gb18030"),
        PROFILES[profile].dots,
    )
    text = "".join(p.text for p in page).replace("\n", "")
    for part in (
        "办事材料清单",
        "城乡居民最低生活保障审核确认",
        DEMO_LINE,
        "□ 1. 最低生活保障申请书",
        "原件，1 份，必要，申请人自备",
        "□ 5.",
        "请到 3 号窗口办理（一楼东侧）",
        "电话：12345",
        "收费：免费",
        "定州市政务服务中心",
    ):
        assert part.replace("\n", "") in text, part
    assert text.count("□") == len(item.guide.materials) == 5


def test_the_checklist_prints_on_the_simulated_printer(library, tmp_path):
    config = load(None).with_values(devices__printer="sim://")
    files = print_receipt(DeviceService(config, tmp_path), checklist(library.get(DIBAO), Hall()))
    assert len(files) == 1 and files[0].exists()


def test_the_hall_file_is_read_from_the_data_directory(tmp_path):
    assert load_hall(tmp_path) == Hall()
    (tmp_path / "plan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "hall.json").write_text(
        json.dumps(
            {"窗口": [{"名称": "社会救助窗口", "编号": 3}], "大厅平面图": "plan.png"}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    hall = load_hall(tmp_path)
    assert hall.window_for("社会救助窗口（或残联窗口）") == Window("社会救助窗口", "3")
    assert hall.window_for("户籍窗口") is None and hall.hall_map == (tmp_path / "plan.png").resolve()


@pytest.mark.parametrize(
    ("raw", "zh"),
    [
        (b"\xff\xfe", "不是 UTF-8 编码的 JSON"),
        (b"[]", "应为一个 JSON 对象"),
        ('{"窗口": [{"名称": "户籍窗口"}]}'.encode(), "缺少“编号”"),
        ('{"窗口": [{"名称": "户籍窗口", "编号": "1"}, {"名称": "户籍窗口", "编号": "2"}]}'.encode(), "重复"),
        ('{"窗口": [{"名称": "户籍窗口", "编号": NaN}]}'.encode(), "不是 UTF-8 编码的 JSON"),
        ('{"窗口": [{"名称": "户籍\\u0000窗口", "编号": "1"}]}'.encode(), "无法显示的字符"),
        ('{"窗口": [], "大厅平面图": "../etc/passwd.png"}'.encode(), "所在文件夹中的图片文件"),
        ('{"窗口": [], "大厅平面图": "map.gif"}'.encode(), "PNG 或 JPEG"),
        ('{"窗户": []}'.encode(), "不认识的项：窗户"),
    ],
)
def test_a_bad_hall_file_is_refused_with_what_is_wrong(tmp_path, raw, zh):
    with pytest.raises(HallFileError) as refused:
        parse_hall(raw, tmp_path)
    assert zh in refused.value.zh


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda c: (
                st.lists(c, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["窗口", "名称", "编号", "位置", "大厅平面图", "x"]), c, max_size=4
                )
            ),
            max_leaves=12,
        ).map(lambda v: json.dumps(v, ensure_ascii=False).encode()),
    )
)
def test_any_hall_file_is_a_hall_or_a_hall_file_error(raw):
    try:
        hall = parse_hall(raw, Path("/nonexistent-hall-folder"))
    except HallFileError as exc:
        assert exc.zh.startswith("大厅")
    else:
        assert all(w.name and w.number and w.number in w.indication() for w in hall.windows)


def test_forms_and_the_hall_map_are_shown_as_pictures_under_their_material_and_place(tmp_path):
    with Library(tmp_path / "library.db", blobs_dir=tmp_path / "blobs") as lib:
        import_guides(lib, guide_with_pictures(tmp_path / "guide"))
        blocks = guide_page(lib, lib.get("guide-pictures"), Hall())["blocks"]
    pictures = [b for b in blocks if b["kind"] == "image"]
    first_material = next(b["name"] for b in blocks if b.get("marker") == "1.")
    assert [p["caption"] for p in pictures] == [
        f"{first_material}（空白表格）",
        f"{first_material}（示例样表）",
        "大厅平面图",
    ]
    assert all(Path(unquote(urlparse(p["url"]).path)).exists() for p in pictures)
    assert blocks.index(pictures[0]) == next(i for i, b in enumerate(blocks) if b.get("marker") == "1.") + 1


def test_a_bad_hall_file_is_left_out_of_residents_screens_and_logged(tmp_path, caplog):
    (tmp_path / "hall.json").write_text('{"窗口": [{"名称": "户籍窗口"}]}', encoding="utf-8")
    assert hall_for_residents(tmp_path) == Hall()
    assert "hall file not used: window 1: 编号 is missing" in caplog.text
