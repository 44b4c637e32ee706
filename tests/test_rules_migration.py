"""Migration 0010 on a store made by an earlier release: category codes renamed (with their history and merge
bases), red's clock the follow-up every 7 days, a placement column and the check resolutions table."""
from __future__ import annotations

import shutil
from pathlib import Path

import rawdb
from factories import TEST_PASSWORD
from weibao_desktop.services import Actor, Workstation
from weibao_desktop.vault.login import login

STORE = Path(__file__).resolve().parent / "data" / "stores" / "v0.1.0.sqlite3"


def test_an_old_store_gets_the_plans_words_and_reds_follow_up(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(STORE, data / "weibao.sqlite3")
    with rawdb.connect(data / "weibao.sqlite3") as db:
        before = dict(db.execute("SELECT category, count(*) FROM category_membership GROUP BY category"))
        reds = db.execute("SELECT uuid FROM child WHERE risk_colour = 'red' "
                          "AND status = 'active' AND deleted_at IS NULL").fetchall()
    assert before["plight_life"] == 2 and reds
    # a plain store from before encryption: its admin's first login converts it, then it is migrated
    store = login(data, user="陈站长", password=TEST_PASSWORD).store
    try:
        ws = Workstation(store, Actor("陈站长", "head"))
        info = ws.stations.info()
        assert info.cadence["red"] == 7 and info.counting_modes["orange"] == ("home", "school")
        for (uuid,) in reds:
            child = ws.children.get(uuid)
            assert child.placement is None
            assert (child.next_visit_due - (child.last_visit_on or child.opened_on)).days == 7
        assert ws.checks.findings() is not None
    finally:
        store.dispose()
    with rawdb.connect(data / "weibao.sqlite3") as db:
        after = dict(db.execute("SELECT category, count(*) FROM category_membership GROUP BY category"))
        assert "plight_life" not in after and after["plight_survival"] == before["plight_life"]
        assert sum(after.values()) == sum(before.values())
        assert db.execute("SELECT count(*) FROM check_resolution").fetchone() == (0,)
        assert not db.execute("SELECT count(*) FROM change_log WHERE field = 'category' "
                              "AND (old_value = 'plight_life' OR new_value = 'plight_life')").fetchone()[0]
