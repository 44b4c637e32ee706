"""风险评估: the station's assessments, newest first, each with the colour (or result) it replaced."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QSizePolicy, QWidget

from ..domain import codes
from .assessment_dialog import AssessmentDialog
from .colour import colour_icon
from .editors import CodeCombo
from .list_page import ListPage
from .operations import Changes


def result_label(kind: str, code: str | None) -> str:
    if code is None:
        return ""
    if kind == "risk":
        return codes.RISK_COLOUR.label_of(code)
    if kind == "guardianship":
        return codes.GUARDIANSHIP_RESULT.label_of(code)
    return code


class AssessmentsView(ListPage):
    title = "风险评估"
    settings_key = "assessments_view"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.kind = CodeCombo(codes.ASSESSMENT_KIND, allow_empty=True, parent=self, empty_text="全部评估")
        self.kind.set_code("risk")
        self.kind.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.changes_only = QCheckBox("只看结果有变化的", self)
        self.changes_only.setChecked(True)
        self.changes_only.setToolTip("隐藏复评后等级（结果）未变的记录")
        self.filters.addWidget(self.kind)
        self.filters.addWidget(self.changes_only)
        self.add_search("按儿童姓名查找")
        self.filters.addStretch(1)
        self.add_button("评估 / 调整等级", self.new_assessment, "为一名儿童登记评估（选择儿童后填写）")
        self.add_button("查看", self.edit_current, "查看选中的评估记录（或双击、回车）")
        self.add_button("打开档案", self.open_current_child, "打开选中儿童的档案")
        self.kind.code_changed.connect(lambda _c: self.reload())
        self.changes_only.toggled.connect(lambda _on: self.reload())
        self.reload()

    def columns(self) -> list:
        def change(r):
            before = result_label(r.kind, r.previous)
            after = result_label(r.kind, r.result)
            if r.previous is None:
                return f"{after}（首次）"
            return after if r.previous == r.result else f"{before} → {after}"

        return [
            ("评估日期", lambda r: r.assessed_on),
            ("儿童", lambda r: r.child_name),
            ("村(社区)", lambda r: r.village),
            ("评估类型", lambda r: codes.ASSESSMENT_KIND.label_of(r.kind)),
            ("结果", change),
            ("评估人", lambda r: r.assessor),
            ("当前等级", lambda r: codes.RISK_COLOUR.label_of(r.child_colour) if r.child_colour else "未评估"),
            ("评估理由", lambda r: r.reason),
        ]

    def icons(self) -> dict:
        return {
            4: lambda r: colour_icon(r.result) if r.kind == "risk" else None,
            6: lambda r: colour_icon(r.child_colour),
        }

    def row_colour(self, row) -> str | None:
        # A raise to red is what a supervisor looks for first.
        return codes.COLOUR_RGB["red"] if row.kind == "risk" and row.result == "red" else None

    def query(self) -> dict:
        return {"kind": self.kind.code(), "changes_only": self.changes_only.isChecked(),
                "text": self.search_box.text().strip() or None}

    def fetch(self, query: dict, offset: int, limit: int):
        return self.ws.assessments.page(**query, offset=offset, limit=limit)

    def new_assessment(self) -> None:
        self.new_for_child("为哪名儿童评估？", AssessmentDialog)

    def activate(self, row) -> None:
        AssessmentDialog(self.ws, self.tasks, row.child_uuid, self, record_uuid=row.uuid).exec()

    def shows(self, changes: Changes) -> bool:
        return changes.assessments or changes.any_child


__all__ = ["AssessmentsView"]
