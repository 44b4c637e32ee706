"""Activities travel to the county with their township, so the county's 月报 sums its townships' activities;
who took part stays at the station (the county gets the numbers), and nothing comes back doubled."""
from __future__ import annotations

import datetime as dt

from helpers import send, snapshot

from factories import child_values


def _activity(site, day: int, kind: str, village: str | None, **extra):
    values = {"held_on": dt.date(2024, 6, day), "start_time": "09:00", "end_time": "11:00", "kind": kind,
              "organiser": "儿童督导员", "content": "安全教育", **extra}
    children = values.pop("children", ())
    return site.activities.create(values, village=village, children=children)


def test_activities_reach_the_county_and_its_monthly_report_counts_each_township(town, town2, county, tmp_path):
    kid = town.children.create(child_values())
    first = _activity(town, 3, "family_education", "城关一村", parents_count=12, children=(kid.uuid,))
    _activity(town, 5, "children_home", "城关二村")
    _activity(town, 5, "children_home", "城关二村", start_time="15:00", end_time="17:00")
    _activity(town2, 7, "publicity", None, place="乡政府广场")
    _activity(town2, 5, "children_home", None, place="河西乡儿童之家")  # the same day as 城关镇's
    for site, name in ((town, "p1"), (town2, "p2")):
        _out, result = send(site, county, tmp_path / f"{name}.xlsx")
        assert result.status == "applied" and result.refused == 0
    assert snapshot(county, town.code)["activity"] == snapshot(town, town.code)["activity"]
    report = county.monthly.build("2024-06", ("活动次数", "家庭教育指导活动", "儿童之家开放天数", "宣传活动"))
    rows = dict(report.rows)
    # Two townships' 儿童之家 open on one day are two opening days in the county's 合计, as in its rows.
    assert rows["城关镇"] == (3, 1, 1, 0) and rows["河西乡"] == (2, 0, 1, 1) and report.total == (5, 1, 2, 1)

    # A change and a deletion at the township follow in its next package.
    town.activities.update(first.uuid, {"parents_count": 20})
    town.activities.delete(next(a.uuid for a in town.activities.page().rows if a.start_time == "15:00"))
    _out, result = send(town, county, tmp_path / "p3.xlsx")
    assert result.status == "applied" and result.conflicts == 0
    assert dict(county.monthly.build("2024-06", ("活动次数",)).rows)["城关镇"] == (2,)
    assert snapshot(county, town.code)["activity"] == snapshot(town, town.code)["activity"]

    # The county's reply does not hand the township its own activities twice, nor lose who took part.
    _out, result = send(county, town, tmp_path / "reply.xlsx")
    assert result.status == "applied" and result.new == 0
    assert town.activities.page().total == 2 and [u for u, _n in town.activities.get(first.uuid).children] == [kid.uuid]


def test_a_township_cannot_delete_or_rewrite_another_townships_activity(town, town2, county, tmp_path):
    from forgery import delete_record, rewrite, station_key

    theirs = _activity(town, 3, "family_education", "城关一村")
    send(town, county, tmp_path / "p1.xlsx")
    own = _activity(town2, 4, "publicity", None, place="乡政府广场")
    t2 = tmp_path / "t2.xlsx"
    town2.exchange.export(t2)
    # town2 (a real, paired key) sends a deletion of town's activity: refused for that record, nothing lost.
    forged = rewrite(t2, tmp_path / "forged.xlsx", rows=delete_record(own.uuid), rename={own.uuid: theirs.uuid},
                     key=station_key(town2))
    res = county.exchange.apply(forged)
    assert any("属于其他单位" in n for n in res.notes), res.notes
    assert dict(county.monthly.build("2024-06", ("活动次数",)).rows)["城关镇"] == (1,)


def test_an_activity_placed_in_another_townships_village_is_refused(town, town2, county, tmp_path):
    from forgery import rewrite, station_key

    _activity(town, 3, "family_education", "城关一村")
    send(town, county, tmp_path / "p1.xlsx")
    own = _activity(town2, 4, "publicity", "河西一村")
    t2 = tmp_path / "t2.xlsx"
    town2.exchange.export(t2)
    with town.store.sessions() as s:
        from sqlalchemy import select

        from weibao_desktop.models.entities import Village
        code = s.scalar(select(Village.code).where(Village.name == "城关一村"))

    def move(lines):
        for line in lines:
            if line[1] == own.uuid:
                line[4]["village_code"] = code
    forged = rewrite(t2, tmp_path / "forged.xlsx", rows=move, key=station_key(town2))
    res = county.exchange.apply(forged)
    assert res.refused == 1 and any("属于其他单位" in n for n in res.notes), res.notes
    assert dict(county.monthly.build("2024-06", ("活动次数",)).rows) == {"城关镇": (1,), "河西乡": (0,)}
