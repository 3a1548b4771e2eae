"""What the display shows when, without Qt: playlist rules by the clock, slides and pages, the rotation."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from display import plan
from display.link import next_backoff
from display.pages import capacity, lines_of, paginate, width
from kiosk.cli.display import DisplayArgError, api_url, parse_size
from kiosk.config import defaults

MONDAY = datetime(2026, 11, 30, 9, 30)


def entry(**kw):
    return {"id": "e", "show": "notices", "seconds": 20, "weekdays": [1, 2, 3, 4, 5, 6, 7], "times": [], **kw}


def test_an_entry_plays_in_its_dates_weekdays_and_windows():
    e = entry(**{"from": "2026-11-30", "to": "2026-12-04", "weekdays": [1, 3], "times": ["08:00-12:00"]})
    assert plan.plays(e, MONDAY)
    assert not plan.plays(e, MONDAY.replace(hour=12))  # the window's end is not in it
    assert not plan.plays(e, MONDAY + timedelta(days=1))  # Tuesday
    assert not plan.plays(e, MONDAY + timedelta(days=7))  # after its dates
    assert plan.plays(entry(times=["00:00-24:00"]), MONDAY.replace(hour=23, minute=59))


def test_only_the_highest_priority_plays():
    entries = [entry(id="a"), entry(id="b", priority=5, times=["09:00-10:00"]), entry(id="c", priority=5)]
    assert [e["id"] for e in plan.playing({"entries": entries}, MONDAY)] == ["b", "c"]
    assert [e["id"] for e in plan.playing({"entries": entries}, MONDAY.replace(hour=11))] == ["c"]


def test_the_screen_is_lit_on_its_schedule():
    schedule = {"screen_on": {"weekdays": [1, 2, 3, 4, 5], "times": ["07:30-18:30"]}}
    assert plan.lit(schedule, MONDAY) and not plan.lit(schedule, MONDAY.replace(hour=19))
    assert not plan.lit(schedule, MONDAY + timedelta(days=5))  # Saturday
    assert plan.lit({}, MONDAY.replace(hour=3))


def test_the_rotation_follows_each_slides_seconds_and_survives_clock_jumps():
    rotation = plan.Rotation()
    items = [("公示牌", {"kind": "notice", "seconds": 10}), ("公示牌", {"kind": "idle", "seconds": 30})]
    assert rotation.show(MONDAY, "k", lambda: items).index == 0
    assert rotation.show(MONDAY + timedelta(seconds=10), "k", lambda: items).index == 1
    assert rotation.show(MONDAY + timedelta(seconds=39), "k", lambda: items).index == 1
    assert rotation.show(MONDAY + timedelta(seconds=45), "k", lambda: items).index == 0  # 10 + 30 + 5
    assert rotation.show(MONDAY - timedelta(hours=1), "k", lambda: items).index == 0  # set back: stays
    assert rotation.show(MONDAY, "other", lambda: []) is None


def test_backoff_doubles_up_to_its_limit():
    delays = [1.0]
    for _ in range(8):
        delays.append(next_backoff(delays[-1], 60.0))
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]


TEXT = st.text(st.sampled_from("政务公开专区农村低保，。“”ABC123 "), max_size=300)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, max_size=8), st.integers(4, 30), st.integers(2, 12), st.integers(1, 6))
def test_pages_keep_the_text_in_order_and_lines_fit(paragraphs, per_line, per_page, max_pages):
    pages, more = paginate(paragraphs, per_line, per_page, max_pages)
    assert len(pages) <= max_pages
    lines = [line for page in pages for piece in page for line in piece.split("\n")]
    assert all(width(line) <= per_line for line in lines)
    assert all(sum(piece.count("\n") + 1 for piece in page) <= per_page for page in pages)
    shown = "".join(lines).replace("\u3000", "")
    whole = "".join(p.strip() for p in paragraphs).replace("\u3000", "")
    assert whole.startswith(shown) and (more or shown == whole)


def test_a_line_holds_what_its_box_holds():
    assert capacity(1776, 400, 60, 90) == (27, 4)
    assert lines_of("一二三四五六七八九十", 6) == ["\u3000\u3000一二三四", "五六七八九十"]


def layout(calls=False):
    return plan.Layout(1920, 1080, calls)


def test_an_empty_board_is_the_hall_and_the_time_and_long_documents_stop_at_max_pages():
    assert plan.slides(entry(), {"notices": []}, layout(), lambda *_: "") == [{"kind": "idle", "seconds": 20}]
    page = {
        "id": "d",
        "title": "长文",
        "paragraphs": ["字" * 3000],
        "kindName": "政策文件",
        "date": "2022年3月16日",
    }
    gazette = {
        "title": "公报",
        "toc": [{"section": "", "title": f"第{n}篇", "page": n} for n in range(20)],
        "pages": [page],
    }
    slides = plan.slides(entry(show="gazette", seconds=30), {"gazette": gazette}, layout(), lambda *_: "")
    covers = [s for s in slides if s["kind"] == "cover"]
    pages = [s for s in slides if s["kind"] == "page"]
    assert sum(len(c["entries"]) for c in covers) == 20 and len(covers) > 1
    assert len(pages) == plan.MAX_PAGES and pages[-1]["more"] == "全文请到一体机查阅"
    assert pages[0]["meta"] == "政策文件\u30002022年3月16日" and all(s["seconds"] == 30 for s in slides)
    narrower = plan.slides(entry(show="gazette"), {"gazette": gazette}, layout(calls=True), lambda *_: "")
    assert len([s for s in narrower if s["kind"] == "page"]) == plan.MAX_PAGES
    assert (
        plan.slides(entry(show="item", item="gone"), {"items": {"gone": None}}, layout(), lambda *_: "") == []
    )


def test_emergencies_end_by_the_display_clock():
    content = {"emergencies": [{"id": "a", "until": "2026-11-30T10:00"}, {"id": "b", "until": ""}]}
    assert [e["id"] for e in plan.emergencies(content, MONDAY)] == ["a", "b"]
    assert [e["id"] for e in plan.emergencies(content, MONDAY.replace(hour=10))] == ["b"]


def test_the_command_line_reads_size_and_the_kiosk_address():
    assert parse_size("1920x1080") == (1920, 1080) and parse_size("") is None
    try:
        parse_size("big")
    except DisplayArgError as exc:
        assert exc.zh == "画面大小“big”无效，应如 1920x1080"
    else:
        raise AssertionError("a bad size was taken")
    assert api_url(defaults()) == "http://127.0.0.1:8470"
    assert api_url(defaults().with_values(api__listen="0.0.0.0", api__port=9000)) == "http://127.0.0.1:9000"
    assert (
        api_url(defaults().with_values(display__api_url="http://192.168.1.20:8470"))
        == "http://192.168.1.20:8470"
    )
