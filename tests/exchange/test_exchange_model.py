"""Model-based test of the county exchange (hypothesis stateful testing).

One county and three townships make random edits — the same field on two sides, deletes, new
children with the same id number in two townships, county decisions — and exchange packages that
are lost, duplicated, delivered out of order or corrected by hand on the way. At the end every
package still around is delivered, people settle the conflicts, and all stores must agree. Every
edit must by then either hold or have been put before a person in a conflict, unless the same side
overwrote it knowingly (after that store had seen it).

An attacker takes packages off the sticks and chat groups: it forges them (unsigned, tampered, signed
with its own key or with another township's), delivers them to the wrong station, and replays them.
Every such package must be refused (or, replayed, change nothing) and leave the receiver as it was.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import tempfile
from pathlib import Path

from forgery import delete_record, rewrite, station_key
from helpers import COUNTY_CODE, TOWNS, snapshot
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from openpyxl import load_workbook
from sqlalchemy import select

import rawdb
from factories import FIXED_DATE, child_values
from pairing_helpers import pair, unlock
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.models.entities import Child, SyncConflict
from weibao_desktop.models.store import DB_FILENAME, open_store
from weibao_desktop.services import Actor, Workstation
from weibao_desktop.sync import signing

EXAMPLES = int(os.environ.get("WEIBAO_MODEL_EXAMPLES", "30"))
FIELDS = ("notes", "residence_address", "school_name", "illness")
_token = itertools.count(1)
_template: Path | None = None


def _template_store() -> Path:
    global _template
    if _template is None:
        d = Path(tempfile.mkdtemp(prefix="weibao-model-template-"))
        open_store(d).dispose()
        _template = d / DB_FILENAME
    return _template


class Exchange(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.root = Path(tempfile.mkdtemp(prefix="weibao-model-"))
        today = lambda: FIXED_DATE  # noqa: E731
        self.sites: dict[str, Workstation] = {}
        for code, name in [(COUNTY_CODE, "岳麓区"), *TOWNS.items()]:
            d = self.root / code
            d.mkdir()
            rawdb.copy_store(_template_store(), d / DB_FILENAME)
            role = "county_admin" if code == COUNTY_CODE else "head"  # the first account of each store
            ws = Workstation(open_store(d), Actor(f"{name}经办人", role), today=today)
            ws.stations.init(name, code, "岳麓区", [] if code == COUNTY_CODE else [f"{name}一村"],
                             mode="county" if code == COUNTY_CODE else "station")
            self.sites[code] = ws
        for code in TOWNS:
            pair(self.sites[COUNTY_CODE], self.sites[code], self.root / "pairing")
        self.attacker = signing.new_keys()
        self.delivered: list[dict] = []  # packages applied at least once: what an attacker replays
        self.children: dict[str, str] = {}  # uuid -> township code
        self.in_flight: list[dict] = []  # {src, dst, path, edits: hand corrections made on the way}
        self.edits: list[dict] = []  # every value someone wrote: store, uuid, field, value, superseded
        self.seen: dict[tuple[str, str, str], set] = {}  # (store, uuid, field) -> values that store has held
        self.ids: list[dict] = []  # id numbers used, to reuse one in another township
        self.n = 0

    def teardown(self):
        for ws in getattr(self, "sites", {}).values():
            ws.store.dispose()
        shutil.rmtree(getattr(self, "root", "/nonexistent"), ignore_errors=True)

    # what people do

    @rule(town=st.sampled_from(sorted(TOWNS)), reuse=st.booleans())
    def new_child(self, town, reuse):
        if reuse and self.ids:
            values = {**self.ids[0], "name": f"同号{next(_token)}"}  # same child registered in another township
        else:
            values = child_values()
            self.ids.append({k: values[k] for k in ("sex", "birth_date", "id_number")})
        try:
            d = self.sites[town].children.create(values, allow_same_name_birth=True)
        except WeibaoError:
            return  # already on file in this township: the program offers the existing file instead
        self.children[d.uuid] = town
        self._observe()

    @precondition(lambda self: self.children)
    @rule(data=st.data(), at_county=st.booleans(), field=st.sampled_from(FIELDS))
    def edit(self, data, at_county, field):
        uuid = data.draw(st.sampled_from(list(self.children)))
        code = COUNTY_CODE if at_county else self.children[uuid]
        ws = self.sites[code]
        if not self._alive(ws, uuid):
            return
        value = f"v{next(_token)}"
        for e in self.edits:  # this store knowingly replaces every value it has held
            if e["uuid"] == uuid and e["field"] == field and e["value"] in self.seen.get((code, uuid, field), ()):
                e["superseded"] = True
        ws.children.update(uuid, {field: value})
        self.edits.append({"store": code, "uuid": uuid, "field": field, "value": value, "superseded": False})
        self._observe()

    @precondition(lambda self: self.children)
    @rule(data=st.data(), at_county=st.booleans())
    def visit_or_assess(self, data, at_county):
        uuid = data.draw(st.sampled_from(list(self.children)))
        ws = self.sites[COUNTY_CODE if at_county else self.children[uuid]]
        if not self._alive(ws, uuid):
            return
        if at_county:
            colour = data.draw(st.sampled_from(["蓝", "黄", "红"]))
            ws.assessments.assess(uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "县级",
                                         "result": colour, "reason": "县级复核"}, red_deferral="待会商")
        else:
            ws.visits.record(uuid, {"living": "正常", "visited_on": FIXED_DATE, "visitors": "儿童主任", "mode": "入户"})

    @precondition(lambda self: self.children)
    @rule(data=st.data(), at_county=st.booleans())
    def delete(self, data, at_county):
        uuid = data.draw(st.sampled_from(list(self.children)))
        ws = self.sites[COUNTY_CODE if at_county else self.children[uuid]]
        if self._alive(ws, uuid):
            ws.children.delete(uuid)
            self._observe()

    @precondition(lambda self: len(self.children) >= 2)
    @rule(data=st.data(), town=st.sampled_from(sorted(TOWNS)))
    def household(self, data, town):
        """Two children of a township become one household (a child already in one moves, with its family)."""
        ws = self.sites[town]
        mine = sorted(u for u, t in self.children.items() if t == town and self._alive(ws, u))
        if len(mine) < 2:
            return
        pair = data.draw(st.lists(st.sampled_from(mine), min_size=2, max_size=2, unique=True))
        ws.households.create({"name": f"家{next(_token)}"}, pair)

    @precondition(lambda self: self.children)
    @rule(data=st.data(), at_county=st.booleans())
    def care(self, data, at_county):
        uuid = data.draw(st.sampled_from(list(self.children)))
        ws = self.sites[COUNTY_CODE if at_county else self.children[uuid]]
        if self._alive(ws, uuid):
            ws.care.add(uuid, {"kind": "entrusted_care", "carer_name": f"被委托人{next(_token)}",
                               "signed_on": FIXED_DATE, "start_on": FIXED_DATE,
                               "end_on": FIXED_DATE + dt.timedelta(days=365)})

    # packages on the way

    @rule(town=st.sampled_from(sorted(TOWNS)), upward=st.booleans())
    def export(self, town, upward):
        src, dst = (town, COUNTY_CODE) if upward else (COUNTY_CODE, town)
        if not upward and not any(p.code == town for p in self.sites[COUNTY_CODE].exchange.peers()):
            return  # the county has not heard from this township yet
        self.n += 1
        path = self.root / f"pkg{self.n}.xlsx"
        self.sites[src].exchange.export(path, peer_code=None if upward else town)
        self.in_flight.append({"src": src, "dst": dst, "path": path, "edits": []})

    @precondition(lambda self: self.in_flight)
    @rule(data=st.data(), keep_copy=st.booleans())
    def deliver(self, data, keep_copy):
        i = data.draw(st.integers(0, len(self.in_flight) - 1))  # any order
        pkg = self.in_flight[i]
        if not keep_copy:  # a copy left on the stick may be imported again later
            self.in_flight.pop(i)
        self._deliver(pkg)

    @precondition(lambda self: self.in_flight)
    @rule(data=st.data())
    def lose(self, data):
        self.in_flight.pop(data.draw(st.integers(0, len(self.in_flight) - 1)))

    @precondition(lambda self: self.in_flight)
    @rule(data=st.data(), field=st.sampled_from(("备注", "现居住地")))
    def hand_edit(self, data, field):
        """A clerk corrects a cell of a child's row in the package before passing it on."""
        pkg = self.in_flight[data.draw(st.integers(0, len(self.in_flight) - 1))]
        src, path = pkg["src"], pkg["path"]
        wb = load_workbook(unlock(path))
        ws = wb["儿童档案"]
        top = next(r for r in range(1, 10) if "记录编号" in [c.value for c in ws[r]])
        headers = [c.value for c in ws[top]]
        rows = [r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, headers.index("记录编号") + 1).value]
        if not rows:
            return
        r = data.draw(st.sampled_from(rows))
        uuid = ws.cell(r, headers.index("记录编号") + 1).value
        value = f"h{next(_token)}"
        ws.cell(r, headers.index(field) + 1).value = value
        wb.save(path)
        name = {"备注": "notes", "现居住地": "residence_address"}[field]
        pkg["edits"] = [e for e in pkg["edits"] if (e["uuid"], e["field"]) != (uuid, name)]  # typed over
        pkg["edits"].append({"store": src, "uuid": uuid, "field": name, "value": value, "superseded": False})

    # the attacker

    @precondition(lambda self: self.in_flight or self.delivered)
    @rule(data=st.data(), how=st.sampled_from(["unsigned", "tampered", "own_key", "other_town", "misaddressed",
                                               "replayed"]))
    def attack(self, data, how):
        pkg = data.draw(st.sampled_from(self.in_flight + self.delivered))
        if how == "replayed" and pkg not in self.delivered:
            return
        self.n += 1
        path, dst = pkg["path"], pkg["dst"]
        forged = self.root / f"forged{self.n}.xlsx"
        victim = data.draw(st.sampled_from(sorted(self.children))) if self.children else "none"
        bump = lambda m: m.update(seq=m["seq"] + 1)  # noqa: E731
        if how == "unsigned":
            rewrite(path, forged, rows=delete_record(victim), unsigned=True)
        elif how == "tampered":
            rewrite(path, forged, meta=bump, rows=delete_record(victim))
        elif how == "own_key":
            rewrite(path, forged, meta=bump, rows=delete_record(victim),
                    key=(self.attacker.sign_public, self.attacker.sign_private))
        elif how == "other_town":
            other = data.draw(st.sampled_from(sorted(set(TOWNS) - {pkg["src"]})))
            rewrite(path, forged, meta=bump, rows=delete_record(victim), key=station_key(self.sites[other]))
        elif how == "misaddressed":
            dst = data.draw(st.sampled_from(sorted(set(self.sites) - {pkg["dst"], pkg["src"]})))
            shutil.copyfile(path, forged)
        else:
            shutil.copyfile(path, forged)
        event(f"attack: {how}")
        before = self._state(dst)
        try:
            result = self.sites[dst].exchange.apply(forged)
        except WeibaoError as e:
            assert how != "replayed", e.message
        else:
            assert how == "replayed" and result.status == "duplicate", (how, result.summary())
        assert self._state(dst) == before, f"a {how} package changed {dst}"

    def _state(self, code: str) -> tuple:
        ws = self.sites[code]
        return ([snapshot(ws, town) for town in sorted(TOWNS)], ws.exchange.peers(), len(ws.exchange.conflicts()))

    @rule(code=st.sampled_from([COUNTY_CODE, *sorted(TOWNS)]))
    def settle_conflicts(self, code):
        self._settle(code)

    def _deliver(self, pkg: dict) -> None:
        result = self._apply(pkg["dst"], pkg["path"])
        if result is not None and pkg not in self.delivered:
            self.delivered.append(pkg)
        if result is not None and result.status == "applied":
            for edit in pkg["edits"]:  # the corrections now count, as the sender's, who had seen the row
                for e in self.edits:
                    if e["uuid"] == edit["uuid"] and e["field"] == edit["field"] and \
                            e["value"] in self.seen.get((edit["store"], edit["uuid"], edit["field"]), ()):
                        e["superseded"] = True
                self.edits.append(dict(edit))
        elif result is not None and pkg["edits"]:
            assert result.hand_edited and result.notes, "hand corrections in a repeated package went unmentioned"
        pkg["edits"] = []

    def _apply(self, dst: str, path: Path):
        try:
            result = self.sites[dst].exchange.apply(path, accept_hand_edits=True)  # the clerks' corrections hold
        except WeibaoError as e:
            # The only refusal allowed: a package older than what the receiver has acknowledged
            # having lost (the sender then sends everything since).
            assert "完整" in e.message, e.message
            result = None
        self._observe()
        return result

    def _settle(self, code: str) -> None:
        """A person decides each open conflict; both sides apply the same rule, as two people who
        talked it over would: the later token wins, a delete wins over an edit."""
        ex = self.sites[code].exchange
        for c in ex.conflicts():
            pick = "theirs" if _rank(c.theirs) > _rank(c.mine) else "mine"
            ex.resolve(c.id, pick)
        self._observe()

    # checks

    def _alive(self, ws, uuid) -> bool:
        with ws.store.sessions() as s:
            c = s.scalar(select(Child).where(Child.uuid == uuid))
            return c is not None and c.deleted_at is None

    def _observe(self) -> None:
        for code, ws in self.sites.items():
            with ws.store.sessions() as s:
                for c in s.scalars(select(Child)):
                    for f in FIELDS:
                        self.seen.setdefault((code, c.uuid, f), set()).add(getattr(c, f))

    @invariant()
    def stores_are_sound(self):
        if not hasattr(self, "sites"):
            return
        for ws in self.sites.values():
            with ws.store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []

    def check_final(self):
        for pkg in list(self.in_flight):  # whatever is still on sticks arrives at last
            self._deliver(pkg)
        self.in_flight.clear()
        county = self.sites[COUNTY_CODE]
        for _ in range(8):
            for town in sorted(TOWNS):
                for src, dst in ((town, COUNTY_CODE), (COUNTY_CODE, town)):
                    if src == COUNTY_CODE and not any(p.code == town for p in county.exchange.peers()):
                        continue
                    self.n += 1
                    path = self.root / f"final{self.n}.xlsx"
                    self.sites[src].exchange.export(path, peer_code=None if src == town else town)
                    self._apply(dst, path)
            for code in self.sites:
                self._settle(code)
            if all(not ws.exchange.conflicts() for ws in self.sites.values()) and self._agree():
                break
        assert all(not ws.exchange.conflicts() for ws in self.sites.values())
        assert self._agree(), "stores still differ after every package was delivered and conflicts settled"
        held = set()
        for ws in self.sites.values():
            with ws.store.sessions() as s:
                for c in s.scalars(select(SyncConflict)):
                    held |= {(c.record_uuid, c.field, c.mine_value), (c.record_uuid, c.field, c.theirs_value)}
        for e in self.edits:
            if e["superseded"]:
                continue
            town = self.children.get(e["uuid"])
            final = snapshot(self.sites[town], town)["child"].get(e["uuid"], {}).get(e["field"]) if town else None
            assert final == e["value"] or (e["uuid"], e["field"], e["value"]) in held, \
                f"edit lost without a conflict: {e}"

    def _agree(self) -> bool:
        county = self.sites[COUNTY_CODE]
        for town in TOWNS:
            if snapshot(self.sites[town], town) != snapshot(county, town):
                return False
        return True


def _rank(value: str | None) -> tuple:
    if value is None:
        return (0, 0, "")
    if value[:1] in "vh" and value[1:].isdigit():
        return (1, int(value[1:]), "")
    return (2, 0, value)  # a tombstone time beats any edit


class ExchangeRun(Exchange):
    def teardown(self):
        try:
            if hasattr(self, "sites"):
                self.check_final()
        finally:
            super().teardown()


ExchangeRun.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCountyExchange = ExchangeRun.TestCase
_ = dt
