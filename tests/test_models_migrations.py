"""Migrations: an older store is upgraded at start-up after a backup, loses nothing, and ends up
with exactly the schema the models describe."""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import rawdb
from factories import FIXED_DATE, OPERATOR, RARE_1, RARE_NAME, id_number
from weibao_desktop.models.entities import Base
from weibao_desktop.models.store import (
    DB_FILENAME,
    alembic_config,
    current_revision,
    head_revision,
    open_store,
    upgrade,
)
from weibao_desktop.services import Workstation
from weibao_desktop.services.dto import ChildQuery

BIRTH_ISO = "2015-03-01"
CHILD_UUID = "6f1c0e1e-0001-4000-8000-000000000001"
PERSON_UUID = "6f1c0e1e-0002-4000-8000-000000000002"


def _number():
    return id_number(dt.date(2015, 3, 1), "F", 11)


def make_0001_store(directory):
    """A store as version 0001 of the program left it, with rows written by raw SQL."""
    store = open_store(directory, migrate=False)
    upgrade(store, "0001")
    assert current_revision(store.engine) == "0001"
    store.dispose()
    con = rawdb.connect(directory / DB_FILENAME)
    with con:
        con.execute("INSERT INTO station (id, name, code, county, settings, created_at) "
                    "VALUES (1, '城关镇', '430104001000', '岳麓区', '{}', '2024-01-01 08:00:00.000000')")
        con.execute("INSERT INTO setting (key, value) VALUES ('home_station_id', '1'), ('mode', '\"station\"')")
        con.execute("INSERT INTO village (id, station_id, name, code) VALUES (1, 1, '东村', '430104001201')")
        con.execute(
            "INSERT INTO child (id, uuid, origin, created_at, created_by, updated_at, updated_by, rev, station_id, "
            "village_id, name, sex, birth_date, id_number, hukou_registered, residence_address, status, opened_on, "
            "risk_colour, colour_set_on, next_visit_due) VALUES (1, ?, '430104001000', '2024-01-02 08:00:00.000000', "
            "'老站长', '2024-01-02 08:00:00.000000', '老站长', 1, 1, 1, ?, 'F', ?, ?, 1, ?, 'active', '2024-01-02', "
            "'yellow', '2024-01-02', '2024-02-01')",
            (CHILD_UUID, RARE_NAME, BIRTH_ISO, _number(), f"东村{RARE_1}家坪"),
        )
        con.execute(
            "INSERT INTO person (id, uuid, origin, created_at, created_by, updated_at, updated_by, rev, child_id, "
            "relation, name, phone, status, is_guardian) VALUES (1, ?, '430104001000', '2024-01-02 08:00:00.000000', "
            "'老站长', '2024-01-02 08:00:00.000000', '老站长', 1, 1, 'mother', ?, '13912345678', 'migrant', 1)",
            (PERSON_UUID, f"{RARE_1}小梅"),
        )
    con.close()


def all_models_loaded():
    """Import every module of the models package, so each model wherever defined is in Base.metadata."""
    import weibao_desktop.models as package

    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if not info.name.endswith(".migrations"):
            importlib.import_module(info.name)


def schema_differences(store):
    all_models_loaded()
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_head_is_a_later_revision_than_0001():
    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    assert head == head_revision() and head != "0001"


def test_a_0001_store_is_upgraded_to_head_after_a_backup_and_keeps_its_data(tmp_path):
    make_0001_store(tmp_path)

    store = open_store(tmp_path)
    try:
        assert current_revision(store.engine) == head_revision()

        # the copy written before migrating sits next to the file and holds the old data at 0001
        backups = sorted(tmp_path.glob("*.bak.sqlite3"))
        assert backups == [store.backup_path]
        con = rawdb.connect(backups[0])
        try:
            assert con.execute("SELECT name, id_number FROM child").fetchall() == [(RARE_NAME, _number())]
            assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        finally:
            con.close()

        # the program works on the upgraded data
        ws = Workstation(store, OPERATOR, today=lambda: FIXED_DATE)
        child = ws.children.get(CHILD_UUID)
        assert (child.name, child.sex, child.id_number, child.village, child.risk_colour) == (
            RARE_NAME, "F", _number(), "东村", "yellow")
        assert child.residence_address == f"东村{RARE_1}家坪"
        assert child.id_problems == ()
        [mother] = child.people
        assert (mother.name, mother.phone, mother.status, mother.is_guardian) == (
            f"{RARE_1}小梅", "13912345678", "migrant", True)
        assert ws.children.search_ids(ChildQuery(text=RARE_1)) == [1]
        assert ws.children.search_ids(ChildQuery(text="912345")) == [1]

        updated = ws.children.update(CHILD_UUID, {"residence_address": "西村1组"})
        assert updated.rev == 3  # 0011 put the file in its household (rev 2), this edit is rev 3
        [change] = [h for h in ws.children.history(CHILD_UUID) if h.field == "residence_address"]
        assert (change.field_label, change.old, change.new) == ("现居住地", f"东村{RARE_1}家坪", "西村1组")
        ws.visits.record(CHILD_UUID, {"living": "正常", "visited_on": FIXED_DATE, "visitors": "张督导", "mode": "入户"})
        assert ws.stats.stats().total_active == 1
    finally:
        store.dispose()

    # opening again: already at head, nothing to migrate, no second backup
    again = open_store(tmp_path)
    try:
        assert again.backup_path is None
        assert len(list(tmp_path.glob("*.bak.sqlite3"))) == 1
        assert Workstation(again, OPERATOR).children.get(CHILD_UUID).residence_address == "西村1组"
    finally:
        again.dispose()


def test_a_new_store_is_created_at_head_without_a_backup(tmp_path):
    store = open_store(tmp_path)
    try:
        assert current_revision(store.engine) == head_revision()
        assert store.backup_path is None
        assert list(tmp_path.glob("*.bak*")) == []
    finally:
        store.dispose()


def test_the_migrated_schema_matches_the_models(tmp_path):
    store = open_store(tmp_path)
    try:
        assert schema_differences(store) == []
    finally:
        store.dispose()


def test_a_store_upgraded_from_0001_has_the_same_schema_as_the_models(tmp_path):
    make_0001_store(tmp_path)
    store = open_store(tmp_path)
    try:
        assert schema_differences(store) == []
    finally:
        store.dispose()


def test_the_store_runs_with_foreign_keys_on_and_in_wal_mode(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
