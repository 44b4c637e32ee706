"""Pairing a county store and a township store in one call, through the real pairing files."""
from __future__ import annotations

import tempfile
from pathlib import Path

from weibao_desktop.services.base import home_station
from weibao_desktop.sync import office_crypto

# The package passwords of the pairs made here: what a clerk types when opening a package in Excel/WPS.
PASSWORDS: list[str] = []


def _ws(site):
    return getattr(site, "ws", site)


def _admin(ws):
    """The same store and clock acting as its administrator: pairing is the station head's (county admin's) job."""
    from weibao_desktop.services import Actor, Workstation

    role = "county_admin" if ws.stations.info().mode == "county" else "head"
    return Workstation(ws.store, Actor(ws.actor.name, role), ws.ctx.today)


def pair(county, town, folder: Path | None = None) -> str:
    """County writes the 开通文件, the township accepts it, the county confirms the 回执; the safety code."""
    county, town = _admin(_ws(county)), _admin(_ws(town))
    folder = Path(folder or tempfile.mkdtemp(prefix="weibao-pair-"))
    folder.mkdir(parents=True, exist_ok=True)
    info = town.stations.info()
    invite, receipt = folder / f"开通-{info.code}.xlsx", folder / f"回执-{info.code}.xlsx"
    county.pairing.add(info.name, info.code, invite)
    accepted = town.pairing.accept(invite, receipt)
    confirmed = county.pairing.confirm(receipt)
    assert accepted.safety_code == confirmed.safety_code
    PASSWORDS.extend(p.password for p in town.pairing.partners() if p.password and p.password not in PASSWORDS)
    return str(confirmed.safety_code)


def unlock(path: Path, out: Path | None = None, passwords: list[str] | None = None) -> Path:
    """A package opened with its pair's password and saved without one, as a clerk would in Excel/WPS
    before correcting it by hand (an unencrypted package is still accepted: its signature protects it)."""
    path = Path(path)
    out = Path(out or path)
    data = path.read_bytes()
    if not office_crypto.is_encrypted_data(data):
        if out != path:
            out.write_bytes(data)
        return out
    for password in passwords or PASSWORDS:
        try:
            out.write_bytes(office_crypto.decrypt_bytes(data, password, path.name))
            return out
        except office_crypto.WrongPassword:
            continue
    raise AssertionError(f"no known package password opens {path.name}")


def station_code(site) -> str:
    with _ws(site).ctx.read() as s:
        return home_station(s).code


def pair_store(town_dir: Path, folder: Path, user: str = "测试员") -> str:
    """Pair the township store in `town_dir` (made by `user`) with a new county store in `folder`; the
    package password."""
    from factories import OPERATOR, TEST_PASSWORD
    from weibao_desktop.services import Actor, Workstation
    from weibao_desktop.vault.login import login

    town = Workstation(login(town_dir, user=user, password=TEST_PASSWORD).store, Actor(user, "head"))
    # a new store is made by logging in: its first account is the admin of its key slots
    county_store = login(Path(folder) / "county", user=OPERATOR, password=TEST_PASSWORD).store
    county = Workstation(county_store, Actor(OPERATOR, "county_admin"))
    try:
        code = town.stations.info().code
        county.stations.init("岳麓区", code[:6] + "000000", "岳麓区", [], mode="county")
        pair(county, town, Path(folder) / "pairing")
        return str(town.pairing.partners()[0].password)
    finally:
        town.store.dispose()
        county.store.dispose()
