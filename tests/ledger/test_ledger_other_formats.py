"""CSV, SpreadsheetML 2003 and HTML-table ".xls" files import like the workbooks they were made from.

The files under tests/data/formats/ are written by tests/data/make_other_formats.py from the messy
LibreOffice-made ledgers (damaged ids, two-row merged headers, 合计 rows, blank rows, 𠮷 …): each must give
exactly the preview of its workbook twin, with the cells named by the same row and column."""
from __future__ import annotations

import codecs
import datetime as dt
import shutil

import pytest
from ledger_helpers import DATA

from factories import id_number, synthetic_name
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.sync import safe_read
from weibao_desktop.sync.table_formats import EncodingUnknown

FORMATS = DATA / "formats"
TWINS = {"东村留守儿童花名册": "东村留守儿童花名册.xlsx", "南村两行表头": "南村两行表头.xlsx",
         "儿童台账_文本格式": "儿童台账_文本格式.xls"}
VARIANTS = ("utf8.csv", "gbk.csv", "unicode.txt", "网页.xls", "xml2003.xls")


def comparable(preview):
    """What a user reads in a preview, without the sheet's name (a CSV file's only sheet is named after the file)."""
    def rows(items):
        return [(r.row, r.name, r.id_masked, r.village, r.changes) for r in items]

    return {
        "counts": preview.counts,
        "new": rows(preview.new), "changed": rows(preview.changed), "unchanged": rows(preview.unchanged),
        "rejected": [(c.row, c.column, c.header, c.reason, c.name) for c in preview.rejected],
        "unknown": [(letter, header) for _, letter, header in preview.unknown_columns],
        "warnings": preview.warnings, "skipped": preview.skipped_rows,
    }


def copy(tmp_path, source, name=None):
    target = tmp_path / (name or source.name)
    shutil.copyfile(source, target)
    return target


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("stem", sorted(TWINS))
def test_each_format_previews_exactly_like_its_workbook_twin(ws, tmp_path, stem, variant):
    twin = ws.ledger.preview(copy(tmp_path, DATA / TWINS[stem]))
    other = ws.ledger.preview(copy(tmp_path, FORMATS / f"{stem}.{variant}"))
    assert twin.counts["new"] > 0
    assert comparable(other) == comparable(twin)


def test_an_html_xls_from_a_web_system_applies_with_ids_intact(ws, tmp_path):
    path = copy(tmp_path, FORMATS / "南村两行表头.网页.xls")
    result = ws.ledger.apply(path)
    assert result.preview.format == "html"
    he = ws.children.get(ws.children.search_ids()[0])
    people = {p.relation: p for p in he.people}
    assert people["father"].name == "何国庆" and people["mother"].phone == "13907310022"
    # the same file again: already imported, nothing changes
    again = ws.ledger.preview(path)
    assert again.counts["new"] == 0 and again.previously


def test_csv_keeps_an_18_digit_id_that_a_spreadsheet_would_have_damaged(ws, tmp_path, db, store):
    number = id_number(dt.date(2013, 5, 6), "M", 7)
    name = synthetic_name(7)
    text = f"姓名,公民身份号码,性别,出生日期,村(社区)\r\n{name},{number},男,2013-05-06,东村\r\n"
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode("gb18030"))
    result = ws.ledger.apply(path)
    assert result.preview.counts["new"] == 1
    child = ws.children.get(ws.children.search_ids()[0])
    assert child.id_number == number and child.name == name


def test_quoted_cells_with_line_breaks_semicolons_and_tabs(ws, tmp_path):
    number = id_number(dt.date(2012, 2, 3), "F", 11)
    text = (f'姓名\t公民身份号码\t性别\t村(社区)\t备注\r\n{synthetic_name(11)}\t{number}\t女\t东村\t"第一行\r\n第二行"\r\n')
    path = tmp_path / "名单.tsv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    preview = ws.ledger.preview(path)
    assert preview.counts["new"] == 1 and not preview.rejected
    assert any("制表符分隔" in n for n in preview.notes)


def test_gbk_bytes_that_happen_to_be_valid_utf8_are_read_as_gbk():
    # 谢叶 in GBK is D0BB D2B6: valid UTF-8 too, but as Cyrillic letters.
    data = "谢叶\r\n".encode("gbk")
    data.decode("utf-8")  # it really is valid UTF-8
    book_rows = safe_read.sniff(data, "x.csv")
    assert book_rows == "csv"
    from weibao_desktop.sync.table_formats import decode_text

    assert decode_text(data, "x.csv") == ("谢叶\r\n", "gb18030")


def test_an_encoding_that_cannot_be_told_is_asked_for_and_the_choice_is_used(ws, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_bytes("姓名".encode() + b",\x81\x20\r\n")  # neither UTF-8 nor GB18030
    with pytest.raises(EncodingUnknown) as e:
        ws.ledger.preview(path)
    assert "--encoding" in e.value.message and e.value.choices == ("utf-8", "gb18030")
    with pytest.raises(WeibaoError, match="不能按 UTF-8 编码读取"):
        ws.ledger.preview(path, encoding="utf-8")


def test_cli_reads_a_gbk_csv_and_asks_for_an_encoding_it_cannot_tell(ws, store, tmp_path, capsys):
    from weibao_desktop.cli import main

    number = id_number(dt.date(2011, 7, 8), "F", 21)
    name = synthetic_name(21)
    good = tmp_path / "名单.csv"
    good.write_bytes(f"姓名,公民身份号码,性别,村(社区)\r\n{name},{number},女,东村\r\n".encode("gb18030"))
    assert main(["--data-dir", str(store.path.parent), "ledger", "import", str(good)]) == 0
    out = capsys.readouterr().out
    assert "GB18030" in out and name in out and "新增 1" in out
    odd = tmp_path / "乱码.csv"
    odd.write_bytes("姓名".encode() + b",\x81\x20\r\n")
    assert main(["--data-dir", str(store.path.parent), "ledger", "import", str(odd)]) == 1
    assert "--encoding" in capsys.readouterr().err
    # the user's choice is used: read as GB18030 it still fails, and says so
    assert main(["--data-dir", str(store.path.parent), "ledger", "import", str(odd), "--encoding", "gbk"]) == 1
    assert "GB18030" in capsys.readouterr().err


@pytest.mark.parametrize("name, data, words", [
    ("dtd.xls", b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', "文档类型声明"),
    ("wide.xls", b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
                 b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                 b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="a"><Table>'
                 b'<Row><Cell ss:Index="1000000"><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>',
     "位置编号"),
    ("deep.xls", b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
                 b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data>'
                 + b"<b>" * 5000 + b"x" + b"</b>" * 5000 + b"</Data></Cell></Row></Table></Worksheet></Workbook>",
     "嵌套"),
    ("cols.csv", ("姓名" + ",x" * 1_000_000 + "\r\n").encode(), "列数上限"),
    ("big_cell.csv", b"a,\"" + b"x" * 40_000 + b"\"\r\n", "单元格上限"),
    ("colspan.xls", b'<html><body><table><tr><td colspan="1000000">x</td></tr></table></body></html>', "列数上限"),
    ("rowspan.xls", b'<html><body><table><tr><td rowspan="99999999">x</td></tr></table></body></html>', "行"),
    ("nested.xls", b"<html><body>" + b"<table><tr><td>" * 100 + b"</body></html>", "嵌套"),
    ("div_bomb.xls", b"<html><body><table><tr><td>" + b"<div>" * 200_000 + b"x</td></tr></table></body></html>",
     "找不到儿童信息台账的表头"),
])
def test_hostile_table_files_are_refused_cleanly_and_change_nothing(ws, tmp_path, db, store, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    before = db.snapshot(store)
    with pytest.raises(WeibaoError) as e:
        ws.ledger.apply(path)
    assert words in e.value.message
    assert db.snapshot(store) == before


def test_the_error_report_of_a_web_file_is_an_xlsx_that_imports_once_corrected(ws, tmp_path):
    from openpyxl import load_workbook

    preview = ws.ledger.preview(copy(tmp_path, FORMATS / "东村留守儿童花名册.网页.xls"))
    assert preview.rejected_rows == 1
    report = ws.ledger.write_error_report(preview, tmp_path / "错误报告.xlsx")
    assert safe_read.read_workbook(report).format == "xlsx"
    book = load_workbook(report)
    sheet = book.worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    top = next(i for i, r in enumerate(rows) if "未导入原因" in r)
    at = rows[top].index("身份证号码")
    bad = next(i for i, r in enumerate(rows) if i > top and r[at])
    fixed = id_number(dt.date(2014, 5, 20), "M", 31)
    sheet.cell(row=bad + 1, column=at + 1, value=fixed)
    sheet.cell(row=bad + 1, column=rows[top].index("出生年月") + 1, value="2014-05-20")
    book.save(report)
    again = ws.ledger.preview(report)
    assert again.counts["new"] == 1 and again.rejected_rows == 0
