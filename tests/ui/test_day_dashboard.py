"""A day at the station on the dashboard: 今日待办 (red first, then most overdue, with the reasons), the same
right-click menu and keys on every child row, the overdue card opening the most overdue first, the start page
of an empty store, and the prompt to assess a new file."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog
from ui_typing import on_next_modal, reactivate, show_active, type_text

from factories import FIXED_DATE
from weibao_desktop.ui.child_actions import LABELS, ChildActions
from weibao_desktop.ui.dashboard import DashboardView
from weibao_desktop.ui.list_page import ListPage
from weibao_desktop.ui.main_window import PAGE_KEYS, MainWindow


def _window(qtbot, ws, tasks, **kw) -> MainWindow:
    win = MainWindow(ws, tasks, **kw)
    show_active(qtbot, win)
    return win


def _todo_rows(view: DashboardView) -> list[list[str]]:
    model = view.todo.todo_model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_todo_lists_red_first_then_most_overdue_with_the_reason(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    view = win.pages["dashboard"]
    assert view.lists.currentWidget() is view.todo and view.lists.tabText(0).startswith("今日待办（")
    items = view.todo.items()
    assert items, "the demo store has work for today"
    colours = [item.risk_colour for item in items]
    reds = colours.count("red")
    assert colours[:reds] == ["red"] * reds  # red first
    others = [item.days_overdue for item in items[reds:] if item.kind == "child"]
    assert others == sorted(others, reverse=True)  # then the longest overdue
    header = [view.todo.todo_model.headerData(c, Qt.Horizontal) for c in range(view.todo.todo_model.columnCount())]
    assert header[-1] == "待办事项" and view.todo.horizontalHeader().stretchLastSection()
    reasons = {row[-1] for row in _todo_rows(view)}
    assert any(r.startswith("逾期") and r.endswith("天") or "逾期" in r for r in reasons)


def test_the_todo_panel_shows_each_reason_in_words(qtbot, ws, tasks, make_child, clock):
    clock.set(FIXED_DATE - dt.timedelta(days=40))
    late = make_child(name="周逾期")
    ws.assessments.assess(late.uuid, {"kind": "risk", "assessed_on": FIXED_DATE - dt.timedelta(days=40), "assessor": "王五",
                                      "result": "yellow", "reason": "父母外出务工"})
    clock.set(FIXED_DATE)
    make_child(name="吴新建")  # on file today, not assessed
    ws.clues.receive({"source": "school", "content": "学生身上多处伤痕", "child_name": "郑线索"})
    view = DashboardView(ws, tasks)
    qtbot.addWidget(view)
    rows = {row[0]: row[-1] for row in _todo_rows(view)}
    assert rows == {"周逾期": "逾期10天", "吴新建": "未评估", "郑线索": "线索待反馈"}
    assert view.cards["unassessed"].number.text() == "1"


def test_every_child_list_has_the_same_menu_and_keys(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    helpers: list[tuple[str, ChildActions]] = []
    for key in PAGE_KEYS:
        page = win.show_page(key)
        for found in page.findChildren(ChildActions):
            helpers.append((key, found))
    pages = {key for key, _ in helpers}
    assert {"dashboard", "children", "visits", "assessments", "help", "clues", "hotline"} <= pages
    dashboard = win.pages["dashboard"]
    views = {helper.view for _, helper in helpers}
    assert {dashboard.todo, dashboard.today_list, dashboard.week_list, dashboard.red_list, dashboard.overdue,
            dashboard.clue_list} <= views
    for page in win.pages.values():
        for list_page in [page, *page.findChildren(ListPage)]:
            if isinstance(list_page, ListPage):
                assert list_page.child_actions.view is list_page.table
    menu = dashboard.todo.child_actions.menu_for(dashboard.todo.model().index(0, 0))
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == list(LABELS.values())
    assert [a.shortcut().toString() for a in menu.actions() if not a.isSeparator()] == [
        "Ctrl+O", "Ctrl+Shift+V", "Ctrl+Shift+A", "Ctrl+Shift+P"]


def test_record_a_visit_from_the_todo_menu_takes_the_child_off(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    view = win.pages["dashboard"]
    row = next(i for i, item in enumerate(view.todo.items()) if item.kind == "child" and item.days_overdue)
    item = view.todo.items()[row]
    menu = view.todo.child_actions.menu_for(view.todo.todo_model.index(row, 0))
    visit = next(a for a in menu.actions() if a.text() == "记录走访…")
    seen = []

    def fill(dialog):
        seen.append(dialog.windowTitle())
        type_text(dialog.texts.editor("living"), "生活正常，有人照料")
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    on_next_modal(fill)
    visit.trigger()
    assert seen and seen[0].startswith("登记走访")
    assert demo_ws.children.get(item.child_uuid).last_visit_on == FIXED_DATE
    assert item.child_uuid not in [i.child_uuid for i in view.todo.items() if i.kind == "child"]


def test_keys_on_a_list_row_open_the_assessment_and_the_file(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    view = win.show_page("children")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(1, 0))
    uuid = view.model.uuid_at(1)
    titles = []
    on_next_modal(lambda dialog: titles.append(dialog.windowTitle()))
    qtbot.keyClick(view.table, Qt.Key_A, Qt.ControlModifier | Qt.ShiftModifier)
    assert titles and "评估" in titles[0]
    reactivate(qtbot, win)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_O, Qt.ControlModifier)
    assert uuid in win.files


def test_the_overdue_card_opens_the_most_overdue_first(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    card = win.pages["dashboard"].cards["overdue"]
    qtbot.mouseClick(card, Qt.LeftButton, pos=QPoint(card.width() // 2, card.height() // 2))
    assert win.current_key() == "children"
    view = win.pages["children"]
    qtbot.waitUntil(lambda: view.model.rowCount() > 1)
    q = view.model.query()
    assert (q.overdue, q.sort, q.descending) == (True, "next_visit_due", False)
    rows = [view.model.row_at(i) for i in range(min(20, view.model.rowCount()))]
    days = [r.days_overdue for r in rows]
    assert days == sorted(days, reverse=True) and days[0] > 0


def test_an_empty_store_starts_with_new_file_and_excel_import(qtbot, ws, tasks, answers):
    win = _window(qtbot, ws, tasks)
    view = win.pages["dashboard"]
    assert view.showing_start_page() and view.start.isVisible()
    seen = []
    on_next_modal(lambda dialog: seen.append(dialog.windowTitle()))
    qtbot.mouseClick(view.start.new_button, Qt.LeftButton)
    assert seen and "档案" in seen[0]
    qtbot.mouseClick(view.start.import_button, Qt.LeftButton)
    assert win.current_key() == "exchange"
    assert answers.titles("open") == ["选择台账"]  # the ledger import's file dialog, cancelled here


def test_a_new_unassessed_file_is_offered_an_assessment(qtbot, ws, tasks, make_child, answers):
    child = make_child(name="钱新档")
    win = _window(qtbot, ws, tasks)
    file_window = win.open_child(child.uuid)
    answers.confirm(True)
    seen = []
    on_next_modal(lambda dialog: seen.append(dialog.windowTitle()))
    win.offer_assessment(file_window)
    assert answers.titles("question") == ["风险评估"]
    assert seen and "评估" in seen[0]
    assert QApplication.activeModalWidget() is None or not isinstance(QApplication.activeModalWidget(), QDialog)
