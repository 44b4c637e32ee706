"""Names in pinyin order, surnames read as surnames, in the list, the ledger and after an upgrade."""
from __future__ import annotations

import sqlalchemy as sa

from factories import child_values
from weibao_desktop.domain.name_order import name_key, sorted_by_name
from weibao_desktop.services.dto import ChildQuery

# By hand: 丁 ding < 付 fu < 李 li3 < 李明 li3 ming < 林 lin < 区 ou (surname) < 单 shan (surname) < 沈 shen
# < 万 wan < 解 xie (surname) < 严 yan < 曾 zeng (surname) < 查 zha (surname) < 张 zhang.
HAND_ORDER = ["丁一", "付四", "李", "李明", "林五", "区志", "单田芳", "沈明", "万二", "解放", "严三", "曾小明", "查良", "张三"]


def test_names_sort_by_pinyin_with_surname_readings():
    shuffled = sorted(HAND_ORDER)  # character-code order: 万 丁 严 …
    assert shuffled != HAND_ORDER
    assert sorted_by_name(shuffled) == HAND_ORDER


def test_zeng_the_surname_sorts_after_ding_and_before_zhang():
    # 曾 read as céng (its everyday reading) would come before 丁; as a surname (zēng) it is after 严 and before 张,
    # because z-e comes before z-h.
    assert name_key("丁一") < name_key("严三") < name_key("曾小明") < name_key("张三")


def test_two_character_surnames_and_rare_characters():
    assert name_key("尉迟恭").startswith("yu4chi2")
    assert name_key("尉明").startswith("wei4")
    assert name_key("𠮷田") > name_key("祖一")  # a character without a reading sorts after every reading
    assert name_key("Li") < name_key("李")
    assert name_key("李") < name_key("理")  # read alike: the character code breaks the tie
    assert name_key(None) == "" and name_key("  ") == ""


def test_the_children_list_and_its_ledger_are_in_pinyin_order(ws, tmp_path):
    from openpyxl import load_workbook

    village = ws.stations.info().villages[0].id
    for name in reversed(HAND_ORDER):
        ws.children.create(child_values(name=name, village_id=village))
    ids = ws.children.search_ids(ChildQuery())
    assert [ws.children.get(i).name for i in ids] == HAND_ORDER
    result = ws.ledger.export("children", tmp_path / "台账.xlsx")
    sheet = load_workbook(result.path, read_only=True).worksheets[0]
    names = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell in HAND_ORDER]
    assert names == HAND_ORDER


def test_a_rename_updates_the_key_without_a_history_line(ws):
    made = ws.children.create(child_values(name="张三"))
    ws.children.update(made.uuid, {"name": "曾三"})
    ids = ws.children.search_ids(ChildQuery(text="曾三"))
    assert len(ids) == 1
    fields = [h.field for h in ws.children.history(made.uuid)]
    assert "name" in fields and "name_key" not in fields
    with ws.ctx.read() as s:
        assert s.scalar(sa.text("select name_key from child where uuid = :u"), {"u": made.uuid}).startswith("zeng1")


def test_an_upgraded_store_has_every_name_key_filled(tmp_path):
    import rawdb
    from test_models_migrations import RARE_NAME, make_0001_store
    from weibao_desktop.models.store import DB_FILENAME, open_store

    make_0001_store(tmp_path)
    open_store(tmp_path).dispose()
    con = rawdb.connect(tmp_path / DB_FILENAME)
    try:
        assert con.execute("SELECT name_key FROM child").fetchall() == [(name_key(RARE_NAME),)]
        assert all(key for (key,) in con.execute("SELECT name_key FROM person"))
        indexes = {row[1] for row in con.execute("PRAGMA index_list('child')")}
        assert {"ix_child_station_name_key", "ix_child_name_key"} <= indexes
    finally:
        con.close()
