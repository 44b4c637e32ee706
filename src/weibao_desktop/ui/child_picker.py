"""Choosing a child: find one by name, id number, phone or village and pick it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..services.dto import ChildQuery


class ChildPicker(QDialog):
    """Find a child by name, id number, phone or village and pick one (Enter). Reads one page only."""

    LIMIT = 50

    def __init__(self, ws, parent: QWidget | None = None, title: str = "选择儿童", tasks=None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.chosen_uuid: str | None = None
        self._handle = None
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("输入姓名、身份证号、电话或村名查找")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.info = QLabel(self)
        self.info.setStyleSheet("color: #455A64;")
        lay.addWidget(self.search)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.info)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("确定", QDialogButtonBox.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._choose)
        self.list.itemActivated.connect(lambda _i: self._choose())
        self.search.installEventFilter(self)
        self.resize(520, 460)
        self.refresh()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        # ↓ from the search box walks the list, so the mouse is never needed.
        if obj is self.search and event.type() == event.Type.KeyPress and event.key() in (Qt.Key_Down, Qt.Key_Up):
            self.list.setFocus()
            self.list.keyPressEvent(event)
            return True
        return super().eventFilter(obj, event)

    def refresh(self) -> None:
        query = ChildQuery(text=self.search.text().strip() or None)
        work = lambda progress, cancelled: self.ws.children.page(query, 0, self.LIMIT)  # noqa: E731
        if self.tasks is None:
            self._show(work(None, lambda: False))
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = self.tasks.run(work, on_done=self._show)

    def _show(self, page) -> None:
        self.list.clear()
        for row in page.rows:
            village = f" · {row.village}" if row.village else ""
            colour = f" · {codes.RISK_COLOUR.label_of(row.risk_colour)}" if row.risk_colour else ""
            match = f"　匹配：{row.match}" if row.match else ""
            item = QListWidgetItem(
                f"{row.name}　{row.birth_date:%Y-%m-%d}{village}{colour}　{row.id_number_masked}{match}")
            item.setData(Qt.UserRole, row.uuid)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        more = f"，只显示前{self.LIMIT}个，请输入更多文字缩小范围" if page.total > len(page.rows) else ""
        self.info.setText(f"找到{page.total}名在册儿童{more}" if page.total else "没有找到，请换个关键字")

    def _choose(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen_uuid = item.data(Qt.UserRole)
        self.accept()


def pick_child(ws, parent: QWidget | None = None, title: str = "选择儿童", tasks=None) -> str | None:
    picker = ChildPicker(ws, parent, title, tasks)
    return picker.chosen_uuid if picker.exec() == QDialog.Accepted else None

