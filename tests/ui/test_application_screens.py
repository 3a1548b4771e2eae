"""信息公开申请 on the real QML, clicked: no tile without the city's key; with it, a citizen consents, the
simulated card fills the form, the review shows it, submit takes it sealed into the outbox and prints
the receipt on the simulated printer; a typed ID with a wrong check digit gets its Chinese message beside
the field; the reader's 申请公开相关信息 opens the form with the document filled; a printer fault keeps the
application and shows the number; staff fill a form on a resident's behalf and reprint a receipt; the idle
reset wipes the form; the logs carry neither name nor ID number."""

from __future__ import annotations

import json
import logging

from conftest import close_kiosk, open_kiosk

from city import application_key, fleet
from city.home import CityHome
from device.idcard.synthetic_cards import synthetic_card
from kiosk import enrolment
from kiosk.applications import numbering
from kiosk.features.applications import CARD_KEY
from kiosk.services import build
from kiosk.sync_service import outbox_for
from ui import worker

PHONE, ADDRESS = "13912345678", "河北省定州市北城区刘家庄村七组18号"
DESCRIPTION = "本村2025年土地征收补偿款的发放名单和标准"


def enrol(tmp_path, data_dir) -> None:
    tmp_path.mkdir(parents=True, exist_ok=True)
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="dingzhou")
    home.keygen()
    application_key.make(home)
    document = fleet.enrol(home, "dz-001", channel_url="http://x/channel/", upload_url="http://x/v1/outbox")
    source = tmp_path / "enrol.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    enrolment.install(source, data_dir)


def application_kiosk(qtbot, config, data_dir, tmp_path, printer="sim://"):
    enrol(tmp_path, data_dir)
    services = build(config.with_values(devices__printer=printer, devices__idcard="sim://"), data_dir)
    return open_kiosk(qtbot, services)


def type_into(kiosk, key: str, text: str) -> None:
    item = kiosk.find("appField_" + key) or kiosk.get("appArea_" + key)
    kiosk.scroll_into_view(item)
    item.setProperty("text", text)
    kiosk.qtbot.wait(50)  # the form grows with what was typed: laid out at the next frame


def fill_contact(kiosk) -> None:
    type_into(kiosk, "phone", PHONE)
    type_into(kiosk, "address", ADDRESS)
    type_into(kiosk, "description", DESCRIPTION)


def next_step(kiosk, button: str, shown: str) -> None:
    """Tap `button` and wait until `shown` is laid out (the new step starts at its top)."""
    kiosk.click(button)
    kiosk.get(shown, timeout=10000)
    kiosk.qtbot.wait(100)


def submitted_number(kiosk) -> str:
    number = kiosk.get("applicationNumber", timeout=15000)
    kiosk.qtbot.waitUntil(lambda: number.property("text") != "", timeout=15000)
    return number.property("text")


def test_no_tile_without_the_citys_key(kiosk):
    assert kiosk.find("tile_applications") is None
    assert "申请加密公钥" in kiosk.services.application_desk.unavailable()


def test_consent_card_autofill_review_submit_and_the_receipt_printed(
    qtbot, qapp, config, data_dir, tmp_path, caplog
):
    card = synthetic_card("resident")
    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path)
    try:
        with caplog.at_level(logging.DEBUG):
            kiosk.click("tile_applications")
            kiosk.wait_screen("application")
            kiosk.click("applicantCitizen")
            assert kiosk.get("applicationConsent").property("text") == "读取身份证信息用于本次申请"
            kiosk.click("applicationReadCard")
            read = kiosk.get("applicationCardRead", timeout=15000)
            assert card.id_number not in read.property("text") and "*" in read.property("text")
            assert kiosk.get("appField_name").property("text") == card.name
            assert kiosk.services.session.get(CARD_KEY)["id_number"] == card.id_number
            fill_contact(kiosk)
            next_step(kiosk, "applicationNext", "applicationSubmit")
            shown = "\n".join(kiosk.texts())
            assert card.name in shown and PHONE in shown and DESCRIPTION in shown
            assert card.id_number not in shown  # the review shows the masked number
            kiosk.click("applicationSubmit")
            number = submitted_number(kiosk)
            assert numbering.parse(number) == number
            printed = kiosk.get("applicationPrinted")
            qtbot.waitUntil(lambda: printed.property("text").startswith("请取走回执"), timeout=10000)
            assert "答复期限" in kiosk.get("applicationDeadline").property("text")
            worker.wait_idle(5.0)
        assert list((data_dir / "printer").glob("*.png"))
        entry = kiosk.services.application_desk.applications().store.get(number)
        assert entry.status == "received"
        assert kiosk.services.session.get(CARD_KEY) is None  # taken: the card is forgotten
        for secret in (card.name, card.id_number, PHONE, ADDRESS, DESCRIPTION):
            assert secret not in caplog.text
        kiosk.click("applicationDone")
        kiosk.wait_screen("home")
    finally:
        close_kiosk(kiosk)


def test_a_typed_id_with_a_wrong_check_digit_is_refused_beside_the_field(
    qtbot, qapp, config, data_dir, tmp_path
):
    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path)
    try:
        kiosk.click("tile_applications")
        kiosk.click("applicantCitizen")
        kiosk.click("applicationTypeIn")
        type_into(kiosk, "name", "欧阳翠花")
        type_into(kiosk, "id_number", "110105194912310021")  # the right check character is X
        type_into(kiosk, "phone", "1391234567")  # 10 digits
        kiosk.click("applicationNext")
        error = kiosk.get("appError_id_number", timeout=10000)
        assert "校验" in error.property("text")
        assert kiosk.get("appError_phone").property("text") == "手机号码应为11位，现在是10位"
        assert kiosk.get("appError_description").property("text") == "请填写所需信息的描述"
        assert kiosk.find("applicationSubmit") is None
        type_into(kiosk, "id_number", "11010519491231002X")
        assert kiosk.find("appError_id_number") is None  # corrected: its message goes
    finally:
        close_kiosk(kiosk)


def test_an_organisation_applies_by_email(qtbot, qapp, config, data_dir, tmp_path):
    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path)
    try:
        kiosk.click("tile_applications")
        kiosk.click("applicantOrganisation")
        assert kiosk.find("applicationConsent") is None
        type_into(kiosk, "name", "定州市某某农业专业合作社")
        type_into(kiosk, "credit_code", "91350100M000100Y43")
        type_into(kiosk, "legal_representative", "张三")
        type_into(kiosk, "contact_person", "李四")
        type_into(kiosk, "email", "coop@example.cn")
        fill_contact(kiosk)
        kiosk.click("appChoice_medium_1")  # 电子数据
        kiosk.click("appChoice_route_2")  # 电子邮件
        next_step(kiosk, "applicationNext", "applicationSubmit")
        kiosk.click("applicationSubmit")
        assert submitted_number(kiosk)
    finally:
        close_kiosk(kiosk)


def test_the_reader_applies_for_the_document_being_read(qtbot, qapp, config, data_dir, tmp_path):
    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path)
    try:
        browse = kiosk.services.library.opened_browse()
        item = next(r for r in browse.listing("document", limit=200) if r.get("docNumber"))
        kiosk.app_state.open("reader", {"itemId": item["id"]})
        kiosk.wait_screen("reader")
        kiosk.click("applyForInformation")
        kiosk.wait_screen("application")
        picked = kiosk.get("applicationPicked").property("text")
        assert item["title"] in picked and item["docNumber"] in picked
        kiosk.click("applicantOrganisation")
        kiosk.get("appField_name")  # the form is open, the document kept
        assert item["title"] in kiosk.get("applicationPicked").property("text")
    finally:
        close_kiosk(kiosk)


def test_out_of_paper_the_application_is_kept_and_the_number_shown(qtbot, qapp, config, data_dir, tmp_path):
    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path, printer="sim://?paper=out")
    try:
        kiosk.click("tile_applications")
        kiosk.click("applicantCitizen")
        kiosk.click("applicationTypeIn")
        type_into(kiosk, "name", "欧阳翠花")
        type_into(kiosk, "id_number", "11010519491231002X")
        fill_contact(kiosk)
        next_step(kiosk, "applicationNext", "applicationSubmit")
        kiosk.click("applicationSubmit")
        number = submitted_number(kiosk)
        message = kiosk.get("applicationPrinted").property("text")
        assert "回执未能打印" in message and "申请已受理" in message
        assert kiosk.services.application_desk.applications().store.get(number).status == "received"
    finally:
        close_kiosk(kiosk)


def test_a_full_outbox_takes_nothing_and_the_resident_is_told(qtbot, qapp, config, data_dir, tmp_path):
    enrol(tmp_path, data_dir)
    services = build(config.with_values(sync__outbox_max=100), data_dir)
    kiosk = open_kiosk(qtbot, services)
    try:
        outbox = outbox_for(services.library.opened_store(), services.config)
        for _ in range(100):
            outbox.add("rating", {"function": "guides", "level": 4})
        kiosk.click("tile_applications")
        kiosk.click("applicantCitizen")
        kiosk.click("applicationTypeIn")
        type_into(kiosk, "name", "欧阳翠花")
        type_into(kiosk, "id_number", "11010519491231002X")
        fill_contact(kiosk)
        next_step(kiosk, "applicationNext", "applicationSubmit")
        kiosk.click("applicationSubmit")
        message = kiosk.get("applicationMessage", timeout=15000)
        assert message.property("text") == "申请未能受理（本机暂时无法保存申请），请联系现场工作人员协助提交"
        assert kiosk.find("applicationNumber") is None
        assert [e.status for e in services.application_desk.applications().store.entries()] == ["not_taken"]
    finally:
        close_kiosk(kiosk)


def test_the_idle_reset_wipes_the_form_and_the_card(qtbot, qapp, config, data_dir, tmp_path):
    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path)
    try:
        kiosk.click("tile_applications")
        kiosk.click("applicantCitizen")
        kiosk.click("applicationReadCard")
        kiosk.get("applicationCardRead", timeout=15000)
        kiosk.app_state.home()  # 回到首页 without applying: the card is forgotten
        kiosk.wait_screen("home")
        qtbot.waitUntil(lambda: kiosk.services.session.get(CARD_KEY) is None, timeout=5000)
        kiosk.click("tile_applications")
        kiosk.click("applicantCitizen")
        kiosk.click("applicationReadCard")
        kiosk.get("applicationCardRead", timeout=15000)
        type_into(kiosk, "phone", PHONE)
        kiosk.app_state.resetNow()
        kiosk.wait_screen("home")
        assert kiosk.services.session.get(CARD_KEY) is None
        kiosk.click("tile_applications")
        kiosk.click("applicantCitizen")
        kiosk.click("applicationTypeIn")
        assert kiosk.get("appField_phone").property("text") == ""
    finally:
        close_kiosk(kiosk)


def test_staff_fill_in_for_a_resident_and_reprint_the_receipt(qtbot, qapp, config, data_dir, tmp_path):
    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path)
    try:
        kiosk.app_state.open("ApplicationStaffScreen.qml", {})
        kiosk.click("applicationStaffFill")
        kiosk.wait_screen("application")
        assert "代为填写" in "".join(kiosk.texts())
        kiosk.click("applicantCitizen")
        kiosk.click("applicationTypeIn")
        type_into(kiosk, "name", "欧阳翠花")
        type_into(kiosk, "id_number", "11010519491231002X")
        fill_contact(kiosk)
        next_step(kiosk, "applicationNext", "applicationSubmit")
        kiosk.click("applicationSubmit")
        number = submitted_number(kiosk)
        worker.wait_idle(5.0)
        pages = len(list((data_dir / "printer").glob("*.png")))
        kiosk.app_state.open("ApplicationStaffScreen.qml", {})
        kiosk.click(kiosk.get("reprint_" + number, timeout=10000))
        message = kiosk.get("applicationStaffMessage", timeout=10000)
        qtbot.waitUntil(lambda: number in message.property("text"), timeout=10000)
        assert len(list((data_dir / "printer").glob("*.png"))) > pages
    finally:
        close_kiosk(kiosk)


def test_a_hid_scanner_types_the_receipts_qr_into_the_number_field(qtbot, qapp, config, data_dir, tmp_path):
    """A USB QR scanner is a keyboard: it types what the code holds (here the city's status URL, as the
    receipt prints it when the city has a status page) into the focused field, then Enter."""
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    from kiosk.applications.receipt import status_link

    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path)
    try:
        to_number(kiosk)
        number = kiosk.services.application_desk.recent(1)[0]["number"]
        kiosk.app_state.openFeature("application_status")
        field = kiosk.get("appField_status_number")
        kiosk.click(field)
        qtbot.waitUntil(field.hasActiveFocus)
        for char in status_link(number, "https://zwgk.example.gov.cn/apply/status?lang=zh") + "\r":
            key = Qt.Key.Key_Return if char == "\r" else Qt.Key(ord(char.upper()))
            shift = (
                Qt.KeyboardModifier.ShiftModifier
                if char.isupper() or char in ":?"
                else Qt.KeyboardModifier.NoModifier
            )
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QCoreApplication.sendEvent(kiosk.window, QKeyEvent(kind, key, shift, char))
        assert field.property("text").endswith("no=" + number)
        type_into(kiosk, "status_phone", PHONE[-4:])
        kiosk.click("applicationStatusLook")
        state = kiosk.get("applicationStatusState", timeout=10000)
        qtbot.waitUntil(lambda: number in state.property("text"), timeout=10000)
    finally:
        close_kiosk(kiosk)


# --- the steps, for tests/ui/test_layout.py ---------------------------------------------------------------


def to_form(kiosk, kind: str = "applicantCitizen") -> None:
    kiosk.app_state.openFeature("applications")
    kiosk.click(kind)
    if kind == "applicantCitizen":
        kiosk.click("applicationTypeIn")


def to_form_errors(kiosk) -> None:
    """The citizen's form sent empty, with a wrong ID and 10 digits: a message beside every field."""
    to_form(kiosk)
    type_into(kiosk, "id_number", "110105194912310021")
    type_into(kiosk, "phone", "1391234567")
    kiosk.click("applicationNext")
    kiosk.get("appError_id_number", timeout=10000)


def to_review(kiosk) -> None:
    to_form(kiosk)
    type_into(kiosk, "name", "欧阳翠花")
    type_into(kiosk, "id_number", "11010519491231002X")
    fill_contact(kiosk)
    next_step(kiosk, "applicationNext", "applicationSubmit")


def to_number(kiosk) -> None:
    to_review(kiosk)
    kiosk.click("applicationSubmit")
    submitted_number(kiosk)


def to_status(kiosk) -> None:
    """查询申请进度 for this kiosk's latest application (received here; nothing from the city yet)."""
    number = kiosk.services.application_desk.recent(1)[0]["number"]
    kiosk.app_state.openFeature("application_status")
    type_into(kiosk, "status_number", number)
    type_into(kiosk, "status_phone", PHONE[-4:])
    kiosk.click("applicationStatusLook")
    kiosk.get("statusRow_0", timeout=10000)


def test_a_description_that_the_library_already_answers_offers_those_documents_first(
    qtbot, qapp, config, data_dir, tmp_path
):
    kiosk = application_kiosk(qtbot, config, data_dir, tmp_path)
    try:
        kiosk.click("tile_applications")
        kiosk.wait_screen("application")
        kiosk.click("applicantOrganisation")
        type_into(kiosk, "description", "2022年打击非法采矿专项行动的实施方案")
        first = kiosk.get("applicationRelated_0", timeout=10000)
        offered = [first.property("text")] + [
            i.property("text") for i in kiosk.items() if i.objectName() == "applicationRelated_1"
        ]
        assert any("打击非法采矿" in title for title in offered), offered
        assert "定政办字〔2022〕32号" in first.property("subtitle")
        kiosk.qtbot.wait(200)  # the new buttons are placed in the column at the next frame
        kiosk.click(first)
        kiosk.wait_screen("reader")
        kiosk.qtbot.waitUntil(lambda: "非法采矿" in kiosk.reader_text(), timeout=10000)
        kiosk.app_state.back()
        kiosk.wait_screen("application")
        area = kiosk.get("appArea_description")
        assert area.property("text") == "2022年打击非法采矿专项行动的实施方案"  # the form kept what was typed
        type_into(kiosk, "description", "本村2025年土地征收补偿款的发放名单")  # nothing published on that
        kiosk.qtbot.waitUntil(lambda: kiosk.find("applicationRelated") is None, timeout=10000)
    finally:
        close_kiosk(kiosk)
