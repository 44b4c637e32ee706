"""Township ↔ county packages: complete, idempotent, nothing lost or silently overwritten."""
from __future__ import annotations

import datetime as dt

import pytest
from helpers import derived, send, snapshot
from sqlalchemy import func, select

from factories import RARE_NAME, child_values
from pairing_helpers import unlock
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.models.entities import ChangeLog, Child
from weibao_desktop.services.demo import build_demo


def _seed(town, n=15):
    build_demo(town.ws.ctx, n, 2, seed=7)
    return town.children.create(child_values(name=RARE_NAME), categories=["留守儿童"],
                                people=[{"relation": "母亲", "name": "刘𡒄", "status": "外出务工", "work_place": "广东省东莞市"}])


def _changes(site) -> int:
    with site.ws.store.sessions() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog))


def test_township_package_arrives_whole_at_the_county_and_twice_changes_nothing(town, county, tmp_path):
    rare = _seed(town)
    out, res = send(town, county, tmp_path / "p1.xlsx")
    assert res.status == "applied" and res.conflicts == 0 and res.refused == 0
    assert res.new == sum(out.counts.values())
    assert snapshot(county, town.code) == snapshot(town, town.code)
    assert derived(county, town.code) == derived(town, town.code)
    assert county.children.get(rare.uuid).name == RARE_NAME  # characters outside the BMP survive the trip
    before, changes = snapshot(county, town.code), _changes(county)
    again = county.exchange.apply(tmp_path / "p1.xlsx")
    assert again.status == "duplicate"
    assert snapshot(county, town.code) == before and _changes(county) == changes


def test_a_field_changed_on_one_side_is_taken_in_both_directions(town, county, tmp_path):
    child = _seed(town)
    send(town, county, tmp_path / "p1.xlsx")
    town.children.update(child.uuid, {"residence_address": "东村五组"})
    county.children.update(child.uuid, {"school_name": "城关镇中心小学"})
    _, res = send(county, town, tmp_path / "c1.xlsx")
    assert res.conflicts == 0
    _, res = send(town, county, tmp_path / "p2.xlsx")
    assert res.conflicts == 0
    for site in (town, county):
        d = site.children.get(child.uuid)
        assert (d.residence_address, d.school_name) == ("东村五组", "城关镇中心小学")
    assert snapshot(county, town.code) == snapshot(town, town.code)


def test_the_same_field_changed_on_both_sides_is_held_until_a_person_chooses(town, county, tmp_path):
    child = _seed(town)
    send(town, county, tmp_path / "p1.xlsx")
    town.children.update(child.uuid, {"notes": "乡镇：已联系母亲"})
    county.children.update(child.uuid, {"notes": "县级：请核实监护情况"})
    send(town, county, tmp_path / "p2.xlsx")
    [c] = county.exchange.conflicts()
    assert (c.field_label, c.base, c.mine, c.theirs) == ("备注", None, "县级：请核实监护情况", "乡镇：已联系母亲")
    assert county.children.get(child.uuid).notes == "县级：请核实监护情况"  # not overwritten while undecided
    county.exchange.resolve(c.id, "theirs")
    assert county.exchange.conflicts() == []
    send(county, town, tmp_path / "c1.xlsx")
    send(town, county, tmp_path / "p3.xlsx")
    assert town.exchange.conflicts() == [] and county.exchange.conflicts() == []
    assert town.children.get(child.uuid).notes == county.children.get(child.uuid).notes == "乡镇：已联系母亲"


def test_two_people_deciding_a_conflict_differently_are_asked_again(town, county, tmp_path):
    child = _seed(town)
    send(town, county, tmp_path / "p1.xlsx")
    send(county, town, tmp_path / "c1.xlsx")
    town.children.update(child.uuid, {"notes": "甲"})
    county.children.update(child.uuid, {"notes": "乙"})
    town.exchange.export(tmp_path / "p2.xlsx")
    county.exchange.export(tmp_path / "c2.xlsx", peer_code=town.code)
    county.exchange.apply(tmp_path / "p2.xlsx")
    town.exchange.apply(tmp_path / "c2.xlsx")
    [tc], [cc] = town.exchange.conflicts(), county.exchange.conflicts()
    town.exchange.resolve(tc.id, "mine")  # 甲
    county.exchange.resolve(cc.id, "mine")  # 乙
    send(town, county, tmp_path / "p3.xlsx")
    send(county, town, tmp_path / "c3.xlsx")
    assert [c.field for c in county.exchange.conflicts()] == ["notes"]
    assert [c.field for c in town.exchange.conflicts()] == ["notes"]


def test_a_delete_meets_an_edit_as_a_conflict(town, county, tmp_path):
    child = _seed(town)
    send(town, county, tmp_path / "p1.xlsx")
    send(county, town, tmp_path / "c1.xlsx")
    town.children.delete(child.uuid)
    county.children.update(child.uuid, {"notes": "县级补充"})
    send(town, county, tmp_path / "p2.xlsx")
    conflicts = county.exchange.conflicts()
    assert [c.field for c in conflicts] == ["deleted_at"]
    assert county.children.get(child.uuid).notes == "县级补充"
    county.exchange.resolve(conflicts[0].id, "theirs")
    send(county, town, tmp_path / "c2.xlsx")
    send(town, county, tmp_path / "p3.xlsx")
    assert snapshot(county, town.code) == snapshot(town, town.code)
    with county.ws.store.sessions() as s:
        row = s.scalar(select(Child).where(Child.uuid == child.uuid))
        assert row.deleted_at is not None and row.notes == "县级补充"  # a tombstone keeps what it held


def test_a_lost_package_is_covered_by_the_next_and_an_old_one_changes_nothing(town, county, tmp_path):
    child = _seed(town)
    send(town, county, tmp_path / "p1.xlsx")
    send(county, town, tmp_path / "c1.xlsx")  # the county acknowledges package 1
    town.children.update(child.uuid, {"notes": "第二包的修改"})
    town.exchange.export(tmp_path / "p2.xlsx")  # lost on the way
    town.children.update(child.uuid, {"residence_address": "第三包的修改"})
    _, res = send(town, county, tmp_path / "p3.xlsx")
    assert any("未收到" in n for n in res.notes)
    d = county.children.get(child.uuid)
    assert (d.notes, d.residence_address) == ("第二包的修改", "第三包的修改")
    late = county.exchange.apply(tmp_path / "p2.xlsx")  # turns up after all
    assert late.status == "duplicate"
    assert county.children.get(child.uuid).residence_address == "第三包的修改"


def test_county_decisions_and_new_cases_reach_the_township(town, county, tmp_path, clock):
    child = _seed(town)
    send(town, county, tmp_path / "p1.xlsx")
    county.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": clock(), "assessor": "县级复核组",
                                           "result": "红", "reason": "县级复核：母亲失联"},
                              help_measure={"kind": "心理疏导", "started_on": clock(), "responsible": "县未保中心"})
    village = next(v for v in county.stations.info().villages) if county.stations.info().villages else None
    assigned = county.children.create(child_values(name="公安转来"), station_code=town.code)
    _, res = send(county, town, tmp_path / "c1.xlsx")
    assert res.conflicts == 0 and res.new >= 3
    d = town.children.get(child.uuid)
    assert d.risk_colour == "red" and d.open_actions == 1 and not d.needs_action
    assert d.next_visit_due == clock() + dt.timedelta(days=7)  # red: the intervention followed up within a week
    assert town.children.get(assigned.uuid).name == "公安转来"
    assert village is None


@pytest.mark.parametrize("mutate, message", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "没有下载或复制完整"),
    (lambda p: p.write_bytes(b"not a spreadsheet at all"), "不是 Excel"),
])
def test_damaged_files_are_refused_and_change_nothing(town, county, tmp_path, mutate, message):
    _seed(town)
    path = tmp_path / "p1.xlsx"
    town.exchange.export(path)
    mutate(path)
    before = snapshot(county, town.code)
    with pytest.raises(WeibaoError, match=message):
        county.exchange.apply(path)
    assert snapshot(county, town.code) == before and [p.last_seq_in for p in county.exchange.peers()] == [0]


def test_a_package_for_another_station_or_county_is_refused(town, town2, county, tmp_path):
    _seed(town)
    path = tmp_path / "p1.xlsx"
    town.exchange.export(path)
    with pytest.raises(WeibaoError, match="包密码都打不开它：它可能是发给别的单位的"):
        town2.exchange.apply(path)
    with pytest.raises(WeibaoError, match="不是本站"):  # opened by hand and saved without the password
        town2.exchange.apply(unlock(path, tmp_path / "p1-open.xlsx"))
    send(town, county, path)
    back = tmp_path / "c1.xlsx"
    county.exchange.export(back, peer_code=town.code)
    with pytest.raises(WeibaoError, match="包密码都打不开"):
        town2.exchange.apply(back)
    with pytest.raises(WeibaoError, match="不是本站"):
        town2.exchange.apply(unlock(back, tmp_path / "c1-open.xlsx"))


def test_a_tampered_machine_sheet_is_refused(town, county, tmp_path):
    from openpyxl import load_workbook

    _seed(town)
    path = tmp_path / "p1.xlsx"
    town.exchange.export(path)
    wb = load_workbook(unlock(path))
    ws = wb["_rows"]
    ws.cell(row=1, column=3).value = 99  # a forged version number
    wb.save(path)
    with pytest.raises(WeibaoError, match="校验失败"):
        county.exchange.apply(path)
    assert snapshot(county, town.code)["child"] == {}


def test_an_apply_can_be_undone_from_the_log(town, county, tmp_path):
    child = _seed(town)
    send(town, county, tmp_path / "p1.xlsx")
    send(county, town, tmp_path / "c1.xlsx")
    county.children.update(child.uuid, {"notes": "县级意见"})
    town.children.update(child.uuid, {"residence_address": "新址"})
    town.visits.record(child.uuid, {"living": "正常", "visited_on": town.ws.ctx.today(), "visitors": "王主任", "mode": "入户"})
    before = snapshot(county, town.code)
    _, res = send(town, county, tmp_path / "p2.xlsx")
    assert res.changed >= 1 and res.new == 1
    assert snapshot(county, town.code) != before
    county.exchange.undo(res.import_id)
    assert snapshot(county, town.code) == before
    again = county.exchange.apply(tmp_path / "p2.xlsx")
    assert again.status == "applied" and county.children.get(child.uuid).residence_address == "新址"
    log = county.exchange.log()
    assert any(r["detail"].get("undone_at") for r in log if r["kind"] == "package")


def test_the_same_child_in_two_townships_is_flagged_at_the_county(town, town2, county, tmp_path):
    values = child_values(name="重复甲")
    a = town.children.create(values)
    town2.children.create({**values, "name": "重复乙"})  # same id number, other township
    send(town, county, tmp_path / "p1.xlsx")
    send(town2, county, tmp_path / "q1.xlsx")
    [dup] = county.exchange.duplicates()
    assert dup.id_number_masked.startswith(a.id_number[:6]) and "*" in dup.id_number_masked
    assert sorted(name for _, name, _ in dup.children) == ["重复乙", "重复甲"]


def test_a_cancelled_export_or_import_leaves_no_file_and_changes_nothing(town, county, tmp_path):
    _seed(town)
    out = tmp_path / "stick"
    out.mkdir()
    path = out / "p1.xlsx"
    with pytest.raises(WeibaoError, match="已取消"):
        town.exchange.export(path, cancelled=lambda: True)
    assert list(out.iterdir()) == []  # neither the package nor a half-written one
    assert town.exchange.export(path).seq == 1  # the sequence number was not used up
    steps = []
    with pytest.raises(WeibaoError, match="已取消"):
        county.exchange.apply(path, progress=lambda done, total, text: steps.append(text),
                              cancelled=lambda: len(steps) >= 3)
    assert snapshot(county, town.code)["child"] == {} and [p.last_seq_in for p in county.exchange.peers()] == [0]
    assert county.exchange.apply(path).status == "applied"


def test_the_county_builds_county_wide_ledgers_and_a_summary_by_township(town, town2, county, tmp_path):
    import python_calamine as pc

    build_demo(town.ws.ctx, 12, 1, seed=1)
    build_demo(town2.ws.ctx, 8, 1, seed=2)
    send(town, county, tmp_path / "p1.xlsx")
    send(town2, county, tmp_path / "q1.xlsx")
    county.ledger.export("summary", tmp_path / "summary.xlsx")
    rows = pc.CalamineWorkbook.from_path(tmp_path / "summary.xlsx").get_sheet_by_index(0).to_python()
    by_unit = {r[0]: r[1] for r in rows if r and r[0] in ("城关镇", "河西乡", "合计")}
    assert by_unit == {"城关镇": 12, "河西乡": 8, "合计": 20}
    assert any(r and r[0] == "乡镇(街道)" for r in rows)
    county.ledger.export("children", tmp_path / "children.xlsx")
    rows = pc.CalamineWorkbook.from_path(tmp_path / "children.xlsx").get_sheet_by_index(0).to_python()
    villages = {r[6] for r in rows if r and isinstance(r[0], float)}
    assert len([r for r in rows if r and isinstance(r[0], float)]) == 20
    assert villages and all(v.split("·")[0] in ("城关镇", "河西乡") for v in villages)


def test_a_decompression_bomb_posing_as_a_package_is_refused_before_it_is_unpacked(county, tmp_path):
    import zipfile

    bomb = tmp_path / "数据包.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (64 * 1024 * 1024))  # deflates about 1000:1
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(WeibaoError, match="疑似恶意文件"):
        county.exchange.apply(bomb)
    assert county.exchange.peers() == []


def test_each_apply_backs_the_store_up_first_and_only_the_newest_copies_are_kept(town, county, tmp_path, county_backend):
    if county_backend != "sqlite":
        pytest.skip("a server database is backed up by the server's own tools")
    child = _seed(town, n=2)
    directory = county.ws.store.path.parent
    for k in range(5):
        town.children.update(child.uuid, {"notes": f"第{k}次"})
        send(town, county, tmp_path / f"p{k}.xlsx")
    from weibao_desktop.models.backups import list_backups

    copies = [b.path for b in list_backups(directory, "weibao") if b.label == "before-package" and b.ok][::-1]
    assert len(copies) == 3  # only the newest copies are kept, each whole
    import rawdb

    with rawdb.connect(copies[-1]) as con:  # the newest copy holds the store as it was before package 5
        assert con.execute("select notes from child where uuid = ?", (child.uuid,)).fetchone() == ("第3次",)


def test_the_county_counts_two_townships_villages_of_one_name_apart(town, town2, county, tmp_path):
    """Village names are unique within a township only: the county names each with its township, and the
    villages add up to everyone (on PostgreSQL too, as whole numbers)."""
    for site in (town, town2):
        village = site.ws.stations.add_village("新村")
        site.children.create(child_values(village_id=village.id))
        site.children.create(child_values())
    send(town, county, tmp_path / "t1.xlsx")
    send(town2, county, tmp_path / "t2.xlsx")
    stats = county.ws.stats.stats()
    assert stats.by_village == {"城关镇·新村": 1, "河西乡·新村": 1, "未分村": 2}
    assert sum(stats.by_village.values()) == stats.total_active == 4
    assert all(type(n) is int for n in stats.by_village.values())
