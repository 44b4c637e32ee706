"""设置 → 账号, for the station's admins: the accounts with role, villages and state; 添加账号, 重置密码,
停用 and 解锁. Every change goes through services.accounts (which refuses anyone but an admin anyway)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..domain.errors import WeibaoError
from .colour import OVERDUE_TEXT
from .names import APP_NAME


def is_admin(ws) -> bool:
    from ..vault.login import ADMIN_ROLES

    return ws.actor.role in ADMIN_ROLES


class AccountsPanel(QGroupBox):
    def __init__(self, ws, parent: QWidget | None = None, tasks=None):
        super().__init__("账号", parent)
        self.tasks = tasks  # the writer thread: a password hash and a removal's rekey never freeze the window
        from ..services.accounts import MIN_PASSWORD, AccountService

        self.ws = ws
        self.service = AccountService(ws.ctx)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["姓名", "角色", "村(社区)", "状态"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(self.fontMetrics().height() * 8)
        actions = QHBoxLayout()
        self.reset_button = QPushButton("重置密码…", self)
        self.remove_button = QPushButton("停用", self)
        self.unlock_button = QPushButton("解锁", self)
        for button, slot in ((self.reset_button, self.reset_password), (self.remove_button, self.remove),
                             (self.unlock_button, self.unlock)):
            button.clicked.connect(slot)
            actions.addWidget(button)
        actions.addStretch(1)

        self.name = QLineEdit(self)
        self.name.setMaxLength(50)
        self.role = QComboBox(self)
        for c in codes.ROLE:
            self.role.addItem(c.label, c.code)
        self.role.setCurrentIndex(max(0, self.role.findData("director")))
        self.villages = QListWidget(self)
        self.villages.setMaximumHeight(self.fontMetrics().height() * 6)
        for village in ws.stations.info().villages:
            item = QListWidgetItem(village.name, self.villages)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText(f"至少{MIN_PASSWORD}个字符，请当面告诉本人，并请其登录后修改")
        self.add_button = QPushButton("添加账号", self)
        self.add_button.clicked.connect(self.add)
        self.role.currentIndexChanged.connect(self._role_changed)
        form = QFormLayout()
        form.addRow("姓名：", self.name)
        form.addRow("角色：", self.role)
        form.addRow("负责的村(社区)：", self.villages)
        form.addRow("初始密码：", self.password)
        form.addRow("", self.add_button)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color:{OVERDUE_TEXT.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(actions)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self._role_changed()
        self.refresh()

    def _role_changed(self) -> None:
        # Only a 儿童主任 is limited to villages; the others see the whole station.
        self.villages.setEnabled(self.role.currentData() == "director")

    def refresh(self) -> None:
        accounts = self.service.accounts()
        self.table.setRowCount(len(accounts))
        for row, account in enumerate(accounts):
            state = "已停用" if not account.active else (
                f"已锁定（至{account.locked_until.astimezone():%H:%M}）" if account.locked_until else "正常")
            for column, text in enumerate((account.name, codes.ROLE.label_of(account.role, account.role),
                                           "、".join(account.villages) or "全部", state)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def names(self) -> list[str]:
        return [self.table.item(i, 0).text() for i in range(self.table.rowCount())]

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self._refuse("请先在列表中选择一个账号。")
            return None
        return self.table.item(rows[0].row(), 0).text()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _done(self, text: str) -> None:
        self.error.hide()
        self.refresh()
        QMessageBox.information(self, APP_NAME, text)

    def _run(self, write, done, *, here: bool = False) -> None:
        """`write()` on the writer thread (at once without tasks, or `here`); `done(result)` on success, the
        refusal below the form otherwise."""
        if self.tasks is None or here:
            try:
                result = write()
            except WeibaoError as e:
                return self._refuse(str(e))
            return done(result)
        from .operations import NOTHING, run_operation

        run_operation(self.tasks, write, NOTHING, parent=self, on_done=done,
                      on_error=lambda e: self._refuse(str(e)), label="正在处理账号…")

    def add(self) -> None:
        role = self.role.currentData()
        villages = [self.villages.item(i).text() for i in range(self.villages.count())
                    if self.villages.item(i).checkState() == Qt.Checked] if role == "director" else []
        if role == "director" and not villages:
            return self._refuse("请为儿童主任勾选负责的村(社区)。")
        service, name, password = self.service, self.name.text(), self.password.text()

        def added(info) -> None:
            self.name.clear()
            self.password.clear()
            self._done(f"已添加账号“{info.name}”。请把初始密码当面告诉本人，并请其登录后在“文件 → 修改密码”中修改。")

        self._run(lambda: service.add(name, role, password, villages), added)

    def reset_password(self) -> None:
        name = self.selected()
        if name is None:
            return
        password, ok = QInputDialog.getText(self, "重置密码", f"为“{name}”设定新密码（请当面告诉本人）：",
                                            QLineEdit.Password)
        if not ok:
            return
        service = self.service
        self._run(lambda: service.reset_password(name, password), lambda _r: self._done(f"“{name}”的密码已重置，锁定也已解除。"))

    def remove(self) -> None:
        name = self.selected()
        if name is None:
            return
        if QMessageBox.question(self, "停用账号", f"停用账号“{name}”？停用后该账号不能再登录，"
                                "以往的记录仍保留这个名字。其他电脑上打开本数据库的窗口需要先关闭。") != QMessageBox.Yes:
            return
        service = self.service
        # Here, not on the writer: the rekey needs the store to itself, and a page refreshing meanwhile would
        # open a connection during it.
        self._run(lambda: service.remove(name), lambda _r: self._done(f"账号“{name}”已停用。"), here=True)

    def unlock(self) -> None:
        name = self.selected()
        if name is None:
            return
        service = self.service
        self._run(lambda: service.unlock(name), lambda _r: self._done(f"账号“{name}”已解锁。"))
