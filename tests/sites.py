"""Installations of the program for exchange tests: a county office and its townships, each a real store."""
from __future__ import annotations

from pathlib import Path

import rawdb
from weibao_desktop.models.store import DB_FILENAME, open_store
from weibao_desktop.services import Actor, Workstation

COUNTY_CODE = "430104000000"
TOWNS = {"430104001000": "城关镇", "430104002000": "河西乡", "430104003000": "山口镇"}


class Site:
    """One installation: a store and a user working on it (attributes fall through to the Workstation)."""

    def __init__(self, ws: Workstation, code: str, name: str):
        self.ws, self.code, self.name = ws, code, name

    def __getattr__(self, item):
        return getattr(self.ws, item)


def make_town(directory: Path, template: Path, code: str, name: str, clock) -> Site:
    directory.mkdir(parents=True, exist_ok=True)
    rawdb.copy_store(template, directory / DB_FILENAME)
    ws = Workstation(open_store(directory), Actor(f"{name}督导员", "head"), today=clock)  # init makes them head
    ws.stations.init(name, code, "岳麓区", [f"{name[:2]}一村", f"{name[:2]}二村"])
    return Site(ws, code, name)


def make_county(directory: Path, template: Path, clock, db_url: str | None = None) -> Site:
    if db_url is None:
        directory.mkdir(parents=True, exist_ok=True)
        rawdb.copy_store(template, directory / DB_FILENAME)
        store = open_store(directory)
    else:
        store = open_store(db_url=db_url)
    ws = Workstation(store, Actor("县民政局张科员", "county_admin"), today=clock)
    ws.stations.init("岳麓区", COUNTY_CODE, "岳麓区", [], mode="county")
    return Site(ws, COUNTY_CODE, "岳麓区")
