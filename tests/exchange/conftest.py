"""Fixtures for the exchange tests: a county office and its townships, each a real store.

The county store runs on SQLite and on a real PostgreSQL server started on loopback for the session.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from weibao_desktop.models.store import DB_FILENAME, open_store
from weibao_desktop.services import Workstation

from factories import FIXED_DATE

from helpers import COUNTY_CODE, TOWNS  # noqa: E402


@pytest.fixture(scope="session")
def pg_server():
    from pgserver import PgServer

    try:
        server = PgServer()
    except Exception as e:  # in CI PostgreSQL is installed by dev.sh: missing it is a failure, not a skip
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not available here: {e}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def county_backend(request):
    return request.param


class Site:
    """One installation of the program: a store and a user working on it."""

    def __init__(self, ws: Workstation, code: str, name: str):
        self.ws, self.code, self.name = ws, code, name

    def __getattr__(self, item):
        return getattr(self.ws, item)


def make_town(directory: Path, template: Path, code: str, name: str, clock) -> Site:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, directory / DB_FILENAME)
    ws = Workstation(open_store(directory), f"{name}督导员", today=clock)
    ws.stations.init(name, code, "岳麓区", [f"{name[:2]}一村", f"{name[:2]}二村"])
    return Site(ws, code, name)


def make_county(directory: Path, template: Path, clock, db_url: str | None = None) -> Site:
    if db_url is None:
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, directory / DB_FILENAME)
        store = open_store(directory)
    else:
        store = open_store(db_url=db_url)
    ws = Workstation(store, "县民政局张科员", today=clock)
    ws.stations.init("岳麓区", COUNTY_CODE, "岳麓区", [], mode="county")
    return Site(ws, COUNTY_CODE, "岳麓区")


@pytest.fixture
def county(tmp_path, _migrated_template, clock, county_backend, request):
    url = None
    if county_backend == "postgresql":
        url = request.getfixturevalue("pg_server").new_database()
    site = make_county(tmp_path / "county", _migrated_template, clock, url)
    yield site
    site.ws.store.dispose()


@pytest.fixture
def town(tmp_path, _migrated_template, clock):
    site = make_town(tmp_path / "town1", _migrated_template, "430104001000", "城关镇", clock)
    yield site
    site.ws.store.dispose()


@pytest.fixture
def town2(tmp_path, _migrated_template, clock):
    site = make_town(tmp_path / "town2", _migrated_template, "430104002000", "河西乡", clock)
    yield site
    site.ws.store.dispose()


__all__ = ["FIXED_DATE", "Site", "make_town", "make_county", "COUNTY_CODE", "TOWNS"]
