"""Forming households from stores made before there were households (migration 0011).

Siblings each carried their own copy of the parents. Children whose father or mother has the same id number,
or the same name and phone, are one household; each adult is kept once (the copy of the child whose uuid sorts
first, its empty fields filled from the other copies) and attached to the household, the other copies are
tombstoned. Matches that are not sure (a parent of the same name with another phone, or a phone on one side
only) are listed in `household_review` for a person to join or keep apart: the upgrade never guesses.

Written on a Connection in plain SQL (it runs inside the migration, before the ORM's models match the
store), deterministic (the household's uuid comes from its first child's uuid), so a township and the county
upgrading the same records form the same households and their next exchange agrees without conflicts.
"""
from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ..domain.care import person_key
from ..domain.text import fold

ACTOR = "系统升级"
NAMESPACE = uuid_mod.UUID("5b0f3e4a-8d1c-4c53-9a63-2f4d7c1e9b20")
PARENTS = ("father", "mother")
PERSON_COLUMNS = ("relation_detail", "name", "birth_date", "id_number", "phone", "status", "work_place", "address")
REL_LABEL = {"father": "父亲", "mother": "母亲"}


def household_uuid(first_child_uuid: str) -> str:
    return str(uuid_mod.uuid5(NAMESPACE, first_child_uuid))


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, a: int) -> int:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def form_households(conn: Connection, now: dt.datetime | None = None) -> dict[str, int]:
    """Form the households of every station; returns counts (households, children, adults kept, copies
    tombstoned, review entries)."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    seq = _next_change_seq(conn)
    counts = dict.fromkeys(("households", "children", "kept", "tombstoned", "reviews"), 0)
    for station_id, code in conn.execute(text("SELECT id, code FROM station ORDER BY id")).all():
        _station(conn, station_id, code, seq, now, counts)
    return counts


def _station(conn: Connection, station_id: int, code: str, seq: int, now: dt.datetime, counts: dict) -> None:
    children = {r.id: r for r in conn.execute(text(
        "SELECT id, uuid, village_id, residence_address, rev FROM child "
        "WHERE station_id = :s AND deleted_at IS NULL AND household_id IS NULL ORDER BY id"), {"s": station_id})}
    people = [r for r in conn.execute(text(
        "SELECT p.id, p.uuid, p.child_id, p.relation, p.rev, " + ", ".join(f"p.{c}" for c in PERSON_COLUMNS) +
        " FROM person p JOIN child c ON c.id = p.child_id WHERE c.station_id = :s AND c.deleted_at IS NULL "
        "AND c.household_id IS NULL AND p.deleted_at IS NULL ORDER BY p.id"), {"s": station_id})]
    groups = _Groups()
    sure: dict[tuple, int] = {}
    by_name: dict[tuple, list] = defaultdict(list)
    for p in people:
        groups.find(p.child_id)
        if p.relation not in PARENTS:
            continue
        keys: list[tuple] = []
        if p.id_number:
            keys.append(("id", p.relation, p.id_number.upper()))
        if p.name and p.phone:
            keys.append(("np", p.relation, fold(p.name), p.phone))
        for key in keys:
            if key in sure:
                groups.union(sure[key], p.child_id)
            else:
                sure[key] = p.child_id
        if p.name:
            by_name[(p.relation, fold(p.name))].append(p)
    members: dict[int, list[int]] = defaultdict(list)
    for child_id in sorted({p.child_id for p in people}, key=lambda i: children[i].uuid):
        members[groups.find(child_id)].append(child_id)
    household_of: dict[int, int] = {}
    for root in sorted(members, key=lambda r: children[members[r][0]].uuid):
        hid = _household(conn, [children[i] for i in members[root]],
                         [p for p in people if groups.find(p.child_id) == root], station_id, code, seq, now, counts)
        for child_id in members[root]:
            household_of[child_id] = hid
    _reviews(conn, by_name, groups, members, household_of, children, now, counts)


def _household(conn: Connection, kids: list, adults: list, station_id: int, code: str, seq: int,
               now: dt.datetime, counts: dict) -> int:
    first = kids[0]
    order = {k.id: n for n, k in enumerate(kids)}
    adults = sorted(adults, key=lambda p: (order[p.child_id], p.uuid))
    named = next((p.name for rel in ("father", "mother", "entrusted", "other") for p in adults
                  if p.relation == rel and p.name), None)
    phone = next((p.phone for p in adults if p.phone and p.relation in (*PARENTS, "entrusted")), None)
    address = next((k.residence_address for k in kids if k.residence_address), None)
    values = {"uuid": household_uuid(first.uuid), "origin": code, "created_at": now, "created_by": ACTOR,
              "updated_at": now, "updated_by": ACTOR, "rev": 1, "change_seq": seq, "station_id": station_id,
              "village_id": first.village_id, "name": f"{named or '未命名'}家"[:50], "address": address,
              "phone": phone}
    conn.execute(text(f"INSERT INTO household ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})"),
                 values)
    hid = conn.execute(text("SELECT id FROM household WHERE uuid = :u"), {"u": values["uuid"]}).scalar_one()
    counts["households"] += 1
    log: list[tuple[str, str, int, str, str | None, str | None]] = []
    for kid in kids:
        conn.execute(text("UPDATE child SET household_id = :h, rev = rev + 1, change_seq = :q, updated_at = :t, "
                          "updated_by = :a WHERE id = :id"), {"h": hid, "q": seq, "t": now, "a": ACTOR, "id": kid.id})
        log.append(("child", kid.uuid, kid.rev + 1, "household_id", None, str(hid)))
        counts["children"] += 1
    same: dict[tuple, list] = defaultdict(list)
    for p in adults:
        same[person_key(p.relation, p.relation_detail, p.name, p.id_number, p.id)].append(p)
    for copies in same.values():
        keep, others = copies[0], copies[1:]
        filled = {c: getattr(keep, c) for c in PERSON_COLUMNS}
        for other in others:
            for c in PERSON_COLUMNS:
                if filled[c] is None and getattr(other, c) is not None:
                    filled[c] = getattr(other, c)
        changed = {c: v for c, v in filled.items() if v != getattr(keep, c)}
        sets = "".join(f", {c} = :{c}" for c in changed)
        conn.execute(text(f"UPDATE person SET household_id = :h, child_id = NULL, rev = rev + 1, change_seq = :q, "
                          f"updated_at = :t, updated_by = :a{sets} WHERE id = :id"),
                     {"h": hid, "q": seq, "t": now, "a": ACTOR, "id": keep.id, **changed})
        log += [("person", keep.uuid, keep.rev + 1, "household_id", None, str(hid)),
                ("person", keep.uuid, keep.rev + 1, "child_id", str(keep.child_id), None)]
        log += [("person", keep.uuid, keep.rev + 1, c, _text(getattr(keep, c)), _text(v)) for c, v in changed.items()]
        counts["kept"] += 1
        for other in others:
            conn.execute(text("UPDATE person SET deleted_at = :t, rev = rev + 1, change_seq = :q, updated_at = :t, "
                              "updated_by = :a WHERE id = :id"), {"t": now, "q": seq, "a": ACTOR, "id": other.id})
            log.append(("person", other.uuid, other.rev + 1, "deleted_at", None, now.isoformat(sep=" ")))
            counts["tombstoned"] += 1
    if log:
        conn.execute(text("INSERT INTO change_log (entity, record_uuid, rev, field, old_value, new_value, changed_at, "
                          "actor, origin) VALUES (:e, :u, :r, :f, :o, :n, :t, :a, :g)"),
                     [{"e": e, "u": u, "r": r, "f": f, "o": o, "n": n, "t": now, "a": ACTOR, "g": code}
                      for e, u, r, f, o, n in log])
    return hid


def _reviews(conn: Connection, by_name: dict, groups: _Groups, members: dict, household_of: dict, children: dict,
             now: dt.datetime, counts: dict) -> None:
    """A parent of the same name in two households, not shown to be one person nor two: listed for review.
    Two different id numbers are two people."""
    seen: set[tuple[int, int]] = set()
    for (relation, _name), copies in sorted(by_name.items()):
        for i, a in enumerate(copies):
            for b in copies[i + 1:]:
                ga, gb = groups.find(a.child_id), groups.find(b.child_id)
                if ga == gb or (a.id_number and b.id_number):
                    continue
                # The smaller household's first child is proposed to join the larger one.
                small, big = sorted((ga, gb), key=lambda g: (len(members[g]), -g))
                if (small, big) in seen:
                    continue
                seen.add((small, big))
                why = ("联系电话不同" if a.phone and b.phone else "一方未登记联系电话" if a.phone or b.phone
                       else "均未登记身份证号和电话")
                reason = f"{REL_LABEL[relation]}同名（{a.name}），{why}，是否同一家庭？"
                conn.execute(text("INSERT INTO household_review (household_id, child_id, reason, state, created_at) "
                                  "VALUES (:h, :c, :r, 'open', :t)"),
                             {"h": household_of[members[big][0]], "c": members[small][0], "r": reason, "t": now})
                counts["reviews"] += 1


def _next_change_seq(conn: Connection) -> int:
    """One step of the store's change counter for everything the upgrade changed (what a package sends next)."""
    import json

    row = conn.execute(text("SELECT value FROM setting WHERE key = 'change_seq'")).scalar()
    value = int(json.loads(row) if isinstance(row, str) else (row or 0)) + 1
    if row is None:
        conn.execute(text("INSERT INTO setting (key, value) VALUES ('change_seq', :v)"), {"v": json.dumps(value)})
    else:
        conn.execute(text("UPDATE setting SET value = :v WHERE key = 'change_seq'"), {"v": json.dumps(value)})
    return value


def _text(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)
