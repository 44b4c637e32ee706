"""A 重大事项报告单 reaches the county in the township's next package, named with its township."""
from __future__ import annotations

import datetime as dt

from helpers import send, snapshot

from factories import child_values


def test_an_incident_travels_to_the_county_with_its_township(town, county, tmp_path):
    kid = town.children.create(child_values())
    info = town.incidents.report({"kind": "重伤", "occurred_at": dt.datetime(2024, 6, 12, 7, 0),
                                  "learned_at": dt.datetime(2024, 6, 12, 9, 0), "summary": "上学途中被摩托车撞伤"},
                                 child_key=kid.uuid)
    _out, result = send(town, county, tmp_path / "p1.xlsx")
    assert result.status == "applied" and result.refused == 0
    [arrived] = county.incidents.page().rows
    assert (arrived.uuid, arrived.kind, arrived.child_name, arrived.summary) == (
        info.uuid, "injury", kid.name, "上学途中被摩托车撞伤")
    assert arrived.station == town.ws.stations.info().name and arrived.reported_at is None
    assert snapshot(county, town.code)["incident"] == snapshot(town, town.code)["incident"]
