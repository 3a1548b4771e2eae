"""Service guides: the schema's errors (field and line), the import (all or nothing, forms as attachments),
the store's round trip, the GB/T 36114 guides carried over, and the bundled demo guides."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.guides_import import GuideFilesRefused, import_guides, load_guides
from content.guides_json import parse
from content.guides_markdown import guide_markdown
from content.guides_record import guide_record, record_guide
from content.guides_schema import schema, validate
from content.model import Guide, GuideFields, Item, TimeLimit
from content.store import Library
from kiosk.i18n import translate

DEMO = Path(__file__).resolve().parents[2] / "content" / "data" / "guides"


def demo_record(name: str = "dibao") -> dict:
    return json.loads((DEMO / f"{name}.json").read_text("utf-8"))


def write(folder: Path, name: str, value) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "lib" / "library.db") as lib:
        yield lib


# --- the schema ---------------------------------------------------------------------------------------


def test_every_demo_guide_is_valid_demo_content_with_its_legal_basis():
    files = sorted(DEMO.glob("*.json"))
    assert len(files) >= 19
    loaded = load_guides(DEMO)
    assert len({g.item.id for g in loaded}) == len(files)
    for guide in loaded:
        assert guide.item.guide.demo is True
        assert guide.item.guide.basis and all(b.name.startswith("《") for b in guide.item.guide.basis)
        assert guide.item.guide.promised_limit is not None and guide.item.guide.steps
    titles = " ".join(g.item.title for g in loaded)
    for name in ("最低生活保障", "特困人员", "残疾人生活补贴", "高龄津贴", "基本医疗保险参保", "基本养老保险",
                 "生育登记", "宅基地", "临时救助", "新生儿落户", "居民身份证", "优待证"):  # fmt: skip
        assert name in titles, name


def test_a_list_of_guides_in_one_file_is_one_guide_each(tmp_path):
    write(tmp_path, "two.json", [demo_record("dibao"), demo_record("linshi")])
    assert [g.item.id for g in load_guides(tmp_path)] == ["guide-demo-dibao", "guide-demo-linshi"]


@pytest.mark.parametrize(
    "change, field, zh, line",
    [
        (lambda r: r["申请材料"][2].update(份数="一"), "申请材料第3项.份数", "应为整数", '"份数": "一"'),
        (
            lambda r: r["申请材料"][1].update(材料形式="原本"),
            "申请材料第2项.材料形式",
            "只能是：原件、复印件",
            '"材料形式": "原本"',
        ),
        (lambda r: r.pop("受理条件"), "受理条件", "缺少“受理条件”", "{"),
        (lambda r: r.update(是否收费=True), "收费项目", "是否收费为 true 时要列出收费项目", "{"),
        (
            lambda r: r.update(收费项目=[{"项目": "x", "标准": "1元"}]),
            "收费项目",
            "是否收费为 false 时不能有",
            '"收费项目": [',
        ),
        (
            lambda r: r.update(承诺办结时限={"单位": "工作日"}),
            "承诺办结时限.时限",
            "缺少“时限”",
            '"承诺办结时限": {',
        ),
        (lambda r: r.update(多余=1), "多余", "未知字段“多余”", '"多余": 1'),
        (lambda r: r.update(id="有 空格"), "id", "只能用英文字母", '"id": "有 空格"'),
        (lambda r: r.update(事项名称="  "), "事项名称", "不能为空", '"事项名称": "  "'),
        (lambda r: r["办理流程"].clear(), "办理流程", "至少要填 1 项", '"办理流程": []'),
        (lambda r: r.update(主题=["低保"]), "主题第1项", "只能是：", '"低保"'),
    ],
)
def test_a_bad_field_is_named_with_its_line(tmp_path, change, field, zh, line):
    record = demo_record()
    change(record)
    path = write(tmp_path, "bad.json", record)
    with pytest.raises(GuideFilesRefused) as caught:
        load_guides(path)
    [problem] = caught.value.problems
    assert problem.field == field and zh in problem.zh
    assert path.read_text("utf-8").split("\n")[problem.line - 1].strip().startswith(line), problem
    assert f"bad.json:{problem.line}: {field}：" in caught.value.zh


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_wrong_value_anywhere_is_reported_at_its_own_field_and_line(data):
    record = demo_record("shenfenzheng")
    path = data.draw(st.sampled_from(list(_leaf_paths(record))))
    wrong = data.draw(st.sampled_from([{"x": 1}, [1], 3.5, None]))  # no field of a guide takes these
    target = record
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = wrong
    text = json.dumps(record, ensure_ascii=False, indent=1)
    at_path = [e for e in validate(parse(text)) if e.path == path]
    assert at_path, (path, wrong)
    for error in at_path:
        line = text.split("\n")[error.line - 1]
        assert json.dumps(wrong)[:1] in line, (path, line)
        if isinstance(path[-1], str):
            assert f'"{path[-1]}":' in line, (path, line)


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaf_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaf_paths(child, (*path, index))
    else:
        yield path


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=6),
        lambda c: (
            st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(["id", "事项名称", "申请材料", "x"]), c)
        ),
        max_leaves=12,
    )
)
def test_validation_of_any_json_value_gives_located_errors_and_never_raises(value):
    parsed = parse(json.dumps(value, ensure_ascii=False, indent=1))
    for error in validate(parsed):
        assert error.line >= 1 and error.zh and error.field()


def test_the_schema_file_is_a_valid_draft_2020_12_schema():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema())


# --- the import ---------------------------------------------------------------------------------------


def test_one_bad_file_imports_nothing_and_every_problem_is_named(library, tmp_path):
    good = write(tmp_path / "in", "a-good.json", demo_record("dibao"))
    bad = demo_record("linshi")
    bad["申请材料"][0]["份数"] = -1
    write(tmp_path / "in", "b-bad.json", bad)
    (tmp_path / "in" / "c-syntax.json").write_text('{\n "id": "x",\n "事项名称": "a"\n "b": 1}', "utf-8")
    with pytest.raises(GuideFilesRefused) as caught:
        import_guides(library, tmp_path / "in")
    shown = [str(p) for p in caught.value.problems]
    assert shown[0].startswith("b-bad.json:") and "申请材料第1项.份数：不能小于 0" in shown[0]
    assert shown[1].startswith("c-syntax.json:4:") and "缺少逗号" in shown[1]
    assert library.stats()["items"] == 0
    assert import_guides(library, good).guides == 1


def test_a_failure_while_storing_leaves_the_library_as_it_was(library, tmp_path, monkeypatch):
    import_guides(library, DEMO / "dibao.json")
    before = library.stats()["items"]

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(library, "link_attachment", broken)
    folder = _guide_with_forms(tmp_path)
    with pytest.raises(RuntimeError):
        import_guides(library, folder)
    assert library.stats()["items"] == before
    assert library.stats()["attachments"] == 0


def _guide_with_forms(tmp_path: Path) -> Path:
    folder = tmp_path / "forms-guide"
    (folder / "forms").mkdir(parents=True)
    (folder / "forms" / "shenqing.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"blank form")
    (folder / "forms" / "yangbiao.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"sample")
    record = demo_record("linshi")
    record["id"] = "guide-forms"
    record["申请材料"][0]["空白表格"] = {"文件": "forms/shenqing.png"}
    record["申请材料"][0]["示例样表"] = {"文件": "forms/yangbiao.png", "文件名": "临时救助申请书（样表）.png"}
    (folder / "hall.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"hall map")
    record["大厅平面图"] = {"文件": "hall.png", "文件名": "便民服务中心平面图.png"}
    write(folder, "guide.json", record)
    return folder


def test_forms_are_stored_once_as_attachments_and_named_in_the_guide(library, tmp_path):
    result = import_guides(library, _guide_with_forms(tmp_path))
    assert result.forms == 3
    item = library.get("guide-forms")
    material = item.guide.materials[0]
    assert material.blank_form.name == "shenqing.png" and material.blank_form.mime == "image/png"
    assert material.sample.name == "临时救助申请书（样表）.png"
    stored = {a.sha256 for a in library.attachments_of("guide-forms")}
    assert stored == {material.blank_form.sha256, material.sample.sha256, item.guide.hall_map.sha256}
    assert library.stats()["guides"] == {"with_window": 1, "with_hall_map": 1, "with_steps": 1}
    assert library.blob_path(material.sample.sha256).read_bytes().endswith(b"sample")
    assert "（附空白表格）（附示例样表）" in guide_markdown(item.guide)
    assert "**窗口：**社会救助窗口（见大厅平面图）" in guide_markdown(item.guide)


@pytest.mark.parametrize(
    "ref, zh",
    [
        ({"文件": "forms/missing.png"}, "找不到文件“forms/missing.png”"),
        ({"文件": "../../etc/passwd"}, "应在办事指南所在的文件夹内"),
    ],
)
def test_a_form_that_is_missing_or_outside_the_folder_is_refused(library, tmp_path, ref, zh):
    record = demo_record("linshi")
    record["申请材料"][1]["空白表格"] = ref
    path = write(tmp_path / "g", "g.json", record)
    with pytest.raises(GuideFilesRefused) as caught:
        import_guides(library, tmp_path / "g")
    [problem] = caught.value.problems
    assert problem.field == "申请材料第2项.空白表格" and zh in problem.zh
    assert '"文件"' in path.read_text("utf-8").split("\n")[problem.line - 1]
    assert library.stats()["items"] == 0


def test_duplicate_ids_across_files_are_refused(library, tmp_path):
    write(tmp_path / "d", "a.json", demo_record("dibao"))
    write(tmp_path / "d", "b.json", demo_record("dibao"))
    with pytest.raises(GuideFilesRefused) as caught:
        import_guides(library, tmp_path / "d")
    assert "编号“guide-demo-dibao”与 a.json 重复" in caught.value.zh


@pytest.mark.parametrize(
    "content, zh",
    [(b"\xff\xfe\x00bad", "不是 UTF-8"), (b"", "文件意外结束"), (b"\xef\xbb\xbf[]", "至少要有一份")],
)
def test_unreadable_files_are_named(library, tmp_path, content, zh):
    (tmp_path / "x.json").write_bytes(content)
    with pytest.raises(GuideFilesRefused) as caught:
        import_guides(library, tmp_path / "x.json")
    assert zh in caught.value.zh


def test_reimporting_changes_nothing_and_a_corrected_guide_updates_in_place(library, tmp_path):
    first = import_guides(library, DEMO)
    assert first.report.summary()["added"] == first.guides
    assert import_guides(library, DEMO).report.summary()["unchanged"] == first.guides
    record = demo_record("gaoling")
    record["窗口"] = "老龄窗口"
    write(tmp_path / "fix", "gaoling.json", record)
    assert import_guides(library, tmp_path / "fix").report.updated == ["guide-demo-gaoling"]
    assert library.get("guide-demo-gaoling").guide.window == "老龄窗口"
    assert library.get("guide-demo-gaoling").version == 2


# --- the store ----------------------------------------------------------------------------------------


def test_every_demo_guide_round_trips_through_the_record_and_the_store(library):
    loaded = load_guides(DEMO)
    for guide in loaded:
        assert record_guide(guide_record(guide.item.guide)) == guide.item.guide
    library.upsert_items([g.item for g in loaded])
    for guide in loaded:
        assert library.get(guide.item.id) == guide.item


def test_a_guide_is_found_by_its_materials_and_window(library):
    import_guides(library, DEMO / "dibao.json")
    assert [h.id for h in library.search("家庭经济状况核对授权书")] == ["guide-demo-dibao"]
    assert [h.id for h in library.search("社会救助窗口")][:1] == ["guide-demo-dibao"]


def test_gbt_36114_fields_become_a_guide_one_material_or_step_per_line():
    guide = GuideFields(
        audience="企业类",
        subject="市人社局",
        materials="1. 居民身份证\n2. 营业执照复印件",
        process="- 申请\n- 受理\n- 办结",
        fees="不收费",
        time_limit="20个工作日",
        consultation="0312-1234567",
        window="3号窗口",
    ).to_guide()
    assert [m.name for m in guide.materials] == ["居民身份证", "营业执照复印件"]
    assert [s.name for s in guide.steps] == ["申请", "受理", "办结"]
    assert guide.charged is False and guide.audiences() == ["企业类"]
    assert guide.promised_limit == TimeLimit(20, "工作日")
    assert GuideFields(fees="工本费20元").to_guide().fees[0].standard == "工本费20元"
    assert GuideFields(time_limit="当场办结").to_guide().promised_limit.text() == "即时办结"
    assert GuideFields(time_limit="视情况而定").to_guide().promised_limit.text() == "视情况而定"
    assert Item("g", "guide", "t", guide=GuideFields(subject="x")).guide == Guide(
        authority="x", department="x", served=["自然人"]
    )


def test_the_reader_markdown_says_free_and_lists_materials_and_steps():
    [guide] = load_guides(DEMO / "dibao.json")
    text = guide_markdown(guide.item.guide)
    assert "## 申请材料\n\n| 序号 | 材料名称 | 原件/复印件 | 份数 | 是否必须 | 来源 |" in text
    assert "| 2 | 家庭成员的居民身份证和户口簿 | 原件和复印件 | 1 份 | 必要 | 政府部门核发 |" in text
    assert "1. **申请**" in text and "5. **审核确认**" in text
    assert "**免费**" in text and "**承诺办结时限：**30个工作日" in text
    [card] = load_guides(DEMO / "shenfenzheng.json")
    paid = guide_markdown(card.item.guide)
    assert "免费" not in paid and "| 居民身份证工本费（换领、补领） | 20元；首次申领免收 |" in paid


def test_the_reader_markdown_is_said_in_the_language_in_use_and_the_records_values_stay(speak_english):
    [guide] = load_guides(DEMO / "dibao.json")
    text = guide_markdown(guide.item.guide)
    assert translate(text) == text  # Chinese: as it was built
    catalogue = {
        "## 申请材料\n\n{materials}": "## Documents\n\n{materials}",
        "| 序号 | 材料名称 | 原件/复印件 | 份数 | 是否必须 | 来源 |": "| No. | Document | Form | Copies | Required | From |",
        "{copies} 份": "{copies}",
        "**承诺办结时限：**{limit}": "**Promised within:** {limit}",
        "**免费**（不收取任何费用）": "**Free of charge**",
        "、": ", ",
    }
    speak_english(catalogue)
    english = translate(text)
    assert "## Documents\n\n| No. | Document | Form | Copies | Required | From |" in english
    assert "| 2 | 家庭成员的居民身份证和户口簿 | 原件和复印件 | 1 | 必要 | 政府部门核发 |" in english
    assert "**Promised within:** 30个工作日" in english and "**Free of charge**" in english
    assert "## 办理流程" in english and "## 申请材料" not in english  # untranslated sentences stay Chinese


def test_an_import_refusal_is_said_whole_in_the_language_in_use_down_to_each_field(tmp_path, speak_english):
    record = demo_record()
    record["申请材料"][1]["份数"] = "两"
    with pytest.raises(GuideFilesRefused) as caught:
        load_guides(write(tmp_path / "guides", "bad.json", record))
    zh = caught.value.zh
    assert (
        translate(zh)
        == zh
        == f"办事指南文件有 1 处错误，未导入任何内容：\n  bad.json:{caught.value.problems[0].line}: 申请材料第2项.份数：应为整数"
    )
    catalogue = {
        "办事指南文件有 {count} 处错误，未导入任何内容：\n  {listed}": "{count} problem(s), nothing imported:\n  {listed}",
        "第{n}项": "[{n}]",
        "应为{types}": "should be {types}",
        "整数": "a whole number",
    }
    speak_english(catalogue)
    english = translate(zh)
    assert (
        english
        == f"1 problem(s), nothing imported:\n  bad.json:{caught.value.problems[0].line}: 申请材料[2].份数：should be a whole number"
    )


def test_a_guide_record_leaves_out_empty_values_and_reads_back_with_defaults():
    guide = Guide(authority="民政局", served=["自然人"])
    assert guide_record(guide) == {
        "实施主体": "民政局",
        "服务对象": ["自然人"],
        "是否收费": False,
        "demo": False,
    }
    assert record_guide(guide_record(guide)) == guide


def test_a_changed_material_changes_the_item_hash(library):
    [loaded] = load_guides(DEMO / "dibao.json")
    library.upsert_items([loaded.item])
    changed = copy.deepcopy(loaded.item)
    changed.guide.materials[0].copies = 2
    assert library.upsert_items([changed]).updated == ["guide-demo-dibao"]
    assert library.get("guide-demo-dibao").guide.materials[0].copies == 2
