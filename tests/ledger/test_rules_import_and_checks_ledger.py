"""Issue 15 at the edges: the plans' words on import (synonyms, a bare 孤儿, 委托监护人), warnings in the preview,
and the 核查整改台账 from the command line, read back and converted by LibreOffice."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from factories import FIXED_DATE, person
from store_helpers import cli
from weibao_desktop.domain.idnumber import make_id_number
from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation


def _workbook(tmp_path, rows, name="t.xlsx"):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


HEADER = ["姓名", "性别", "出生日期", "身份证号", "儿童类别", "委托监护人姓名", "父亲状况", "母亲状况"]


def _row(name, birth, seq, categories, carer="", father="", mother=""):
    return [name, "男", birth.isoformat(), make_id_number("430104", birth, seq), categories, carer, father, mother]


def test_old_and_new_words_import_and_a_bare_orphan_is_warned_about(ws, tmp_path):
    path = _workbook(tmp_path, [
        HEADER,
        _row("甲", dt.date(2015, 3, 1), 1, "生活困境、成长困境", carer="赵奶奶"),
        _row("乙", dt.date(2014, 4, 2), 3, "生存困境儿童、监护困境", father="在家", mother="在家"),
        _row("丙", dt.date(2013, 5, 3), 5, "孤儿", father="死亡", mother="死亡"),
        _row("丁", dt.date(2007, 6, 4), 7, "留守儿童", father="外出务工", mother="外出务工"),
        _row("戊", dt.date(2012, 7, 5), 9, "留守儿童", father="在家", mother="在家"),
    ])
    preview = ws.ledger.preview(path)
    assert preview.counts["new"] == 5 and not preview.rejected
    warnings = "\n".join(preview.warnings)
    assert "丙（第4行）孤儿未写明集中供养还是社会散居，请在资格核查中认定" in warnings
    assert "丁（第5行）列为农村留守儿童，但已满16周岁" in warnings
    assert "戊（第6行）列为农村留守儿童，但父母不是双方外出务工" in warnings
    assert "甲（第2行）" not in warnings and "乙（第3行）" not in warnings
    ws.ledger.apply(path)
    kids = {ws.children.get(i).name: ws.children.get(i) for i in ws.children.search_ids()}
    assert {c.category for c in kids["甲"].categories} == {"plight_survival", "plight_development"}
    assert {c.category for c in kids["乙"].categories} == {"plight_survival", "plight_guardian"}
    assert [c.category for c in kids["丙"].categories] == ["orphan_unspecified"]  # not silently 社会散居
    assert [(p.relation, p.name) for p in kids["甲"].people] == [("entrusted", "赵奶奶")]
    # The program warns, it never changes a category by itself.
    assert [c.category for c in kids["丁"].categories] == ["left_behind"]
    assert "列为农村留守儿童，但已满16周岁" in kids["丁"].category_warnings


def test_the_children_ledger_says_被委托人_and_carries_the_placement(ws, make_child, tmp_path):
    child = make_child(people=[person("entrusted", 3, relation_detail="祖母")])
    ws.children.update(child.uuid, {"placement": "救助保护机构", "placed_on": FIXED_DATE,
                                    "placement_place": "县未成年人救助保护中心"})
    out = tmp_path / "c.xlsx"
    ws.ledger.export("children", out)
    sheet = openpyxl.load_workbook(out).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    text = " ".join(str(c) for row in values for c in row if c is not None)
    assert "被委托人" in text and "委托监护人" not in text
    assert "安置情况" in text and "救助保护机构" in text and "县未成年人救助保护中心" in text


@pytest.fixture
def town(tmp_path):
    """A store on disk with children the checks find, made through the services."""
    data = tmp_path / "town"
    cli(data, "init", "--station", "城关镇", "--code", "430104001000", "--county", "岳麓区", "--village", "东村")
    store = open_store(data)
    ws = Workstation(store, "陈站长", today=lambda: dt.date(2026, 11, 10))
    ws.children.create({"name": "甲一", "sex": "M", "birth_date": dt.date(2008, 11, 20),
                        "id_number": make_id_number("430104", dt.date(2008, 11, 20), 1)})
    ws.children.create({"name": "乙二", "sex": "M", "birth_date": dt.date(2015, 3, 1),
                        "id_number": make_id_number("430104", dt.date(2015, 3, 1), 3)},
                       people=[person("父亲", 1, status="服刑在押"), person("母亲", 2, status="重病")])
    ws.children.create({"name": "丙三", "sex": "F", "birth_date": dt.date(2014, 3, 1),
                        "id_number": make_id_number("430104", dt.date(2014, 3, 1), 4)}, categories=["孤儿"])
    found = ws.checks.findings("2026-11")
    ws.checks.resolve(next(f.child_uuid for f in found if f.child_name == "乙二"), "de_facto_candidate", "认定",
                      "已报县民政局认定", "2026-11")
    store.dispose()
    return data


def test_weibao_check_lists_the_months_findings_and_exits_0(town):
    done = cli(town, "check", "--month", "2026-11")
    assert done.returncode == 0
    out = done.stdout
    assert "2026年11月资格核查" in out
    assert "【本月年满18周岁】" in out and "甲一" in out and "2026-11-20年满18周岁" in out
    assert "【孤儿未细分】" in out and "丙三" in out
    assert "已认定：已报县民政局认定（陈站长）" in out
    assert "430104" in out and make_id_number("430104", dt.date(2015, 3, 1), 3) not in out  # masked
    bad = cli(town, "check", "--month", "2026-13", check=False)
    assert bad.returncode != 0 and "核查月份“2026-13”格式不正确" in bad.stderr


def test_the_checks_ledger_reads_back_and_converts_in_libreoffice(town, tmp_path, libreoffice):
    out = tmp_path / "核查整改台账.xlsx"
    done = cli(town, "ledger", "export", "checks", "--month", "2026-11", "-o", str(out))
    assert "核查整改台账" in done.stdout
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    flat = [" ".join(str(c) for c in row if c is not None) for row in rows]
    assert any("城关镇" in line and "核查整改台账" in line for line in flat[:2])
    assert any("核查月份：2026年11月" in line for line in flat[:4])
    header = rows[3]
    assert header[:7] == ("序号", "所属村(社区)", "姓名", "公民身份号码（隐去部分）", "核查项目", "核查发现", "处理情况")
    assert rows[4][6:] == ("状态", "处理结果", "处理说明", "处理人", "处理时间")
    found = {(r[2], r[4]): r for r in rows[5:] if isinstance(r[0], int)}
    assert found[("乙二", "事实无人抚养待认定")][6:10] == ("已处理", "认定", "已报县民政局认定", "陈站长")
    assert found[("甲一", "本月年满18周岁")][6] == "待处理"
    assert found[("丙三", "孤儿未细分")][3].startswith("430104****")
    libreoffice.convert([out], "pdf", tmp_path / "pdf")
    assert (tmp_path / "pdf" / "核查整改台账.pdf").stat().st_size > 1000
