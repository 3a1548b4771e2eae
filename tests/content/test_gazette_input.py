"""Bad input: every file a staff member might pick gets a clear ImportFailed, or is decoded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from content.errors import ImportFailed
from content.gazette import parse_gazette, read_gazette_file

SEED = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def failure(exc_info: pytest.ExceptionInfo[ImportFailed]) -> tuple[str, str]:
    return str(exc_info.value), exc_info.value.zh


# --- reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as exc:
        read_gazette_file(path)
    en, zh = failure(exc)
    assert "empty" in en and "空" in zh


def test_missing_file(tmp_path):
    with pytest.raises(ImportFailed) as exc:
        read_gazette_file(tmp_path / "nope.md")
    assert "cannot read" in str(exc.value)


def test_binary_file(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    with pytest.raises(ImportFailed) as exc:
        read_gazette_file(path)
    en, zh = failure(exc)
    assert "binary" in en and "二进制" in zh


def test_undecodable_bytes_without_nul(tmp_path):
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(0x80, 0x100)) * 40)
    with pytest.raises(ImportFailed) as exc:
        read_gazette_file(path)
    assert "无法识别" in exc.value.zh


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_file_is_detected_and_decoded(tmp_path, codec):
    path = tmp_path / "gazette-gbk.md"
    path.write_bytes(SEED_TEXT.encode(codec))
    text = read_gazette_file(path)
    assert text.encoding == "gb18030"
    assert text.text == SEED_TEXT
    parsed = parse_gazette(text.text, source=path.name)
    reference = parse_gazette(SEED_TEXT, source=path.name)
    assert [i.to_dict() for i in parsed.items] == [i.to_dict() for i in reference.items]


def test_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + SEED_TEXT.replace("\n", "\r\n").encode("utf-8"))
    text = read_gazette_file(path)
    assert text.encoding == "utf-8" and not text.text.startswith("\ufeff")
    parsed = parse_gazette(text.text)
    assert len(parsed.items) == 30 and not parsed.unmatched


def test_utf8_cut_inside_a_character(tmp_path):
    data = SEED_TEXT.encode("utf-8")
    cut = data.index("定州市人民政府办公室 关于进一步做好政务公开专区".encode()) + 4  # inside 市
    path = tmp_path / "cut.md"
    path.write_bytes(data[:cut])
    text = read_gazette_file(path)
    assert text.encoding == "utf-8" and "已被截断" in text.warnings[0]


def test_100_mb_file_rejected_by_size_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.md"
    with open(path, "wb") as fh:  # sparse: takes no disk space
        fh.truncate(100 * 2**20)

    def no_open(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr("content.gazette.open", no_open, raising=False)
    with pytest.raises(ImportFailed) as exc:
        read_gazette_file(path)
    en, zh = failure(exc)
    assert "104,857,600 bytes" in en and "52,428,800 bytes" in en
    assert "104,857,600" in zh and "上限" in zh


def test_size_limit_is_a_parameter(tmp_path):
    path = tmp_path / "small.md"
    path.write_bytes(SEED_TEXT.encode())
    assert read_gazette_file(path, max_bytes=os.path.getsize(path)).text == SEED_TEXT
    with pytest.raises(ImportFailed):
        read_gazette_file(path, max_bytes=os.path.getsize(path) - 1)


# --- parsing ----------------------------------------------------------------------------------


def test_empty_text():
    with pytest.raises(ImportFailed):
        parse_gazette("")


def test_no_toc():
    text = SEED_TEXT.replace("## 目 录", "## 说 明")
    with pytest.raises(ImportFailed) as exc:
        parse_gazette(text)
    en, zh = failure(exc)
    assert "目录" in en and "目录" in zh


def test_no_gazette_header():
    start = SEED_TEXT.index("## 目 录")
    with pytest.raises(ImportFailed) as exc:
        parse_gazette("# 某某文件汇编\n\n" + SEED_TEXT[start:])
    assert "header" in str(exc.value) and "刊头" in exc.value.zh


def test_toc_without_entries():
    start = SEED_TEXT.index("## 目 录")
    with pytest.raises(ImportFailed) as exc:
        parse_gazette(SEED_TEXT[:start] + "## 目 录\n\n正文从这里开始。\n")
    assert "no documents" in str(exc.value)


def test_truncated_file_reports_missing_entries_by_name():
    cut = SEED_TEXT.index("# 定州市人民政府办公室 关于进一步做好政务公开专区建设工作的通知")
    parsed = parse_gazette(SEED_TEXT[:cut])
    full = parse_gazette(SEED_TEXT)
    assert len(parsed.unmatched) == 5 + 14
    assert parsed.unmatched[0] == "定州市人民政府办公室关于进一步做好政务公开专区建设工作的通知"
    assert "《定州市促进内外贸一体化发展的若干措施》解读" in parsed.unmatched
    assert any("目录中有 19 个条目在正文中没有找到" in w for w in parsed.warnings)
    # what is there is parsed as in the whole issue, with the same ids
    assert [i.id for i in parsed.items] == [i.id for i in full.items[:11]]
    assert parsed.items[9].to_dict() == full.items[9].to_dict()


def test_changed_issue_keeps_ids_and_changes_the_body():
    old = "请认真组织实  \n施。"
    assert old in SEED_TEXT
    changed = SEED_TEXT.replace("全市完成营造林 10000 亩", "全市完成营造林 12000 亩")
    a, b = parse_gazette(SEED_TEXT, "x"), parse_gazette(changed, "x")
    assert a.issue.id == b.issue.id and a.issue.content_hash != b.issue.content_hash
    assert [i.id for i in a.items] == [i.id for i in b.items]
    differing = [i.id for i, j in zip(a.items, b.items, strict=True) if i.to_dict() != j.to_dict()]
    assert differing == [a.items[3].id]
    assert "12000亩" in b.items[3].body_md and "10000亩" in a.items[3].body_md


def test_interpretation_whose_document_is_missing_is_reported():
    text = SEED_TEXT.replace(
        "# 定州市人民政府办公室 关于印发《定州市火灾事故通报处理工作办法 (试行)》的通知", ""
    )
    text = text.replace(
        "- 定州市人民政府办公室关于印发《定州市火灾事故通报处理工作办法(试行)》的通知..(87)", ""
    )
    parsed = parse_gazette(text)
    interp = next(i for i in parsed.items if i.title.startswith("《定州市火灾事故"))
    assert interp.interprets_id == ""
    assert any("火灾事故" in w and "没有找到" in w for w in parsed.warnings)


def test_toc_title_with_a_typo_is_matched_with_a_warning():
    text = SEED_TEXT.replace(
        "- 定州市人民政府办公室关于进一步做好政务公开专区建设工作的通知.....(61)",
        "- 定州市人民政府办公室关于进一步作好政务公开专区建设工作的通知.....(61)",
    )
    parsed = parse_gazette(text)
    assert parsed.unmatched == []
    item = parsed.items[11]
    assert item.doc_number == "定政办字〔2022〕28号"
    assert any("对应到正文标题" in w for w in parsed.warnings)


def test_misplaced_document_is_still_found():
    """A document printed out of 目录 order is found anywhere in the body, nothing is lost."""
    start = SEED_TEXT.index("# 定州市人民政府办公室 关于印发《定州市促进内外贸一体化发展的 若干措施》的通知")
    end = SEED_TEXT.index("## 《关于定州市重点产业投入与产出控制指标的意见（试行）》解读")
    moved = SEED_TEXT[start:end]
    first_doc = SEED_TEXT.index("# 定州市人民政府 关于定州市重点产业投入与产出 控制指标的意见（试行）")
    text = SEED_TEXT[:first_doc] + moved + SEED_TEXT[first_doc:start] + SEED_TEXT[end:]
    parsed = parse_gazette(text)
    assert parsed.unmatched == []
    assert parsed.items[15].doc_number == "定政办字〔2022〕41号"
    assert parsed.items[0].doc_number == "定政发字〔2022〕2号"
