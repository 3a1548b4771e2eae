"""The resident session forgets everything on clear and tells its listeners."""

from kiosk.session import MAX_HISTORY, Session


def test_clear_forgets_everything_and_notifies():
    session = Session()
    calls = []
    session.on_clear(lambda: calls.append(session.is_empty()))
    session.set_search_text("秸秆")
    session.record_opened("doc-1")
    session.put("application", {"name": "张三"})
    assert not session.is_empty()
    generation = session.generation

    session.clear()

    assert session.search_text == ""
    assert session.opened == []
    assert session.get("application") is None
    assert session.is_empty()
    assert calls == [True]
    assert session.generation == generation + 1


def test_history_keeps_order_skips_repeats_and_is_bounded():
    session = Session()
    for item in ["a", "a", "b", "a"]:
        session.record_opened(item)
    assert session.opened == ["a", "b", "a"]
    for n in range(MAX_HISTORY + 10):
        session.record_opened(f"x{n}")
    assert len(session.opened) == MAX_HISTORY
    assert session.opened[-1] == f"x{MAX_HISTORY + 9}"


def test_work_started_before_a_clear_is_not_remembered_after_it():
    session = Session()
    generation = session.generation
    session.clear()
    session.set_search_text("秸秆", generation)
    session.record_opened("doc-1", generation)
    assert session.is_empty()
    session.set_search_text("秸秆", session.generation)
    assert session.search_text == "秸秆"
