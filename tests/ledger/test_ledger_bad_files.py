"""Files that are not what they claim: each gets a clear Chinese message, the store is left as it was,
and the command line exits non-zero."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from ledger_helpers import DATA

from weibao_desktop.cli import main
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.domain.idnumber import make_id_number
from weibao_desktop.sync import safe_read

NUMBER = make_id_number("430104", dt.date(2015, 3, 1), 1)


def ledger_bytes(rows=None) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows or [["姓名", "性别", "出生日期", "身份证号"], ["甲", "男", "2015-03-01", NUMBER]]:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            z.writestr(info.filename, change(body) if info.filename == part else body)
    return out.getvalue()


def blank_rows(data: bytes) -> bytes:
    """An empty string copied down a whole column: a million cells that hold "" after the real rows."""
    def add(sheet: bytes) -> bytes:
        rows = "".join(f'<row r="{i}"><c r="E{i}" t="inlineStr"><is><t></t></is></c></row>' for i in range(3, 1_000_001))
        return sheet.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    return rewrite(data, "xl/worksheets/sheet1.xml", add)


def bomb(data: bytes) -> bytes:
    """A worksheet part that inflates a thousandfold (whitespace compresses to almost nothing)."""
    return rewrite(data, "xl/worksheets/sheet1.xml", lambda s: s.replace(b"<sheetData>", b"<sheetData>" + b" " * 60_000_000))


def xxe(data: bytes) -> bytes:
    doctype = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'

    def add(xml: bytes) -> bytes:
        if xml.startswith(b"<?xml"):
            head, _, rest = xml.partition(b"?>")
            return head + b"?>" + doctype + rest
        return b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + xml
    return rewrite(data, "xl/workbook.xml", add)


CASES = {
    "not_a_spreadsheet.xlsx": (lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "不是表格文件"),
    "encrypted.xlsx": (lambda: (DATA / "encrypted.xlsx").read_bytes(), "设置了打开密码"),
    "truncated.xlsx": (lambda: ledger_bytes()[: len(ledger_bytes()) // 2], "不完整或已损坏"),
    "empty.xlsx": (lambda: b"", "是空的"),
    "bomb.xlsx": (lambda: bomb(ledger_bytes()), "压缩炸弹"),
    "xxe.xlsx": (lambda: xxe(ledger_bytes()), "文档类型声明"),
    # web pages and CSV are read (tests/ledger/test_ledger_other_formats.py), and refused when they hold no ledger
    "web_page.xls": (lambda: "<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode(), "找不到儿童信息台账的表头"),
    "web_page_without_table.xls": (lambda: "<html><body><p>导出失败</p></body></html>".encode(), "其中没有表格"),
    "list.csv": (lambda: "姓名,身份证号\n".encode() + b"\x81\x20,1\n", "无法判断文本文件"),
    "blank_workbook.xlsx": (lambda: ledger_bytes([[None]]), "没有任何内容"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_with_a_clear_message_and_changes_nothing(name, ws, tmp_path, db, store, capsys):
    make, words = CASES[name]
    path = tmp_path / name
    path.write_bytes(make())
    before = db.snapshot(store)
    with pytest.raises(WeibaoError) as e:
        ws.ledger.apply(path)
    assert words in e.value.message
    assert db.snapshot(store) == before
    assert main(["--data-dir", str(store.path.parent), "ledger", "import", str(path)]) == 1
    assert words in capsys.readouterr().err
    assert db.snapshot(store) == before


def test_a_million_blank_rows_are_trimmed_not_parsed(ws, tmp_path):
    path = tmp_path / "blank_rows.xlsx"
    path.write_bytes(blank_rows(ledger_bytes()))
    preview = ws.ledger.preview(path)
    assert preview.counts["new"] == 1
    assert any("999998 个空白行" in n for n in preview.notes)


def test_declared_sizes_are_checked_before_anything_is_inflated(tmp_path):
    data = bomb(ledger_bytes())
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > safe_read.MAX_RATIO * info.compress_size
    with pytest.raises(safe_read.LedgerFileError, match="压缩炸弹"):
        safe_read._check_zip(data, "xlsx", [])


def test_cli_dry_run_prints_the_preview_and_changes_nothing(store, ws, tmp_path, db, capsys, data_file):
    path = data_file("儿童台账_文本格式.xls")
    before = db.snapshot(store)
    report = tmp_path / "errors.xlsx"
    assert main(["--data-dir", str(store.path.parent), "ledger", "import", str(path), "--dry-run",
                 "--errors", str(report)]) == 0
    out = capsys.readouterr().out
    assert "新增 4 份档案" in out and "未导入 4 行" in out and "第7行B列（公民身份号码）" in out
    after = db.snapshot(store)
    # Only the audit trail grew: saving the error report is an export, and exports are audited.
    assert [row[5] for row in after.pop("audit_log")] == ["error_report"]
    assert before.pop("audit_log") == [] and report.exists()
    assert [r for r in after.pop("setting") if r[0] != "audit_head"] == before.pop("setting")
    assert after == before
    assert main(["--data-dir", str(store.path.parent), "ledger", "import", str(path)]) == 0
    assert "导入完成" in capsys.readouterr().out
    assert db.count(store, "child") == 4
