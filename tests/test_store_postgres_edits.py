"""Several people on one county PostgreSQL store: a save made on an old copy of a file is refused with
the other person's change (who, when, what); nothing is overwritten. Two real sessions on a real server."""
from __future__ import annotations

import threading

import pytest

from factories import COUNTY, STATION_CODE, STATION_NAME, VILLAGES, child_values
from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation
from weibao_desktop.services.children import get_child
from weibao_desktop.services.concurrency import StaleEdit, refuse_stale


@pytest.fixture
def two_desks(pg_server, clock):
    """王 and 李 at two computers of the county office, each with their own connection to one database."""
    url = pg_server.new_database()
    first, second = open_store(db_url=url), open_store(db_url=url)
    wang, li = Workstation(first, "王科员", today=clock), Workstation(second, "李科员", today=clock)
    wang.stations.init(STATION_NAME, STATION_CODE, COUNTY, list(VILLAGES))
    yield wang, li
    first.dispose()
    second.dispose()


def test_a_save_on_an_old_copy_is_refused_and_says_who_changed_what(two_desks):
    wang, li = two_desks
    child = wang.children.create(child_values())
    opened_by_wang = wang.children.get(child.uuid)  # 王 opens the file ...
    li.children.update(child.uuid, {"contact_phone": "13900001111"}, expected_rev=child.rev)  # ... 李 saves first

    with wang.ctx.tx() as s, pytest.raises(StaleEdit) as refused:
        refuse_stale(s, get_child(s, child.uuid), opened_by_wang.rev)
    message = refused.value.message
    assert "李科员" in message and "联系电话" in message and "13900001111" in message
    [change] = refused.value.changes
    assert (change.actor, change.new) == ("李科员", "13900001111")

    # through the service, 王's save of the old copy changes nothing
    with pytest.raises(Exception, match="李科员"):
        wang.children.update(child.uuid, {"contact_phone": "13700002222"}, expected_rev=opened_by_wang.rev)
    assert li.children.get(child.uuid).contact_phone == "13900001111"


def test_two_saves_of_one_version_at_the_same_moment_one_wins_the_other_is_refused(two_desks):
    wang, li = two_desks
    child = wang.children.create(child_values())
    outcome: dict = {}

    def li_saves():
        try:
            li.children.update(child.uuid, {"notes": "李的记录"}, expected_rev=child.rev)
            outcome["li"] = "saved"
        except Exception as e:  # the refusal is what we look at
            outcome["li"] = e

    # 王's save is in its transaction (past its check) when 李 saves the same version
    with wang.ctx.tx() as s:
        record = get_child(s, child.uuid)
        refuse_stale(s, record, child.rev)
        li_thread = threading.Thread(target=li_saves)
        li_thread.start()
        li_thread.join(0.5)
        from weibao_desktop.services.records import apply_changes

        apply_changes(s, record, {"notes": "王的记录"}, wang.ctx.actor, origin=STATION_CODE)
    li_thread.join(30)

    assert isinstance(outcome["li"], Exception) and "王科员" in str(outcome["li"])
    after = wang.children.get(child.uuid)
    assert (after.notes, after.rev) == ("王的记录", child.rev + 1)
