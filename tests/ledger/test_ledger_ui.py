"""The 台账交换 page's ledger part and the children list's export, driven as a user would (offscreen)."""
from __future__ import annotations

import openpyxl
import pytest

from weibao_desktop.services.dto import ChildQuery

pytest.importorskip("PySide6")


@pytest.fixture
def tasks(qapp):
    from weibao_desktop.ui.tasks import SyncTasks

    t = SyncTasks()
    yield t
    t.shutdown()


@pytest.fixture(autouse=True)
def shown(monkeypatch, qapp):
    """Message boxes (已导出 with 打开文件 / 打开所在文件夹) are recorded, never shown: nobody would close them."""
    from PySide6.QtWidgets import QMessageBox

    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(box.text()) or 0)
    return seen


@pytest.fixture
def view(ws, tasks, qtbot):
    from weibao_desktop.ui.ledger_view import LedgerView

    v = LedgerView(ws, tasks)
    qtbot.addWidget(v)
    return v


def test_export_buttons_use_the_filters_shown(view, station, tmp_path, shown):
    view.village.setCurrentIndex(view.village.findData("西村"))
    view.export_to("children", tmp_path / "west.xlsx")
    assert view.last_export.rows == 2 and "西村" in view.last_export.title
    assert "已导出" in view.export_status.text()
    assert len(shown) == 1 and str(tmp_path / "west.xlsx") in shown[0]  # where the file went
    assert openpyxl.load_workbook(tmp_path / "west.xlsx")["儿童信息台账"]["A1"].value == "城关镇西村儿童信息台账"


def test_failed_summary_export_says_which_sum(view, ws, station, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    ws.children.add_category(station["c"].uuid, "orphan_central")
    ws.children.add_category(station["c"].uuid, "orphan_scattered")
    view.export_to("summary", tmp_path / "s.xlsx")
    assert "第14栏" in view.export_status.text() and shown and not (tmp_path / "s.xlsx").exists()


def test_import_wizard_preview_then_confirm(view, ws, tasks, data_file, db, store):
    view.preview_file(data_file("儿童台账_文本格式.xls"))
    assert view.pages.currentIndex() == 1
    assert view.tabs.tabText(0) == "新增（4）" and view.tabs.tabText(3) == "未导入（4）"
    assert view.rejected_model.rowCount() == 4 and "科学计数法" in " ".join(r.reason for r in view.rejected_model.rows)
    assert db.count(store, "child") == 0  # nothing until confirmed
    with_signal = []
    tasks.did_change.connect(lambda changes, _initiator: with_signal.append(changes))
    view.confirm_import()
    assert view.pages.currentIndex() == 2 and "新增 4 份档案" in view.done_text.text()
    assert db.count(store, "child") == 4 and [c.all_children for c in with_signal] == [True]
    view.restart()
    assert view.recent.count() == 1


def test_import_wizard_shows_changes_old_to_new_and_saves_the_error_report(view, ws, make_child, village_ids,
                                                                           tmp_path):
    child = make_child(village_id=village_ids["东村"], contact_phone="13900000001")
    path = ws.ledger.export("children", tmp_path / "c.xlsx").path
    wb = openpyxl.load_workbook(path)
    sheet = wb["儿童信息台账"]
    col = next(i for i in range(1, sheet.max_column + 1) if sheet.cell(4, i).value == "联系电话")
    sheet.cell(6, col).value = "13900000002"
    wb.save(path)
    view.preview_file(path)
    assert [(view.changed_model.data(view.changed_model.index(0, c))) for c in (2, 3, 4)] == [
        "联系电话", "13900000001", "13900000002"]
    assert not view.report_button.isEnabled()
    view.confirm_import()
    assert ws.children.get(child.uuid).contact_phone == "13900000002"


def test_unreadable_file_stays_on_the_first_step_with_the_reason(view, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"")
    view.preview_file(bad)
    assert view.pages.currentIndex() == 0 and "是空的" in view.choose_error.text()


def test_children_list_export_uses_its_current_filter(ws, tasks, station, tmp_path, qtbot):
    from weibao_desktop.ui.ledger_actions import export_children

    results = []
    export_children(None, ws, tasks, ChildQuery(category="left_behind"), tmp_path / "l.xlsx", on_done=results.append)
    assert results[0].rows == 2 and results[0].title == "城关镇农村留守儿童信息台账"
