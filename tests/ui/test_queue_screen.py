"""排队取号 on the real QML, clicked: the tile appears once the queue is configured; a number is taken and
printed on the simulated printer; a service that needs the ID card asks for consent, reads the simulated
card and forgets it; out of paper the screen says so and shows the number large; a service linking a
办事指南 opens it and back returns to the list."""

from __future__ import annotations

import pytest
import zxingcpp
from conftest import close_kiosk, open_kiosk
from PIL import Image

from kiosk.features.queue import CARD_KEY
from kiosk.queue import parse_config
from kiosk.services import build
from ui import worker

HALL = {
    "service": [
        {"key": "shebao", "name": "社保医保", "prefix": "A", "guide": "guide-demo-dibao"},
        {"key": "hukou", "name": "户籍办理", "prefix": "B", "id_card": "required"},
    ],
    "window": [{"number": 1, "services": ["shebao", "hukou"]}],
}


def queue_kiosk(qtbot, config, data_dir, printer="sim://"):
    services = build(config.with_values(devices__printer=printer, devices__idcard="sim://"), data_dir)
    services.queue.configure(parse_config(HALL))
    return open_kiosk(qtbot, services)


def test_no_tile_until_the_queue_is_configured(kiosk):
    assert kiosk.find("tile_queue") is None
    assert not kiosk.services.queue_desk.board()["configured"]


def test_take_a_number_and_it_is_printed(qtbot, qapp, config, data_dir):
    kiosk = queue_kiosk(qtbot, config, data_dir)
    try:
        kiosk.click("tile_queue")
        kiosk.wait_screen("queue")
        button = kiosk.get("service_shebao")
        assert "等候 0 人" in button.property("subtitle")
        kiosk.click(button)
        assert "您要办理：社保医保" in kiosk.get("queueConfirmText").property("text")
        kiosk.click("queueConfirm")
        number = kiosk.get("queueNumber")
        qtbot.waitUntil(lambda: number.property("text") == "A001", timeout=10000)
        assert kiosk.get("queuePrinted").property("text").startswith("请取走号票")
        assert kiosk.find("queueReprint") is None
        ticket = kiosk.services.queue.tickets()[0]
        assert (ticket.number, ticket.prints) == ("A001", 1)
        (paper,) = (data_dir / "printer").glob("*.png")
        (link,) = [r.text for r in zxingcpp.read_barcodes(Image.open(paper).convert("L"))]
        assert link == f"http://127.0.0.1:8470/t/{ticket.code}"  # the local API's status page of this ticket
        kiosk.click("queueDone")
        kiosk.wait_screen("home")
    finally:
        close_kiosk(kiosk)


def test_a_service_needing_the_card_asks_consent_reads_it_and_forgets_it(qtbot, qapp, config, data_dir):
    kiosk = queue_kiosk(qtbot, config, data_dir)
    try:
        kiosk.click("tile_queue")
        kiosk.click("service_hukou")
        assert "需要读取您的身份证" in kiosk.get("queueConsent").property("text")
        assert kiosk.find("queueSkipCard") is None  # required: no way round it
        kiosk.click("queueReadCard")
        confirm = kiosk.get("queueConfirmText", timeout=15000)
        assert "户籍办理" in confirm.property("text")
        assert any("已读取身份证" in t and "*" in t for t in kiosk.texts())
        assert kiosk.services.session.get(CARD_KEY)  # held for this resident only
        kiosk.click("queueConfirm")
        number = kiosk.get("queueNumber")
        qtbot.waitUntil(lambda: number.property("text") == "B001", timeout=10000)
        worker.wait_idle(5.0)
        assert kiosk.services.session.get(CARD_KEY) is None
        # the same card again: one live ticket per ID per service
        kiosk.click("queueDone")
        kiosk.click("tile_queue")
        kiosk.click("service_hukou")
        kiosk.click("queueReadCard")
        kiosk.click(kiosk.get("queueConfirm", timeout=15000))
        message = kiosk.get("queueMessage")
        qtbot.waitUntil(lambda: "您已取过“户籍办理”的号 B001" in message.property("text"), timeout=10000)
        kiosk.click("service_hukou")
        kiosk.click("queueReadCard")
        kiosk.get("queueConfirm", timeout=15000)
        assert kiosk.services.session.get(CARD_KEY)
        kiosk.app_state.home()  # the resident walks off with the card read
        qtbot.waitUntil(lambda: kiosk.services.session.get(CARD_KEY) is None, timeout=5000)
    finally:
        close_kiosk(kiosk)


@pytest.mark.parametrize("printer", ["sim://?paper=out"])
def test_out_of_paper_shows_the_number_large_and_says_what_to_do(qtbot, qapp, config, data_dir, printer):
    kiosk = queue_kiosk(qtbot, config, data_dir, printer)
    try:
        kiosk.click("tile_queue")
        kiosk.click("service_shebao")
        kiosk.click("queueConfirm")
        number = kiosk.get("queueNumber")
        qtbot.waitUntil(lambda: number.property("text") == "A001", timeout=10000)
        assert number.property("font").pixelSize() >= 150
        said = kiosk.get("queuePrinted").property("text")
        assert "缺纸" in said and "请记下您的号码 A001" in said
        assert kiosk.get("queueReprint") is not None
        assert [t["action"] for t in kiosk.services.queue.transitions()][-1] == "print_failed"
    finally:
        close_kiosk(kiosk)


def test_opened_from_a_guide_its_service_is_chosen(qtbot, qapp, config, data_dir):
    kiosk = queue_kiosk(qtbot, config, data_dir)
    try:
        kiosk.app_state.open(
            "queue", {"guideId": "guide-demo-dibao", "guideTitle": "城乡居民最低生活保障审核确认"}
        )
        kiosk.wait_screen("queue")
        assert "您要办理：社保医保" in kiosk.get("queueConfirmText").property("text")
        kiosk.click("queueConfirmBack")
        kiosk.get("service_hukou")  # 返回 shows every service
    finally:
        close_kiosk(kiosk)


def test_a_service_with_a_guide_opens_it_and_back_returns_to_the_list(qtbot, qapp, config, data_dir):
    kiosk = queue_kiosk(qtbot, config, data_dir)
    try:
        kiosk.click("tile_queue")
        kiosk.wait_screen("queue")
        assert kiosk.find("serviceGuide_hukou") is None  # links no guide
        guide = kiosk.get("serviceGuide_shebao")
        assert guide.property("text") == "查看办事指南"
        kiosk.services.queue.take("shebao")  # someone else takes a number meanwhile
        kiosk.click(guide)
        kiosk.wait_screen("guide")
        title = kiosk.get("guideTitle")
        qtbot.waitUntil(lambda: title.property("text") == "城乡居民最低生活保障审核确认", timeout=10000)
        kiosk.click("backButton")
        kiosk.wait_screen("queue")

        def counted() -> bool:  # the list again, reloaded (its buttons made anew)
            button = kiosk.find("service_shebao")
            return button is not None and "等候 1 人" in button.property("subtitle")

        qtbot.waitUntil(counted, timeout=10000)
        kiosk.click("service_shebao")
        kiosk.click("queueConfirm")
        number = kiosk.get("queueNumber")
        qtbot.waitUntil(lambda: number.property("text") == "A002", timeout=10000)
    finally:
        close_kiosk(kiosk)
