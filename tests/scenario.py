"""A small station's roster with a known answer for every list, filter, count and dashboard.

Files are opened on 2024-01-10; the clock then stands at FIXED_DATE (Friday 2024-06-14).

| key | name          | village | sex | colour | categories (current)      | last visit | due        | note            |
|-----|---------------|---------|-----|--------|---------------------------|------------|------------|-----------------|
| A   | 王子涵         | 东村    | M   | red    | left_behind               | 06-13      | 06-14 (planned) | due today  |
| B   | 𠮷𡒄宁          | 西村    | F   | yellow | plight_survival           | 05-16      | 06-15      | due this week   |
| C   | 李可馨         | 南村    | F   | orange | plight_guardian, dibao    | —          | 01-17      | overdue; no id  |
| D   | 张浩宇         | —       | M   | —      | (disabled, ended 03-01)   | —          | 04-09      | overdue         |
| G   | 赵梓轩         | 南村    | M   | blue   | left_behind               | 03-01      | 05-30      | overdue         |
| E   | 陈思远         | 东村    | M   | —      | left_behind               | —          | —          | closed (迁出)    |
| F   | 刘欣怡         | 西村    | F   | —      | left_behind               | 06-05      | —          | deleted         |
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from factories import FIXED_DATE, RARE_NAME, id_number, id_number_ending_in_x, person

D = dt.date
OPENED = D(2024, 1, 10)


@dataclass
class Roster:
    ids: dict  # key -> database id
    uuids: dict  # key -> uuid
    numbers: dict  # key -> id number or None
    village_ids: dict
    ws: object = field(default=None, repr=False)  # the workstation of the test's own copy of the store

    def keys_of(self, ids) -> list[str]:
        by_id = {v: k for k, v in self.ids.items()}
        return [by_id[i] for i in ids]


def build_roster(ws, clock) -> Roster:
    clock.set(OPENED)
    villages = {v.name: v.id for v in ws.stations.info().villages}
    numbers = {
        "A": id_number(D(2012, 4, 5), "M", 1),
        "B": id_number_ending_in_x(D(2015, 3, 1)),
        "C": None,
        "D": id_number(D(2016, 1, 15), "M", 2),
        "G": id_number(D(2011, 11, 11), "M", 3),
        "E": id_number(D(2008, 2, 2), "M", 4),
        "F": id_number(D(2013, 5, 5), "F", 5),
    }
    specs = {
        "A": dict(name="王子涵", sex="M", birth_date=D(2012, 4, 5), village_id=villages["东村"],
                  contact_phone="13800000001", categories=["留守儿童"]),
        "B": dict(name=RARE_NAME, sex="F", birth_date=D(2015, 3, 1), village_id=villages["西村"],
                  contact_phone="13800000002", categories=["生活困境"]),
        "C": dict(name="李可馨", sex="F", birth_date=D(2010, 8, 20), village_id=villages["南村"],
                  paired_helper="周帮扶", categories=["监护困境", "低保家庭"],
                  people=[person("母亲", 1, phone="13912345678", status="外出务工")]),
        "D": dict(name="张浩宇", sex="M", birth_date=D(2016, 1, 15), contact_phone="13800000004",
                  categories=[("残疾儿童", D(2024, 1, 1))]),
        "G": dict(name="赵梓轩", sex="M", birth_date=D(2011, 11, 11), village_id=villages["南村"],
                  categories=["留守儿童"]),
        "E": dict(name="陈思远", sex="M", birth_date=D(2008, 2, 2), village_id=villages["东村"],
                  categories=["留守儿童"]),
        "F": dict(name="刘欣怡", sex="F", birth_date=D(2013, 5, 5), village_id=villages["西村"],
                  categories=["留守儿童"]),
    }
    details = {}
    for key, spec in specs.items():
        spec = dict(spec)
        categories = spec.pop("categories", ())
        people = spec.pop("people", ())
        details[key] = ws.children.create({**spec, "id_number": numbers[key]}, categories=categories, people=people)
    uuids = {k: d.uuid for k, d in details.items()}

    def assess(key, colour, **kw):
        ws.assessments.assess(uuids[key], {"kind": "risk", "assessed_on": OPENED, "assessor": "张督导",
                                           "result": colour, "reason": "首次评估"}, **kw)

    assess("A", "红", help_measure={"kind": "心理疏导", "started_on": OPENED})
    assess("B", "黄")
    assess("C", "橙")
    assess("G", "蓝")
    [disabled] = ws.children.get(uuids["D"]).categories
    ws.children.end_category(disabled.uuid, D(2024, 3, 1))

    clock.set(FIXED_DATE)

    def visit(key, on, **extra):
        ws.visits.record(uuids[key], {"living": "正常", "visited_on": on, "visitors": "张督导", "mode": "入户", **extra})

    # Red is followed up every 7 days; the visitor planned the next contact for the next day.
    visit("A", D(2024, 6, 13), next_due_on=D(2024, 6, 14))
    visit("B", D(2024, 5, 16))
    visit("G", D(2024, 3, 1))
    visit("F", D(2024, 6, 5))
    ws.children.close(uuids["E"], "迁出", closed_on=D(2024, 6, 1))
    ws.children.delete(uuids["F"])

    open_clue = ws.clues.receive({"child_name": "李可馨", "received_at": dt.datetime(2024, 6, 12, 9), "source": "学校报告",
                                  "content": "多日未到校"})
    done = ws.clues.receive({"child_name": "赵梓轩", "received_at": dt.datetime(2024, 6, 1, 9), "source": "群众举报",
                             "content": "夜间独自在外"})
    at = dt.datetime(2024, 6, 2, 9)
    for step in ("调查", "处置", "反馈"):
        ws.clues.advance(done.uuid, step, f"{step}完毕", at=at)
        at += dt.timedelta(hours=2)
    assert open_clue.state == "received"

    return Roster({k: d.id for k, d in details.items()}, uuids, numbers, villages)
