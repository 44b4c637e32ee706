"""The exchange apply writes through the one write path: text from a package is stored clean, and a relative
who is at home is a guardian, as on every other path."""
from __future__ import annotations

from helpers import send
from sqlalchemy import update

from factories import child_values
from weibao_desktop.models.entities import Child, Person
from weibao_desktop.services.dto import ChildQuery


def test_a_name_with_invisible_characters_arrives_clean_and_is_found(town, county, tmp_path):
    child = town.children.create(child_values(), people=[{"relation": "mother", "name": "李二芳", "status": "在家"}])
    # Written as an older version (or another program) could have stored it: search would not find it.
    with town.ws.store.sessions() as s, s.begin():
        s.execute(update(Child).where(Child.uuid == child.uuid).values(name="王\u200b小明\u202e\u2066"))
        s.execute(update(Person).where(Person.child_id == child.id).values(name="李\ufeff二芳"))
    _, result = send(town, county, tmp_path / "p1.xlsx")
    assert result.status == "applied" and result.refused == 0
    arrived = county.children.get(child.uuid)
    assert arrived.name == "王小明"
    assert [(p.name, p.is_guardian) for p in arrived.people] == [("李二芳", True)]
    found = county.children.search_ids(ChildQuery(text="王小明", status=None))
    assert [county.children.get(i).uuid for i in found] == [child.uuid]


def test_a_child_on_file_in_two_townships_stays_editable_at_the_county(town, town2, county, tmp_path):
    values = child_values()
    first = town.children.create(values)
    town2.children.create({**values, "name": "同号儿童"}, allow_same_name_birth=True)
    send(town, county, tmp_path / "a.xlsx")
    send(town2, county, tmp_path / "b.xlsx")
    assert len(county.exchange.duplicates()) == 1  # the county sees the twin and sorts it out in its own time
    county.children.update(first.uuid, {"school_name": "城关镇中心小学"})
    assert county.children.get(first.uuid).school_name == "城关镇中心小学"
