"""Every city test runs on both databases: SQLite (the default) and PostgreSQL, in a schema of its own on a
throwaway cluster started once per session (tests/helpers/postgres.py). `CITY_DATABASE_URL` carries the
choice, so a `CityHome` made anywhere in the test (the command line included) uses it.

`@pytest.mark.sqlite_only` marks the tests of SQLite files themselves (databases made by the first release);
`@pytest.mark.own_database` a module whose fixtures choose the database themselves (`engine_url`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.postgres import ENGINES, Cluster, cluster, engine_url


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: a test of SQLite city.db files themselves")
    config.addinivalue_line("markers", "own_database: the module's fixtures choose the database")


def pytest_generate_tests(metafunc):
    if "city_database" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("own_database"):
        return
    engines = ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else list(ENGINES)
    metafunc.parametrize("city_database", engines, indirect=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    with cluster() as running:
        yield running


@pytest.fixture(autouse=True)
def city_database(request, monkeypatch) -> Iterator[str]:
    engine = getattr(request, "param", "sqlite")
    with engine_url(request, engine) as url:
        if url is None:
            monkeypatch.delenv("CITY_DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("CITY_DATABASE_URL", url)
        yield engine
