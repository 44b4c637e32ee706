"""Demo cases for the rules of issue 15, added to the demo rows before they are written: red children placed
away from home and followed up (some overdue for follow-up), orange children visited by phone (recorded, not
counted), and children the 资格核查 finds, so the pages show something on a fresh demo store."""
from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .demo import DemoBuilder

PLACES = {"hospital": "县人民医院儿科", "shelter": "县未成年人救助保护中心", "relative": "外祖母家（邻村）",
          "police": "城关派出所"}


def add_rule_cases(b: DemoBuilder) -> None:
    r = random.Random(b.n * 7 + 15)
    today = b.today
    children = b.rows["child"]
    visits: dict[int, list[dict]] = {}
    for v in b.rows["visit"]:
        visits.setdefault(v["child_id"], []).append(v)
    cats: dict[int, set[str]] = {}
    for m in b.rows["category_membership"]:
        cats.setdefault(m["child_id"], set()).add(m["category"])
    parents: dict[int, dict[str, dict]] = {}
    for p in b.rows["person"]:
        parents.setdefault(p["child_id"], {}).setdefault(p["relation"], p)
    touched: set[int] = set()

    def contact(child: dict, day: dt.date, mode: str, text: str) -> None:
        v = b._sync("visit", dt.datetime.combine(day, dt.time(16)))
        v.update(child_id=child["id"], visited_on=day, visitors=r.choice(("王督导", "李主任")), mode=mode,
                 living=text, study=None, health=None, safety=None, psychology=None, guardianship=None,
                 problems=None, measures=None, next_due_on=b.cadence.due_after(child["risk_colour"], day))
        b.rows["visit"].append(v)
        visits.setdefault(child["id"], []).append(v)
        touched.add(child["id"])

    reds = [c for c in children if c["risk_colour"] == "red"]
    for i, child in enumerate(reds[: max(2, len(reds) // 2)]):
        kind = list(PLACES)[i % len(PLACES)]
        child.update(placement=kind, placed_on=today - dt.timedelta(days=r.randrange(10, 60)),
                     placement_place=PLACES[kind])
        if i % 3 != 2:  # every third placed child is overdue for follow-up
            contact(child, today - dt.timedelta(days=r.randrange(1, 6)), "phone", "电话联系接收单位，儿童情况稳定")
        touched.add(child["id"])
    oranges = [c for c in children if c["risk_colour"] == "orange" and visits.get(c["id"])]
    for child in oranges[: max(3, len(oranges) // 4)]:
        last = max(v["visited_on"] for v in visits[child["id"]])
        if last < today:
            contact(child, min(today, last + dt.timedelta(days=3)), "phone", "电话了解近况，祖母说孩子一切正常")

    def pick(test, n: int = 1) -> list[dict]:
        found = [c for c in children if c["id"] not in touched and test(c)]
        chosen = found[:n]
        touched.update(c["id"] for c in chosen)
        return chosen

    def rebirth(child: dict, birth: dt.date) -> None:
        child.update(birth_date=birth, id_number=b.id_number(birth, child["sex"]))

    for child in pick(lambda c: not cats.get(c["id"], set()) & {"de_facto_unsupported", "orphan_central",
                                                                  "orphan_scattered"} and "father" in parents.get(
            c["id"], {}) and "mother" in parents[c["id"]], 2):
        parents[child["id"]]["father"].update(status="prison", phone=None, work_place=None)
        parents[child["id"]]["mother"].update(status="ill", work_place=None)
    for child in pick(lambda c: "left_behind" in cats.get(c["id"], set())):
        rebirth(child, today.replace(year=today.year - 16) - dt.timedelta(days=90))
    for child in pick(lambda c: "left_behind" in cats.get(c["id"], set())):
        for relation in ("father", "mother"):
            if relation in parents.get(child["id"], {}):
                parents[child["id"]][relation].update(status="home", work_place=None)
    for child in pick(lambda c: "left_behind" in cats.get(c["id"], set())):
        for parent in parents.get(child["id"], {}).values():  # a bare 孤儿 from an old ledger
            if parent["relation"] in ("father", "mother"):
                parent.update(status="dead", phone=None, work_place=None)
        m = b._sync("category_membership")
        m.update(child_id=child["id"], category="orphan_unspecified", start_on=child["opened_on"], end_on=None)
        b.rows["category_membership"].append(m)
    for child in pick(lambda c: 10 <= (today - c["birth_date"]).days // 365 < 15, 2):
        child.update(schooling="dropout")
    returned = pick(lambda c: 10 <= (today - c["birth_date"]).days // 365 < 15)
    for child in returned:
        child.update(schooling="junior")
        h = b._sync("help_measure")
        h.update(child_id=child["id"], kind="return_to_school", started_on=today - dt.timedelta(days=40),
                 responsible="李主任", description="联合学校、村委会上门劝返", state="done",
                 ended_on=today - dt.timedelta(days=20), result="已返校就读初二")
        b.rows["help_measure"].append(h)
    for child in pick(lambda c: c["hukou_registered"]):
        child.update(hukou_registered=False)
    for child in pick(lambda c: True):
        rebirth(child, dt.date(today.year - 18, today.month, min(28, today.day + 5)))
    orphans = [c for c in children if cats.get(c["id"], set()) & {"orphan_central", "orphan_scattered"}]
    for child in orphans[1:]:  # the first orphan has no allowance on record: the check lists it
        rel = b._sync("relief")
        rel.update(child_id=child["id"], kind="orphan_allowance", start_on=child["opened_on"], end_on=None,
                   amount="每月1200元", note=None)
        b.rows["relief"].append(rel)
    unsupported = [c for c in children if "de_facto_unsupported" in cats.get(c["id"], set())]
    for child in unsupported[1:]:  # the first has none on record: the check lists it
        rel = b._sync("relief")
        rel.update(child_id=child["id"], kind="unsupported_allowance", start_on=child["opened_on"], end_on=None,
                   amount="每月1200元", note=None)
        b.rows["relief"].append(rel)
    # Left-behind children leave the category at 16 (国发〔2016〕13号); two are left for the check to find.
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    aged = {c["id"]: c for c in children if c["id"] not in touched
            and (month_end - c["birth_date"]).days >= 16 * 365 + 4}
    for m in [m for m in b.rows["category_membership"] if m["category"] == "left_behind" and m["child_id"] in aged][2:]:
        birth = aged[m["child_id"]]["birth_date"]
        m["end_on"] = max(m["start_on"], _birthday(birth, 16))
    # Dropouts under 16 were mostly persuaded back (劝返复学); a few are not yet.
    young_dropouts = [c for c in children if c["schooling"] == "dropout" and c["id"] not in touched
                      and (month_end - c["birth_date"]).days < 16 * 365]
    for child in young_dropouts[2:]:
        h = b._sync("help_measure")
        h.update(child_id=child["id"], kind="return_to_school", started_on=today - dt.timedelta(days=30),
                 responsible="李主任", description="联合学校上门劝返", state="open", ended_on=None, result=None)
        b.rows["help_measure"].append(h)
    for child in [c for c in children if "disabled" in cats.get(c["id"], set())][:5]:
        rel = b._sync("relief")
        rel.update(child_id=child["id"], kind="disability_two", start_on=child["opened_on"], end_on=None,
                   amount=None, note="困难残疾人生活补贴和重度残疾人护理补贴")
        b.rows["relief"].append(rel)
    for child in children:
        if child["id"] in touched:
            b.refresh_due(child, visits.get(child["id"], []))


def _birthday(birth: dt.date, years: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # born on 29 February
        return dt.date(birth.year + years, 3, 1)
