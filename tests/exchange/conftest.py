"""Fixtures for the exchange tests: a county office and its townships, each a real store.

The county store runs on SQLite and on a real PostgreSQL server started on loopback for the session.
"""
from __future__ import annotations

import pytest

from factories import FIXED_DATE
from pairing_helpers import pair
from sites import COUNTY_CODE, TOWNS, Site, make_county, make_town  # noqa: E402


@pytest.fixture(params=["sqlite", "postgresql"])
def county_backend(request):
    return request.param


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


@pytest.fixture(autouse=True)
def _paired(request, tmp_path):
    """Exchange tests start from paired stations (pairing itself is tested in test_pairing.py)."""
    if "county" not in request.fixturenames or request.node.get_closest_marker("unpaired"):
        return
    county = request.getfixturevalue("county")
    for name in ("town", "town2"):
        if name in request.fixturenames:
            pair(county, request.getfixturevalue(name), tmp_path / f"pairing-{name}")


__all__ = ["FIXED_DATE", "Site", "make_town", "make_county", "COUNTY_CODE", "TOWNS"]
