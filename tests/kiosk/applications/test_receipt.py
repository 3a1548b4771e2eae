"""The receipt as the printer draws it: every fact on paper, 预估 when estimated, the QR read back."""

from __future__ import annotations

import pytest
import zxingcpp
from application_desk import CITIZEN

from device.printer.escpos_render import render
from device.printer.printer_profile import PROFILES
from device.printer.receipt import encode
from kiosk.applications import numbering, receipt
from kiosk.applications.form import parse
from kiosk.applications.numbering import NumberInvalid

HALL = "定州市政务服务中心政务公开专区"


def printed(submitted, profile="80mm", **options):
    data = encode(receipt.build(submitted, hall=HALL, **options), PROFILES[profile], "gb18030")
    (page,) = render(data, PROFILES[profile].dots)
    # Lines wrap at spaces, so the text is compared without any whitespace.
    return "".join(page.text.split()), [r.text for r in zxingcpp.read_barcodes(page.image.convert("L"))]


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_the_paper_says_number_dates_agency_what_was_asked_rule_and_how_to_ask(desk, profile):
    submitted = desk.applications.submit(parse(CITIZEN))
    text, codes = printed(submitted, profile, enquiry_phone="0312-2345678")
    for fragment in (
        HALL,
        "政府信息公开申请回执",
        submitted.number,
        "2026年9月15日",
        "定州市人民政府办公室",
        "本村2025年土地征收补偿款",
        "2026年10月19日",
        "依据《政府信息公开条例》第三十三条，自收到申请之日的次日起计算 20 个工作日",
        "查询申请进度",
        "0312-2345678",
    ):
        assert "".join(fragment.split()) in text, fragment
    assert "预估" not in text and "欧阳" not in text and CITIZEN["phone"] not in text
    assert codes == [submitted.number]


def test_an_estimated_deadline_says_so_and_why(desk):
    desk.now = desk.now.replace(month=12, day=4)
    text, _ = printed(desk.applications.submit(parse(CITIZEN)))
    assert "2027年1月1日（预估）" in text and "2027年的节假日安排尚未发布" in text


def test_the_qr_opens_the_citys_status_page_when_there_is_one(desk):
    submitted = desk.applications.submit(parse(CITIZEN))
    _, codes = printed(submitted, status_url="https://zwgk.example.gov.cn/apply/status")
    assert codes == [f"https://zwgk.example.gov.cn/apply/status?no={submitted.number}"]
    assert receipt.status_link("N", "https://x/s?lang=zh") == "https://x/s?lang=zh&no=N"
    # What 查询申请进度 reads from a scan, either form.
    for url in ("", "https://zwgk.example.gov.cn/apply/status", "https://x/s?lang=zh"):
        assert numbering.from_scan(receipt.status_link(submitted.number, url)) == submitted.number
    with pytest.raises(NumberInvalid, match="二维码中没有申请编号"):
        numbering.from_scan("https://zwgk.example.gov.cn/apply/status?lang=zh")


def test_a_picked_document_is_summarised_by_its_title_and_number(desk):
    app = parse(
        {**CITIZEN, "doc_title": "定州市2022年老旧小区改造实施方案", "doc_number": "定政发〔2022〕10号"}
    )
    text, _ = printed(desk.applications.submit(app))
    assert "《定州市2022年老旧小区改造实施方案》定政发〔2022〕10号" in text
    long = parse({**CITIZEN, "description": "查" * 2000})
    assert len(desk.applications.submit(long).summary) == 60
