"""审计日志: who logged in, exported, printed, imported, restored, saw a full id number or changed settings,
newest first, with whether the chain is intact. Only the head (站长) and the county administrator see this
page; the services refuse everyone else anyway."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..services.audit import ACTIONS, describe
from .files import suggested
from .operations import Changes, run_operation
from .page import BasePage
from .records_table import Col, RecordsTable
from .tasks import Tasks, error_text
from .times import local_stamp

PAGE_SIZE = 500


class AuditView(BasePage):
    title = "审计日志"

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self._ready = False
        lay = QVBoxLayout(self)
        heading = QLabel("审计日志（只可查看，不能修改：每条记录都带有上一条的校验值，改动、删除或调换顺序都会被发现）", self)
        heading.setWordWrap(True)
        lay.addWidget(heading)
        row = QHBoxLayout()
        self.state = QLabel("正在校验…", self)
        row.addWidget(self.state, 1)
        self.action = QComboBox(self)
        self.action.addItem("全部操作", None)
        for code, label in ACTIONS.items():
            self.action.addItem(label, code)
        self.action.currentIndexChanged.connect(lambda _: self.refresh())
        row.addWidget(QLabel("操作：", self))
        row.addWidget(self.action)
        self.verify_button = QPushButton("重新校验", self)
        self.verify_button.clicked.connect(self.refresh)
        self.export_button = QPushButton("导出为台账…", self)
        self.export_button.clicked.connect(self.export)
        row.addWidget(self.verify_button)
        row.addWidget(self.export_button)
        lay.addLayout(row)
        self.table = RecordsTable((
            Col("序号", lambda e: str(e.seq)),
            Col("时间", lambda e: local_stamp(e.at)),
            Col("操作人", lambda e: e.actor),
            Col("角色", lambda e: e.role),
            Col("操作", lambda e: e.action_label),
            Col("对象", lambda e: e.object),
            Col("说明", lambda e: describe(e.detail)),
        ), self, empty="还没有审计记录")
        lay.addWidget(self.table, 1)
        self.refresh()

    def is_ready(self) -> bool:
        return self._ready

    def refresh(self) -> None:
        audit, action = self.ws.audit, self.action.currentData()
        self.tasks.run(lambda progress, cancelled: (audit.verify(), audit.entries(action=action, limit=PAGE_SIZE)),
                       on_done=self._show, on_error=self._failed)

    def _show(self, result) -> None:
        verdict, entries = result
        if verdict.intact:
            self.state.setText(f"校验通过：共{verdict.count}条，记录完整")
            self.state.setStyleSheet("color: #2E7D32;")
        else:
            self.state.setText("审计日志已被改动：" + "；".join(p.message for p in verdict.problems[:3]))
            self.state.setStyleSheet("color: #C62828; font-weight: bold;")
        self.table.set_records(entries)
        if not self._ready:
            self._ready = True
            self.ready.emit()

    def _failed(self, exc: BaseException) -> None:
        self.state.setText(error_text(exc))
        self.state.setStyleSheet("color: #C62828;")

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "导出审计日志", suggested("审计日志.xlsx"), "Excel 文件 (*.xlsx)")
        if not name:
            return
        audit = self.ws.audit
        run_operation(self.tasks, lambda: audit.export(name), Changes(), parent=self,
                      on_done=lambda path: (self.state.setText(f"已导出：{path}"), self.refresh()))
