"""An assessment, and with a 风险等级评估 the colour: red asks for an action, orange for the 结对帮扶人."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes, fields
from ..domain.errors import WeibaoError
from .case_dialog import CaseDialog, specs
from .colour import colour_icon
from .editors import CodeCombo, LongText
from .forms import ErrorLabel, FieldForm
from .tasks import Tasks

_HELP_NOW = ("kind", "started_on", "responsible", "description")
_REFERRAL_NOW = ("target", "target_name", "referred_on", "reason")


class AssessmentDialog(CaseDialog):
    """An assessment; a 风险等级评估 sets the colour. Red asks, right here, for a help measure, a referral
    or the reason it is deferred; orange for the 结对帮扶人. A saved assessment is kept as it is:
    opened with record_uuid it is shown read-only."""

    title_new = "评估 / 调整风险等级"
    title_edit = "评估记录"
    changed_kind = {"assessments": True, "help": True}  # red may add a help measure or a referral

    def __init__(self, ws, tasks: Tasks, child_uuid: str, parent: QWidget | None = None,
                 record_uuid: str | None = None):
        super().__init__(ws, tasks, child_uuid, parent, record_uuid)
        today = self.today
        self.colour_combo = CodeCombo(codes.RISK_COLOUR, allow_empty=True, parent=self)
        for i in range(1, self.colour_combo.count()):
            self.colour_combo.setItemIcon(i, colour_icon(self.colour_combo.itemData(i)))
        self.guardianship_combo = CodeCombo(codes.GUARDIANSHIP_RESULT, allow_empty=True, parent=self)
        self.needs_edit = QLineEdit(self)
        self.needs_edit.setMaxLength(50)
        self.needs_edit.setPlaceholderText("如：生活救助、心理疏导")
        self.result_stack = QStackedWidget(self)
        for w in (self.colour_combo, self.guardianship_combo, self.needs_edit):
            self.result_stack.addWidget(w)
        self.result_stack.setSizePolicy(self.colour_combo.sizePolicy())
        self.result_stack.setFocusProxy(self.colour_combo)
        self.form = self.add_form(FieldForm(
            specs("assessment", "kind", "assessed_on", "assessor", "result", "guardianship_type", "reason"),
            self, today=today, columns=2,
            extra={"result": (self.result_stack, self._result, self._set_result)},
        ))
        self.kind_combo: CodeCombo = self.form.editor("kind")

        current = self.child.risk_colour if self.child else None
        since = f"（{self.child.colour_set_on:%Y-%m-%d}评定）" if self.child and self.child.colour_set_on else ""
        self.current_label = QLabel(f"当前等级：{codes.RISK_COLOUR.label_of(current) if current else '未评估'}{since}", self)
        self.current_label.setStyleSheet("color: #455A64;")
        self.form.add_below("result", self.current_label)

        # 橙: the named "一对一" helper.
        self.helper_box = QGroupBox("橙色等级：“一对一”结对帮扶", self)
        self.helper_form = FieldForm(specs("child", "paired_helper"), self.helper_box, today=today)
        self.helper_form.mark_required("paired_helper")  # orange needs the named helper
        QVBoxLayout(self.helper_box).addWidget(self.helper_form)
        if self.child is not None:
            self.helper_form.set_values({"paired_helper": self.child.paired_helper})
        self.body.addWidget(self.helper_box)
        self.forms.append(self.helper_form)

        # 红: an intervention, a referral, or the reason it waits.
        self.red_box = QGroupBox("红色等级：须同时采取措施", self)
        red_lay = QVBoxLayout(self.red_box)
        open_actions = self.child.open_actions if self.child else 0
        self.red_note = QLabel(
            f"该儿童已有{open_actions}项进行中的帮扶或转介；可再登记一项。" if open_actions else
            "请登记一项帮扶措施（心理干预、生活救助、法律援助、转学安置等）或转介；确实不能立即采取的，写明暂缓原因。",
            self.red_box)
        self.red_note.setWordWrap(True)
        red_lay.addWidget(self.red_note)
        choice = QHBoxLayout()
        self.red_choice = QButtonGroup(self)
        self.red_none = QRadioButton("已有措施，不另登记" if open_actions else "尚未选择", self.red_box)
        self.red_help = QRadioButton("登记帮扶措施", self.red_box)
        self.red_referral = QRadioButton("登记转介", self.red_box)
        self.red_defer = QRadioButton("暂缓，写明原因", self.red_box)
        for i, b in enumerate((self.red_none, self.red_help, self.red_referral, self.red_defer)):
            self.red_choice.addButton(b, i)
            choice.addWidget(b)
        choice.addStretch(1)
        red_lay.addLayout(choice)
        self.red_none.setChecked(True)
        self.red_stack = QStackedWidget(self.red_box)
        self.red_stack.addWidget(QWidget(self.red_stack))
        self.help_form = FieldForm(specs("help_measure", *_HELP_NOW), self.red_stack, today=today, columns=2,
                                   text_lines=2)
        self.help_form.set_values({"started_on": today(), "responsible": ws.actor.name})
        self.referral_form = FieldForm(specs("referral", *_REFERRAL_NOW), self.red_stack, today=today, columns=2,
                                       text_lines=2)
        self.referral_form.set_values({"referred_on": today()})
        defer_page = QWidget(self.red_stack)
        defer_lay = QVBoxLayout(defer_page)
        defer_lay.setContentsMargins(0, 0, 0, 0)
        defer_lay.addWidget(QLabel("暂缓原因：", defer_page))
        self.deferral = LongText(defer_page, lines=2, max_len=2000)
        defer_lay.addWidget(self.deferral)
        self.deferral_error = ErrorLabel(defer_page)
        defer_lay.addWidget(self.deferral_error)
        for w in (self.help_form, self.referral_form, defer_page):
            self.red_stack.addWidget(w)
        red_lay.addWidget(self.red_stack)
        self.red_error = ErrorLabel(self.red_box)
        red_lay.addWidget(self.red_error)
        self.red_choice.idClicked.connect(self._red_choice_changed)
        self.body.addWidget(self.red_box)

        self.kind_combo.code_changed.connect(self._kind_changed)
        self.colour_combo.code_changed.connect(lambda _c: self._update_sections())
        if record_uuid is None:
            self.form.set_values({"kind": "risk", "assessed_on": today(), "assessor": ws.actor.name})
            self._kind_changed("risk")
            self.colour_combo.setFocus()
        else:
            self._show_saved(record_uuid)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)

    def _result(self):
        kind = self.kind_combo.code()
        if kind == "risk":
            return self.colour_combo.code()
        if kind == "guardianship":
            return self.guardianship_combo.code()
        return self.needs_edit.text()

    def _set_result(self, value) -> None:
        kind = self.kind_combo.code()
        if kind == "risk":
            self.colour_combo.set_code(value)
        elif kind == "guardianship":
            self.guardianship_combo.set_code(value)
        else:
            self.needs_edit.setText(value or "")

    def _kind_changed(self, kind) -> None:
        index = {"risk": 0, "guardianship": 1}.get(kind, 2)
        self.result_stack.setCurrentIndex(index)
        self.result_stack.setFocusProxy(self.result_stack.currentWidget())
        f = self.form.fields["guardianship_type"]
        for w in (f.label, f.editor):
            w.setVisible(kind == "guardianship")
        self.current_label.setVisible(kind == "risk")
        self._update_sections()

    def _update_sections(self) -> None:
        colour = self.colour_combo.code() if self.kind_combo.code() == "risk" else None
        self.helper_box.setVisible(colour == "orange")
        self.red_box.setVisible(colour == "red")
        # A new colour needs a reason (the service says so): the label says it before the save does.
        current = self.child.risk_colour if self.child else None
        self.form.mark_required("reason", colour is not None and colour != current)
        self.adjustSize()

    def _red_choice_changed(self, index: int) -> None:
        self.red_stack.setCurrentIndex(index)
        self.red_error.show_message(None)
        target = {1: self.help_form, 2: self.referral_form}.get(index)
        if target is not None:
            next(iter(target.fields.values())).editor.setFocus()
        elif index == 3:
            self.deferral.setFocus()
        self.adjustSize()

    def operation(self):
        if self.record_uuid is not None:
            return None  # a saved assessment is only shown
        values = self.form.values()
        if values.get("kind") != "guardianship":
            values.pop("guardianship_type", None)
        colour = values["result"] if values.get("kind") == "risk" else None
        extra: dict = {}
        if colour == "orange":
            extra["paired_helper"] = self.helper_form.value("paired_helper")
        if colour == "red":
            choice = self.red_choice.checkedId()
            # Checked here so a message about the help measure lands in its own sub-form (its field
            # names, such as 类型 and 日期, repeat those of the assessment).
            if choice == 1:
                help_values = self.help_form.values()
                self._precheck("help_measure", help_values, self.help_form)
                extra["help_measure"] = help_values
            elif choice == 2:
                referral_values = self.referral_form.values()
                self._precheck("referral", referral_values, self.referral_form)
                extra["referral"] = referral_values
            elif choice == 3:
                text = self.deferral.toPlainText().strip()
                if not text:
                    raise WeibaoError("请写明暂缓采取措施的原因", "red_deferral")
                extra["red_deferral"] = text
        assessments, child_uuid = self.ws.assessments, self.child_uuid
        return lambda: assessments.assess(child_uuid, values, **extra)

    def _precheck(self, entity: str, values: dict, form: FieldForm) -> None:
        try:
            fields.clean_values(entity, values, partial=False, today=self.today())
        except WeibaoError as e:
            raise SubFormError(e, form) from None

    def snapshot(self) -> object:
        return [super().snapshot(), self.red_choice.checkedId(), self.help_form.values(), self.referral_form.values(),
                self.deferral.toPlainText()]

    def show_error(self, e: WeibaoError) -> None:
        if isinstance(e, SubFormError):
            e.form.show_error(e.inner)
            return
        if e.field in ("help_measure", "referral"):
            self.red_error.show_message(e.message)
            self.red_help.setFocus()
            return
        if e.field == "red_deferral":
            self.deferral_error.show_message(e.message)
            self.deferral.setFocus()
            return
        super().show_error(e)

    def clear_errors(self) -> None:
        super().clear_errors()
        self.red_error.show_message(None)
        self.deferral_error.show_message(None)

    def _show_saved(self, uuid: str) -> None:
        a = next((a for a in self.ws.assessments.history(self.child_uuid) if a.uuid == uuid), None)
        if a is None:
            raise WeibaoError("找不到该评估记录", "uuid")
        self.form.set_values({"kind": a.kind})
        self._kind_changed(a.kind)
        self.form.set_values({"assessed_on": a.assessed_on, "assessor": a.assessor, "result": a.result,
                              "guardianship_type": a.guardianship_type, "reason": a.reason})
        self.current_label.hide()
        self.helper_box.hide()
        self.red_box.hide()
        for f in self.form.fields.values():
            f.editor.setEnabled(False)
        self.colour_combo.setEnabled(False)
        self.guardianship_combo.setEnabled(False)
        self.needs_edit.setReadOnly(True)
        self.save_button.hide()
        self.setWindowTitle("评估记录（评估记录永久保留，不能修改）")


class SubFormError(WeibaoError):
    def __init__(self, inner: WeibaoError, form: FieldForm):
        super().__init__(inner.message, inner.field)
        self.inner = inner
        self.form = form


__all__ = ["AssessmentDialog"]
