"""资格核查: the month's findings of the checks before the monthly update, each resolved as 认定 / 整改 / 说明
with a note, and the month's 核查整改台账."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QLineEdit, QWidget

from ..domain.eligibility import DECISION
from ..services.dto import Page
from .files import suggested
from .list_page import ListPage
from .operations import Changes, run_operation
from .tasks import error_text

OPEN_RED = "#C62828"


def state_text(f) -> str:
    if f.resolved:
        return f"已{DECISION.label_of(f.decision)}"
    return "情况变化，待复核" if f.reopened else "待处理"


class ChecksView(ListPage):
    title = "资格核查"
    settings_key = "checks_view"
    page_size = 200

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.filters.addWidget(QLabel("核查月份", self))
        self.month = QLineEdit(f"{ws.ctx.today():%Y-%m}", self)
        self.month.setAccessibleName("核查月份")
        self.month.setMaximumWidth(self.fontMetrics().averageCharWidth() * 10)
        self.month.returnPressed.connect(self.reload)
        self.filters.addWidget(self.month)
        self.open_only = QCheckBox("只看待处理", self)
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.filters.addWidget(self.open_only)
        self.note = QLineEdit(self)
        self.note.setAccessibleName("处理说明")
        self.note.setPlaceholderText("处理说明（必填），如：已核实，按规定认定")
        self.note.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.filters.addWidget(self.note, 1)
        self.decision_buttons = {
            d.code: self.add_button(d.label, lambda _c=False, code=d.code: self.resolve_current(code),
                                    f"把选中的核查结果处理为“{d.label}”，并记下处理说明")
            for d in DECISION
        }
        self.add_button("打开档案", self.open_current_child, "打开选中儿童的档案")
        self.export_button = self.add_button("导出核查整改台账", self.export, "把本月核查结果导出为 Excel 台账")
        self.reload()

    def columns(self) -> list:
        return [
            ("核查项目", lambda f: f.title),
            ("村(社区)", lambda f: f.village),
            ("儿童", lambda f: f.child_name),
            ("身份证号", lambda f: f.id_masked),
            ("核查发现", lambda f: f.detail),
            ("状态", state_text),
            ("处理说明", lambda f: f.note),
            ("处理人", lambda f: f.resolved_by),
        ]

    def row_colour(self, row) -> str | None:
        return None if row.resolved else OPEN_RED

    def query(self) -> dict:
        return {"month": self.month.text().strip() or None, "open_only": self.open_only.isChecked()}

    def fetch(self, query: dict, offset: int, limit: int) -> Page:
        found = self.ws.checks.findings(query["month"])
        if query["open_only"]:
            found = [f for f in found if not f.resolved]
        return Page(found[offset:offset + limit], len(found), offset, limit)

    def activate(self, row) -> None:
        self.open_child.emit(row.child_uuid)

    def resolve_current(self, decision: str) -> None:
        row = self.current()
        if row is None:
            self.banner.show_message("请先在列表中选中一条核查结果")
            return
        note, month = self.note.text(), self.month.text().strip() or None
        run_operation(
            self.tasks, lambda: self.ws.checks.resolve(row.child_uuid, row.check, decision, note, month),
            Changes(), parent=self, on_done=self._resolved, on_error=self._failed, initiator=self)

    def _resolved(self, finding) -> None:
        self.note.clear()
        self.tell(f"已处理：{finding.child_name}　{finding.title}　{state_text(finding)}。情况变化后会重新列出。")
        self.refresh()

    def _failed(self, exc) -> None:
        self.banner.show_message(error_text(exc))

    def export(self) -> None:
        month = self.month.text().strip() or f"{self.ws.ctx.today():%Y-%m}"
        name, _filter = QFileDialog.getSaveFileName(self, "导出核查整改台账", suggested(f"核查整改台账_{month}.xlsx"),
                                                    "Excel 文件 (*.xlsx)")
        if name:
            self.export_to(Path(name), month)

    def export_to(self, path: Path, month: str) -> None:
        from ..services.checks import parse_month

        def write():
            first = parse_month(month, self.ws.ctx.today()).first
            return self.ws.ledger.export("checks", path, date_from=first)

        run_operation(self.tasks, write, Changes(), parent=self, initiator=self,
                      on_done=lambda r: self.tell(f"已导出《{r.title}》：{r.rows} 行 → {r.path}"),
                      on_error=self._failed)

    def shows(self, changes: Changes) -> bool:
        return bool(changes.any_child or changes.help or changes.exchange)


__all__ = ["ChecksView"]
