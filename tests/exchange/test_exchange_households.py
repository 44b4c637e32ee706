"""Households and care arrangements travel in packages and are merged like every record."""
from __future__ import annotations

import datetime as dt

from helpers import send, snapshot

from factories import FIXED_DATE, child_values


def _family(town):
    kids = [town.children.create(child_values(), people=[
        {"relation": "父亲", "name": "赵大山", "phone": "13700003333", "status": "外出务工"},
        {"relation": "委托监护人", "name": "赵奶奶", "relation_detail": "祖母"}]) for _ in range(2)]
    h = town.households.create({"name": "赵大山家", "address": "一村二组"}, [k.uuid for k in kids])
    care = town.care.add(kids[0].uuid, {**town.care.proposal(kids[0].uuid), "signed_on": FIXED_DATE,
                                        "end_on": FIXED_DATE + dt.timedelta(days=365)})
    return h, kids, care


def test_a_household_and_its_care_arrangements_arrive_at_the_county_and_changes_come_back(town, county, tmp_path):
    h, kids, care = _family(town)
    _, res = send(town, county, tmp_path / "p1.xlsx")
    assert res.status == "applied" and res.refused == 0 and res.conflicts == 0
    assert snapshot(county, town.code) == snapshot(town, town.code)
    at_county = county.households.of_child(kids[1].uuid)
    assert at_county is not None and at_county.uuid == h.uuid and len(at_county.children) == 2
    assert sorted(p.name for p in county.children.get(kids[1].uuid).people) == sorted(["赵奶奶", "赵大山"])
    [arrangement] = county.care.for_child(kids[0].uuid)
    assert (arrangement.carer_name, arrangement.signed_on) == ("赵奶奶", FIXED_DATE)

    # the county corrects the term, the township the household's phone: both arrive, no conflict
    county.care.update(care.uuid, {"end_on": FIXED_DATE + dt.timedelta(days=180)})
    town.households.update(h.uuid, {"phone": "13700004444"})
    _, res = send(county, town, tmp_path / "c1.xlsx")
    assert res.conflicts == 0
    _, res = send(town, county, tmp_path / "p2.xlsx")
    assert res.conflicts == 0
    for site in (town, county):
        assert site.care.for_child(kids[0].uuid)[0].end_on == FIXED_DATE + dt.timedelta(days=180)
        assert site.households.get(h.uuid).phone == "13700004444"
    assert snapshot(county, town.code) == snapshot(town, town.code)
