"""The main window: navigation between the pages, menus and toolbar, status bar, open child files.

Pages are built the first time they are shown, so start-up only pays for the page the user left open last
time. Every page implements `operations.Page`; the window calls nothing else on it. Writes anywhere in the
GUI announce what they changed on `Tasks.did_change` (operations.py): the window passes the `Changes` to
the page on screen and to open child files at once, and to hidden pages when they are next shown, each of
which reloads only when it shows a changed record.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from ..domain.roles import role_label
from . import options, screens
from .assessments_view import AssessmentsView
from .audit_view import AuditView
from .checks_view import ChecksView
from .child_file import ChildFile
from .child_form import ChildForm
from .children_view import ChildrenView
from .clues_view import CluesView
from .dashboard import DashboardView
from .exchange_view import ExchangePage
from .help_view import HelpView
from .hotline_view import HotlineView
from .households_view import HouseholdsView
from .incidents_view import IncidentsView
from .looks import add_title, icon
from .names import APP_NAME
from .operations import Changes, Page
from .saved import show_saved
from .settings_view import SettingsView
from .stats_view import StatsView
from .tasks import Tasks
from .times import local_stamp
from .visits_view import VisitsView
from .work_views import ActivitiesView, StaffView


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    build: Callable[[MainWindow], Page]
    needs: str | None = None  # the service call (access POLICY key) a role must be allowed to see the page


def _dashboard(win: MainWindow) -> Page:
    view = DashboardView(win.ws, win.tasks, first=win.first_work)
    win.first_work = None
    view.filter_children.connect(win.show_children)
    view.open_page.connect(win.show_page)
    view.open_clue.connect(win.show_clue)
    view.new_child.connect(win.new_child)
    view.import_ledger.connect(win.import_ledger)
    return view


def _children(win: MainWindow) -> Page:
    view = ChildrenView(win.ws, win.tasks)
    view.new_child.connect(win.new_child)
    return view


def _hotline(win: MainWindow) -> Page:
    view = HotlineView(win.ws, win.tasks)
    view.clue_created.connect(win.show_clue)
    return view


def _plain(page_cls) -> Callable[[MainWindow], Page]:
    return lambda win: page_cls(win.ws, win.tasks)


PAGES = (
    PageSpec("dashboard", "工作台", _dashboard),
    PageSpec("children", "儿童档案", _children),
    PageSpec("households", "家庭档案", _plain(HouseholdsView), "households.search"),
    PageSpec("visits", "走访记录", _plain(VisitsView)),
    PageSpec("assessments", "风险评估", _plain(AssessmentsView)),
    PageSpec("help", "帮扶与转介", _plain(HelpView)),
    PageSpec("clues", "强制报告线索", _plain(CluesView), "clues.page"),
    PageSpec("hotline", "热线记录", _hotline, "hotline.page"),
    PageSpec("incidents", "重大事项", _plain(IncidentsView), "incidents.page"),
    PageSpec("activities", "活动与服务", _plain(ActivitiesView), "activities.page"),
    PageSpec("staff", "儿童主任名册", _plain(StaffView), "staff.roster"),
    PageSpec("exchange", "台账交换", _plain(ExchangePage), "exchange.export"),
    PageSpec("checks", "资格核查", _plain(ChecksView), "checks.findings"),
    PageSpec("stats", "统计", _plain(StatsView)),
    PageSpec("settings", "设置", _plain(SettingsView)),
    PageSpec("audit", "审计日志", _plain(AuditView), "audit.entries"),
)
PAGE_KEYS = tuple(p.key for p in PAGES)


def human_size(n: int | None) -> str:
    if n is None:
        return "—"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class MainWindow(QMainWindow):
    ready = Signal()  # the first page's content is on screen
    switch_user_requested = Signal()  # 文件 → 切换用户

    def __init__(self, ws, tasks: Tasks | None = None, parent: QWidget | None = None, *, start_page: str | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks or Tasks(self)
        first = start_page if start_page in PAGE_KEYS and self.may_see(start_page) else "dashboard"
        # 工作台's lists are read while the window is built (they are what the user waits for after login).
        self.first_work = DashboardView.read_day_work(ws, self.tasks) if first == "dashboard" else None
        self.pages: dict[str, Page] = {}
        self._pending: dict[str, Changes] = {}  # changes a hidden page has not seen yet
        self.files: dict[str, ChildFile] = {}
        self.manual: QWidget | None = None  # the user manual's window, once opened (F1)
        self._ready_sent = False
        self.is_ready = False  # the first page's content is on screen
        self.setWindowTitle(APP_NAME)
        self._build()
        self.tasks.failed.connect(self._show_error)
        self.tasks.busy_changed.connect(self._busy)
        if self.tasks.is_busy():  # the first read started before the connection: its busy cursor too
            self._busy(True)
        self.tasks.did_change.connect(self.on_changes)
        geometry = options.MAIN_GEOMETRY.get()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            h = self.fontMetrics().height()
            self.resize(h * 80, h * 48)
        state = options.MAIN_STATE.get()
        if state is not None:
            self.restoreState(state)
        screens.fit_window(self)  # a window saved on a bigger screen, or at another scale, still fits
        # Always 工作台: what is due today is the first thing to see, whatever page was left open.
        self.show_page(first)
        self.update_status()

    def _build(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setAccessibleName("导航")
        for i, page in enumerate(PAGES):
            item = QListWidgetItem(page.title)
            item.setData(Qt.UserRole, page.key)
            item.setToolTip(f"{page.title}（Ctrl+{i + 1}）" if i < 9 else page.title)
            self.nav.addItem(item)
            item.setHidden(not self.may_see(page.key))  # what the account's role may not use is not offered
        f = self.nav.font()
        f.setPointSizeF(f.pointSizeF() * 1.1)
        self.nav.setFont(f)
        self.nav.setSpacing(2)
        fm = self.nav.fontMetrics()
        self.nav.setFixedWidth(fm.horizontalAdvance("强制报告线索") + fm.height() * 2)
        self.nav.currentRowChanged.connect(lambda row: self.show_page(PAGES[row].key) if row >= 0 else None)
        self.stack = QStackedWidget(self)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_actions()
        self._build_status()

    def _action(self, text: str, slot, shortcut=None, tip: str | None = None) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setStatusTip(tip)
            a.setToolTip(tip)
        a.triggered.connect(slot)
        return a

    def _build_actions(self) -> None:
        self.new_action = self._action("新建档案", self.new_child, "Ctrl+N", "新建儿童档案（Ctrl+N）")
        self.find_action = self._action("查找", self.find, "Ctrl+F", "在儿童档案中查找（Ctrl+F）")
        self.save_action = self._action("保存", self.save, "Ctrl+S", "保存当前页面的修改（Ctrl+S）")
        self.print_action = self._action("打印", self.print_current, "Ctrl+P", "打印（Ctrl+P）")
        self.refresh_action = self._action("刷新", self.refresh_current, "F5", "重新读取当前页面（F5）")
        self.backup_action = self._action("备份数据库…", self.backup, None, "把数据库复制一份到数据目录")
        self.quit_action = self._action("退出", self.close, "Ctrl+Q", "退出程序（Ctrl+Q）")
        self.quit_action.setMenuRole(QAction.QuitRole)
        self.switch_user_action = self._action("切换用户…", self.switch_user, None, "回到登录窗口，换一个账号登录")
        self.change_password_action = self._action("修改密码…", self.change_password, None, "修改本账号的登录密码")

        menu = self.menuBar()
        file_menu = menu.addMenu("文件(&F)")
        for a in (self.new_action, self.save_action, self.print_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.switch_user_action)
        file_menu.addAction(self.change_password_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("编辑(&E)")
        edit_menu.addAction(self.find_action)
        view_menu = menu.addMenu("查看(&V)")
        for i, page in enumerate(PAGES):
            a = self._action(page.title, lambda _=False, k=page.key: self.show_page(k),
                             f"Ctrl+{i + 1}" if i < 9 else None)
            a.setVisible(self.may_see(page.key))
            view_menu.addAction(a)
            self.addAction(a)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        help_menu = menu.addMenu("帮助(&H)")
        self.manual_action = self._action("用户手册", self.show_manual, "F1", "打开用户手册（F1）")
        help_menu.addAction(self.manual_action)
        help_menu.addAction(self._action("关于未保工作站", self.about))

        self.new_action.setEnabled(self.ws.may("children.create"))
        self.backup_action.setVisible(self.ws.may("maintenance.backup"))
        self.toolbar = QToolBar("工具栏", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        h = self.fontMetrics().height()
        self.toolbar.setIconSize(QSize(h + 4, h + 4))
        for a, name in ((self.new_action, "new"), (self.find_action, "find"), (self.save_action, "save"),
                        (self.print_action, "print"), (self.refresh_action, "refresh")):
            a.setIcon(icon(name))
            self.toolbar.addAction(a)
        self.addToolBar(Qt.TopToolBarArea, self.toolbar)

    def _build_status(self) -> None:
        bar = self.statusBar()
        self.station_label = QLabel(self)
        self.user_label = QLabel(self)
        self.size_label = QLabel(self)
        self.exchange_label = QLabel(self)
        self.busy_label = QLabel(self)
        self.demo_label = QLabel("演示数据", self)
        self.demo_label.setStyleSheet("background: #F9A825; color: #000; font-weight: bold; padding: 1px 8px;")
        self.demo_label.setToolTip("这是程序生成的虚构数据，用于熟悉操作；正式使用请新建数据目录")
        self.demo_label.hide()
        bar.addWidget(self.demo_label)
        for w in (self.busy_label, self.station_label, self.user_label, self.size_label, self.exchange_label):
            w.setContentsMargins(4, 0, 8, 0)  # clear of each other and of the size grip
            bar.addPermanentWidget(w)

    def page(self, key: str) -> Page:
        """The page, built now if it was not yet shown."""
        if key not in self.pages:
            spec = PAGES[PAGE_KEYS.index(key)]
            page = spec.build(self)
            add_title(page, spec.title)
            page.open_child.connect(self.open_child)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def current_key(self) -> str:
        row = self.nav.currentRow()
        return PAGES[row].key if row >= 0 else "dashboard"

    def may_see(self, key: str) -> bool:
        needs = PAGES[PAGE_KEYS.index(key)].needs
        return needs is None or self.ws.may(needs)

    def show_page(self, key: str) -> Page:
        if not self.may_see(key):
            key = "dashboard"
        fresh = key not in self.pages
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        row = PAGE_KEYS.index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        pending = self._pending.pop(key, None)
        if not fresh and pending is not None:
            page.on_changes(pending)
        if not self._ready_sent:
            self._ready_sent = True
            if fresh and not page.is_ready():
                page.ready.connect(self._emit_ready)
            else:
                QTimer.singleShot(0, self._emit_ready)
        return page

    def _emit_ready(self) -> None:
        if not self.is_ready:
            self.is_ready = True
            self.ready.emit()

    def refresh_current(self) -> None:
        self.page(self.current_key()).refresh()
        self.update_status()

    def on_changes(self, changes: Changes, initiator: QObject | None = None) -> None:
        """The one place change notices arrive: the page on screen and open files reload what they show
        now, hidden pages when next shown. The window that made the change has updated itself already."""
        current = self.current_key()
        for key, page in self.pages.items():
            if _made_by(page, initiator):
                continue
            if key == current:
                page.on_changes(changes)
            else:
                self._pending[key] = self._pending[key] | changes if key in self._pending else changes
        for win in list(self.files.values()):
            if not _made_by(win, initiator):
                win.on_changes(changes)
        self.update_status()

    def open_child(self, uuid: str) -> ChildFile:
        win = self.files.get(uuid)
        if win is None:
            win = ChildFile(self.ws, self.tasks, uuid, parent=self)
            win.destroyed.connect(lambda _=None, u=uuid: self.files.pop(u, None))
            self.files[uuid] = win
            # Each new file a step down and right of the last, inside the screen (not on top of each other).
            screens.cascade(win, len(self.files) - 1, screens.available_for(self))
        win.show()
        win.raise_()
        win.activateWindow()
        return win

    def new_child(self) -> None:
        form = ChildForm(self.ws, self.tasks, parent=self, child_uuid=None)
        form.open_existing.connect(lambda uuid: QTimer.singleShot(0, lambda: self.open_child(uuid)))
        if form.exec() == QDialog.Accepted and form.saved_uuid:
            win = self.open_child(form.saved_uuid)
            self.offer_assessment(win)

    def offer_assessment(self, win: ChildFile) -> None:
        """A new file is 未评估 and on the default cycle until assessed: ask to assess now."""
        child = win.child
        if child is None or child.risk_colour is not None:
            return
        answer = QMessageBox.question(
            win, "风险评估", f"{child.name}的档案已建立，还没有评估风险等级。\n现在就做风险评估吗？"
            "（评估后按等级安排走访；以后也可在工作台“今日待办”中找到未评估的儿童。）",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        if answer == QMessageBox.Yes:
            from .assessment_dialog import AssessmentDialog

            win.run_dialog(AssessmentDialog)

    def import_ledger(self) -> None:
        """从Excel导入 (the empty store's start page): the ledger import on 台账交换, its file dialog open."""
        page = self.show_page("exchange")
        assert isinstance(page, ExchangePage)
        page.start_ledger_import()

    def show_clue(self, clue_uuid: str) -> None:
        page = self.show_page("clues")
        assert isinstance(page, CluesView)
        page.open_clue(clue_uuid)

    def children_page(self) -> ChildrenView:
        self.show_page("children")
        view = self.pages["children"]
        assert isinstance(view, ChildrenView)
        return view

    def show_children(self, filters: dict) -> None:
        """The children list with these filters (a dashboard card or chart bar was clicked), and a sort."""
        filters = dict(filters)
        sort = filters.pop("sort", None)
        view = self.children_page()
        view.set_filters(**filters)
        if sort:
            view.set_query_sort(sort)

    def find(self) -> None:
        self.children_page().focus_search()

    def save(self) -> None:
        if not self.page(self.current_key()).save():
            self.statusBar().showMessage("当前页面没有需要保存的内容（档案和记录在对话框中点“保存”即已保存）", 5000)

    def print_current(self) -> None:
        if not self.page(self.current_key()).print_current():
            self.statusBar().showMessage("当前页面没有可打印的内容", 5000)

    def backup(self) -> None:
        service = self.ws.maintenance
        self.tasks.run(
            lambda progress, cancelled: service.backup(),
            on_done=lambda target: show_saved(self, "备份", "数据库已备份。", Path(target)),
            label="正在备份数据库…", parent=self, write=True,
        )

    def switch_user(self) -> None:
        self.switch_user_requested.emit()  # app.switch_user: it builds the next window, which this module cannot

    def change_password(self) -> None:
        from .session import ChangePasswordDialog

        ChangePasswordDialog(self.ws, self).exec()

    def show_manual(self) -> None:
        """帮助 → 用户手册 (F1): one manual window, raised again if already open."""
        from .manual import ManualWindow

        if self.manual is None:
            self.manual = ManualWindow(self)
        self.manual.show()
        self.manual.raise_()
        self.manual.activateWindow()

    def about(self) -> None:
        from .. import __version__

        QMessageBox.about(
            self, "关于未保工作站",
            f"{APP_NAME} {__version__}\n乡镇未成年人保护工作站离线工作程序。\n数据保存在本机：{self.ws.store.path or '数据库服务器'}",
        )

    def update_status(self) -> None:
        demo = False
        try:
            station, demo = self.ws.stations.label()
        except Exception:
            station = "未设置工作站"
        self.station_label.setText(f"工作站：{station}")
        # 演示模式: generated data, clearly marked in the title and the status bar
        self.setWindowTitle(f"{APP_NAME}【演示数据，非真实儿童信息】" if demo else APP_NAME)
        self.demo_label.setVisible(demo)
        self.user_label.setText(f"操作人：{self.ws.actor.name}")
        self.user_label.setToolTip(f"角色：{role_label(self.ws.actor.role)}")
        if self.ws.store.path is not None:
            self.size_label.setText(f"数据库：{human_size(self.ws.store.size_bytes())}")
        else:
            self.size_label.setText("数据库：服务器")
        try:
            last = self.ws.stations.last_exchange()
        except Exception:
            last = None
        self.exchange_label.setText(f"最近与县级交换：{local_stamp(last, '从未')}")

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText("正在处理…" if busy else "")
        if busy:
            QApplication.setOverrideCursor(Qt.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _show_error(self, text: str) -> None:
        QMessageBox.warning(self, "操作没有完成", text)

    def save_settings(self) -> None:
        options.MAIN_GEOMETRY.set(self.saveGeometry())
        options.MAIN_STATE.set(self.saveState())
        for page in self.pages.values():
            page.save_state()
        options.sync()

    def closeEvent(self, event) -> None:
        if self.tasks.writing():  # an import or a save still running: closing now would abandon it
            QMessageBox.information(self, APP_NAME, "正在保存或导入数据，请等它完成后再关闭程序。")
            event.ignore()
            return
        self.save_settings()
        for win in list(self.files.values()):
            win.close()
        self.tasks.shutdown()
        super().closeEvent(event)

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return screens.bounded(QSize(h * 80, h * 48), screens.available_for(self))



def _made_by(window: QWidget, initiator: QObject | None) -> bool:
    """Whether the change came from this window (or a dialog of it), which has reloaded itself."""
    return isinstance(initiator, QWidget) and (initiator is window or window.isAncestorOf(initiator))
