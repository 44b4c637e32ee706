"""A township clerk makes a village's 走访任务表 on the 台账交换 page and imports it back once filled in."""
from __future__ import annotations

import datetime as dt

import openpyxl
from PySide6.QtCore import Qt
from ui_typing import choose

from factories import FIXED_DATE
from weibao_desktop.ui.ledger_view import LedgerView


def test_task_list_out_and_back_through_the_page(qtbot, ws, tasks, village_ids, make_child, answers, tmp_path, clock):
    clock.set(dt.date(2024, 5, 1))
    kid = make_child(village_id=village_ids["南村"])
    ws.assessments.assess(kid.uuid, {"kind": "risk", "assessed_on": dt.date(2024, 5, 1), "assessor": "张督导",
                                     "result": "黄", "reason": "首次评估"})
    clock.set(FIXED_DATE)
    view = LedgerView(ws, tasks)
    qtbot.addWidget(view)
    choose(view.village, "南村")
    target = tmp_path / "南村走访任务表.xlsx"
    answers.save_as(target)
    qtbot.mouseClick(view.export_buttons["visit_tasks"], Qt.LeftButton)
    qtbot.waitUntil(lambda: target.exists())

    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")
    col = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    row = header + 1
    assert sheet.cell(row, col["姓名"]).value == kid.name
    sheet.cell(row, col["走访日期"]).value = "2024-06-12"
    sheet.cell(row, col["走访方式"]).value = "入户"
    sheet.cell(row, col["走访人"]).value = "李主任"
    sheet.cell(row, col["心理情况"]).value = "情绪稳定"
    book.save(target)

    answers.open_file(target)
    qtbot.mouseClick(view.choose_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1)
    assert "新增 1 条走访记录" in view.summary.text()
    qtbot.mouseClick(view.confirm_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: ws.children.get(kid.uuid).last_visit_on == dt.date(2024, 6, 12))
    [visit] = ws.visits.page().rows
    assert (visit.visitors, visit.psychology) == ("李主任", "情绪稳定")


def test_the_monthly_report_from_the_page(qtbot, ws, tasks, answers, tmp_path):
    view = LedgerView(ws, tasks)
    qtbot.addWidget(view)
    target = tmp_path / "6月月报.xlsx"
    answers.save_as(target)
    qtbot.mouseClick(view.export_buttons["monthly"], Qt.LeftButton)
    qtbot.waitUntil(lambda: "已导出《城关镇2024年6月未成年人保护工作月报》" in view.export_status.text())
    rows = list(openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert next(r for r in rows if r[0] == "合计")[1] == 0  # no children yet
    assert ws.printing.log()[0].title == "城关镇2024年6月未成年人保护工作月报"


def test_the_monthly_report_prints_from_the_page(qtbot, ws, tasks, make_child, tmp_path):
    import subprocess

    make_child()
    view = LedgerView(ws, tasks)
    qtbot.addWidget(view)
    qtbot.mouseClick(view.print_monthly_button, Qt.LeftButton)
    preview = view.monthly_preview
    qtbot.addWidget(preview)
    assert preview.job.form == "monthly" and preview.job.title == "城关镇2024年6月未成年人保护工作月报"
    target = tmp_path / "月报.pdf"
    done: list = []
    preview.save_pdf(target, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done))
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "在册儿童总数" in text and "指标口径" in text and "审核人（站长）" in text
    assert ws.printing.log()[0].form == "monthly"


def test_a_countys_template_chosen_on_the_page_shapes_the_export(qtbot, ws, tasks, answers, tmp_path):
    template = tmp_path / "县里模板.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["村(社区)", "走访人次", "在册儿童总数", "线索·被组织乞讨"])
    book.save(template)
    bad = tmp_path / "错的模板.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["村(社区)", "走访人次", "在册儿童总数", "吃饭人数"])
    book.save(bad)
    view = LedgerView(ws, tasks)
    qtbot.addWidget(view)

    answers.open_file(bad)
    qtbot.mouseClick(view.template_button, Qt.LeftButton)
    assert "D列“吃饭人数”不是可统计的指标" in view.export_status.text()
    assert view.template_label.text() == "月报模板：程序自带"

    answers.open_file(template)
    qtbot.mouseClick(view.template_button, Qt.LeftButton)
    assert view.template_label.text() == "月报模板：县里模板.xlsx（3 项指标）"
    target = tmp_path / "月报.xlsx"
    answers.save_as(target)
    qtbot.mouseClick(view.export_buttons["monthly"], Qt.LeftButton)
    qtbot.waitUntil(lambda: target.exists())
    rows = list(openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "村(社区)")
    assert list(header[1:4]) == ["走访人次", "在册儿童总数", "线索·被组织乞讨"]

    qtbot.mouseClick(view.template_reset, Qt.LeftButton)
    assert view.monthly_template is None and view.template_label.text() == "月报模板：程序自带"
