"""走访任务表: the township sends a village its children due; the 儿童主任 fills it in (with the mistakes people
make) and the township imports it back, seeing exactly what each row will do before anything changes."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import openpyxl
import pytest

from factories import FIXED_DATE, OPERATOR, person
from weibao_desktop.domain.errors import WeibaoError

OPENED = dt.date(2024, 5, 1)


@pytest.fixture
def village(ws, village_ids, make_child, clock):
    """东村: three children due this month (yellow, blue, orange), one in 西村, and a 儿童主任 on the roster."""
    clock.set(OPENED)
    kids = {}
    for key, colour in (("a", "黄"), ("b", "蓝"), ("c", "橙")):
        kids[key] = make_child(village_id=village_ids["东村"], people=[person("mother", len(kids))])
        ws.assessments.assess(kids[key].uuid, {"kind": "risk", "assessed_on": OPENED, "assessor": "张督导",
                                               "result": colour, "reason": "首次评估"}, paired_helper="孙帮扶")
    kids["west"] = make_child(village_id=village_ids["西村"])
    ws.assessments.assess(kids["west"].uuid, {"kind": "risk", "assessed_on": OPENED, "assessor": "张督导",
                                              "result": "橙", "reason": "首次评估"}, paired_helper="孙帮扶")
    clock.set(FIXED_DATE)
    ws.staff.add({"name": "赵春梅", "role": "儿童主任"}, villages=("东村",))
    return {k: ws.children.get(v.uuid) for k, v in kids.items()}


def export_tasks(ws, tmp_path):
    return ws.ledger.export("visit_tasks", tmp_path / "东村走访任务表.xlsx", village="东村",
                            date_to=dt.date(2024, 8, 31)).path


def rows_by_name(sheet) -> dict[str, int]:
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")
    return {sheet.cell(r, 2).value: r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, 2).value}


def column(sheet, title: str) -> int:
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")
    return next(c for c in range(1, sheet.max_column + 1) if sheet.cell(header, c).value == title)


def test_the_task_list_holds_the_villages_children_due_and_protects_the_townships_columns(ws, village, tmp_path):
    path = export_tasks(ws, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.cell(1, 1).value == "城关镇东村走访任务表"
    names = rows_by_name(sheet)
    assert set(names) == {village[k].name for k in "abc"}  # not the 西村 child
    row = names[village["a"].name]
    assert sheet.cell(row, column(sheet, "走访人")).value == "赵春梅"
    assert sheet.cell(row, column(sheet, "档案编号")).value == village["a"].uuid
    assert sheet.cell(row, column(sheet, "应走访日期")).value.date() == village["a"].next_visit_due
    assert sheet.protection.sheet
    assert sheet.cell(row, column(sheet, "姓名")).protection.locked
    assert not sheet.cell(row, column(sheet, "走访日期")).protection.locked
    assert not sheet.cell(max(names.values()) + 3, 2).protection.locked  # blank rows for children added by hand
    modes = next(dv for dv in sheet.data_validations.dataValidation
                 if str(dv.sqref).startswith(openpyxl.utils.get_column_letter(column(sheet, "走访方式"))))
    assert modes.type == "list"


def test_a_filled_task_list_imports_with_an_exact_preview_and_only_once(ws, village, tmp_path):
    path = export_tasks(ws, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    names = rows_by_name(sheet)
    col = {t: column(sheet, t) for t in ("走访日期", "走访方式", "生活情况", "存在问题", "走访人", "姓名", "出生日期")}
    a, b, c = (names[village[k].name] for k in "abc")
    sheet.cell(a, col["走访日期"]).value = "2024年6月3日"  # a date typed as text
    sheet.cell(a, col["走访方式"]).value = "入户"
    sheet.cell(a, col["生活情况"]).value = "奶奶照料，饮食正常"
    sheet.cell(b, col["走访日期"]).value = dt.datetime(2024, 6, 5)
    sheet.cell(b, col["走访方式"]).value = "路上遇到"  # not in the list
    sheet.cell(b, col["存在问题"]).value = "作业无人辅导"
    # c left empty: not visited yet
    extra = max(names.values()) + 2  # a child the township did not list, added by hand
    sheet.cell(extra, col["姓名"]).value = village["west"].name
    sheet.cell(extra, col["出生日期"]).value = village["west"].birth_date.strftime("%Y.%m.%d")
    sheet.cell(extra, col["走访日期"]).value = "2024-06-06"
    sheet.cell(extra, col["走访方式"]).value = "电话"
    sheet.cell(extra, col["生活情况"]).value = "父亲返乡"
    sheet.cell(extra, col["走访人"]).value = "钱立新"
    book.save(path)

    before = ws.visits.page().total
    preview = ws.ledger.preview(path)
    assert preview.kind == "visits"
    assert [(r.name, dict((ch.field, ch.new) for ch in r.changes)["走访方式"]) for r in preview.new] == [
        (village["a"].name, "入户"), (village["west"].name, "电话")]
    first = dict((ch.field, ch.new) for ch in preview.new[0].changes)
    assert first["走访日期"] == "2024-06-03" and first["走访人"] == "赵春梅"  # the roster's 儿童主任
    [problem] = preview.rejected
    assert problem.row == b and problem.header == "走访方式" and "路上遇到" in problem.reason
    assert any("1行没有填写走访情况" in note for note in preview.notes)
    assert ws.visits.page().total == before  # a preview changes nothing

    result = ws.ledger.apply(path, expected_sha256=preview.sha256)
    assert result.preview.summary() == "新增 2 条走访记录，已导入过 0 条，未导入 1 行"
    visits = ws.visits.page().rows
    done = next(v for v in visits if v.child_uuid == village["a"].uuid)
    assert (done.visited_on, done.visitors, done.living) == (dt.date(2024, 6, 3), "赵春梅", "奶奶照料，饮食正常")
    assert ws.children.get(village["a"].uuid).last_visit_on == dt.date(2024, 6, 3)

    again = ws.ledger.apply(path)
    assert again.preview.counts == {"new": 0, "changed": 0, "unchanged": 2, "rejected": 1}
    assert ws.visits.page().total == before + 2


def test_a_row_moved_onto_another_childs_number_is_refused(ws, village, tmp_path):
    path = export_tasks(ws, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    names = rows_by_name(sheet)
    a = names[village["a"].name]
    sheet.cell(a, column(sheet, "姓名")).value = village["b"].name  # names swapped, numbers kept
    sheet.cell(a, column(sheet, "走访日期")).value = "2024-06-03"
    sheet.cell(a, column(sheet, "走访方式")).value = "入户"
    sheet.cell(a, column(sheet, "健康情况")).value = "感冒已愈"
    book.save(path)
    preview = ws.ledger.preview(path)
    assert preview.new == () and "姓名与档案编号不符" in preview.rejected[0].reason


def test_the_command_line_exports_for_a_village_and_imports_back(ws, village, tmp_path):
    out = tmp_path / "任务.xlsx"
    env = {**os.environ, "WEIBAO_USER": OPERATOR}
    base = [sys.executable, "-m", "weibao_desktop", "--data-dir", str(ws.store.path.parent)]
    done = subprocess.run([*base, "ledger", "export", "visit-tasks", "--village", "东村", "--to", "2024-08-31",
                           "-o", str(out)], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "走访任务表》：3 行" in done.stdout
    missing = subprocess.run([*base, "ledger", "export", "visit-tasks", "-o", str(out)], capture_output=True,
                             text=True, encoding="utf-8", env=env, timeout=120)
    assert missing.returncode == 1 and "请选择一个村(社区)" in missing.stderr
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    row = rows_by_name(sheet)[village["c"].name]
    sheet.cell(row, column(sheet, "走访日期")).value = "2024/6/10"
    sheet.cell(row, column(sheet, "走访方式")).value = "到校"
    sheet.cell(row, column(sheet, "学习情况")).value = "成绩中等"
    book.save(out)
    done = subprocess.run([*base, "ledger", "import", str(out)], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "新增 1 条走访记录" in done.stdout
    assert ws.children.get(village["c"].uuid).last_visit_on == dt.date(2024, 6, 10)


def test_a_future_visit_date_is_refused_with_its_cell(ws, village, tmp_path):
    path = export_tasks(ws, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    row = rows_by_name(sheet)[village["a"].name]
    sheet.cell(row, column(sheet, "走访日期")).value = "2024-07-01"
    sheet.cell(row, column(sheet, "走访方式")).value = "入户"
    sheet.cell(row, column(sheet, "生活情况")).value = "正常"
    book.save(path)
    preview = ws.ledger.preview(path)
    [problem] = preview.rejected
    assert problem.header == "走访日期" and problem.row == row


def test_another_ledger_is_refused_naming_what_can_be_imported(ws, village, tmp_path):
    path = ws.ledger.export("hotline", tmp_path / "热线.xlsx").path
    with pytest.raises(WeibaoError, match="是热线记录台账.*走访任务表") as e:
        ws.ledger.preview(path)
    assert e.value.field == "file"


@pytest.mark.libreoffice
def test_a_task_list_filled_in_libreoffice_imports(ws, village, tmp_path):
    import json
    import shutil
    from pathlib import Path

    lo_python = "/usr/bin/python3"
    if not shutil.which("soffice") or subprocess.run([lo_python, "-c", "import uno"], capture_output=True).returncode:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice with python3-uno is required in CI (dev.sh installs it)")
        pytest.skip("LibreOffice with python3-uno is not installed")
    path = export_tasks(ws, tmp_path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    row = rows_by_name(sheet)[village["b"].name] - 1  # UNO counts from 0
    ops = [{"set": [sheet.title, row, column(sheet, title) - 1, text]}
           for title, text in (("走访日期", "2024-06-11"), ("走访方式", "电话"), ("安全情况", "暑假防溺水已提醒"))]
    (tmp_path / "ops.json").write_text(json.dumps(ops, ensure_ascii=False), encoding="utf-8")
    edited = tmp_path / "村里填好的.xlsx"
    lo_edit = Path(__file__).parents[1] / "exchange" / "lo_edit.py"
    subprocess.run([lo_python, str(lo_edit), str(path), str(edited), str(tmp_path / "ops.json"),
                    str(tmp_path / "lo-profile")], check=True, timeout=240)
    preview = ws.ledger.preview(edited)
    assert [r.name for r in preview.new] == [village["b"].name] and preview.rejected == ()
    ws.ledger.apply(edited)
    assert ws.children.get(village["b"].uuid).last_visit_on == dt.date(2024, 6, 11)
