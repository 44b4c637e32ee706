"""A county clerk corrects the county's own 儿童信息台账 and imports it back: the township's file changes and
the correction travels to the township in the next return package (issue: villages written 乡镇·村)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import python_calamine as pc
from helpers import send
from test_exchange_libreoffice import LO_PYTHON, _need_libreoffice

from factories import child_values
from weibao_desktop.services.demo import build_demo

pytestmark = pytest.mark.libreoffice


def _header(path: Path) -> tuple[int, list[str], list[list]]:
    rows = pc.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    top = next(i for i, r in enumerate(rows) if "档案编号" in r)
    return top, [str(h) for h in rows[top]], rows


def test_county_ledger_edited_in_libreoffice_imports_back_and_travels_to_the_township(town, town2, county, tmp_path):
    _need_libreoffice()
    build_demo(town.ws.ctx, 10, 1, seed=3)
    build_demo(town2.ws.ctx, 6, 1, seed=4)
    send(town, county, tmp_path / "p1.xlsx")
    send(town2, county, tmp_path / "q1.xlsx")
    county.ledger.export("children", tmp_path / "县台账.xlsx")

    top, heads, rows = _header(tmp_path / "县台账.xlsx")
    uuid_at, village_at, phone_at = heads.index("档案编号"), heads.index("所属村(社区)"), heads.index("联系电话")
    data = [(i, r) for i, r in enumerate(rows) if i > top and r[uuid_at]]
    assert len(data) == 16 and all("·" in r[village_at] for _, r in data)
    at, target = next((i, r) for i, r in data if str(r[village_at]).startswith(town.name))
    newcomer = child_values(name="县里新增")
    stray = child_values(name="没写乡镇")
    first_village = f"{town.name}·{town.name[:2]}一村"
    ops = [
        {"set": ["儿童信息台账", at, phone_at, "13800001111"]},
        {"insert_row": ["儿童信息台账", top + 1, {
            str(heads.index("姓名")): newcomer["name"], str(heads.index("公民身份号码")): newcomer["id_number"],
            str(village_at): first_village}]},
        {"insert_row": ["儿童信息台账", top + 1, {
            str(heads.index("姓名")): stray["name"], str(heads.index("公民身份号码")): stray["id_number"],
            str(village_at): f"{town.name[:2]}一村"}]},
    ]
    ops_file = tmp_path / "ops.json"
    ops_file.write_text(json.dumps(ops, ensure_ascii=False), encoding="utf-8")
    edited = tmp_path / "县台账-改.xlsx"
    subprocess.run([LO_PYTHON, str(Path(__file__).with_name("lo_edit.py")), str(tmp_path / "县台账.xlsx"), str(edited),
                    str(ops_file), str(tmp_path / "lo-profile")], check=True, timeout=240)

    preview = county.ledger.preview(edited)
    assert preview.counts == {"new": 1, "changed": 1, "unchanged": 15, "rejected": 1}, preview.rejected
    assert [c.new for c in preview.changed[0].changes] == ["13800001111"]
    assert "没有写明乡镇" in preview.rejected[0].reason and preview.rejected[0].header == "所属村(社区)"
    county.ledger.apply(edited)
    assert county.children.get(target[uuid_at]).contact_phone == "13800001111"
    made = county.children.find_existing(id_number=newcomer["id_number"])
    assert made is not None

    _, applied = send(county, town, tmp_path / "c1.xlsx")
    assert applied.status == "applied"
    assert town.children.get(target[uuid_at]).contact_phone == "13800001111"
    here = town.children.find_existing(id_number=newcomer["id_number"])
    assert here is not None and here.name == "县里新增"
    assert town.children.get(here.uuid).village == f"{town.name[:2]}一村"
    assert town2.children.find_existing(id_number=newcomer["id_number"]) is None


def test_a_child_on_file_in_two_townships_is_changed_in_the_township_its_row_names(town, town2, county, tmp_path):
    from openpyxl import Workbook

    twin = child_values(name="两地都有")
    for site in (town, town2):
        first = next(v for v in site.stations.info().villages if v.name.endswith("一村"))  # lists are in pinyin order
        site.children.create({**twin, "village_id": first.id})
    send(town, county, tmp_path / "p1.xlsx")
    send(town2, county, tmp_path / "q1.xlsx")
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码", "所属村(社区)", "联系电话"])
    sheet.append([twin["name"], twin["id_number"], f"{town2.name}·{town2.name[:2]}一村", "13900002222"])
    path = tmp_path / "县里改.xlsx"
    book.save(path)
    preview = county.ledger.preview(path)
    assert preview.counts == {"new": 0, "changed": 1, "unchanged": 0, "rejected": 0}, preview.rejected
    county.ledger.apply(path)
    _, applied = send(county, town2, tmp_path / "c1.xlsx")
    assert town2.children.find_existing(id_number=twin["id_number"]).contact_phone == "13900002222"
    assert town.children.find_existing(id_number=twin["id_number"]).contact_phone != "13900002222"
