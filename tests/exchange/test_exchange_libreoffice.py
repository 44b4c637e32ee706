"""A package corrected by hand in LibreOffice — a changed cell, a deleted row, added rows — round-trips."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import send, snapshot
from openpyxl import load_workbook

from factories import child_values
from pairing_helpers import unlock

LO_PYTHON = "/usr/bin/python3"
pytestmark = pytest.mark.libreoffice


def _need_libreoffice():
    ok = shutil.which("soffice") and subprocess.run([LO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    if not ok:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice with python3-uno is required in CI (dev.sh installs it)")
        pytest.skip("LibreOffice / python3-uno not installed")


def _layout(path: Path, sheet: str) -> tuple[int, list[str], list[list]]:
    """(header row index from 0, headers, rows as values) of a package sheet."""
    ws = load_workbook(path)[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    top = next(i for i, r in enumerate(rows) if "记录编号" in r)
    return top, [str(h) if h else "" for h in rows[top]], rows


def test_a_package_corrected_in_libreoffice_round_trips(town, county, tmp_path, clock):
    _need_libreoffice()
    a = town.children.create(child_values(name="改地址"))
    b = town.children.create(child_values(name="删走访"))
    c = town.children.create(child_values(name="补走访"))
    for child in (a, b, c):
        town.visits.record(child.uuid, {"visited_on": clock(), "visitors": "李主任", "mode": "入户", "living": "正常"})
    pkg = tmp_path / "p1.xlsx"
    town.exchange.export(pkg)
    unlock(pkg)  # opened with the package password and saved without it, as in Excel/WPS

    top, heads, rows = _layout(pkg, "儿童档案")
    row_a = next(i for i, r in enumerate(rows) if r[heads.index("记录编号")] == a.uuid)
    new_child = child_values(name="手工补录")
    vtop, vheads, vrows = _layout(pkg, "走访记录")
    row_b = next(i for i, r in enumerate(vrows) if r[vheads.index("儿童姓名")] == "删走访")
    ops = [
        {"set": ["儿童档案", row_a, heads.index("现居住地"), "东村七组（县里核实）"]},
        {"insert_row": ["儿童档案", top + 1, {
            str(heads.index("姓名")): new_child["name"], str(heads.index("性别")): "男" if new_child["sex"] in ("M", "男") else "女",
            str(heads.index("出生日期")): new_child["birth_date"].isoformat(),
            str(heads.index("公民身份号码")): new_child["id_number"]}]},
        {"delete_row": ["走访记录", row_b]},
        {"insert_row": ["走访记录", vtop + 1, {
            str(vheads.index("儿童身份证号")): c.id_number, str(vheads.index("走访日期")): clock().isoformat(),
            str(vheads.index("走访人")): "县督导", str(vheads.index("走访方式")): "电话", str(vheads.index("生活情况")): "电话补录"}]},
    ]
    ops_file = tmp_path / "ops.json"
    ops_file.write_text(json.dumps(ops, ensure_ascii=False), encoding="utf-8")
    edited = tmp_path / "p1-edited.xlsx"
    subprocess.run([LO_PYTHON, str(Path(__file__).with_name("lo_edit.py")), str(pkg), str(edited), str(ops_file),
                    str(tmp_path / "lo-profile")], check=True, timeout=240)

    res = county.exchange.apply(edited, accept_hand_edits=True)
    assert res.status == "applied", res.notes
    assert (res.hand_edited, res.hand_added, res.missing_rows) == (1, 2, 1)
    assert county.children.get(a.uuid).residence_address == "东村七组（县里核实）"
    assert county.children.find_existing(id_number=new_child["id_number"]).name == "手工补录"
    assert [v.living for v in county.visits.for_child(c.uuid)] == ["电话补录", "正常"] or \
        sorted(v.living for v in county.visits.for_child(c.uuid)) == ["正常", "电话补录"]
    assert county.visits.for_child(b.uuid) == []  # deleted on the way: asked for again, not invented

    send(county, town, tmp_path / "c1.xlsx")  # carries the correction back and asks for the lost row
    send(town, county, tmp_path / "p2.xlsx")  # the lost visit comes again
    send(county, town, tmp_path / "c2.xlsx")
    assert len(county.visits.for_child(b.uuid)) == 1
    assert town.children.get(a.uuid).residence_address == "东村七组（县里核实）"
    assert snapshot(county, town.code) == snapshot(town, town.code)
    _ = sys


def _libreoffice(inp: Path, out: Path, ops: list, tmp_path: Path) -> None:
    ops_file = tmp_path / f"{out.stem}-ops.json"
    ops_file.write_text(json.dumps(ops, ensure_ascii=False), encoding="utf-8")
    subprocess.run([LO_PYTHON, str(Path(__file__).with_name("lo_edit.py")), str(inp), str(out), str(ops_file),
                    str(tmp_path / "lo-profile")], check=True, timeout=240)


def test_a_package_saved_again_by_libreoffice_still_verifies_and_a_hand_edit_waits_for_acceptance(
        town, county, tmp_path):
    _need_libreoffice()
    kept = town.children.create(child_values(name="原样"))
    edited_child = town.children.create(child_values(name="被改"))
    pkg = tmp_path / "p1.xlsx"
    town.exchange.export(pkg)
    unlock(pkg)  # opened with the package password and saved without it, as in Excel/WPS
    resaved = tmp_path / "p1-resaved.xlsx"
    _libreoffice(pkg, resaved, [], tmp_path)
    check = county.exchange.apply(resaved, dry_run=True)  # the signature holds over values, not bytes
    assert check.status == "dry-run" and check.hand_edits == [] and check.new >= 2, check.notes

    top, heads, rows = _layout(pkg, "儿童档案")
    row = next(i for i, r in enumerate(rows) if r[heads.index("记录编号")] == edited_child.uuid)
    changed = tmp_path / "p1-changed.xlsx"
    _libreoffice(pkg, changed, [{"set": ["儿童档案", row, heads.index("现居住地"), "路上改的地址"]}], tmp_path)
    preview = county.exchange.apply(changed, dry_run=True)
    [edit] = preview.hand_edits
    assert (edit.sheet, edit.row, edit.column, edit.new, edit.accepted) == ("儿童档案", row + 1, "现居住地", "路上改的地址", False)
    res = county.exchange.apply(changed)  # nobody accepted it: only the signed content applies
    assert res.status == "applied"
    assert county.children.get(edited_child.uuid).residence_address == edited_child.residence_address
    assert county.children.get(kept.uuid).name == "原样"
