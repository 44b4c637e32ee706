"""The main window: navigation between the pages, menus and toolbar, status bar, open child files.

Pages are built the first time they are shown, so start-up only pays for the page the user left open last
time. Pages built by other parts of the program are imported where they are needed; while one is missing its
page says so instead of failing. A page may offer `refresh()`, `save()`, `print_current()`, `focus_search()`,
an `open_child = Signal(str)` (a child uuid) and a `ready` signal (its first content is on screen).
"""
from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
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
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .app import APP_NAME
from .tasks import Tasks

NOT_READY = "此功能尚未完成"


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    build: Callable[[MainWindow], QWidget]


def placeholder(text: str = NOT_READY) -> QWidget:
    w = QWidget()
    label = QLabel(text, w)
    label.setAlignment(Qt.AlignCenter)
    label.setWordWrap(True)
    f = label.font()
    f.setPointSizeF(f.pointSizeF() * 1.3)
    label.setFont(f)
    label.setStyleSheet("color: gray;")
    layout = QVBoxLayout(w)
    layout.addWidget(label)
    w.setProperty("placeholder", True)
    return w


def optional_page(module: str, cls_name: str, title: str):
    """A page class another part of the program provides; a placeholder page while it is missing."""

    def build(win: MainWindow) -> QWidget:
        try:
            cls = getattr(importlib.import_module(f"{__package__}.{module}"), cls_name)
        except (ImportError, AttributeError):
            return placeholder(f"{title}：{NOT_READY}")
        return cls(win.ws, win.tasks, parent=None)

    return build


def _dashboard(win: MainWindow) -> QWidget:
    from .dashboard import DashboardView

    view = DashboardView(win.ws, win.tasks)
    view.filter_children.connect(win.show_children)
    view.open_page.connect(win.show_page)
    return view


def _children(win: MainWindow) -> QWidget:
    from .children_view import ChildrenView

    view = ChildrenView(win.ws, win.tasks)
    view.new_child.connect(win.new_child)
    return view


def _exchange(win: MainWindow) -> QWidget:
    """台账 (Excel ledgers) and 县级交换 (county packages) side by side, each while it exists."""
    tabs = QTabWidget()
    tabs.addTab(optional_page("ledger_view", "LedgerView", "Excel 台账")(win), "Excel 台账")
    tabs.addTab(optional_page("exchange_view", "ExchangeView", "与县级交换")(win), "与县级交换")
    return tabs


def _stats(win: MainWindow) -> QWidget:
    from .stats_view import StatsView

    return StatsView(win.ws, win.tasks)


def _settings(win: MainWindow) -> QWidget:
    from .settings_view import SettingsView

    view = SettingsView(win.ws, win.tasks)
    view.settings_changed.connect(win.data_changed)
    return view


PAGES = (
    PageSpec("dashboard", "工作台", _dashboard),
    PageSpec("children", "儿童档案", _children),
    PageSpec("visits", "走访记录", optional_page("visits_view", "VisitsView", "走访记录")),
    PageSpec("assessments", "风险评估", optional_page("assessments_view", "AssessmentsView", "风险评估")),
    PageSpec("help", "帮扶与转介", optional_page("help_view", "HelpView", "帮扶与转介")),
    PageSpec("clues", "强制报告线索", optional_page("clues_view", "CluesView", "强制报告线索")),
    PageSpec("hotline", "热线记录", optional_page("hotline_view", "HotlineView", "热线记录")),
    PageSpec("exchange", "台账交换", _exchange),
    PageSpec("stats", "统计", _stats),
    PageSpec("settings", "设置", _settings),
)
PAGE_KEYS = tuple(p.key for p in PAGES)


def human_size(n: int | None) -> str:
    if n is None:
        return "—"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


class MainWindow(QMainWindow):
    ready = Signal()  # the first page's content is on screen
    data_changed = Signal()  # something was saved: lists and counts are out of date

    def __init__(self, ws, tasks: Tasks | None = None, parent: QWidget | None = None, *, start_page: str | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks or Tasks(self)
        self.pages: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self.files: dict[str, QWidget] = {}
        self._ready_sent = False
        self.is_ready = False  # the first page's content is on screen
        self.setWindowTitle(APP_NAME)
        self._build()
        self.tasks.failed.connect(self._show_error)
        self.tasks.busy_changed.connect(self._busy)
        self.data_changed.connect(self._on_data_changed)
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            h = self.fontMetrics().height()
            self.resize(h * 80, h * 48)
        state = settings.value("main/state")
        if state is not None:
            self.restoreState(state)
        last = start_page or str(settings.value("main/page", "dashboard"))
        self.show_page(last if last in PAGE_KEYS else "dashboard")
        self.update_status()

    # ---- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setAccessibleName("导航")
        for i, page in enumerate(PAGES):
            item = QListWidgetItem(page.title)
            item.setData(Qt.UserRole, page.key)
            item.setToolTip(f"{page.title}（Ctrl+{i + 1}）" if i < 9 else page.title)
            self.nav.addItem(item)
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

        menu = self.menuBar()
        file_menu = menu.addMenu("文件(&F)")
        for a in (self.new_action, self.save_action, self.print_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("编辑(&E)")
        edit_menu.addAction(self.find_action)
        view_menu = menu.addMenu("查看(&V)")
        for i, page in enumerate(PAGES):
            a = self._action(page.title, lambda _=False, k=page.key: self.show_page(k),
                             f"Ctrl+{i + 1}" if i < 9 else None)
            view_menu.addAction(a)
            self.addAction(a)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        help_menu = menu.addMenu("帮助(&H)")
        help_menu.addAction(self._action("关于未保工作站", self.about))

        self.toolbar = QToolBar("工具栏", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        for a in (self.new_action, self.find_action, self.save_action, self.print_action, self.refresh_action):
            self.toolbar.addAction(a)
        self.addToolBar(Qt.TopToolBarArea, self.toolbar)

    def _build_status(self) -> None:
        bar = self.statusBar()
        self.station_label = QLabel(self)
        self.user_label = QLabel(self)
        self.size_label = QLabel(self)
        self.exchange_label = QLabel(self)
        self.busy_label = QLabel(self)
        for w in (self.busy_label, self.station_label, self.user_label, self.size_label, self.exchange_label):
            w.setContentsMargins(4, 0, 8, 0)  # clear of each other and of the size grip
            bar.addPermanentWidget(w)

    # ---- pages -----------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page, built now if it was not yet shown."""
        if key not in self.pages:
            spec = PAGES[PAGE_KEYS.index(key)]
            widget = spec.build(self)
            signal = getattr(widget, "open_child", None)
            if signal is not None:
                signal.connect(self.open_child)
            self._watch_changes(key, widget)
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def _watch_changes(self, key: str, widget: QWidget) -> None:
        """A page that saved something says so (`changed`, or `imported` for the ledger): others go stale."""
        holders = [widget]
        if isinstance(widget, QTabWidget):  # 台账交换 holds two pages
            holders += [widget.widget(i) for i in range(widget.count())]
        for holder in holders:
            for name in ("changed", "imported"):
                signal = getattr(type(holder), name, None)
                if isinstance(signal, Signal):
                    getattr(holder, name).connect(lambda *_args, k=key: self._page_saved(k))

    def _page_saved(self, key: str) -> None:
        self._stale.update(k for k in self.pages if k != key)
        self.update_status()

    def current_key(self) -> str:
        row = self.nav.currentRow()
        return PAGES[row].key if row >= 0 else "dashboard"

    def show_page(self, key: str) -> QWidget:
        fresh = key not in self.pages
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        row = PAGE_KEYS.index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        if not fresh and key in self._stale:
            self._refresh(key)
        if not self._ready_sent:
            self._ready_sent = True
            ready = getattr(widget, "ready", None)
            if fresh and ready is not None and not getattr(widget, "is_ready", lambda: False)():
                ready.connect(self._emit_ready)
            else:
                QTimer.singleShot(0, self._emit_ready)
        return widget

    def _emit_ready(self) -> None:
        if not self.is_ready:
            self.is_ready = True
            self.ready.emit()

    def _refresh(self, key: str) -> None:
        self._stale.discard(key)
        refresh = getattr(self.pages.get(key), "refresh", None)
        if refresh is not None:
            refresh()

    def refresh_current(self) -> None:
        self._refresh(self.current_key())
        self.update_status()

    def _on_data_changed(self) -> None:
        current = self.current_key()
        self._stale.update(k for k in self.pages if k != current)
        self._refresh(current)
        self.update_status()

    # ---- child files -----------------------------------------------------------------------

    def open_child(self, uuid: str) -> QWidget:
        from .child_file import ChildFile

        win = self.files.get(uuid)
        if win is None:
            win = ChildFile(self.ws, self.tasks, uuid, parent=self)
            win.changed.connect(lambda _uuid: self.data_changed.emit())
            win.destroyed.connect(lambda _=None, u=uuid: self.files.pop(u, None))
            self.files[uuid] = win
        win.show()
        win.raise_()
        win.activateWindow()
        return win

    def new_child(self) -> None:
        try:
            from .child_form import ChildForm
        except ImportError:
            QMessageBox.information(self, "新建档案", NOT_READY)
            return
        form = ChildForm(self.ws, parent=self, child_uuid=None)
        form.open_existing.connect(lambda uuid: QTimer.singleShot(0, lambda: self.open_child(uuid)))
        if form.exec() == QDialog.Accepted and getattr(form, "saved_uuid", None):
            self.data_changed.emit()
            self.open_child(form.saved_uuid)

    # ---- menu actions ----------------------------------------------------------------------

    def show_children(self, filters: dict) -> None:
        """The children list with these filters (a dashboard card or chart bar was clicked)."""
        view = self.show_page("children")
        view.set_filters(**filters)

    def find(self) -> None:
        view = self.show_page("children")
        view.focus_search()

    def save(self) -> None:
        save = getattr(self.stack.currentWidget(), "save", None)
        if save is None:
            self.statusBar().showMessage("当前页面没有需要保存的内容（档案和记录在对话框中点“保存”即已保存）", 5000)
            return
        save()

    def print_current(self) -> None:
        fn = getattr(self.stack.currentWidget(), "print_current", None)
        if fn is None:
            self.statusBar().showMessage("当前页面没有可打印的内容", 5000)
            return
        fn()

    def backup(self) -> None:
        from ..services.maintenance import backup

        store = self.ws.store
        self.tasks.run(
            lambda progress, cancelled: backup(store),
            on_done=lambda target: QMessageBox.information(self, "备份", f"已备份到：\n{target}"),
            label="正在备份数据库…", parent=self, write=True,
        )

    def about(self) -> None:
        from .. import __version__

        QMessageBox.about(
            self, "关于未保工作站",
            f"{APP_NAME} {__version__}\n乡镇未成年人保护工作站离线工作程序。\n数据保存在本机：{self.ws.store.path or '数据库服务器'}",
        )

    # ---- status ----------------------------------------------------------------------------

    def update_status(self) -> None:
        try:
            info = self.ws.stations.info()
            station = f"{info.county or ''}{info.name}"
        except Exception:
            station = "未设置工作站"
        self.station_label.setText(f"工作站：{station}")
        self.user_label.setText(f"操作人：{self.ws.actor.name}")
        if self.ws.store.path is not None:
            self.size_label.setText(f"数据库：{human_size(self.ws.store.size_bytes())}")
        else:
            self.size_label.setText("数据库：服务器")
        try:
            last = self.ws.stations.last_exchange()
        except Exception:
            last = None
        self.exchange_label.setText(f"最近与县级交换：{_when(last)}")

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText("正在处理…" if busy else "")
        if busy:
            QApplication.setOverrideCursor(Qt.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _show_error(self, text: str) -> None:
        QMessageBox.warning(self, "操作没有完成", text)

    # ---- closing ---------------------------------------------------------------------------

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/state", self.saveState())
        settings.setValue("main/page", self.current_key())
        for page in self.pages.values():
            save_state = getattr(page, "save_state", None)
            if save_state is not None:
                save_state()
        settings.sync()

    def closeEvent(self, event) -> None:
        self.save_settings()
        for win in list(self.files.values()):
            win.close()
        self.tasks.shutdown()
        super().closeEvent(event)

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(h * 80, h * 48)


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "从未"
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
