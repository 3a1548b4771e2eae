"""Reports per day, week and month: the periods' bounds, and per service and window the tickets, 过号,
waits and service times (median, p90) and ratings, computed from a day of known times."""

from __future__ import annotations

from datetime import date

from kiosk.queue import reports


def test_periods():
    friday = date(2026, 12, 4)
    assert reports.period_days("day", friday) == (friday, friday)
    assert reports.period_days("week", friday) == (date(2026, 11, 30), date(2026, 12, 6))
    assert reports.period_days("month", friday) == (date(2026, 12, 1), date(2026, 12, 31))
    assert reports.period_days("month", date(2027, 2, 10)) == (date(2027, 2, 1), date(2027, 2, 28))


def test_a_day_of_known_times(queue, clock):
    # ten visits to 社保医保 at window 2: waits of 1..10 minutes, each served for 3 minutes; one 过号
    for minutes in range(1, 11):
        queue.take("shebao")
        clock.advance(minutes=minutes)
        queue.call_next(2)
        queue.start(2)
        clock.advance(minutes=3)
        queue.finish(2)
    queue.rate(queue.tickets()[0].id, 5)
    queue.rate(queue.tickets()[1].id, 2)
    queue.take("shebao")
    queue.call_next(1)
    queue.no_show(1)
    report = reports.build(queue.tickets(), queue.config, "day", clock.now.date(), clock.now.date())
    rows = {(r.group, r.name): r for r in report.rows}
    shebao = rows["service", "社保医保"]
    assert (shebao.issued, shebao.served, shebao.no_shows) == (11, 10, 1)
    assert (shebao.wait_median, shebao.wait_p90) == (5.0, 9.0)  # waits 0 (the 过号 one) and 1..10 minutes
    assert (shebao.service_median, shebao.service_p90) == (3.0, 3.0)
    assert (shebao.ratings, shebao.satisfied, shebao.rating_average) == (2, 1, 3.5)
    assert rows["window", "2号窗口"].served == 10 and rows["window", "1号窗口"].no_shows == 1
    assert rows["total", "合计"].issued == 11
    csv_text = reports.to_csv(report)
    assert (
        csv_text.startswith("\ufeff2026-12-04 至 2026-12-04")
        and "业务,社保医保,11,10,1,0,0,5.0,9.0,3.0,3.0,2,1,3.5" in csv_text
    )
