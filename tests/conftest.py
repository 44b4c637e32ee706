"""Shared fixtures: a real SQLite store in tmp_path, a workstation with a fixed clock, quick child files.

Generic on purpose, so the GUI, ledger and printing tests can build on it.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if sys.platform == "win32" and "QT_QPA_FONTDIR" not in os.environ:
    # offscreen Qt on Windows finds no fonts (every text measures zero) unless pointed at the system's
    os.environ["QT_QPA_FONTDIR"] = os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts")

import dataclasses  # noqa: E402
import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from factories import (  # noqa: E402
    COUNTY,
    FIXED_DATE,
    OPERATOR,
    OPERATOR_HEAD,
    STATION_CODE,
    STATION_NAME,
    TEST_PASSWORD,
    VILLAGES,
    child_values,
)

# Every store a test makes is encrypted with the test account as its first admin, and argon2 at its cheapest
# (WEIBAO_TEST_CHEAP_KDF: never outside the test suite, see vault/keyfile.py). `weibao` processes started by
# tests inherit the same login.
os.environ["WEIBAO_TEST_CHEAP_KDF"] = "1"
os.environ["WEIBAO_USER"] = OPERATOR
os.environ["WEIBAO_PASSWORD"] = TEST_PASSWORD
import rawdb  # noqa: E402
from weibao_desktop.models.store import DB_FILENAME, Store, open_store  # noqa: E402
from weibao_desktop.services import Actor, Workstation  # noqa: E402

# No per-example deadline: a busy CI machine must not turn a slow example into a failure.
settings.register_profile("weibao", deadline=None)
settings.load_profile("weibao")


class Clock:
    """The workstation's idea of today: fixed, and moved on explicitly by a test."""

    def __init__(self, day: dt.date = FIXED_DATE):
        self.day = day

    def __call__(self) -> dt.date:
        return self.day

    def set(self, day: dt.date) -> None:
        self.day = day

    def advance(self, days: int) -> dt.date:
        self.day += dt.timedelta(days=days)
        return self.day


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory) -> Path:
    """One store migrated to head, copied for each test (running the migrations per test is slow)."""
    directory = tmp_path_factory.mktemp("template")
    template = open_store(directory)
    template.dispose()  # closes the connections, so the WAL is checkpointed into the file
    assert not (directory / f"{DB_FILENAME}-wal").exists() or (directory / f"{DB_FILENAME}-wal").stat().st_size == 0
    return directory / DB_FILENAME


@pytest.fixture(scope="session")
def _station_template(tmp_path_factory, _migrated_template) -> Path:
    """The same, with the station of the `ws` fixture set up."""
    directory = tmp_path_factory.mktemp("station")
    rawdb.copy_store(_migrated_template, directory / DB_FILENAME)
    s = open_store(directory)
    Workstation(s, OPERATOR, today=Clock()).stations.init(STATION_NAME, STATION_CODE, COUNTY, list(VILLAGES))
    s.dispose()
    return directory / DB_FILENAME


@pytest.fixture
def store(request, tmp_path, _migrated_template, _station_template) -> Store:
    """A fresh store: a real SQLite file in tmp_path, opened (and checked for migrations) by open_store.

    Empty, unless the test uses `ws`: then its station is already set up (copied, which is faster)."""
    template = _station_template if "ws" in request.fixturenames else _migrated_template
    rawdb.copy_store(template, tmp_path / DB_FILENAME)
    s = open_store(tmp_path)
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def _roster_template(tmp_path_factory):
    """The roster of tests/scenario.py built once; each test gets its own copy of the file."""
    from scenario import build_roster

    directory = tmp_path_factory.mktemp("roster")
    s = open_store(directory)
    clock = Clock()
    ws = Workstation(s, OPERATOR, today=clock)
    ws.stations.init(STATION_NAME, STATION_CODE, COUNTY, list(VILLAGES))
    roster = build_roster(ws, clock)
    s.dispose()
    return directory / DB_FILENAME, roster


@pytest.fixture
def roster(tmp_path, _roster_template):
    """A small station with a known answer for every list, count and dashboard (see tests/scenario.py).

    roster.ws is a workstation on this test's own copy, its clock at FIXED_DATE."""
    template, built = _roster_template
    rawdb.copy_store(template, tmp_path / DB_FILENAME)
    s = open_store(tmp_path)
    yield dataclasses.replace(built, ws=Workstation(s, OPERATOR_HEAD, today=Clock()))
    s.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bare_ws(store, clock) -> Workstation:
    """A workstation on a store that has no station yet."""
    return Workstation(store, OPERATOR, today=clock)


@pytest.fixture
def ws(store, clock) -> Workstation:
    """A workstation whose store is set up for 城关镇 (430104001000, 岳麓区) with villages 东村, 西村, 南村,
    as ws.stations.init(...) leaves it; the user is OPERATOR and the clock stands at FIXED_DATE."""
    w = Workstation(store, OPERATOR_HEAD, today=clock)
    if not w.stations.has_station():  # pragma: no cover - the template normally has it
        w.stations.init(STATION_NAME, STATION_CODE, COUNTY, list(VILLAGES))
    return w


@pytest.fixture
def village_ids(ws) -> dict[str, int]:
    return {v.name: v.id for v in ws.stations.info().villages}


@pytest.fixture
def make_child(ws):
    """make_child(**values, categories=..., people=..., reliefs=...) -> ChildDetail, with synthetic defaults."""

    def make(*, categories=(), people=(), reliefs=(), allow_same_name_birth=False, **overrides):
        return ws.children.create(
            child_values(**overrides), categories=categories, people=people, reliefs=reliefs,
            allow_same_name_birth=allow_same_name_birth,
        )

    return make


@pytest.fixture
def as_user(store, clock):
    """Another user on the same store and clock: as_user("李四").children.update(...)."""

    def make(name: str) -> Workstation:
        return Workstation(store, name, today=clock)

    return make


@pytest.fixture
def reopen(store, clock):
    """A workstation on the same file opened afresh, so what it reads comes from disk."""
    opened: list[Store] = []

    def make(actor: str | Actor = OPERATOR_HEAD) -> Workstation:
        s = open_store(store.path.parent)
        opened.append(s)
        return Workstation(s, actor, today=clock)

    yield make
    for s in opened:
        s.dispose()


@pytest.fixture
def add_account():
    """add_account(store, name, role="supervisor"): an account with the test password, as an admin adds it."""
    from weibao_desktop.services.accounts import AccountService
    from weibao_desktop.services.base import Actor

    def add(store: Store, name: str, role: str = "supervisor") -> None:
        AccountService(Workstation(store, Actor(OPERATOR, "head")).ctx).add(name, role, TEST_PASSWORD)

    return add


def query(store: Store, sql: str, *params) -> list[tuple]:
    """Raw SQL through the sqlite3 module, bypassing SQLAlchemy: what is really in the file."""
    con = rawdb.connect(store.path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused action changed nothing."""
    con = rawdb.connect(store.path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture
def db():
    """Helpers on the raw file: db.query(store, sql, *params), db.snapshot(store), db.count(store, table)."""

    class _Db:
        pass

    helpers = _Db()
    helpers.query = query
    helpers.snapshot = snapshot
    helpers.count = lambda store, table: query(store, f'SELECT count(*) FROM "{table}"')[0][0]
    return helpers


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server on loopback, started once for the session (pgserver.py)."""
    from pgserver import PgServer

    try:
        server = PgServer()
    except Exception as e:  # in CI PostgreSQL is installed by dev.sh: missing it is a failure, not a skip
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not available here: {e}")
    yield server
    server.stop()
