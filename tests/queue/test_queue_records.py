"""The queue's events become anonymous usage records (`queue_ticket`, `queue_rating`) through the real
`usage` service of `kiosk.services.build`: rolled up in the kiosk's statistics, each checked against its
declaration, and never carrying a number, a ticket's code or anything about the resident."""

from __future__ import annotations

from datetime import date

from queue_hall import ADULT_ID

from kiosk.config import defaults
from kiosk.queue import parse_config
from kiosk.services import build

HALL = {
    "service": [
        {"key": "a", "name": "社保医保", "prefix": "A"},
        {"key": "b", "name": "户籍办理", "prefix": "GJ", "id_card": "optional"},
    ],
    "window": [{"number": 1, "services": ["a", "b"]}, {"number": 2, "services": ["b"]}],
}


def test_a_day_of_tickets_is_rolled_up_without_numbers(tmp_path):
    services = build(defaults(), tmp_path)
    try:
        queue = services.queue
        queue.configure(parse_config(HALL))
        first = queue.take("a")
        queue.take("b", id_number=ADULT_ID, priority=True)
        queue.take("a")
        queue.call_next(1)  # the priority ticket first (GJ001)
        queue.start(1)
        queue.finish(1)
        queue.rate(queue.tickets()[1].id, 4)
        queue.call_next(1)  # A001
        queue.transfer(1, to_service="b")
        queue.call_next(1)
        queue.no_show(1)
        queue.cancel(queue.tickets()[2].id)
        services.usage.flush()
        tally = services.usage.store().tally(date.min, date.max)
        by = {(t.measure, t.item): t.count for t in tally if t.function == "queue"}
        assert by == {
            ("issued", "A"): 2,
            ("issued", "GJ"): 1,
            ("called", "GJ"): 1,
            ("started", "GJ"): 1,
            ("finished", "GJ"): 1,
            ("rating", "4"): 1,
            ("called", "A"): 2,
            ("transferred", "A"): 1,
            ("no_show", "A"): 1,
            ("cancelled", "A"): 1,
        }
        stored = b"".join(p.read_bytes() for p in tmp_path.glob("statistics.db*"))
        for secret in (first.code, "A001", ADULT_ID):
            assert secret.encode() not in stored
    finally:
        services.close()
