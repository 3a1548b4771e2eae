"""The dashboard's fleet query under hypothesis, on both databases: any query parameters give a valid query
(unknown sorts and problems fall back, pages are bounded) that the database answers, and a search matches
the text literally (`%`, `_` and `\\` are not wildcards), whatever characters it holds: a NUL, which PostgreSQL refuses in text,
is dropped with the other control characters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from city import dashboard_data as data
from city import fleet
from city.home import CityHome

IDS = ["a_1", "ab_2", "a.3", "ab3", "b-5", "a1"]  # `_` would match any character as a wildcard
PARAMS = st.dictionaries(
    st.sampled_from(["county", "township", "q", "problem", "sort", "order", "page"]),
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(["_", "%", "\\", "a_", "a%", "a\x00", "silent", "last_seen", "-1"]),
    ),
)


@pytest.fixture
def home(tmp_path):
    home = CityHome(tmp_path / "city")
    fleet.enrol_tokens(home, [(kiosk_id, "定州市", "东亭镇") for kiosk_id in IDS])
    return home


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=PARAMS)
def test_any_parameters_give_a_query_the_database_answers(home, params):
    query = data.FleetQuery.parse(params)
    assert query.sort in data.SORTS and query.problem in ("", *data.PROBLEMS) and query.page >= 1
    with home.db() as conn:
        page = data.fleet_page(conn, query, datetime.now(UTC))
    assert page.total <= len(IDS) and len(page.kiosks) <= data.PAGE_SIZE
    for kiosk in page.kiosks:
        assert query.search in kiosk.id
    if query.search and not query.county and not query.township and not query.problem:
        assert page.total == sum(query.search in kiosk_id for kiosk_id in IDS)
