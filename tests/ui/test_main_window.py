"""The main window: every page opens, shortcuts, the status bar, remembered state, files opened from lists."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel

from weibao_desktop.ui.app import make_app
from weibao_desktop.ui.children_model import COLUMN_INDEX
from weibao_desktop.ui.main_window import PAGES, MainWindow
from weibao_desktop.ui.operations import Changes, run_operation

TITLES = ["工作台", "儿童档案", "家庭档案", "走访记录", "风险评估", "帮扶与转介", "强制报告线索", "热线记录", "重大事项",
          "活动与服务", "儿童主任名册", "台账交换", "资格核查", "统计", "设置", "审计日志"]


def _window(qtbot, ws, tasks, **kw):
    win = MainWindow(ws, tasks, **kw)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitActive(win)
    return win


def test_navigation_lists_every_page_and_each_one_opens(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    assert [win.nav.item(i).text() for i in range(win.nav.count())] == TITLES
    assert win.current_key() == "dashboard"  # a first start opens on 工作台
    for i, page in enumerate(PAGES):
        win.nav.setCurrentRow(i)
        assert win.stack.currentWidget() is win.pages[page.key]
        assert win.pages[page.key].isVisible()
    # Pages not built yet say so in Chinese instead of failing.
    for widget in win.pages.values():
        for label in widget.findChildren(QLabel):
            if "尚未完成" in label.text():
                assert label.text().endswith("此功能尚未完成")


def test_menus_and_shortcuts(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    assert win.new_action.shortcut() == QKeySequence("Ctrl+N")
    assert win.find_action.shortcut() == QKeySequence("Ctrl+F")
    assert win.save_action.shortcut() == QKeySequence("Ctrl+S")
    assert win.print_action.shortcut() == QKeySequence("Ctrl+P")
    assert win.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    menus = [a.text() for a in win.menuBar().actions()]
    assert menus == ["文件(&F)", "编辑(&E)", "查看(&V)", "帮助(&H)"]
    toolbar = [a.text() for a in win.toolbar.actions()]
    assert toolbar[:4] == ["新建档案", "查找", "保存", "打印"]
    win.find_action.trigger()  # 查找: the list, with the cursor in the search box
    assert win.current_key() == "children"
    search = win.pages["children"].search
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search, timeout=2000)


def test_status_bar_names_station_user_size_and_last_exchange(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    assert win.station_label.text() == "工作站：岳麓区示范镇"
    assert win.user_label.text() == f"操作人：{demo_ws.actor.name}"
    assert win.size_label.text().startswith("数据库：") and "MB" in win.size_label.text()
    assert win.exchange_label.text() == "最近与县级交换：从未"


def test_window_remembers_page_geometry_and_column_widths(qtbot, demo_ws, tasks, qt_settings):
    win = _window(qtbot, demo_ws, tasks)
    win.resize(760, 560)
    view = win.show_page("children")
    view.table.setColumnWidth(COLUMN_INDEX["village"], 217)
    view.table.sortByColumn(COLUMN_INDEX["birth_date"], Qt.DescendingOrder)
    size = (win.width(), win.height())
    win.close()
    assert (qt_settings / "weibao-test" / "weibao-desktop-test.ini").exists()  # in tmp_path, not $HOME

    again = _window(qtbot, demo_ws, tasks)
    assert again.current_key() == "dashboard"  # always 工作台 first, whatever page was left open
    assert (again.width(), again.height()) == size
    view = again.show_page("children")
    assert view.table.columnWidth(COLUMN_INDEX["village"]) == 217
    q = view.model.query()
    assert (q.sort, q.descending) == ("birth_date", True)


def test_opening_a_child_from_the_list_and_once_only(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks, start_page="children")
    view = win.pages["children"]
    view.table.setCurrentIndex(view.model.index(2, 0))
    view.table.activated.emit(view.model.index(2, 0))
    uuid = view.model.uuid_at(2)
    assert list(win.files) == [uuid]
    file_window = win.files[uuid]
    assert file_window.isVisible() and file_window.title.text() == view.model.row_at(2).name
    assert win.open_child(uuid) is file_window  # the same child again: the same window comes forward


def test_a_change_in_a_file_refreshes_the_list(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks, start_page="children")
    view = win.pages["children"]
    row = view.model.row_at(0)
    file_window = win.open_child(row.uuid)
    run_operation(tasks, lambda: demo_ws.children.update(row.uuid, {"contact_phone": "13912345678"}),
                  Changes(children={row.uuid}), parent=file_window)
    assert view.model.row_at(view.model.row_of_uuid(row.uuid)).contact_phone == "13912345678"


def test_dashboard_card_opens_the_filtered_list(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks)
    dashboard = win.pages["dashboard"]
    dashboard.cards["overdue"].clicked.emit()
    assert win.current_key() == "children"
    view = win.pages["children"]
    assert view.overdue.isChecked()
    assert view.model.rowCount() == sum(demo_ws.stats.stats().overdue_by_colour.values())


def test_qt_dialogs_speak_chinese(qapp):
    make_app()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("QPlatformTheme", "Save") == "保存"


def test_a_page_that_saved_makes_the_others_refresh_when_shown(qtbot, demo_ws, tasks):
    win = _window(qtbot, demo_ws, tasks, start_page="children")
    win.show_page("dashboard")
    visits = win.show_page("visits")
    dashboard = win.pages["dashboard"]
    before = dashboard.cards["month"].number.text()
    row = win.pages["children"].model.row_at(0)
    values = {"visited_on": demo_ws.ctx.today(), "visitors": "王五", "mode": "home", "living": "正常"}
    run_operation(tasks, lambda: demo_ws.visits.record(row.uuid, values), Changes(children={row.uuid}, visits=True),
                  parent=visits)
    assert dashboard.cards["month"].number.text() == before  # hidden: read again only when shown
    assert set(win._pending) == {"dashboard", "children"}
    win.show_page("dashboard")
    assert dashboard.cards["month"].number.text() != before


def test_backup_from_the_file_menu_copies_the_store(qtbot, ws, tasks, answers):
    win = _window(qtbot, ws, tasks)
    win.backup_action.trigger()
    messages = [text for kind, title, text in answers.asked if title == "备份"]
    assert messages and messages[0].startswith("数据库已备份。")
    copies = list(ws.store.path.parent.glob("weibao.manual.*.bak.sqlite3"))
    assert len(copies) == 1 and str(copies[0]) in messages[0]


def test_new_child_with_ctrl_n_opens_the_new_file(qtbot, ws, tasks, on_modal):
    from ui_typing import choose, type_text

    win = _window(qtbot, ws, tasks, start_page="children")

    def fill(form):
        b = form.basic
        type_text(b.editor("name"), "王小明")
        choose(b.editor("sex"), "男")
        qtbot.keyClicks(b.editor("birth_date").edit, "2015-03-01")
        qtbot.mouseClick(form.save_button, Qt.LeftButton)

    seen = on_modal(fill)
    win.new_action.trigger()
    assert seen
    [file_window] = win.files.values()
    assert file_window.title.text() == "王小明"
    view = win.pages["children"]
    assert "王小明" in [view.model.row_at(i).name for i in range(view.model.rowCount())]


def test_a_duplicate_offers_the_existing_file_instead(qtbot, ws, tasks, make_child, on_modal):
    from ui_typing import choose, type_text

    existing = make_child(name="李思思")
    win = _window(qtbot, ws, tasks)

    def duplicate(form):
        b = form.basic
        type_text(b.editor("name"), "李思思")
        qtbot.keyClicks(b.editor("id_number"), existing.id_number)
        choose(b.editor("sex"), {"M": "男", "F": "女"}[existing.sex])
        assert b.editor("birth_date").date() == existing.birth_date  # filled from the id number
        qtbot.mouseClick(form.save_button, Qt.LeftButton)
        assert form.open_button.isVisible()
        qtbot.mouseClick(form.open_button, Qt.LeftButton)

    seen = on_modal(duplicate)
    win.new_action.trigger()
    assert seen
    qtbot.waitUntil(lambda: existing.uuid in win.files, timeout=3000)
    assert list(win.files) == [existing.uuid]
    assert ws.children.page().total == 1  # no second file


def test_every_page_implements_the_page_protocol_and_the_window_asks_nothing_else(qtbot, ws, tasks):
    import inspect

    from weibao_desktop.ui import main_window
    from weibao_desktop.ui.operations import Page

    win = _window(qtbot, ws, tasks)
    for spec in PAGES:
        page = win.show_page(spec.key)
        assert isinstance(page, Page) and page.title == spec.title, spec.key
    assert "getattr" not in inspect.getsource(main_window)  # no probing for optional methods
