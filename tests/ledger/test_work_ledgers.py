"""The 活动与服务台账 and the 儿童主任名册 as the county's inspector reads them in an office program."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import openpyxl
import pytest

from factories import FIXED_DATE, OPERATOR


@pytest.fixture
def work(ws, make_child):
    kid = make_child(name="林小禾")
    ws.activities.create({"held_on": FIXED_DATE, "start_time": "9:00", "end_time": "11:30", "kind": "宣传月",
                          "organiser": "王站长", "partners": "派出所", "children_count": 40, "content": "防溺水宣传"},
                         village="东村", children=(kid.uuid,))
    ws.activities.create({"held_on": dt.date(2024, 1, 5), "start_time": "14:00", "end_time": "16:00",
                          "kind": "家庭教育指导", "place": "镇中心小学", "organiser": "李老师", "content": "家长课堂"})
    director = ws.staff.add({"name": "赵春梅", "role": "儿童主任", "sex": "女", "phone": "13900000001",
                             "committee_member": True, "appointed_on": "2021-03-01"}, villages=("东村", "西村"))
    ws.staff.add_training(director.uuid, {"held_on": "2024-04-02", "hours": 3, "topic": "强制报告制度培训"})
    return ws


def sheet_rows(path) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [tuple(c for c in row) for row in wb.worksheets[0].iter_rows(values_only=True)]


def test_activities_ledger_lists_the_period_with_labels(work, tmp_path):
    result = work.ledger.export("activities", tmp_path / "活动.xlsx", date_from=dt.date(2024, 6, 1))
    assert result.rows == 1 and result.title == "城关镇活动与服务台账"
    rows = sheet_rows(result.path)
    assert rows[0][0] == "城关镇活动与服务台账"
    assert any("统计期间：2024-06-01 至 2024-06-14" in str(c) for r in rows[:3] for c in r if c)
    header = next(r for r in rows if r[0] == "序号")
    line = next(r for r in rows if r[0] == 1)
    cell = dict(zip(header, line, strict=False))
    assert cell["活动类型"] == "宣传" and cell["合作单位"] == "派出所" and cell["所属村(社区)"] == "东村"
    assert cell["开始时间"] == "09:00" and cell["时长(小时)"] == "2.5" and cell["参与儿童"] == "林小禾"
    assert cell["儿童人数"] == 40


def test_staff_roster_ledger_from_the_command_line(work, tmp_path):
    out = tmp_path / "名册.xlsx"
    env = {**os.environ, "WEIBAO_USER": OPERATOR}
    done = subprocess.run([sys.executable, "-m", "weibao_desktop", "--data-dir", str(work.store.path.parent),
                           "ledger", "export", "staff", "-o", str(out)], capture_output=True, text=True, env=env,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "儿童主任（儿童督导员）名册" in done.stdout
    rows = sheet_rows(out)
    header = next(r for r in rows if r[0] == "序号")
    cell = dict(zip(header, next(r for r in rows if r[0] == 1), strict=False))
    assert cell["姓名"] == "赵春梅" and cell["职务"] == "儿童主任" and cell["负责村(社区)"] == "东村、西村"
    assert cell["村(居)委会委员"] == "是" and cell["培训次数"] == 1 and cell["最近一次培训"] == "2024-04-02 强制报告制度培训"


@pytest.mark.libreoffice
def test_both_open_in_libreoffice(work, tmp_path, libreoffice):
    files = [work.ledger.export(kind, tmp_path / f"{kind}.xlsx").path for kind in ("activities", "staff")]
    sheets = libreoffice.to_csv(files, tmp_path / "csv")
    activities = next(v for k, v in sheets.items() if k.startswith("activities") and "活动与服务台账" in k)
    assert any("防溺水宣传" in r and "2024-06-14" in r for r in activities)
    assert any("家庭教育指导/家长学校" in r and "镇中心小学" in r for r in activities)
    staff = next(v for k, v in sheets.items() if k.startswith("staff") and "名册" in k)
    assert any("赵春梅" in r and "13900000001" in r for r in staff)


def test_a_hand_kept_activities_ledger_imports_once_with_reasons_for_bad_rows(ws, tmp_path):
    path = tmp_path / "活动台账.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["城关镇2024年活动记录"])
    sheet.append(["序号", "日期", "开始时间", "结束时间", "活动类型", "所属村(社区)", "地点", "组织人", "内容", "家长人数"])
    sheet.append([1, "2024年3月2日", "9:00", "11:00", "家长学校", "东村", None, "王站长", "亲子沟通讲座", "23人"])
    sheet.append([2, "2024-04-10", "14:30", "16:30", "儿童之家", None, "镇儿童之家", "赵主任", "手工课", None])
    sheet.append([3, "2024-04-11", "16:00", "15:00", "宣传", "西村", None, "李干事", "防溺水宣传", None])
    sheet.append([4, "2024-04-12", "9:00", "10:00", "广场舞", "北村", None, "李干事", "文艺活动", None])
    book.save(path)

    preview = ws.ledger.preview(path)
    assert preview.kind == "activities"
    assert [r.row for r in preview.new] == [3, 4]
    reasons = {(p.row, p.header): p.reason for p in preview.rejected}
    assert "应晚于开始时间" in reasons[(5, "结束时间")]
    assert "不在可选范围内" in reasons[(6, "活动类型")] and "没有村(社区)“北村”" in reasons[(6, "所属村(社区)")]
    result = ws.ledger.apply(path)
    assert result.preview.summary() == "新增 2 次活动，已有 0 次，未导入 2 行"
    first = ws.activities.page(year=2024).rows[-1]
    assert (first.kind, first.place, first.parents_count, first.village) == ("family_education", "东村", 23, "东村")
    assert ws.ledger.apply(path).preview.counts["new"] == 0  # the same file again adds nothing


def test_an_exported_activities_ledger_reimports_as_unchanged(work, tmp_path):
    path = work.ledger.export("activities", tmp_path / "活动.xlsx").path
    preview = work.ledger.preview(path)
    assert preview.counts == {"new": 0, "changed": 0, "unchanged": 2, "rejected": 0}
