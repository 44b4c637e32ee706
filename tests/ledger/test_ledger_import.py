"""Importing the ledgers people really make: LibreOffice-made messy files, normalisation, matching,
the preview, one transaction, idempotency, and the error report round trip."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from factories import FIXED_DATE
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.domain.idnumber import make_id_number
from weibao_desktop.sync import ledger_import as LI
from weibao_desktop.sync.ledger_columns import CHILDREN, header_index
from weibao_desktop.sync.safe_read import SheetData, WorkbookData

DATA_TABLES = ("child", "person", "category_membership", "relief", "assessment", "change_log")


def data_snapshot(db, store):
    snap = db.snapshot(store)
    return {t: snap[t] for t in DATA_TABLES}


def test_numbers_ledger_made_by_libreoffice_previews_correctly(ws, data_file, db, store):
    before = data_snapshot(db, store)
    p = ws.ledger.preview(data_file("东村留守儿童花名册.xlsx"))
    assert p.counts == {"new": 4, "changed": 0, "unchanged": 0, "rejected": 1}
    assert [r.name for r in p.new] == ["王梓涵", "张欣怡", "刘俊杰", "陈雨桐"]
    bad = p.rejected[0]
    assert (bad.row, bad.column, bad.header) == (6, "E", "身份证号码")
    assert "当作数字保存" in bad.reason and "第15位以后的数字已丢失" in bad.reason
    assert p.unknown_columns == (("东村留守儿童花名册", "J", "备用列"),)
    assert p.skipped_rows == 1  # the 合计 row
    assert any("按标题记为“农村留守儿童”" in n for n in p.notes)
    assert any("陈雨桐" in w and "红色" in w for w in p.warnings)
    assert data_snapshot(db, store) == before  # a preview changes nothing


def test_numbers_ledger_applies_dates_in_every_form(ws, data_file):
    ws.ledger.apply(data_file("东村留守儿童花名册.xlsx"))
    births = {c.name: (c.birth_date, c.sex, c.village, c.risk_colour) for c in
              (ws.children.get(r) for r in ws.children.search_ids())}
    assert births["王梓涵"] == (dt.date(2015, 3, 1), "F", "东村", "yellow")  # 2015/3/1 read as a date cell
    assert births["张欣怡"] == (dt.date(2013, 7, 8), "F", "东村", "blue")  # 20130708 as a number, sex "2"
    assert births["刘俊杰"] == (dt.date(2015, 3, 1), "M", "东村", "blue")  # Excel serial 42064, sex "1"
    assert births["陈雨桐"] == (dt.date(2016, 2, 29), "F", "东村", "red")  # 2016年2月29日
    child = ws.children.get(ws.children.search_ids()[0])
    assert [c.category for c in child.categories] == ["left_behind"]
    assert child.people[0].relation == "entrusted" and child.people[0].phone.startswith("139073100")


def test_text_ledger_normalises_every_damaged_value(ws, village_ids, data_file):
    p = ws.ledger.preview(data_file("儿童台账_文本格式.xls"))
    assert p.format == "xls"
    assert p.counts == {"new": 4, "changed": 0, "unchanged": 0, "rejected": 4}
    reasons = {r.name: (r.column, r.reason) for r in p.rejected}
    assert reasons["郑一诺"][0] == "G" and "结对帮扶人" in reasons["郑一诺"][1]
    assert reasons["钱嘉乐"][0] == "B" and "科学计数法" in reasons["钱嘉乐"][1]
    assert reasons["冯梓轩"][0] == "E" and "北村" in reasons["冯梓轩"][1]
    assert reasons["蒋依宁"][0] == "F" and "生存困难" in reasons["蒋依宁"][1]
    ws.ledger.apply(data_file("儿童台账_文本格式.xls"))
    kids = {ws.children.get(i).name: ws.children.get(i) for i in ws.children.search_ids()}
    zhao, sun, zhou, wu = kids["赵博文"], kids["孙可馨"], kids["周思远"], kids["吴若曦"]
    assert zhao.id_number.isdigit() and len(zhao.id_number) == 18  # spaces removed
    assert sun.id_number.endswith("X")  # lowercase x
    assert zhou.id_number.isascii() and zhou.birth_date == dt.date(2010, 6, 1)  # full-width digits, 2010.6.1
    assert not wu.id_number.endswith(".0") and wu.birth_date == dt.date(2009, 9, 9) and wu.sex == "F"
    assert {c.category for c in zhao.categories} == {"left_behind", "dibao"}
    assert {c.category for c in sun.categories} == {"left_behind", "single_parent"}
    assert {c.category for c in zhou.categories} == {"left_behind", "seriously_ill"}
    assert {c.category for c in wu.categories} == {"left_behind", "disabled"}
    assert (zhao.risk_colour, sun.risk_colour, zhou.risk_colour) == ("red", "yellow", "blue")
    assert zhao.needs_action  # red without help yet: flagged on the dashboard
    father = next(pp for pp in zhao.people if pp.relation == "father")
    assert father.phone == "13907310011"
    mother = next(pp for pp in wu.people if pp.relation == "mother")
    assert mother.status == "dead" and mother.phone is None
    assert zhao.notes == '=HYPERLINK("x")'
    assert ws.assessments.history(zhao.uuid, "risk")[0].reason.startswith("依据台账")


@pytest.mark.parametrize("name", ["南村两行表头.xlsx", "南村两行表头.ods"])
def test_merged_two_row_header_made_by_libreoffice(ws, data_file, name):
    p = ws.ledger.preview(data_file(name))
    assert p.counts == {"new": 2, "changed": 0, "unchanged": 0, "rejected": 1}
    assert p.rejected[0].header == "证件号码" and p.rejected[0].row == 7
    assert p.unknown_columns == ()
    ws.ledger.apply(data_file(name))
    he = ws.children.get(ws.children.search_ids()[0])
    people = {pp.relation: pp for pp in he.people}
    assert people["father"].name == "何国庆" and people["father"].status == "migrant"
    assert people["father"].work_place == "广东省东莞市" and people["mother"].phone == "13907310022"
    assert people["entrusted"].name == "何老汉" and people["entrusted"].relation_detail == "祖父"
    assert he.birth_date == dt.date(2013, 8, 8)  # 2013.08.08 as text


def test_same_file_again_changes_nothing(ws, data_file, db, store):
    path = data_file("儿童台账_文本格式.xls")
    first = ws.ledger.apply(path)
    assert first.preview.counts["new"] == 4
    before = data_snapshot(db, store)
    again = ws.ledger.apply(path)
    assert again.preview.counts == {"new": 0, "changed": 0, "unchanged": 4, "rejected": 4}
    assert "导入过" in again.preview.previously
    assert data_snapshot(db, store) == before
    logs = db.query(store, "SELECT kind, file_name, file_hash, actor, counts FROM import_log ORDER BY id")
    assert len(logs) == 2 and logs[0][0] == "ledger" and logs[0][1] == "儿童台账_文本格式.xls"
    assert len(logs[0][2]) == 64 and logs[0][2] == logs[1][2]


def test_changes_are_shown_field_by_field_and_go_through_the_history(ws, village_ids, make_child, data_file):
    zhao_id = make_id_number("430104", dt.date(2012, 1, 15), 1)
    path = data_file("儿童台账_文本格式.xls")
    number = ws.ledger.preview(path).new[0]
    existing = make_child(name="赵博文", sex="M", birth_date=dt.date(2012, 1, 15), id_number=_full(ws, path, "赵博文"),
                          village_id=village_ids["东村"], categories=["left_behind"])
    assert zhao_id or number
    p = ws.ledger.preview(path)
    row = next(r for r in p.changed if r.name == "赵博文")
    changes = {(c.field, c.old, c.new) for c in row.changes}
    assert ("所属村(社区)", "东村", "西村") in changes
    assert ("儿童类别", "（无）", "新增 低保家庭儿童") in changes
    assert ("风险等级", "未评估", "红") in changes
    assert ("父亲", "（无）", "新增 赵志强") in changes
    assert ("备注", "（空）", '=HYPERLINK("x")') in changes
    ws.ledger.apply(path)
    after = ws.children.get(existing.uuid)
    assert after.village == "西村" and after.rev > existing.rev and after.risk_colour == "red"
    history = {(h.field_label, h.old, h.new) for h in ws.children.history(existing.uuid)}
    assert ("备注", "（空）", '=HYPERLINK("x")') in history and ("风险等级", "（空）", "红") in history


def _full(ws, path, name):
    """The full id number the file holds for this child (from a throw-away import into a copy)."""
    from weibao_desktop.sync.ledger_import import parse_children
    from weibao_desktop.sync.safe_read import read_workbook

    parsed = parse_children(read_workbook(path), FIXED_DATE)
    return next(r.values["id_number"] for r in parsed.sheets[0].rows if r.values.get("name") == name)


def test_own_export_edited_and_imported_matches_by_uuid(ws, make_child, village_ids, tmp_path):
    child = make_child(village_id=village_ids["东村"], categories=["left_behind"], contact_phone="13900000001")
    path = ws.ledger.export("children", tmp_path / "c.xlsx").path
    wb = openpyxl.load_workbook(path)
    sheet = wb["儿童信息台账"]
    cols = {}
    for i in range(1, sheet.max_column + 1):  # the child's own columns come before the parents' ones
        cols.setdefault(sheet.cell(4, i).value or sheet.cell(5, i).value, i)
    sheet.cell(6, cols["联系电话"]).value = "13900000002"
    sheet.cell(6, cols["公民身份号码"]).value = None  # blank: keeps the stored number, matched by 档案编号
    wb.save(path)
    p = ws.ledger.preview(path)
    assert p.counts == {"new": 0, "changed": 1, "unchanged": 0, "rejected": 0}
    assert [(c.field, c.old, c.new) for c in p.changed[0].changes] == [("联系电话", "13900000001", "13900000002")]
    ws.ledger.apply(path)
    after = ws.children.get(child.uuid)
    assert after.contact_phone == "13900000002" and after.id_number == child.id_number and after.rev == child.rev + 1


def test_error_report_round_trip(ws, data_file, tmp_path):
    path = data_file("儿童台账_文本格式.xls")
    result = ws.ledger.apply(path)
    report = ws.ledger.write_error_report(result.preview, tmp_path / "错误报告.xlsx")
    wb = openpyxl.load_workbook(report)
    sheet = wb.worksheets[0]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 3).value == "未导入原因")
    cols = {sheet.cell(header_row, i).value: i for i in range(1, sheet.max_column + 1)}
    rows = {sheet.cell(r, cols["姓名"]).value: r for r in range(header_row + 1, sheet.max_row + 1)
            if sheet.cell(r, cols["姓名"]).value}
    assert set(rows) == {"郑一诺", "钱嘉乐", "冯梓轩", "蒋依宁"}
    reason = sheet.cell(rows["钱嘉乐"], cols["未导入原因"])
    assert "科学计数法" in reason.value and reason.fill.fgColor.rgb.endswith("FFC7CE")
    bad_id = sheet.cell(rows["钱嘉乐"], cols["公民身份号码"])
    assert bad_id.fill.fgColor.rgb.endswith("FFC7CE") and bad_id.number_format == "@"
    sheet.cell(rows["郑一诺"], cols["结对帮扶人"]).value = "王督导"
    sheet.cell(rows["钱嘉乐"], cols["公民身份号码"]).value = make_id_number("430104", dt.date(2014, 4, 4), 98)
    sheet.cell(rows["冯梓轩"], cols["村(社区)"]).value = "西村"
    sheet.cell(rows["蒋依宁"], cols["儿童类别"]).value = "留守儿童、生活困境儿童"
    wb.save(report)
    again = ws.ledger.apply(report)
    assert again.preview.counts == {"new": 4, "changed": 0, "unchanged": 0, "rejected": 0}
    assert again.preview.unknown_columns == ()
    assert len(ws.children.search_ids()) == 8


def test_a_row_twice_in_the_file_is_rejected_the_second_time(ws, tmp_path):
    number = make_id_number("430104", dt.date(2015, 3, 1), 1)
    path = _workbook(tmp_path, [["姓名", "性别", "出生日期", "身份证号"], ["甲", "男", "2015-03-01", number],
                                ["甲", "男", "2015-03-01", number]])
    p = ws.ledger.preview(path)
    assert p.counts["new"] == 1 and p.counts["rejected"] == 1 and "第2行" in p.rejected[0].reason


def test_id_number_contradicting_birth_and_sex_is_rejected_not_fixed(ws, tmp_path):
    number = make_id_number("430104", dt.date(2015, 3, 1), 1)  # a boy born 2015-03-01
    path = _workbook(tmp_path, [["姓名", "性别", "出生日期", "身份证号"], ["乙", "女", "2015-03-02", number]])
    p = ws.ledger.preview(path)
    reason = p.rejected[0].reason
    assert "出生日期2015-03-02与身份证号中的2015-03-01不一致" in reason and "性别" in reason


def test_birth_and_sex_come_from_the_id_number_when_missing(ws, tmp_path):
    number = make_id_number("430104", dt.date(2016, 7, 8), 2)
    ws.ledger.apply(_workbook(tmp_path, [["姓名", "身份证号"], ["丙", number]]))
    child = ws.children.get(ws.children.search_ids()[0])
    assert (child.birth_date, child.sex) == (dt.date(2016, 7, 8), "F")


def _workbook(tmp_path, rows) -> str:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    return path


# normalisation, one cell at a time

X_NUMBER = next(n for n in (make_id_number("430104", dt.date(2015, 3, 1), s) for s in range(1, 999, 2)) if n.endswith("X"))


def _parse(rows, merged=()):
    book = WorkbookData("t.xlsx", "0" * 64, 1, "xlsx", [SheetData("表1", rows, list(merged))])
    return LI.parse_children(book, FIXED_DATE).sheets[0]


def _one(header, value):
    sheet = _parse([["姓名", "性别", "出生日期", header], ["甲", "男", "2015-03-01", value]])
    row = sheet.rows[0]
    return row.values, [p.reason for p in row.problems]


@pytest.mark.parametrize("cell", [
    X_NUMBER, X_NUMBER.lower(), f" {X_NUMBER[:6]} {X_NUMBER[6:]} ", X_NUMBER + ".0",
    "".join(chr(ord(c) + 0xFEE0) for c in X_NUMBER),
])
def test_id_number_forms(cell):
    values, problems = _one("公民身份号码", cell)
    assert values["id_number"] == X_NUMBER and not problems


def test_id_number_from_a_number_cell_and_in_scientific_notation():
    digits = make_id_number("430104", dt.date(2015, 3, 1), 1)
    assert digits[-1] != "X"
    assert _one("身份证号", int(digits))[0]["id_number"] == digits  # an integer cell keeps every digit
    values, problems = _one("身份证号", float(digits))
    assert "id_number" not in values and "第15位以后的数字已丢失" in problems[0]
    values, problems = _one("证件号码", "4.30104201503011E+17")
    assert "科学计数法" in problems[0]


@pytest.mark.parametrize("cell", [
    dt.date(2015, 3, 1), dt.datetime(2015, 3, 1, 8, 30), 42064.0, "2015-03-01", "2015/3/1", "2015.3.1",
    "2015年3月1日", "20150301", 20150301.0, "2015-03-01 08:30:00", "２０１５－０３－０１",
])
def test_date_forms(cell):
    sheet = _parse([["姓名", "性别", "出生日期"], ["甲", "男", cell]])
    assert sheet.rows[0].values["birth_date"] == dt.date(2015, 3, 1)


def test_impossible_date_names_the_cell():
    sheet = _parse([["姓名", "性别", "出生日期"], ["甲", "男", "2015-02-30"]])
    problem = sheet.rows[0].problems[0]
    assert (problem.row, problem.column, problem.header) == (2, "C", "出生日期") and "2月没有30日" in problem.reason


@pytest.mark.parametrize("cell,code", [("男", "M"), ("女", "F"), (1.0, "M"), (2.0, "F"), ("1", "M"), ("2", "F"),
                                       ("男性", "M")])
def test_sex_forms(cell, code):
    sheet = _parse([["姓名", "性别", "出生日期"], ["甲", cell, "2015-03-01"]])
    assert sheet.rows[0].values["sex"] == code


@pytest.mark.parametrize("sep", ["、", "，", ",", ";", "/", " ", "；", "　"])
def test_categories_in_one_cell(sep):
    values, problems = _one("儿童类别", f"留守儿童{sep}低保家庭{sep}孤儿")
    # a bare 孤儿 says neither kind: kept undetermined for the 资格核查, never guessed as 社会散居
    assert values["categories"] == "left_behind,orphan_unspecified,dibao" and not problems


@pytest.mark.parametrize("cell,code", [("红", "red"), ("红色", "red"), ("红色等级", "red"), ("红级", "red"),
                                       ("橙色预警", "orange"), ("黄", "yellow"), ("蓝色等级", "blue"),
                                       ("红色（高风险）", "red"), ("高风险", "red")])
def test_colour_forms(cell, code):
    assert _one("风险等级", cell)[0]["risk_colour"] == code


def test_header_below_title_rows_with_merged_groups_synonyms_and_skipped_rows():
    rows = [
        ["城关镇西村留守儿童花名册", "", "", "", "", "", ""],
        ["填报单位：西村", "", "", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        ["证件号码", "学生姓名", "生日", "父亲", "", "委托监护人", "乱七八糟"],
        ["", "", "", "名字", "手机", "关系", ""],
        ["栏次", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        [X_NUMBER, "甲", "2015-03-01", "张三", 13907310001.0, "祖母", "?"],
        ["", "", "", "", "", "", ""],
        ["合  计", "1人", "", "", "", "", ""],
        ["单位负责人：", "", "", "填表人：", "", "", ""],
    ]
    merged = [((0, 0), (0, 6)), ((3, 3), (3, 4)), ((3, 0), (4, 0)), ((3, 1), (4, 1))]
    sheet = _parse(rows, merged)
    assert sheet.header_rows == (4, 5)
    assert {c.key for c in sheet.columns} == {"id_number", "name", "birth_date", "father.name", "father.phone",
                                              "entrusted.relation_detail"}
    assert sheet.unknown == [("G", "乱七八糟")]
    assert len(sheet.rows) == 1 and sheet.skipped == 3
    values = sheet.rows[0].values
    assert values["father.phone"] == "13907310001" and values["sex"] == "M" and values["categories"] == "left_behind"


def test_header_synonyms_in_any_order():
    index = header_index(CHILDREN)
    for text, key in [("身份证号码（18位）", "id_number"), ("公民身份号码", "id_number"), ("证件号码", "id_number"),
                      ("身份证号", "id_number"), ("监护人姓名", "entrusted.name"), ("委托监护人电话", "entrusted.phone"),
                      ("父亲联系电话", "father.phone"), ("村（社区）", "village"), ("* 姓 名", "name")]:
        assert index.lookup(text) == key, text


def test_file_without_a_children_header_says_what_it_is(ws, tmp_path):
    path = ws.ledger.export("help", tmp_path / "v.xlsx").path  # 走访记录台账 imports now (the villages' visits)
    with pytest.raises(WeibaoError, match="帮扶与转介台账"):
        ws.ledger.preview(path)
