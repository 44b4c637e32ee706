"""A red child's placement travels to the county like any field of the file, and the county, deriving its own
due dates, follows the child up the same way (a phone call to the receiving body counts)."""
from __future__ import annotations

import datetime as dt

from helpers import derived, send

from factories import FIXED_DATE, child_values


def test_a_placement_and_its_follow_up_reach_the_county(town, county, tmp_path, clock):
    clock.set(dt.date(2024, 6, 1))
    child = town.children.create(child_values(name="安置儿童"))
    town.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": dt.date(2024, 6, 1), "assessor": "王督导",
                                         "result": "红", "reason": "遭受家庭暴力"},
                            help_measure={"kind": "心理疏导", "started_on": dt.date(2024, 6, 1)})
    clock.set(FIXED_DATE)
    town.children.update(child.uuid, {"placement": "救助保护机构", "placed_on": dt.date(2024, 6, 2),
                                      "placement_place": "县未成年人救助保护中心"})
    town.visits.record(child.uuid, {"visited_on": dt.date(2024, 6, 12), "visitors": "王督导", "mode": "电话",
                                    "living": "与救助保护中心联系，情绪稳定"})
    send(town, county, tmp_path / "p1.xlsx")
    there = county.children.get(child.uuid)
    assert (there.placement, there.placed_on, there.placement_place) == (
        "shelter", dt.date(2024, 6, 2), "县未成年人救助保护中心")
    assert there.next_visit_due == dt.date(2024, 6, 19) == town.children.get(child.uuid).next_visit_due
    assert derived(county, town.code) == derived(town, town.code)
