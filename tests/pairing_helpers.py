"""Pairing a county store and a township store in one call, through the real pairing files."""
from __future__ import annotations

import tempfile
from pathlib import Path

from weibao_desktop.services.base import home_station


def _ws(site):
    return getattr(site, "ws", site)


def pair(county, town, folder: Path | None = None) -> str:
    """County writes the 开通文件, the township accepts it, the county confirms the 回执; the safety code."""
    county, town = _ws(county), _ws(town)
    folder = Path(folder or tempfile.mkdtemp(prefix="weibao-pair-"))
    folder.mkdir(parents=True, exist_ok=True)
    info = town.stations.info()
    invite, receipt = folder / f"开通-{info.code}.xlsx", folder / f"回执-{info.code}.xlsx"
    county.pairing.add(info.name, info.code, invite)
    accepted = town.pairing.accept(invite, receipt)
    confirmed = county.pairing.confirm(receipt)
    assert accepted.safety_code == confirmed.safety_code
    return str(confirmed.safety_code)


def station_code(site) -> str:
    with _ws(site).ctx.read() as s:
        return home_station(s).code
