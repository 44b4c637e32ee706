"""家庭档案 page, household visit, review list, the child file's 监护与照护 tab and the dashboard's care warnings,
driven by clicks."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from ui_typing import type_text

from factories import FIXED_DATE
from weibao_desktop.models.households import Household, HouseholdReview
from weibao_desktop.ui.care_tab import CareDialog
from weibao_desktop.ui.child_file import TAB_TITLES, ChildFile
from weibao_desktop.ui.dashboard import DashboardView
from weibao_desktop.ui.households_view import HouseholdsView, HouseholdVisitDialog

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screens"


def _family(ws, make_child, n=3):
    kids = [make_child(people=[{"relation": "父亲", "name": "王建国", "phone": "13800001111", "status": "外出务工"},
                               {"relation": "委托监护人", "name": "王奶奶", "relation_detail": "祖母"}])
            for _ in range(n)]
    return ws.households.create({"name": "王建国家", "address": "东村三组"}, [k.uuid for k in kids]), kids


def _button(table, text):
    for i in range(table.buttons.count()):
        w = table.buttons.itemAt(i).widget()
        if w is not None and w.text() == text:
            return w
    raise AssertionError(text)


def _shot(widget, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_household_visit_from_the_page_records_a_visit_for_each_child_ticked(qtbot, ws, tasks, make_child, on_modal):
    h, kids = _family(ws, make_child)
    view = HouseholdsView(ws, tasks)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    assert view.households.model.rowCount() == 1
    view.households.select_row(0)
    assert view.children.model.rowCount() == 3 and view.adults.model.rowCount() == 2
    _shot(view, "households")

    def fill(dialog):
        assert isinstance(dialog, HouseholdVisitDialog)
        dialog.present[kids[2].uuid].setChecked(False)  # the eldest is at school
        type_text(dialog.texts.editor("living"), "祖母照料，饮食正常")
        _shot(dialog, "household_visit")
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    seen = on_modal(fill)
    qtbot.mouseClick(_button(view.households, "家庭走访…"), Qt.LeftButton)
    assert seen
    assert [len(ws.visits.for_child(k.uuid)) for k in kids] == [1, 1, 0]
    assert ws.visits.for_child(kids[0].uuid)[0].living == "祖母照料，饮食正常"


def test_review_list_keeps_apart_or_joins_on_a_click(qtbot, ws, tasks, make_child, store):
    h, kids = _family(ws, make_child, n=2)
    other = make_child(people=[{"relation": "父亲", "name": "王建国", "phone": "13900002222"}])
    ws.households.create({"name": "另一王建国家"}, [other.uuid])
    with store.sessions() as s, s.begin():
        hid = s.query(Household.id).filter(Household.uuid == h.uuid).scalar()
        s.add(HouseholdReview(household_id=hid, child_id=ws.children.get(other.uuid).id,
                              reason="父亲同名（王建国），联系电话不同，是否同一家庭？", state="open"))
    view = HouseholdsView(ws, tasks)
    qtbot.addWidget(view)
    view.show()
    assert view.tabs.tabText(1) == "待核对（1）"
    view.tabs.setCurrentIndex(1)
    view.reviews.select_row(0)
    qtbot.mouseClick(_button(view.reviews, "是同一家庭（合并）"), Qt.LeftButton)
    assert view.tabs.tabText(1) == "待核对" and view.reviews.model.rowCount() == 0
    assert len(ws.households.get(h.uuid).children) == 3


def test_care_tab_adds_an_agreement_prefilled_from_the_family(qtbot, ws, tasks, make_child, on_modal):
    h, kids = _family(ws, make_child, n=2)
    win = ChildFile(ws, tasks, kids[0].uuid)
    qtbot.addWidget(win)
    win.resize(1100, 650)
    win.show()
    win.tabs.setCurrentIndex(TAB_TITLES.index("家庭与监护"))
    assert sorted(p.name for p in win.people.model.records) == ["王奶奶", "王建国"]  # the household's adults
    win.tabs.setCurrentIndex(TAB_TITLES.index("监护与照护"))
    assert "王建国家" in win.care.household.text()
    assert win.care.table.model.rowCount() == 0

    def fill(dialog):
        assert isinstance(dialog, CareDialog)
        values = dialog.form.values()
        assert (values["carer_name"], values["carer_relation"], values["parties"]) == ("王奶奶", "祖母", "王建国")
        dialog.form.set_values({"signed_on": FIXED_DATE})
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    seen = on_modal(fill)
    qtbot.mouseClick(_button(win.care.table, "新增安排…"), Qt.LeftButton)
    assert seen
    win.tabs.setCurrentIndex(TAB_TITLES.index("监护与照护"))
    rows = win.care.table.model.records
    assert [(r.kind_label, r.carer_name, r.signed_on) for r in rows] == [("委托照护协议", "王奶奶", FIXED_DATE)]
    _shot(win, "care_tab")


def test_dashboard_lists_the_care_warnings(qtbot, ws, tasks, make_child):
    _family(ws, make_child, n=2)
    view = DashboardView(ws, tasks)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    care = view.lists.indexOf(view.care_list)
    assert view.lists.tabText(care) == "监护与照护提醒（2）"
    view.lists.setCurrentIndex(care)
    item = view.care_list.topLevelItem(0)
    assert item.text(1) == "被委托人王奶奶未签订委托照护协议"
    _shot(view, "dashboard_care")
