"""Households (家庭档案) and care arrangements (监护与照护安排): the upgrade that forms households from an older
store, the household visit, the review list, the care warnings, the ledgers and the printed documents."""
from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

import rawdb
from factories import FIXED_DATE, TEST_PASSWORD, id_number
from printing.pdftools import pdftotext
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.services import Actor, Workstation
from weibao_desktop.services.care import care_print_job
from weibao_desktop.vault.login import login

OLD_STORE = Path(__file__).resolve().parent / "data" / "stores" / "v0.1.0.sqlite3"
FATHER_ID = id_number(dt.date(1985, 5, 5), "M", 7)


def _old_store_with_siblings(folder: Path) -> dict[int, str]:
    """The v0.1.0 store as a township would have kept siblings then: each with its own copy of the parents.

    Children 1 and 2 share father and mother by name and phone; children 3 and 4 share a father by id number
    (his phone differs); child 5's father has child 1's father's name but another phone: not sure."""
    folder.mkdir()
    shutil.copyfile(OLD_STORE, folder / "weibao.sqlite3")
    with sqlite3.connect(folder / "weibao.sqlite3") as db:
        db.execute("UPDATE person SET name = '付紫庆', phone = '17681518844' WHERE child_id = 2 AND relation = 'father'")
        db.execute("UPDATE person SET name = '夏龙', phone = '15208196727' WHERE child_id = 2 AND relation = 'mother'")
        db.execute("UPDATE person SET id_number = ? WHERE child_id IN (3, 4) AND relation = 'father'", (FATHER_ID,))
        db.execute("UPDATE person SET name = '付紫庆' WHERE child_id = 5 AND relation = 'father'")
        return dict(db.execute("SELECT id, uuid FROM child").fetchall())


def _old_people(folder: Path) -> list[tuple]:
    with sqlite3.connect(folder / "weibao.sqlite3") as db:
        return db.execute("SELECT p.uuid, c.uuid, p.relation, p.name, p.id_number FROM person p "
                          "JOIN child c ON c.id = p.child_id WHERE p.deleted_at IS NULL").fetchall()


def test_upgrade_forms_households_from_siblings_parents_loses_nobody_and_lists_the_unsure_match(tmp_path):
    folder = tmp_path / "data"
    uuids = _old_store_with_siblings(folder)
    before = _old_people(folder)
    # a plain store from before encryption: its admin's first login converts it, then it is migrated
    store = login(folder, user="陈站长", password=TEST_PASSWORD).store
    try:
        ws = Workstation(store, Actor("陈站长", "head"), today=lambda: FIXED_DATE)
        first, second = ws.children.get(uuids[1]), ws.children.get(uuids[2])
        home = ws.households.of_child(uuids[1])
        assert home is not None and ws.households.of_child(uuids[2]).uuid == home.uuid
        assert sorted(c.uuid for c in home.children) == sorted([uuids[1], uuids[2]])
        assert home.name == "付紫庆家"
        # the father and mother are entered once and both files show them
        assert sorted((p.relation, p.name) for p in home.people) == [
            ("entrusted", "吴丽"), ("father", "付紫庆"), ("mother", "夏龙")]
        for child in (first, second):
            assert {(p.relation, p.name) for p in child.people} == {
                ("entrusted", "吴丽"), ("father", "付紫庆"), ("mother", "夏龙")}
        # the same id number is one man: children 3 and 4 are one household with one father
        third = ws.households.of_child(uuids[3])
        assert third is not None and {c.uuid for c in third.children} == {uuids[3], uuids[4]}
        assert [p.id_number for p in third.people if p.relation == "father"] == [FATHER_ID]
        # a child with a family of its own forms a household of one
        alone = ws.households.of_child(uuids[6])
        assert alone is not None and [c.uuid for c in alone.children] == [uuids[6]]
        # nobody lost: each relative a child had is still in its family, or was a copy of one that is
        for person_uuid, child_uuid, relation, name, number in before:
            family = ws.children.get(child_uuid).people
            assert any(p.uuid == person_uuid for p in family) or any(
                p.relation == relation and (p.name == name or (number and p.id_number == number)) for p in family), \
                (child_uuid, relation, name)
        # the unsure match: child 5's father has the name of child 1's, with another phone
        [review] = ws.households.reviews()
        assert (review.child_uuid, review.household_uuid) == (uuids[5], home.uuid)
        assert "父亲同名（付紫庆）" in review.reason and "联系电话不同" in review.reason
        done = ws.households.resolve_review(review.id, join=False)
        assert done.state == "split" and ws.households.reviews() == []
        assert ws.households.of_child(uuids[5]).uuid != home.uuid
    finally:
        store.dispose()
    with rawdb.connect(folder / "weibao.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 115  # copies are tombstoned, never erased
        assert db.execute("SELECT COUNT(*) FROM child WHERE household_id IS NULL").fetchone()[0] == 0


def _siblings(ws, make_child, n=3):
    kids = [make_child(people=[{"relation": "父亲", "name": "王建国", "phone": "13800001111", "status": "外出务工"},
                               {"relation": "委托监护人", "name": "王奶奶", "relation_detail": "祖母"}])
            for _ in range(n)]
    h = ws.households.create({"name": "王建国家", "address": "东村三组"}, [k.uuid for k in kids])
    return h, kids


def test_joining_a_household_keeps_each_adult_once_and_every_file_shows_them(ws, make_child):
    h, kids = _siblings(ws, make_child)
    assert sorted(p.name for p in h.people) == ["王奶奶", "王建国"]
    for kid in kids:
        assert sorted(p.name for p in ws.children.get(kid.uuid).people) == ["王奶奶", "王建国"]
    # a mother added on one child's file is the mother of all
    ws.children.add_person(kids[0].uuid, {"relation": "母亲", "name": "李秀英", "status": "在家"})
    assert all("李秀英" in {p.name for p in ws.children.get(k.uuid).people} for k in kids)
    with pytest.raises(WeibaoError, match="已登记母亲"):
        ws.children.add_person(kids[2].uuid, {"relation": "母亲", "name": "别人"})
    # leaving the household keeps the adults on the child's own file
    left = ws.households.remove_child(h.uuid, kids[2].uuid)
    assert len(left.children) == 2
    assert sorted(p.name for p in ws.children.get(kids[2].uuid).people) == ["李秀英", "王奶奶", "王建国"]


def test_a_household_visit_records_one_visit_per_child_present(ws, make_child):
    h, kids = _siblings(ws, make_child)
    ws.assessments.assess(kids[1].uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "张督导",
                                         "result": "橙", "reason": "监护不力"}, paired_helper="李老师")
    assert ws.households.get(h.uuid).highest_colour == "orange"
    visits = ws.households.record_visit(h.uuid, [kids[0].uuid, kids[1].uuid], {
        "visited_on": FIXED_DATE, "visitors": "张主任", "mode": "入户", "living": "三兄妹由祖母照料，饮食正常"})
    assert len(visits) == 2
    assert [len(ws.visits.for_child(k.uuid)) for k in kids] == [1, 1, 0]
    seen = ws.children.get(kids[1].uuid)
    assert seen.last_visit_on == FIXED_DATE and seen.next_visit_due == FIXED_DATE + dt.timedelta(days=7)
    with pytest.raises(WeibaoError, match="至少选择"):
        ws.households.record_visit(h.uuid, [], {"visited_on": FIXED_DATE, "visitors": "张主任", "mode": "入户",
                                                "living": "正常"})


def test_confirming_a_review_moves_the_child_and_merges_the_same_father(ws, make_child, store):
    h, kids = _siblings(ws, make_child, n=2)
    other = make_child(people=[{"relation": "父亲", "name": "王建国", "phone": "13900002222"}])
    apart = ws.households.create({"name": "王建国家（待核）"}, [other.uuid])
    from weibao_desktop.models.households import Household, HouseholdReview

    with store.sessions() as s, s.begin():
        hid = s.query(Household.id).filter(Household.uuid == h.uuid).scalar()
        cid = ws.children.get(other.uuid).id
        s.add(HouseholdReview(household_id=hid, child_id=cid, reason="父亲同名（王建国），联系电话不同", state="open"))
    [review] = ws.households.reviews()
    ws.households.resolve_review(review.id, join=True)
    joined = ws.households.get(h.uuid)
    assert len(joined.children) == 3 and [p.name for p in joined.people].count("王建国") == 1
    with pytest.raises(WeibaoError, match="找不到"):
        ws.households.get(apart.uuid)  # left with no child, the other household is gone


def test_care_warnings_unsigned_agreement_and_expiring_term(ws, make_child, clock):
    h, kids = _siblings(ws, make_child, n=2)
    texts = {w.child_uuid: w.text for w in ws.care.warnings()}
    assert texts == {k.uuid: "被委托人王奶奶未签订委托照护协议" for k in kids}
    proposal = ws.care.proposal(kids[0].uuid)
    assert (proposal["carer_name"], proposal["carer_relation"], proposal["parties"]) == ("王奶奶", "祖母", "王建国")
    ws.care.add(kids[0].uuid, {**proposal, "signed_on": FIXED_DATE, "end_on": FIXED_DATE + dt.timedelta(days=20)})
    ws.care.add(kids[1].uuid, {**ws.care.proposal(kids[1].uuid), "end_on": FIXED_DATE + dt.timedelta(days=400)})
    texts = {w.child_uuid: w.text for w in ws.care.warnings()}
    # signed but ending in 20 days; the other never signed
    assert texts[kids[0].uuid].startswith(f"委托照护协议将于{FIXED_DATE + dt.timedelta(days=20):%Y-%m-%d}到期")
    assert texts[kids[1].uuid] == "被委托人王奶奶未签订委托照护协议"
    clock.advance(21)  # the term is over: the 被委托人 is without an agreement again
    assert {w.text for w in ws.care.warnings()} == {"被委托人王奶奶未签订委托照护协议"}
    with pytest.raises(WeibaoError, match="到期日期不能早于开始日期"):
        ws.care.add(kids[0].uuid, {"kind": "委托照护协议", "carer_name": "王奶奶", "start_on": FIXED_DATE,
                                   "end_on": FIXED_DATE - dt.timedelta(days=1)})


def test_household_and_care_ledgers_read_back(ws, make_child, tmp_path):
    h, kids = _siblings(ws, make_child, n=2)
    ws.assessments.assess(kids[0].uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "张督导",
                                         "result": "黄", "reason": "留守"})
    ws.care.add(kids[0].uuid, {**ws.care.proposal(kids[0].uuid), "signed_on": FIXED_DATE,
                               "end_on": FIXED_DATE + dt.timedelta(days=10)})
    result = ws.ledger.export("households", tmp_path / "家庭.xlsx")
    assert (result.title, result.rows) == ("城关镇家庭档案台账", 1)
    sheet = load_workbook(tmp_path / "家庭.xlsx").active
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and "家庭名称" in r)
    data = rows[rows.index(header) + 2]  # a second header line holds the group columns' own headers
    row = dict(zip(header, data, strict=False))
    assert row["家庭名称"] == "王建国家" and row["儿童人数"] == 2
    assert f"{kids[0].name}（黄）" in row["家庭中的儿童（风险等级）"] and row["最高风险等级"] == "黄"
    result = ws.ledger.export("care", tmp_path / "照护.xlsx")
    assert result.rows == 1
    values = [c for r in load_workbook(tmp_path / "照护.xlsx").active.iter_rows(values_only=True) for c in r]
    assert "委托照护协议" in values and "30天内到期" in values and "王奶奶" in values


def test_the_agreement_and_the_confirmation_print_with_the_familys_data(ws, make_child, tmp_path):
    h, kids = _siblings(ws, make_child, n=1)
    agreement = ws.care.add(kids[0].uuid, {**ws.care.proposal(kids[0].uuid), "signed_on": FIXED_DATE,
                                           "end_on": FIXED_DATE + dt.timedelta(days=365)})
    job = care_print_job(ws.ctx, agreement.uuid)
    ws.printing.save_pdf(job, tmp_path / "协议.pdf")
    text = pdftotext(tmp_path / "协议.pdf").replace(" ", "")
    assert "农村留守儿童委托照护协议" in text and "王奶奶" in text and "王建国" in text and kids[0].name in text
    assert f"{FIXED_DATE:%Y年%m月%d日}" in text
    assert kids[0].id_number not in text  # masked unless full numbers are asked for
    confirmation = ws.care.add(kids[0].uuid, {"kind": "监护责任确认书", "carer_name": "王奶奶", "start_on": FIXED_DATE})
    ws.printing.save_pdf(care_print_job(ws.ctx, confirmation.uuid), tmp_path / "确认书.pdf")
    assert "散居孤儿监护责任确认书" in pdftotext(tmp_path / "确认书.pdf").replace(" ", "")
    assert [e.form_label for e in ws.printing.log()][:2] == ["监护责任确认书", "委托照护协议"]


def test_command_line_lists_reviews_warnings_and_prints_the_agreement(ws, make_child, tmp_path, capsys):
    from weibao_desktop.cli import main

    h, kids = _siblings(ws, make_child, n=2)
    agreement = ws.care.add(kids[0].uuid, {**ws.care.proposal(kids[0].uuid), "signed_on": FIXED_DATE})

    def run(*args) -> int:
        return main(["--data-dir", str(ws.store.path.parent), *args])

    assert run("household", "list") == 0
    assert "王建国家" in capsys.readouterr().out
    assert run("household", "review") == 0
    assert "没有待核对的家庭匹配" in capsys.readouterr().out
    assert run("care", "warnings") == 0
    assert f"{kids[1].name}\t被委托人王奶奶未签订委托照护协议" in capsys.readouterr().out
    assert run("care", "print", agreement.uuid, "-o", str(tmp_path / "协议.pdf")) == 0
    assert "农村留守儿童委托照护协议" in pdftotext(tmp_path / "协议.pdf").replace(" ", "")
    assert run("ledger", "export", "care", "-o", str(tmp_path / "care.xlsx")) == 0
    assert "监护与照护台账" in capsys.readouterr().out


def test_the_checks_list_a_trustee_without_an_agreement_until_one_is_signed(ws, make_child):
    _h, kids = _siblings(ws, make_child, n=1)
    found = [f for f in ws.checks.findings() if f.child_uuid == kids[0].uuid and f.check == "entrusted_no_agreement"]
    assert [f.detail for f in found] == ["有被委托人，没有签订的委托照护协议"]
    ws.care.add(kids[0].uuid, {**ws.care.proposal(kids[0].uuid), "signed_on": FIXED_DATE})
    assert not [f for f in ws.checks.findings() if f.check == "entrusted_no_agreement"]


def test_a_red_child_with_no_placement_is_a_care_warning_until_placed(ws, make_child):
    kid = make_child()
    ws.assessments.assess(kid.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "张督导", "result": "红",
                                     "reason": "遭受侵害"}, help_measure={"kind": "心理疏导", "started_on": FIXED_DATE})
    assert "红色等级，尚未登记安置情况" in {w.text for w in ws.care.warnings() if w.child_uuid == kid.uuid}
    ws.children.update(kid.uuid, {"placement": "亲属临时照护", "placed_on": FIXED_DATE})
    assert not [w for w in ws.care.warnings() if w.child_uuid == kid.uuid]
