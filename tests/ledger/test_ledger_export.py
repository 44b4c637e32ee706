"""Exported ledgers: what the county clerk sees in a real office program, and the layout of the file."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from ledger_helpers import RARE_NAME

from weibao_desktop.cli import main
from weibao_desktop.domain.codes import COLOUR_RGB
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.sync.ledger_export import SummaryRow, check_summary

KINDS = ("children", "visits", "risk", "help", "reports", "hotline", "summary")


@pytest.mark.libreoffice
def test_every_ledger_opens_in_libreoffice_with_the_same_values(ws, station, tmp_path, libreoffice):
    files = []
    for kind in KINDS:
        result = ws.ledger.export(kind, tmp_path / f"{kind}.xlsx", date_from=dt.date(2024, 1, 1))
        files.append(result.path)
    sheets = libreoffice.to_csv(files, tmp_path / "csv")
    children = sheets["children-儿童信息台账"]
    a = station["a"]
    assert children[0][0] == "城关镇儿童信息台账"
    assert children[1][0].startswith("填报单位")
    row = next(r for r in children if RARE_NAME in r)  # the rare character survived
    assert a.id_number in row  # all 18 characters, as text
    assert "2015-03-01" in row  # a real date shown yyyy-mm-dd
    assert "13907311234" in row
    assert "=1+1" in row and "2" not in row[-2:]  # the formula-looking note stays text, never evaluated
    assert "农村留守儿童、低保家庭儿童" in row
    assert a.uuid in row
    top = next(i for i, r in enumerate(children) if "父亲" in r)  # two header rows: groups, then names
    assert "母亲" in children[top] and "被委托人" in children[top] and "与儿童关系" in children[top + 1]
    assert children[-1][0].startswith("单位负责人")
    visits = sheets["visits-走访记录台账"]
    assert any("2024-06-11" in r and "入户" in r and a.id_number in r for r in visits)
    risk = sheets["risk-风险等级台账"]
    assert any("红" in r and "长期无人照料" in r and "2024-06-14" in r for r in risk)
    help_rows = sheets["help-帮扶与转介台账"]
    assert any("帮扶措施" in r and "生活救助" in r for r in help_rows)
    assert any("转介" in r and "公安机关" in r for r in help_rows)
    clue = sheets["reports-强制报告线索台账"]
    assert any("2024-06-01 09:30" in r and "反映无人照料" in r and "学校报告" in r for r in clue)
    calls = sheets["hotline-热线记录台账"]
    assert any("07318888888" in r and "咨询政策" in r for r in calls)
    summary = sheets["summary-统计汇总表"]
    total = next(r for r in summary if r[0] == "合计")
    assert total[1:4] == ["3", "2", "1"]  # 在册 3 = 男 2 + 女 1
    east = next(r for r in summary if r[0] == "东村")
    assert east[1] == "1"


def test_children_ledger_looks_like_the_paper_template(ws, station, tmp_path):
    path = ws.ledger.export("children", tmp_path / "c.xlsx").path
    wb = openpyxl.load_workbook(path)
    sheet = wb["儿童信息台账"]
    assert "A1:" in " ".join(str(r) for r in sheet.merged_cells.ranges)
    assert sheet["A1"].font.b and sheet["A1"].value == "城关镇儿童信息台账"
    assert sheet["A3"].value == "在册儿童"  # the filter line
    assert sheet.freeze_panes == "C6"
    assert sheet.print_title_rows == "$4:$5"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize in (9, "9")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and int(sheet.page_setup.fitToHeight) == 0
    assert int(sheet.page_setup.fitToWidth) >= 2 and sheet.print_title_cols == "$A:$B"  # 序号, 姓名 on every page
    assert "&P" in sheet.oddFooter.center.text
    header = {c.value: c for c in sheet[5] if c.value} | {c.value: c for c in sheet[4] if c.value}
    assert header["姓名"].font.b and header["姓名"].border.left.style == "thin"
    assert "父亲" in header and "被委托人" in header
    cols = {sheet.cell(4, i).value or sheet.cell(5, i).value: i for i in range(1, sheet.max_column + 1)}
    rows = {sheet.cell(r, cols["姓名"]).value: r for r in range(6, sheet.max_row + 1)}
    r = rows[RARE_NAME]
    id_cell = sheet.cell(r, cols["公民身份号码"])
    assert id_cell.data_type == "s" and id_cell.number_format == "@"
    phone = sheet.cell(r, cols["联系电话"])
    assert phone.data_type == "s" and phone.number_format == "@"
    birth = sheet.cell(r, cols["出生日期"])
    assert isinstance(birth.value, dt.datetime) and birth.number_format == "yyyy-mm-dd"
    note = sheet.cell(r, cols["备注"])
    assert note.value == "=1+1" and note.data_type == "s" and note.quotePrefix
    red = sheet.cell(rows[station["b"].name], cols["风险等级"])
    assert red.value == "红" and red.fill.fgColor.rgb.endswith(COLOUR_RGB["red"].lstrip("#"))
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in sheet.data_validations.dataValidation}
    sex_letter = openpyxl.utils.get_column_letter(cols["性别"])
    assert sex_letter in lists
    options = wb["下拉选项"]
    assert options.sheet_state == "hidden"
    assert ["男", "女"] == [c.value for c in options[lists[sex_letter].split("$")[1]][1:3]]
    assert sheet.column_dimensions["B"].width >= 6 and sheet.column_dimensions[
        openpyxl.utils.get_column_letter(cols["公民身份号码"])].width >= 19


def test_category_and_village_filters_and_their_title(ws, station, tmp_path):
    left = ws.ledger.export("children", tmp_path / "l.xlsx", category="留守儿童")
    assert left.title == "城关镇农村留守儿童信息台账" and left.rows == 2
    west = ws.ledger.export("children", tmp_path / "w.xlsx", village="西村")
    assert west.title == "城关镇西村儿童信息台账" and west.rows == 2
    with pytest.raises(WeibaoError, match="没有村"):
        ws.ledger.export("children", tmp_path / "x.xlsx", village="北村")
    assert not (tmp_path / "x.xlsx").exists()


def test_every_export_is_in_the_print_log(ws, station, tmp_path):
    ws.ledger.export("risk", tmp_path / "r.xlsx")
    log = ws.printing.log()
    assert log[0].form == "ledger_risk" and log[0].subject_count == 3 and log[0].target.endswith("r.xlsx")


def test_summary_sheet_refuses_to_write_when_its_own_sums_fail(ws, station, tmp_path):
    # A child registered as both a centrally supported and a scattered orphan: 孤儿小计 ≠ 集中供养 + 社会散居.
    ws.children.add_category(station["c"].uuid, "orphan_central")
    ws.children.add_category(station["c"].uuid, "orphan_scattered")
    with pytest.raises(WeibaoError) as e:
        ws.ledger.export("summary", tmp_path / "s.xlsx")
    assert "第14栏" in e.value.message and "15+16" in e.value.message and "西村" in e.value.message
    assert not (tmp_path / "s.xlsx").exists()


def test_summary_checker_names_the_failing_sum():
    good = {1: 2, 2: 1, 3: 1, 4: 2, 14: 0, 21: 0}
    check_summary([SummaryRow("东村", good)], SummaryRow("合计", good))
    with pytest.raises(WeibaoError, match="东村第1栏.*2\\+3栏之和为3"):
        check_summary([SummaryRow("东村", {**good, 3: 2})], SummaryRow("合计", good))
    with pytest.raises(WeibaoError, match="合计行第1栏"):
        check_summary([SummaryRow("东村", good)], SummaryRow("合计", {**good, 1: 3, 2: 2, 4: 3}))
    with pytest.raises(WeibaoError, match="第11栏.*大于第10栏"):
        check_summary([SummaryRow("东村", {**good, 11: 1})], SummaryRow("合计", {**good, 11: 1}))


def test_cli_export_writes_the_file_and_refuses_a_bad_kind_of_output(store, ws, station, tmp_path, capsys):
    data = str(store.path.parent)
    out = tmp_path / "v.xlsx"
    assert main(["--data-dir", data, "ledger", "export", "visits", "-o", str(out), "--from", "2024-06-01",
                 "--to", "2024-06-30"]) == 0
    assert out.exists() and "走访记录台账" in capsys.readouterr().out
    assert main(["--data-dir", data, "ledger", "export", "children", "-o", str(tmp_path / "c.csv")]) == 1
    assert ".xlsx" in capsys.readouterr().err
