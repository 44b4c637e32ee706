"""The audit trail: what is recorded, without children's names; the chain survives a round trip through the
file and `weibao audit verify` (the real command, in a subprocess) finds an edited, deleted, reordered or
cut-off entry; `weibao audit export` writes it as a ledger; the print log's old rows join the chain."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

import rawdb
from factories import OPERATOR, person
from weibao_desktop.models.store import DB_FILENAME, current_revision, open_store, upgrade
from weibao_desktop.services import Actor, Workstation, audit

SRC = Path(__file__).resolve().parents[1] / "src"


def weibao(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC), "WEIBAO_USER": OPERATOR}
    return subprocess.run([sys.executable, "-m", "weibao_desktop", "--data-dir", str(data), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def actions(store) -> list[tuple[str, str, str]]:
    with rawdb.connect(store.path) as con:
        return [tuple(r) for r in con.execute("SELECT actor, action, object FROM audit_log ORDER BY seq")]


@pytest.fixture
def busy(ws, make_child, tmp_path):
    """A store where a day's audited work happened: a file shown in full, a print, a ledger, settings."""
    child = make_child(people=[person("父亲", 1)])
    ws.children.reveal_id(child.uuid)
    ws.printing.save_pdf(ws.printing.file_card(child.uuid), tmp_path / "card.pdf")
    ws.ledger.export("children", tmp_path / "children.xlsx")
    ws.stations.set_cadence({"yellow": 20})
    ws.stations.add_user("李主任", "儿童主任")
    audit.record(ws.store, "login_failed", "account:李主任", actor="李主任", role="director")
    return child


def test_the_audited_actions_are_recorded_without_the_childs_name(ws, busy, tmp_path):
    assert [a[1] for a in actions(ws.store)] == ["reveal_id", "print", "ledger_export", "settings", "account_add",
                                                 "login_failed"]
    assert actions(ws.store)[0] == (OPERATOR, "reveal_id", f"child:{busy.uuid}")
    assert actions(ws.store)[1][2] == "card.pdf" and actions(ws.store)[2][2] == "children.xlsx"
    with rawdb.connect(ws.store.path) as con:
        text = " ".join(str(v) for row in con.execute("SELECT * FROM audit_log") for v in row)
    assert busy.name not in text and busy.id_number not in text and str(tmp_path) not in text
    entries = ws.audit.entries()
    assert entries[0].action_label == "登录失败" and entries[0].role == "儿童主任"
    assert ws.printing.log()[0].form == "ledger_children"  # the print log's page keeps working beside the chain


def test_a_refused_or_failed_action_leaves_no_entry(ws, busy, tmp_path):
    before = actions(ws.store)
    director = Workstation(ws.store, Actor("李主任", "director", frozenset({"东村"})))
    with pytest.raises(Exception, match="无权"):
        director.children.reveal_id(busy.uuid)
    with pytest.raises(Exception, match="xlsx"):
        ws.ledger.export("children", tmp_path / "children.csv")
    assert actions(ws.store) == before


def test_imports_backups_and_restores_are_audited(ws, make_child, tmp_path):
    source = Path(__file__).parent / "data" / "东村留守儿童花名册.xlsx"
    ws.ledger.apply(source)
    copy = ws.maintenance.backup(tmp_path)
    assert [a[1:] for a in actions(ws.store)] == [("ledger_import", source.name), ("backup", copy.name)]
    kept = ws.maintenance.restore(copy)
    # The restored store is the copy, taken just before its backup entry: its own trail goes on with the restore.
    assert [a[1:] for a in actions(ws.store)] == [("ledger_import", source.name), ("restore", copy.name)]
    assert ws.audit.verify().intact
    with rawdb.connect(kept) as con:
        assert con.execute("SELECT action FROM audit_log ORDER BY seq DESC").fetchone() == ("backup",)


def test_verify_reports_an_intact_chain_and_exits_zero(ws, busy):
    ws.store.dispose()
    result = weibao(ws.store.path.parent, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "审计日志完整：共6条" in result.stdout


@pytest.mark.parametrize("tamper, where", [
    ("UPDATE audit_log SET actor = '别人' WHERE seq = 3", "第3条被修改"),
    ("UPDATE audit_log SET detail = '{\"rows\": 1}' WHERE seq = 3", "第3条被修改"),
    ("DELETE FROM audit_log WHERE seq = 2", "第2条被删除"),
    ("DELETE FROM audit_log WHERE seq = 6", "第6条被删除（日志末尾缺少条目）"),
    # reordered: the third entry stored again after the sixth
    ("UPDATE audit_log SET id = 100 WHERE seq = 3", "第3条不在原来的位置：条目顺序被调换"),
    # reordered by swapping two entries' places
    ("UPDATE audit_log SET id = -id WHERE seq IN (4, 5); UPDATE audit_log SET id = 5 WHERE id = -4;"
     "UPDATE audit_log SET id = 4 WHERE id = -5", "第4条不在原来的位置：条目顺序被调换"),
])
def test_verify_finds_an_edited_deleted_or_reordered_entry(ws, busy, tamper, where):
    ws.store.dispose()
    with rawdb.connect(ws.store.path) as con:
        con.executescript(tamper)
    result = weibao(ws.store.path.parent, "audit", "verify")
    assert result.returncode == 1
    assert "审计日志已被改动" in result.stderr and where in result.stderr, result.stderr


def test_an_entry_rewritten_with_a_fresh_hash_still_breaks_the_link_to_the_next(ws, busy):
    from weibao_desktop.models.audit import entry_hash

    ws.store.dispose()
    with rawdb.connect(ws.store.path) as con:
        seq, at, actor, role, action, obj, prev = con.execute(
            "SELECT seq, at, actor, role, action, object, prev_hash FROM audit_log WHERE seq = 2").fetchone()
        forged = entry_hash(seq, dt.datetime.fromisoformat(at), "别人", role, action, obj, {
            "form": "file_card", "count": 1, "pages": 1, "full_id": False, "subjects": [busy.uuid]}, prev)
        con.execute("UPDATE audit_log SET actor = '别人', hash = ? WHERE seq = 2", (forged,))
    result = weibao(ws.store.path.parent, "audit", "verify")
    assert result.returncode == 1 and "第3条与第2条接不上" in result.stderr, result.stderr


def test_export_writes_the_trail_as_a_ledger(ws, busy, tmp_path):
    from openpyxl import load_workbook

    ws.store.dispose()
    target = tmp_path / "审计日志.xlsx"
    result = weibao(ws.store.path.parent, "audit", "export", "-o", str(target))
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[:2] == ["序号", "时间(UTC)"])
    body = [row for row in values[header + 1:] if isinstance(row[0], int)]
    assert [row[4] for row in body] == ["显示完整号码", "打印或保存表格", "导出台账", "修改设置", "新增账号", "登录失败"]
    assert any("校验：完整" in str(v) for row in values[:header] for v in row if v)
    # the export is itself recorded
    assert actions(open_store(ws.store.path.parent))[-1][1:] == ("audit_export", target.name)


def test_a_director_may_not_read_or_export_the_trail(ws, busy, tmp_path):
    from weibao_desktop.services.accounts import AccountService

    AccountService(ws.ctx).add("周主任", "儿童主任", "周的口令12345", villages=("东村",))
    ws.store.dispose()
    env_user = {**os.environ, "PYTHONPATH": str(SRC), "WEIBAO_USER": "周主任", "WEIBAO_PASSWORD": "周的口令12345"}
    result = subprocess.run([sys.executable, "-m", "weibao_desktop", "--data-dir", str(ws.store.path.parent),
                             "audit", "verify"], capture_output=True, text=True, env=env_user, timeout=120)
    assert result.returncode != 0 and "当前账号（儿童主任）无权进行此操作：校验审计日志" in result.stderr


def test_migration_0009_chains_the_print_log_and_makes_admin_the_head(tmp_path):
    store = open_store(tmp_path, migrate=False)
    upgrade(store, "0006")
    store.dispose()
    with rawdb.connect(tmp_path / DB_FILENAME) as con:
        con.execute("INSERT INTO station (id, name, code, county, settings, created_at) "
                    "VALUES (1, '城关镇', '430104001000', '岳麓区', '{}', '2024-01-01 08:00:00.000000')")
        con.execute("INSERT INTO setting (key, value) VALUES ('home_station_id', '1'), ('mode', '\"station\"')")
        con.execute("INSERT INTO app_user (station_id, name, role, active, created_at) "
                    "VALUES (1, '老站长', 'admin', 1, '2024-01-01 08:00:00')")
        for n, (form, target) in enumerate([("file_card", r"C:\Users\wang\Documents\卡片.pdf"),
                                            ("ledger_children", "/home/wang/台账.xlsx")], start=1):
            con.execute("INSERT INTO print_log (printed_at, actor, form, title, subjects, subject_count, pages, "
                        "full_id, target) VALUES (?, '老站长', ?, '儿童档案卡（某儿童）', '[\"u1\"]', 1, 2, 0, ?)",
                        (f"2024-0{n}-01 09:00:00.000000", form, target))
    reopened = open_store(tmp_path)
    try:
        assert current_revision(reopened.engine) != "0006"
        ws = Workstation.as_account(reopened, "老站长")
        assert ws.actor.role == "head"
        assert [(e.action, e.object) for e in reversed(ws.audit.entries())] == [
            ("print", "卡片.pdf"), ("ledger_export", "台账.xlsx")]
        assert ws.audit.verify().intact
        ws.children.page()
        ws.stations.set_cadence({"yellow": 20})  # the next entry continues the migrated chain
        assert ws.audit.verify().intact and ws.audit.count() == 3
        assert ws.printing.log_count() == 2
    finally:
        reopened.dispose()
