"""Reading stores back for comparison: every travelling record of a station as canonical content."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sites import COUNTY_CODE, TOWNS  # noqa: F401  (re-exported for the exchange tests)
from weibao_desktop.models.entities import Child, ReportClue, Station, Village
from weibao_desktop.models.households import Household
from weibao_desktop.sync.records import ENTITIES, content_of


def snapshot(site, station_code: str) -> dict[str, dict[str, dict]]:
    """{entity: {uuid: content}} of everything the store holds for one station, tombstones included."""
    out: dict[str, dict[str, dict]] = {}
    with _ws(site).store.sessions() as s:
        station = s.scalar(select(Station).where(Station.code == station_code))
        if station is None:
            return {spec.name: {} for spec in ENTITIES}
        maps = {("child", i): u for i, u in s.execute(select(Child.id, Child.uuid))}
        maps.update({("report_clue", i): u for i, u in s.execute(select(ReportClue.id, ReportClue.uuid))})
        maps.update({("household", i): u for i, u in s.execute(select(Household.id, Household.uuid))})
        households = set(s.scalars(select(Household.id).where(Household.station_id == station.id)))
        villages = dict(s.execute(select(Village.id, Village.code)).all())
        child_ids = set(s.scalars(select(Child.id).where(Child.station_id == station.id)))
        for spec in ENTITIES:
            recs = s.scalars(select(spec.model)).all()
            rows = {}
            for r in recs:
                if (spec.name == "child" or spec.by_station) and r.station_id != station.id:
                    continue
                if spec.name == "person" and r.child_id is None and r.household_id not in households:
                    continue
                if spec.name != "child" and hasattr(r, "child_id") and r.child_id is not None and r.child_id not in child_ids:
                    continue
                rows[r.uuid] = content_of(r, spec, maps, villages)
            out[spec.name] = rows
    return out


def derived(site, station_code: str) -> dict[str, tuple]:
    """What each side derives itself: colour and visit dates per child."""
    with _ws(site).store.sessions() as s:
        station = s.scalar(select(Station).where(Station.code == station_code))
        return {c.uuid: (c.risk_colour, c.last_visit_on, c.next_visit_due)
                for c in s.scalars(select(Child).where(Child.station_id == station.id))}


def send(src, dst, path: Path, *, full: bool = False):
    """src writes a package for dst, dst applies it; returns (export, apply) results."""
    peer = dst.code if src.code.endswith("000000") else None
    out = src.exchange.export(path, peer_code=peer, full=full)
    return out, dst.exchange.apply(path)


def _ws(site):
    """A Site fixture or a bare Workstation."""
    return getattr(site, "ws", site)
