"""The application form's checks (Art. 29): identity, contact, what is sought, form and route."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device.idcard import gb11643
from kiosk.applications import validators
from kiosk.applications.form import (
    FIELDS,
    MAX_DESCRIPTION,
    ApplicantKind,
    ApplicationInvalid,
    Medium,
    Route,
    parse,
)
from kiosk.applications.validators import Invalid

ID = "11010519491231002X"  # GB 11643's own example
CREDIT_CODE = "91350100M000100Y43"

CITIZEN = {
    "kind": "公民",
    "name": "张三",
    "id_number": ID,
    "phone": "138 1234 5678",
    "address": "河北省定州市北城区中山路1号",
    "description": "2022年老旧小区改造项目的资金使用明细",
    "medium": "纸质",
    "route": "自行领取",
    "agency": "定州市人民政府办公室",
}
ORGANISATION = {
    **{k: v for k, v in CITIZEN.items() if k not in ("id_number", "name")},
    "kind": "法人或其他组织",
    "name": "定州市某农业专业合作社",
    "credit_code": CREDIT_CODE,
    "legal_representative": "李四",
    "contact_person": "王五",
}


def errors_of(values):
    with pytest.raises(ApplicationInvalid) as caught:
        parse(values)
    return caught.value.errors


def test_a_citizen_application_is_checked_and_normalised():
    app = parse({**CITIZEN, "id_number": ID.lower(), "email": " a@b.cn "})
    assert (app.kind, app.id_number, app.phone, app.email) == (
        ApplicantKind.CITIZEN,
        ID,
        "13812345678",
        "a@b.cn",
    )
    assert (app.medium, app.route, app.filled_by_staff) == (Medium.PAPER, Route.COLLECT, False)
    assert app.to_dict()["kind"] == "公民" and set(app.to_dict()) == set(FIELDS)
    assert (
        parse({**CITIZEN, "phone": 13812345678, "email": None}).phone == "13812345678"
    )  # a number, not text


def test_an_organisation_gives_its_code_representative_and_contact():
    app = parse(ORGANISATION)
    assert (app.credit_code, app.legal_representative, app.contact_person) == (CREDIT_CODE, "李四", "王五")
    assert errors_of({**ORGANISATION, "legal_representative": "", "contact_person": " "}) == {
        "legal_representative": "请填写法定代表人",
        "contact_person": "请填写联系人姓名",
    }
    assert errors_of({**ORGANISATION, "credit_code": CREDIT_CODE[:-1] + "2"}) == {
        "credit_code": "统一社会信用代码校验位不对，请核对后重新填写"
    }


def test_every_field_gets_its_own_message_at_once():
    assert errors_of({}) == {
        "kind": "请选择申请人类型（公民或法人/其他组织）",
        "name": "请填写姓名",
        "phone": "请填写联系电话",
        "address": "请填写通信地址",
        "description": "请填写所需信息的描述",
        "medium": "请选择信息的提供形式（纸质或电子数据）",
        "route": "请选择获取方式（自行领取、邮寄或电子邮件）",
        "agency": "请填写受理机关",
    }


def test_route_needs_its_contact_and_a_form_that_fits():
    assert errors_of({**CITIZEN, "route": "电子邮件"}) == {
        "email": "选择“电子邮件”获取时，请填写电子邮箱",
        "medium": "纸质信息无法通过电子邮件提供，请选择“电子数据”或其他获取方式",
    }
    assert (
        parse({**CITIZEN, "route": "电子邮件", "medium": "电子数据", "email": "z@x.gov.cn"}).email
        == "z@x.gov.cn"
    )
    assert errors_of({**CITIZEN, "route": "邮寄", "address": ""}) == {"address": "请填写通信地址"}


def test_no_purpose_field_and_no_unknown_fields():
    assert "purpose" not in FIELDS and "用途" not in FIELDS
    with pytest.raises(ValueError, match="purpose"):
        parse({**CITIZEN, "purpose": "个人需要"})


def test_hostile_text_gets_a_clear_message():
    long = "查" * 10_000
    assert errors_of({**CITIZEN, "description": long}) == {
        "description": f"所需信息的描述不能超过 {MAX_DESCRIPTION} 个字，现在是 10000 个字"
    }
    assert errors_of({**CITIZEN, "name": "张三😀"}) == {"name": "姓名含有表情符号或无法打印的字符，请删除"}
    assert errors_of({**CITIZEN, "address": "中山路\x001号"})["address"].endswith("请删除")
    assert errors_of({**CITIZEN, "name": "张\n三"})["name"].endswith("请删除")
    assert parse({**CITIZEN, "description": "第一项\n第二项"}).description == "第一项\n第二项"
    assert parse({**CITIZEN, "name": "阿依古丽·买买提"}).name == "阿依古丽·买买提"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("1381234567", "手机号码应为11位，现在是10位"),
        ("138123456789", "手机号码应为11位，现在是12位"),
        ("1381234567a", "联系电话只能包含数字"),
        ("１３８１２３４５６７８", "联系电话只能包含数字"),  # full-width digits: asked again in plain ones
        ("2345678", "请填写11位手机号码，或带区号的固定电话（如 0312-2345678）"),
        ("", "请填写联系电话"),
    ],
)
def test_bad_phone_numbers(phone, message):
    with pytest.raises(Invalid, match=message):
        validators.phone(phone)


@pytest.mark.parametrize(
    ("phone", "normal"),
    [
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("010-62345678", "010-62345678"),
        ("（0312）2345678", "0312-2345678"),
        ("02087654321", "020-87654321"),
        ("0312-23456789 转 801", "0312-23456789-801"),
    ],
)
def test_good_phone_numbers(phone, normal):
    assert validators.phone(phone) == normal


def test_id_numbers_use_the_gb11643_check_character():
    assert validators.id_number("110105 19491231 002x") == ID
    for bad, message in [
        (ID[:-1] + "1", "校验位不对"),
        (ID[:-1], "应为18位"),
        ("X" + ID[1:], "应为18位"),
        ("", "请填写身份证号码"),
    ]:
        with pytest.raises(Invalid, match=message):
            validators.id_number(bad)


def test_credit_codes_use_the_gb32100_check_character():
    assert validators.credit_code("91350100m000100y43") == CREDIT_CODE
    with pytest.raises(Invalid, match="不含 I、O、Z、S、V"):
        validators.credit_code("91350100O000100Y43")


@given(st.text(max_size=40))
def test_phone_is_normalised_or_refused_in_chinese(value):
    try:
        normal = validators.phone(value)
    except Invalid as exc:
        assert str(exc)
    else:
        assert normal.replace("-", "").isdigit() and validators.phone(normal) == normal


@given(st.text(alphabet="0123456789Xx -", max_size=24))
def test_id_number_accepts_exactly_the_checked_ones(value):
    try:
        number = validators.id_number(value)
    except Invalid as exc:
        assert str(exc)
    else:
        assert gb11643.is_valid(number) and len(number) == 18


@given(st.text(alphabet=validators.CREDIT_CODE_CHARS, min_size=17, max_size=17))
def test_every_credit_code_with_its_check_character_passes_and_any_other_fails(first17):
    if not first17[2:8].isdigit():
        return
    check = validators.credit_code_check_char(first17)
    assert validators.credit_code(first17 + check) == first17 + check
    for other in validators.CREDIT_CODE_CHARS.replace(check, "")[:5]:
        with pytest.raises(Invalid):
            validators.credit_code(first17 + other)


@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=300)))
def test_any_form_is_an_application_or_messages_for_named_fields(values):
    try:
        app = parse(values)
    except ApplicationInvalid as exc:
        assert exc.errors and set(exc.errors) <= set(FIELDS) and all(exc.errors.values())
    else:
        assert app.name and app.phone and app.description
