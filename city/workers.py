"""What each worker process of `city serve --workers N` runs (uvicorn starts them as new processes and
imports this module in each): the city's app for the home and database the parent named in its
environment, and the h11 protocol with the header deadline; each tells systemd it is ready and alive
(city/supervision.py). Only PostgreSQL takes more than one worker:
the workers share nothing but the database, where the Idempotency-Key is a unique constraint."""

from __future__ import annotations

import os
from pathlib import Path

from city.home import CityHome
from city.limits import BODY_TIMEOUT, HEADER_TIMEOUT, protocol
from city.server import create_app
from city.supervision import Supervision

REPO = "ZWGK_CITY_REPO"
BODY = "ZWGK_CITY_BODY_TIMEOUT"
HEADERS = "ZWGK_CITY_HEADER_TIMEOUT"

Headers = protocol(float(os.environ.get(HEADERS, HEADER_TIMEOUT)))


def app():
    """The app of one worker (uvicorn's factory)."""
    home = CityHome(Path(os.environ["CITY_DATA_DIR"]), database_url=os.environ["CITY_DATABASE_URL"])
    repo = os.environ.get(REPO) or None
    return create_app(
        home,
        Path(repo) if repo else None,
        body_timeout=float(os.environ.get(BODY, BODY_TIMEOUT)),
        supervision=Supervision.from_environment(),
    )
