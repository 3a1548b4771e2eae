"""A guide's record: the 实施清单 field names (事项名称, 申请材料, 办理流程, …) ↔ `content.model.Guide`.

The record is what import files, the channel and the library hold (`content/data/guide.schema.json`
describes it; `content.guides_schema` checks it). A record leaves out empty values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from content.model import Basis, Fee, FileRef, Guide, Material, Question, Step, TimeLimit

# dataclass → {attribute: record key}; nested values are converted by the attribute's declared type.
_KEYS: dict[type, dict[str, str]] = {
    FileRef: {"name": "文件名", "sha256": "sha256", "mime": "类型"},
    Basis: {"name": "名称", "number": "文号", "article": "条款", "text": "内容"},
    Material: {
        "name": "材料名称",
        "necessity": "必要性",
        "form": "材料形式",
        "copies": "份数",
        "source": "来源渠道",
        "blank_form": "空白表格",
        "sample": "示例样表",
        "notes": "填报须知",
    },
    Step: {"name": "环节", "description": "办理内容", "actor": "办理机构", "duration": "时限"},
    TimeLimit: {"amount": "时限", "unit": "单位", "note": "说明"},
    Fee: {"name": "项目", "standard": "标准", "basis": "依据", "reduction": "减免"},
    Question: {"question": "问题", "answer": "回答"},
    Guide: {
        "item_type": "事项类型",
        "basic_code": "基本编码",
        "implementation_code": "实施编码",
        "basis": "设定依据",
        "authority": "实施主体",
        "department": "部门",
        "served": "服务对象",
        "themes": "主题",
        "conditions": "受理条件",
        "forms": "办理形式",
        "materials": "申请材料",
        "steps": "办理流程",
        "legal_limit": "法定办结时限",
        "promised_limit": "承诺办结时限",
        "visits": "到办事现场次数",
        "charged": "是否收费",
        "fees": "收费项目",
        "place": "办理地点",
        "window": "窗口",
        "hall_map": "大厅平面图",
        "hours": "办理时间",
        "phone": "咨询电话",
        "complaint": "监督投诉方式",
        "result": "结果名称",
        "faq": "常见问题",
        "demo": "demo",
    },
}
_NESTED: dict[tuple[type, str], type] = {
    (Guide, "basis"): Basis,
    (Guide, "materials"): Material,
    (Guide, "steps"): Step,
    (Guide, "legal_limit"): TimeLimit,
    (Guide, "promised_limit"): TimeLimit,
    (Guide, "fees"): Fee,
    (Guide, "faq"): Question,
    (Guide, "hall_map"): FileRef,
    (Material, "blank_form"): FileRef,
    (Material, "sample"): FileRef,
}


def guide_record(value: Any) -> Any:
    """A guide (or any part of one) as its record: the 实施清单 keys, empty values left out."""
    if isinstance(value, list):
        return [guide_record(v) for v in value]
    keys = _KEYS.get(type(value))
    if keys is None:
        return value
    record = {}
    for attribute, key in keys.items():
        item = getattr(value, attribute)
        if item is None or item == "" or item == []:
            continue
        record[key] = guide_record(item)
    return record


def record_guide(record: dict[str, Any], cls: type = Guide) -> Any:
    """The inverse of `guide_record` for a record the schema accepts (import files: see `file_guide`)."""
    keys = _KEYS[cls]
    values = {}
    for attribute, key in keys.items():
        if key not in record:
            continue
        value = record[key]
        nested = _NESTED.get((cls, attribute))
        if nested is not None:
            value = (
                [record_guide(v, nested) for v in value]
                if isinstance(value, list)
                else record_guide(value, nested)
            )
        values[attribute] = value
    return cls(**values)


def file_refs(record: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, tuple[str | int, ...]]]:
    """Where a record names a file: (the object holding it, its key, its path in the record)."""
    for index, material in enumerate(record.get("申请材料", [])):
        for key in ("空白表格", "示例样表"):
            if isinstance(material, dict) and isinstance(material.get(key), dict):
                yield material, key, ("申请材料", index, key)
    if isinstance(record.get("大厅平面图"), dict):
        yield record, "大厅平面图", ("大厅平面图",)


FILE_KEYS = {"$schema", "id", "事项名称", "更新日期"}  # an import file's own fields, beside the guide's


def file_guide(record: dict[str, Any]) -> Guide:
    """The guide of one validated import-file object whose files were read (see content.guides_import)."""
    return record_guide({k: v for k, v in record.items() if k not in FILE_KEYS})
