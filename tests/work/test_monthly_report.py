"""月报: the default template's numbers on the scenario station, hand-counted; a county's template; a bad template."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import openpyxl
import pytest

from factories import OPERATOR
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.services.monthly_report import DEFAULT_TEMPLATE, VOCABULARY


def table(report) -> dict[str, dict[str, int]]:
    out = {label: dict(zip(report.indicators, values, strict=True)) for label, values in report.rows}
    out["合计"] = dict(zip(report.indicators, report.total, strict=True))
    return out


def test_june_on_the_scenario_station_matches_a_hand_count(roster):
    ws = roster.ws
    ws.activities.create({"held_on": dt.date(2024, 6, 3), "start_time": "9:00", "end_time": "11:00",
                          "kind": "家长学校", "organiser": "王站长", "content": "家长课堂"}, village="东村")
    for day in (4, 4, 6):
        ws.activities.create({"held_on": dt.date(2024, 6, day), "start_time": "15:00", "end_time": "17:00",
                              "kind": "儿童之家开放", "organiser": "赵主任", "content": "作业辅导"}, village="南村")
    t = table(ws.monthly.build("2024-06"))
    # A 东村 red left-behind; B 西村 yellow plight; C 南村 orange plight+dibao; G 南村 blue left-behind;
    # D no village, not assessed; E closed and F deleted are not counted.
    assert t["合计"]["在册儿童总数"] == 5
    assert {k: t[k]["在册儿童总数"] for k in ("东村", "西村", "南村", "未分村(社区)")} == {
        "东村": 1, "西村": 1, "南村": 2, "未分村(社区)": 1}
    assert t["合计"]["农村留守儿童"] == 2 and t["南村"]["农村留守儿童"] == 1
    assert t["合计"]["困境儿童"] == 2
    assert [t["合计"][c] for c in ("红色等级", "橙色等级", "黄色等级", "蓝色等级", "未评估")] == [1, 1, 1, 1, 1]
    assert t["合计"]["走访人次"] == 1 and t["东村"]["走访人次"] == 1  # A on 06-13 (F's visit: deleted child)
    assert t["合计"]["线索受理"] == 2 and t["合计"]["线索办结"] == 1  # neither clue is linked to a file
    assert t["合计"]["家庭教育指导活动"] == 1 and t["东村"]["家庭教育指导活动"] == 1
    assert t["南村"]["儿童之家开放天数"] == 2 and t["合计"]["活动次数"] == 4
    for name in DEFAULT_TEMPLATE:
        if VOCABULARY[name].per_child:
            assert t["合计"][name] == sum(row[name] for label, row in t.items() if label != "合计"), name


def test_a_countys_template_orders_the_columns_and_the_file_reads_back(roster, tmp_path):
    template = tmp_path / "县里的模板.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["某某县未成年人保护工作月报"])
    book.active.append(["单位", "走访人次", "在册儿童总数", "红色等级"])
    book.save(template)
    out = tmp_path / "6月月报.xlsx"
    report = roster.ws.monthly.export("2024-06", out, template=template)
    assert report.indicators == ("走访人次", "在册儿童总数", "红色等级")
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "城关镇2024年6月未成年人保护工作月报"
    header = next(r for r in rows if r[0] == "村(社区)")
    assert header[1:4] == ("走访人次", "在册儿童总数", "红色等级")
    assert next(r for r in rows if r[0] == "合计")[1:4] == (1, 5, 1)


def test_a_template_naming_an_unknown_indicator_is_refused_by_cell(roster, tmp_path):
    template = tmp_path / "模板.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["村(社区)", "在册儿童总数", "走访人次", "幸福指数"])
    book.save(template)
    with pytest.raises(WeibaoError, match="第1行：D列“幸福指数”不是可统计的指标"):
        roster.ws.monthly.export("2024-06", tmp_path / "x.xlsx", template=template)
    assert not (tmp_path / "x.xlsx").exists()


def test_the_command_line_writes_the_template_and_the_report(roster, tmp_path):
    env = {**os.environ, "WEIBAO_USER": OPERATOR}
    base = [sys.executable, "-m", "weibao_desktop", "--data-dir", str(roster.ws.store.path.parent), "report"]
    t = subprocess.run([*base, "template", "-o", str(tmp_path / "t.xlsx")], capture_output=True, text=True,
                       encoding="utf-8", env=env, timeout=120)
    assert t.returncode == 0, t.stderr
    done = subprocess.run([*base, "monthly", "--month", "2024-06", "--template", str(tmp_path / "t.xlsx"), "-o",
                           str(tmp_path / "m.xlsx")], capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{len(DEFAULT_TEMPLATE)} 项指标" in done.stdout
    bad = subprocess.run([*base, "monthly", "--month", "2024-13", "-o", str(tmp_path / "m.xlsx")],
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert bad.returncode == 1 and "2026-11 的样式" in bad.stderr
    pdf = tmp_path / "m.pdf"
    printed = subprocess.run([sys.executable, "-m", "weibao_desktop", "--data-dir", str(roster.ws.store.path.parent),
                              "print", "monthly", "--month", "2024-06", "-o", str(pdf)], capture_output=True, text=True,
                             encoding="utf-8", env=env, timeout=120)
    assert printed.returncode == 0, printed.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    report = roster.ws.monthly.build("2024-06")
    total_line = [line for line in text.splitlines() if line.strip()]
    assert report.title in text and "在册儿童总数" in text and str(report.total[0]) in total_line


def test_the_documented_vocabulary_is_the_programs():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "report_vocabulary.md").read_text(encoding="utf-8")
    documented = {line.split("|")[1].strip() for line in doc.splitlines() if line.startswith("| ") and "---" not in line}
    assert documented - {"指标"} == set(VOCABULARY)


def test_clues_are_counted_under_each_of_their_situations(roster):
    ws = roster.ws
    names = ("线索受理", "线索·被组织乞讨", "线索·遗弃或无人照料", "线索·其他严重侵害")
    before = ws.monthly.build("2024-06", names).total
    at = dt.datetime(2024, 6, 10, 9, 0)
    for situations in ("begging,abandoned", "abandoned", None):
        ws.clues.receive({"child_name": "某儿童", "received_at": at, "source": "群众举报", "content": "反映情况",
                          **({"situations": situations} if situations else {})})
    after = ws.monthly.build("2024-06", names).total
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (3, 1, 2, 0)
