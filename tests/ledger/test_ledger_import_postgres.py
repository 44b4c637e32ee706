"""The children-ledger import on PostgreSQL, as a county office that outgrew one file runs it: new files go in
through the bulk path with ids taken from the sequences, and hold what the same import holds on SQLite."""
from __future__ import annotations

import pytest

from factories import COUNTY, OPERATOR, STATION_CODE, STATION_NAME, VILLAGES, child_values, person
from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation

FILES = ("东村留守儿童花名册.xlsx", "儿童台账_文本格式.xls", "南村两行表头.xlsx")


@pytest.fixture
def pg_ws(pg_server, clock):
    store = open_store(db_url=pg_server.new_database())
    ws = Workstation(store, OPERATOR, today=clock)
    ws.stations.init(STATION_NAME, STATION_CODE, COUNTY, list(VILLAGES))
    yield ws
    store.dispose()


def _files(ws) -> list[tuple]:
    """Every child file as the user reads it, without the ids and times that differ between stores."""
    out = []
    for i in ws.children.search_ids():
        c = ws.children.get(i)
        out.append((
            c.name, c.sex, c.birth_date, c.id_number, c.village, c.risk_colour, c.hukou_registered, c.boarding,
            c.contact_phone, c.paired_helper, c.notes, c.next_visit_due, c.opened_on,
            sorted(p.category for p in c.categories), sorted(r.kind for r in c.reliefs),
            sorted((p.relation, p.name, p.phone, p.status, p.work_place, p.relation_detail, p.is_guardian)
                   for p in c.people),
        ))
    return sorted(out, key=repr)


def test_import_on_postgresql_holds_what_it_holds_on_sqlite(ws, pg_ws, data_file):
    for name in FILES:
        on_sqlite = ws.ledger.apply(data_file(name)).preview
        on_postgres = pg_ws.ledger.apply(data_file(name)).preview
        assert on_postgres.counts == on_sqlite.counts and on_postgres.counts["new"] > 0
        assert on_postgres.rejected == on_sqlite.rejected
    assert len(_files(pg_ws)) == 10
    assert _files(pg_ws) == _files(ws)
    red = next(i for i in pg_ws.children.search_ids() if pg_ws.children.get(i).risk_colour == "red")
    assert pg_ws.assessments.history(pg_ws.children.get(red).uuid, "risk")[0].reason.startswith("依据台账")


def test_after_a_postgresql_import_new_files_and_a_second_import_still_get_fresh_ids(pg_ws, data_file):
    pg_ws.ledger.apply(data_file("儿童台账_文本格式.xls"))
    before = set(pg_ws.children.search_ids())
    # Made by hand afterwards: its id (and its family's) come from sequences the bulk insert moved past.
    made = pg_ws.children.create(child_values(), categories=["left_behind"], people=[person("father", 1)])
    assert made.id not in before and made.people[0].name
    again = pg_ws.ledger.apply(data_file("东村留守儿童花名册.xlsx")).preview
    assert again.counts["new"] == 4
    assert len(pg_ws.children.search_ids()) == len(before) + 1 + 4
    assert pg_ws.ledger.apply(data_file("儿童台账_文本格式.xls")).preview.counts["new"] == 0


def test_the_dashboard_counts_the_same_on_postgresql(ws, pg_ws, data_file):
    """The 工作台's queries (covering indexes, MATERIALIZED parts) give PostgreSQL's answers too."""
    for name in FILES:
        ws.ledger.apply(data_file(name))
        pg_ws.ledger.apply(data_file(name))
    on_sqlite, on_postgres = ws.stats.dashboard(), pg_ws.stats.dashboard()
    assert on_postgres.stats == on_sqlite.stats and on_postgres.stats.total_active == 10
    assert sum(on_postgres.stats.by_category.values()) > 0 and on_postgres.overdue_total == on_sqlite.overdue_total
    for field in ("due_today", "due_this_week", "overdue", "red_without_action"):
        assert [r.name for r in getattr(on_postgres, field)] == [r.name for r in getattr(on_sqlite, field)], field
    assert (on_postgres.week_total, on_postgres.overdue_by_colour) == (on_sqlite.week_total, on_sqlite.overdue_by_colour)


def test_a_postgresql_store_records_the_program_version(pg_ws):
    from weibao_desktop import __version__
    from weibao_desktop.models.store import recorded_program_version

    assert recorded_program_version(pg_ws.store) == __version__
