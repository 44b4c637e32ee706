"""Signed packages between paired stations: forged, re-signed, replayed, reordered and out-of-scope
packages are refused, saying which, and change nothing (issue 11)."""
from __future__ import annotations

import pytest
from forgery import delete_record, rewrite, station_key
from helpers import send, snapshot

from factories import child_values
from pairing_helpers import pair, unlock
from sites import make_town
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.services.dto import ChildQuery
from weibao_desktop.sync import signing


def _refused(site, path, message: str, owner) -> None:
    before = snapshot(site, owner.code)
    with pytest.raises(WeibaoError, match=message):
        site.exchange.apply(path)
    assert snapshot(site, owner.code) == before


def test_the_forged_deletion_deletes_nothing_at_the_county_or_the_township(town, town2, county, tmp_path):
    """The review's scenario: a package from a township the county never saw carries another township's
    child (uuid copied from a package that travelled by chat) with deleted_at set."""
    child = town.children.create(child_values(name="被冒删"))
    p1 = tmp_path / "p1.xlsx"
    send(town, county, p1)
    send(county, town, tmp_path / "c1.xlsx")
    stranger = signing.new_keys()  # a program installed as a township the county never paired with
    forged = rewrite(p1, tmp_path / "forged.xlsx", meta=lambda m: m.update(
        sender_code="430104009000", sender_name="冒名镇", seq=1, ack=0), rows=delete_record(child.uuid),
        key=(stranger.sign_public, stranger.sign_private))
    _refused(county, forged, "没有与“冒名镇”（430104009000）配对", town)
    assert [p.code for p in county.exchange.peers()] == sorted([town.code, town2.code])  # not registered

    # A paired township (a stolen or misused computer) sends the same deletion, signed with its real key.
    t2 = tmp_path / "t2.xlsx"
    town2.exchange.export(t2)
    stolen = rewrite(p1, tmp_path / "stolen.xlsx", meta=lambda m: m.update(
        sender_code=town2.code, sender_name=town2.name, seq=1, ack=0, based_on=0),
        rows=delete_record(child.uuid), key=station_key(town2))
    res = county.exchange.apply(stolen)
    assert res.status == "applied" and res.refused >= 1
    assert any("属于其他单位" in n for n in res.notes), res.notes
    assert _found(county, "被冒删")
    assert snapshot(county, town2.code)["child"] == {}  # nothing of town's landed under town2 either

    send(county, town, tmp_path / "c2.xlsx")  # the county's next routine reply to the real township
    assert _found(town, "被冒删")  # what `weibao find --all 被冒删` lists


def _found(site, name: str) -> bool:
    return site.children.page(ChildQuery(text=name, status=None)).total == 1


def test_a_paired_township_sending_another_townships_child_or_visit_is_refused_for_that_record(
        town, town2, county, tmp_path, clock):
    theirs = town.children.create(child_values(name="甲镇儿童"))
    send(town, county, tmp_path / "p1.xlsx")
    own = town2.children.create(child_values(name="乙镇儿童"))
    town2.visits.record(own.uuid, {"visited_on": clock(), "visitors": "乙镇", "mode": "入户", "living": "正常"})
    t2 = tmp_path / "t2.xlsx"
    town2.exchange.export(t2)

    # The other township's child (its record number, town2's values), and a visit hung on it.
    forged = rewrite(t2, tmp_path / "t2-forged.xlsx", rename={own.uuid: theirs.uuid}, key=station_key(town2))
    res = county.exchange.apply(forged)
    assert res.refused == 2, res.notes
    assert sum("属于其他单位" in n for n in res.notes) == 2
    assert county.children.get(theirs.uuid).name == "甲镇儿童"
    assert county.visits.for_child(theirs.uuid) == []


def test_each_refusal_says_which(town, town2, county, tmp_path):
    child = town.children.create(child_values(name="核对"))
    town.children.create(child_values(name="核对二"))
    p1, p2 = tmp_path / "p1.xlsx", tmp_path / "p2.xlsx"
    town.exchange.export(p1)

    _refused(county, rewrite(p1, tmp_path / "unsigned.xlsx", unsigned=True), "没有签名", town)
    attacker = signing.new_keys()
    _refused(county, rewrite(p1, tmp_path / "resigned.xlsx", key=(attacker.sign_public, attacker.sign_private)),
             "签名密钥未知", town)
    _refused(county, rewrite(p1, tmp_path / "tampered.xlsx", rows=delete_record(child.uuid)), "签名不符", town)
    _refused(county, rewrite(p1, tmp_path / "renumbered.xlsx", meta=lambda m: m.update(seq=7)), "签名不符", town)
    _refused(county, rewrite(p1, tmp_path / "reordered.xlsx", rows=lambda lines: lines.reverse()), "签名不符", town)
    _refused(county, rewrite(p1, tmp_path / "wrong-sender.xlsx", key=station_key(town2)), "发送方不符", town)

    assert county.exchange.apply(p1).status == "applied"
    town.children.update(child.uuid, {"notes": "第二包"})
    town.exchange.export(p2)
    assert county.exchange.apply(p2).status == "applied"
    replay = county.exchange.apply(p1)  # replayed after a newer one: reordered, nothing changes
    assert replay.status == "duplicate" and "较早的第1号" in replay.notes[0]
    again = county.exchange.apply(p2)
    assert again.status == "duplicate" and "已经导入过" in again.notes[0]
    assert county.children.get(child.uuid).notes == "第二包"


def test_a_township_with_a_new_computer_is_refused_until_the_county_confirms_the_re_pairing(
        town, county, tmp_path, clock, _migrated_template):
    town.children.create(child_values(name="换电脑前"))
    send(town, county, tmp_path / "p1.xlsx")
    fresh = make_town(tmp_path / "new-pc", _migrated_template, town.code, town.name, clock)  # same station, new key
    county.pairing.add(town.name, town.code, tmp_path / "开通2.xlsx")
    accepted = fresh.pairing.accept(tmp_path / "开通2.xlsx", tmp_path / "回执2.xlsx")
    fresh.children.create(child_values(name="换电脑后"))
    early = tmp_path / "new-p1.xlsx"
    fresh.exchange.export(early)
    _refused(county, early, "换了电脑尚未重新配对", town)  # encrypted with the new pair's password
    opened = unlock(early, tmp_path / "new-p1-open.xlsx", [p.password for p in fresh.pairing.partners()])
    _refused(county, opened, "已更换密钥", town)
    check = county.pairing.check_receipt(tmp_path / "回执2.xlsx")
    assert check.rekeyed and check.safety_code == accepted.safety_code
    confirmed = county.pairing.confirm(tmp_path / "回执2.xlsx")
    assert confirmed.rekeyed and [p.rekeyed for p in county.pairing.partners()] == [1]
    res = county.exchange.apply(early)
    assert res.status == "applied" and res.new == 1
    old = tmp_path / "old-p2.xlsx"
    town.exchange.export(old)  # the old computer, still around: its keys are no longer the paired ones
    _refused(county, old, "包密码都打不开", town)
    _refused(county, unlock(old, tmp_path / "old-p2-open.xlsx"), "签名密钥未知", town)
    assert _found(county, "换电脑前")


@pytest.mark.unpaired
def test_unpaired_stations_cannot_exchange_at_all(town, county, tmp_path):
    town.children.create(child_values(name="未配对"))
    with pytest.raises(WeibaoError, match="还没有与县级配对"):
        town.exchange.export(tmp_path / "p1.xlsx")
    with pytest.raises(WeibaoError, match="还没有与“430104001000”配对"):
        county.exchange.export(tmp_path / "c1.xlsx", peer_code=town.code)
    code = pair(county, town, tmp_path / "pairing")
    assert len(code) == 6 and code.isdigit()
    assert send(town, county, tmp_path / "p1.xlsx")[1].new == 1


def test_a_package_from_another_program_version_says_to_upgrade_both_sides(town, county, tmp_path):
    """A township on a newer release sends a package whose columns differ (here: one the county's program
    expects is not there): refused as before, and the message names both versions."""
    from openpyxl import load_workbook

    town.children.create(child_values(name="版本"))
    p1 = tmp_path / "p1.xlsx"
    town.exchange.export(p1)
    newer = rewrite(p1, tmp_path / "newer.xlsx", meta=lambda m: m.update(program="9.9.0"), key=station_key(town))
    wb = load_workbook(newer)
    sheet = next(ws for ws in wb.worksheets if ws.sheet_state == "visible" and ws.title != "说明")
    header = next(r for r in sheet.iter_rows(max_row=10) if any(c.value == "备注" for c in r))
    sheet.delete_cols(next(c.column for c in header if c.value == "备注"))
    wb.save(newer)
    _refused(county, newer, r"缺少列：备注[\s\S]*未保工作站 9\.9\.0 生成，本程序是 .*升级到同一版本", town)
