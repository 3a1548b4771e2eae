"""The printed ticket as the printer draws it (every fact on paper, the QR read back, 补打 on a reprint),
and printing through the simulated printer on a pty: counted when printed; out of paper, the resident is
told to note the number, staff see the failure, and the ticket stays valid."""

from __future__ import annotations

import pytest
import zxingcpp
from queue_hall import CST

from device.printer.escpos_render import render
from device.printer.printer_profile import PROFILES
from device.printer.receipt import encode
from kiosk.config import load
from kiosk.devices import DeviceService
from kiosk.queue import printing, ticket_receipt

HALL_NAME = "定州市政务服务中心"
BASE = "http://192.168.1.20:8470/t/"


def on_paper(queue, ticket, profile="80mm", **options):
    paper = ticket_receipt.build(
        ticket,
        hall=HALL_NAME,
        service_name=queue.config.service(ticket.service).name,
        estimate=queue.estimate(ticket),
        status_base=BASE,
        **options,
    )
    (page,) = render(encode(paper, PROFILES[profile], "gb18030"), PROFILES[profile].dots)
    return "".join(page.text.split()), [r.text for r in zxingcpp.read_barcodes(page.image.convert("L"))], page


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_the_ticket_says_hall_service_number_ahead_estimate_time_and_links_its_status(queue, profile):
    for _ in range(3):
        queue.take("shebao")
    ticket = queue.take("shebao", priority=True)
    text, codes, page = on_paper(queue, ticket, profile)
    for fragment in (HALL_NAME, "排队取号凭条", "社保医保", "A004", "绿色通道", "前面等候0人", "马上就到"):
        assert fragment in text, fragment
    assert "2026-12-0409:00" in text and "请留意叫号" in text and "补打" not in text
    assert codes == [BASE + ticket.code]
    ordinary = queue.take("shebao")
    text, _, _ = on_paper(queue, ordinary, profile)
    assert "前面等候4人" in text and "约10分钟" in text  # 4 × 5 min over two windows, priority counted


def test_the_number_is_printed_big(queue):
    ticket = queue.take("shebao")
    paper = ticket_receipt.build(
        ticket, hall=HALL_NAME, service_name="社保医保", estimate=queue.estimate(ticket), status_base=BASE
    )
    sizes = {e.text: (e.width, e.height) for e in paper.elements if hasattr(e, "width")}
    assert sizes["A001"] == (4, 4)


def test_a_reprint_says_so(queue, clock):
    ticket = queue.take("shebao")
    text, _, _ = on_paper(queue, ticket, reprint_at=clock.now.replace(hour=10, minute=5, tzinfo=CST))
    assert "排队取号凭条（补打）" in text and "补打时间10:05" in text


def test_printed_on_the_simulated_printer_and_counted(queue, tmp_path):
    devices = DeviceService(load(None).with_values(devices__printer="sim://"), tmp_path)
    ticket = queue.take("shebao")
    outcome = printing.print_ticket(queue, devices, ticket, hall=HALL_NAME, status_base=BASE)
    assert outcome.printed and outcome.ticket.prints == 1 and len(outcome.files) == 1
    again = printing.print_ticket(
        queue, devices, outcome.ticket, hall=HALL_NAME, status_base=BASE, reprint=True
    )
    assert again.ticket.prints == 2


def test_out_of_paper_tells_the_resident_to_note_the_number_and_staff_see_it(queue, tmp_path):
    devices = DeviceService(load(None).with_values(devices__printer="sim://?paper=out"), tmp_path)
    ticket = queue.take("shebao")
    heard = []
    queue.subscribe(heard.append)
    outcome = printing.print_ticket(queue, devices, ticket, hall=HALL_NAME, status_base=BASE)
    assert not outcome.printed
    assert "缺纸" in outcome.zh and "请记下您的号码 A001" in outcome.zh
    assert queue.ticket(ticket.id).status == "waiting" and queue.ticket(ticket.id).prints == 0
    failures = [t for t in queue.transitions() if t["action"] == "print_failed"]
    assert len(failures) == 1 and "paper" in failures[0]["detail"].lower()
    assert queue.print_failures() == 1
    assert [e.action for e in heard] == ["print_failed"]
