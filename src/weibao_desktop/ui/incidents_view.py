"""重大事项报告单: a child's death, serious injury or disappearance, or a public-opinion incident, reported at once
and carried to the county in the next package. Late or unreported ones show in red."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..domain import codes
from ..domain.errors import WeibaoError
from .case_dialog import SavingDialog, specs
from .child_picker import pick_child
from .clues_view import now_on
from .forms import ErrorBanner, FieldForm, add_save_shortcuts, show_error
from .list_page import ListPage
from .operations import Changes
from .print_actions import print_incident
from .tasks import Tasks

_FIELDS = ("kind", "child_name", "occurred_at", "learned_at", "place", "reported_at", "reported_to", "receiver",
           "reported_by", "summary", "measures", "progress")


class IncidentDialog(SavingDialog):
    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None, incident=None):
        super().__init__(ws, tasks, parent)
        self.incident = incident
        self.child_uuid: str | None = None
        self.setWindowTitle("填写重大事项报告单" if incident is None else "修改重大事项报告单")
        lay = QVBoxLayout(self)
        hint = QLabel("儿童死亡、重伤、失踪走失或发生舆情事件，应在获知后立即报告县民政局，并填写本报告单。", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #B71C1C;")
        lay.addWidget(hint)
        self.form = FieldForm(specs("incident", *_FIELDS), self, today=ws.ctx.today, columns=2)
        lay.addWidget(self.form)
        row = QHBoxLayout()
        self.link_label = QLabel("涉及的儿童已有档案的，可以关联。", self)
        self.link_button = QPushButton("关联儿童档案…", self)
        self.link_button.clicked.connect(self.link_child)
        row.addWidget(self.link_label, 1)
        row.addWidget(self.link_button)
        lay.addLayout(row)
        self.banner = ErrorBanner(self)
        lay.addWidget(self.banner)
        bar = QDialogButtonBox(self)
        self.save_button = bar.addButton("保存", QDialogButtonBox.AcceptRole)
        self.save_button.setAutoDefault(False)
        bar.addButton("取消", QDialogButtonBox.RejectRole).setAutoDefault(False)
        bar.accepted.connect(self.save)
        bar.rejected.connect(self.reject)
        lay.addWidget(bar)
        add_save_shortcuts(self, self.save)
        if incident is None:
            now = now_on(ws)
            self.form.set_values({"learned_at": now, "reported_by": ws.actor.name})
        else:
            self.form.set_values({n: getattr(incident, n) for n in _FIELDS})
            self.link_button.hide()
            self.link_label.hide()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 96)

    def link_child(self) -> None:
        uuid = pick_child(self.ws, self, "涉及哪名儿童？", self.tasks)
        if uuid:
            self.child_uuid = uuid
            name = self.ws.children.get(uuid).name
            self.form.set_value("child_name", name)
            self.link_label.setText(f"已关联档案：{name}")

    def snapshot(self) -> object:
        return (self.form.values(), self.child_uuid)

    def clear_errors(self) -> None:
        self.banner.show_message(None)
        self.form.clear_errors()

    def set_saving(self, saving: bool) -> None:
        super().set_saving(saving)
        self.save_button.setEnabled(not saving)

    def operation(self):
        values, service, child = self.form.values(), self.ws.incidents, self.child_uuid
        if self.incident is None:
            return lambda: service.report(values, child_key=child)
        uuid = self.incident.uuid
        return lambda: service.update(uuid, values)

    def changes(self, result) -> Changes:
        return Changes(work=True)

    def show_error(self, e: WeibaoError) -> None:
        show_error(e, [self.form], self.banner)


class IncidentsView(ListPage):
    title = "重大事项"
    settings_key = "incidents_view"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.filters.addStretch(1)
        self.add_button("填写报告单", self.new_incident, "儿童死亡、重伤、失踪走失或舆情事件")
        self.add_button("修改", self.edit_current, "修改选中的报告单（或双击、回车）")
        self.print_button = self.add_button("打印报告单", self.print_current)
        self.reload()

    def columns(self) -> list:
        return [
            ("获知时间", lambda r: r.learned_at),
            ("事项类别", lambda r: codes.INCIDENT_KIND.label_of(r.kind)),
            ("涉及儿童", lambda r: r.child_name),
            ("乡镇(街道)", lambda r: r.station or ""),
            ("发生时间", lambda r: r.occurred_at),
            ("上报", lambda r: r.report_delay),
            ("上报单位", lambda r: r.reported_to),
            ("基本情况", lambda r: r.summary),
        ]

    def row_colour(self, row) -> str | None:
        return "#C62828" if row.late else None

    def fetch(self, query, offset: int, limit: int):
        return self.ws.incidents.page(offset=offset, limit=limit)

    def new_incident(self) -> None:
        if IncidentDialog(self.ws, self.tasks, self).exec() == QDialog.Accepted:
            self.tell("报告单已保存；下次与县级交换时会一并报送。也可以打印后报送。")
            self.refresh()

    def activate(self, row) -> None:
        if IncidentDialog(self.ws, self.tasks, self, row).exec() == QDialog.Accepted:
            self.refresh()

    def print_current(self) -> bool:
        row = self.current()
        if row is None:
            self.tell("请先在列表中选中一份报告单。")
            return False
        self.preview = print_incident(self, self.ws, self.tasks, row.uuid)
        return self.preview is not None

    def shows(self, changes: Changes) -> bool:
        return changes.work or changes.exchange


__all__ = ["IncidentDialog", "IncidentsView"]
