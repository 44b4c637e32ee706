"""The dialogs of a child's casework: visits, assessments (colours), help, referrals, family, categories,
help received. Each is `Dialog(ws, child_uuid, parent=None, record_uuid=None)`: new when record_uuid is
None, otherwise the record is edited. 保存 (Ctrl+S, Ctrl+Enter) saves through the services and accepts;
a `WeibaoError` is shown next to its field and the dialog stays open with nothing saved."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes as C
from ..domain import fields as F
from ..domain.errors import WeibaoError
from ..domain.idnumber import mask_id_number
from ..services.dto import ChildQuery
from .colour import colour_icon
from .widgets import (
    CodeCombo,
    ErrorBanner,
    ErrorLabel,
    FieldForm,
    LongText,
    add_save_shortcuts,
    show_error,
)


def specs(entity: str, *names: str) -> tuple:
    """Some of an entity's field specs, in the order given."""
    return tuple(F.spec_of(entity, n) for n in names)


def child_summary(d) -> str:
    """One line that tells the worker whose file this is (the id number masked)."""
    colour = d.risk_colour
    chip = (f"<span style='color:{C.COLOUR_RGB[colour]}'>■</span> {C.RISK_COLOUR.label_of(colour)}"
            if colour else "未评估")
    parts = [f"<b>{html.escape(d.name)}</b>", C.SEX.label_of(d.sex), f"{d.birth_date:%Y-%m-%d}"]
    if d.village:
        parts.append(html.escape(d.village))
    if d.id_number:
        parts.append(mask_id_number(d.id_number))
    parts.append(f"风险等级：{chip}")
    if d.status != "active":
        parts.append("<span style='color:#C62828'>已销档</span>")
    return " · ".join(parts)


class CaseDialog(QDialog):
    """What every casework dialog shares: the child's line on top, forms, a banner, 保存 / 取消."""

    title_new = "新增"
    title_edit = "修改"

    def __init__(self, ws, child_uuid: str | None, parent: QWidget | None = None, record_uuid: str | None = None):
        super().__init__(parent)
        self.ws = ws
        self.child_uuid = child_uuid
        self.record_uuid = record_uuid
        self.saved = None  # what the service returned
        self.today = ws.ctx.today
        self.child = ws.children.get(child_uuid) if child_uuid else None
        self.setWindowTitle(self.title_new if record_uuid is None else self.title_edit)
        self.layout_ = QVBoxLayout(self)
        if self.child is not None:
            head = QLabel(child_summary(self.child), self)
            head.setTextFormat(Qt.RichText)
            head.setStyleSheet("padding: 4px 2px;")
            self.layout_.addWidget(head)
        self.body = QVBoxLayout()
        self.layout_.addLayout(self.body, 1)
        self.banner = ErrorBanner(self)
        self.layout_.addWidget(self.banner)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        self.save_button.setToolTip("保存（Ctrl+S 或 Ctrl+Enter）")
        self.save_button.setAutoDefault(False)
        cancel = self.buttons.addButton("取消", QDialogButtonBox.RejectRole)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        add_save_shortcuts(self, self.save)
        self.forms: list[FieldForm] = []
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

    def add_form(self, form: FieldForm, title: str | None = None) -> FieldForm:
        self.forms.append(form)
        if title:
            box = QGroupBox(title, self)
            QVBoxLayout(box).addWidget(form)
            self.body.addWidget(box)
        else:
            self.body.addWidget(form)
        return form

    def save(self) -> None:
        self.banner.show_message(None)
        for form in self.forms:
            form.clear_errors()
        try:
            self.saved = self.persist()
        except WeibaoError as e:
            self.show_error(e)
            return
        self.accept()

    def show_error(self, e: WeibaoError) -> None:
        show_error(e, [f for f in self.forms if f.isVisibleTo(self)], self.banner)

    def persist(self):  # pragma: no cover - every dialog defines it
        raise NotImplementedError


# ---- 走访 ------------------------------------------------------------------------------------------

_VISIT_TOP = ("visited_on", "mode", "visitors", "next_due_on")
_VISIT_TEXTS = ("living", "study", "health", "safety", "psychology", "guardianship", "problems", "measures")


class VisitDialog(CaseDialog):
    """A visit in under a minute: today, the current user and 入户 are filled in, the next visit is
    proposed from the child's colour (and follows the visit date until the worker changes it)."""

    title_new = "登记走访"
    title_edit = "修改走访记录"

    def __init__(self, ws, child_uuid: str, parent: QWidget | None = None, record_uuid: str | None = None):
        super().__init__(ws, child_uuid, parent, record_uuid)
        self.top = self.add_form(FieldForm(specs("visit", *_VISIT_TOP), self, today=self.today, columns=2))
        self.next_hint = QLabel(self)
        self.next_hint.setStyleSheet("color: #455A64;")
        self.next_hint.setWordWrap(True)
        self.top.add_below("next_due_on", self.next_hint)
        self.texts = self.add_form(FieldForm(specs("visit", *_VISIT_TEXTS), self, today=self.today, columns=2,
                                             text_lines=2, wide_longtext=False))
        self._next_touched = False
        self.top.changed.connect(self._changed)
        if record_uuid is None:
            self.top.set_values({"visited_on": self.today(), "visitors": ws.actor.name, "mode": "home"})
            self._propose()
        else:
            v = ws.visits.get(record_uuid)
            self.top.set_values({n: getattr(v, n) for n in _VISIT_TOP})
            self.texts.set_values({n: getattr(v, n) for n in _VISIT_TEXTS})
            self._next_touched = True
        date_edit = self.top.editor("visited_on")
        date_edit.setFocus()
        date_edit.edit.selectAll()
        self.resize(760, self.sizeHint().height())

    def _changed(self, name: str) -> None:
        if name == "visited_on":
            if self.top.editor("visited_on").date() is not None and not self._next_touched:
                self._propose()
        elif name == "next_due_on":
            self._next_touched = True
            self.next_hint.setText("")

    def _propose(self) -> None:
        day = self.top.editor("visited_on").date()
        if day is None or self.child is None or self.child.status != "active":
            return
        proposed = self.ws.visits.propose_next_due(self.child_uuid, day)
        self.top.set_values({"next_due_on": proposed})
        colour = self.child.risk_colour
        label = f"{C.RISK_COLOUR.label_of(colour)}色等级" if colour else "尚未评估等级"
        self.next_hint.setText(f"按{label}每{(proposed - day).days}天走访一次，可修改")

    def values(self) -> dict:
        return {**self.top.values(), **self.texts.values()}

    def persist(self):
        if self.record_uuid is None:
            return self.ws.visits.record(self.child_uuid, self.values())
        return self.ws.visits.update(self.record_uuid, self.values())


# ---- 评估与等级 --------------------------------------------------------------------------------------

_HELP_NOW = ("kind", "started_on", "responsible", "description")
_REFERRAL_NOW = ("target", "target_name", "referred_on", "reason")


class AssessmentDialog(CaseDialog):
    """An assessment; a 风险等级评估 sets the colour. Red asks, right here, for a help measure, a referral
    or the reason it is deferred; orange for the 结对帮扶人. A saved assessment is kept as it is:
    opened with record_uuid it is shown read-only."""

    title_new = "评估 / 调整风险等级"
    title_edit = "评估记录"

    def __init__(self, ws, child_uuid: str, parent: QWidget | None = None, record_uuid: str | None = None):
        super().__init__(ws, child_uuid, parent, record_uuid)
        today = self.today
        self.colour_combo = CodeCombo(C.RISK_COLOUR, allow_empty=True, parent=self)
        for i in range(1, self.colour_combo.count()):
            self.colour_combo.setItemIcon(i, colour_icon(self.colour_combo.itemData(i)))
        self.guardianship_combo = CodeCombo(C.GUARDIANSHIP_RESULT, allow_empty=True, parent=self)
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
        self.current_label = QLabel(f"当前等级：{C.RISK_COLOUR.label_of(current) if current else '未评估'}{since}", self)
        self.current_label.setStyleSheet("color: #455A64;")
        self.form.add_below("result", self.current_label)

        # 橙: the named "一对一" helper.
        self.helper_box = QGroupBox("橙色等级：“一对一”结对帮扶", self)
        self.helper_form = FieldForm(specs("child", "paired_helper"), self.helper_box, today=today)
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

    # ---- result editor per kind -------------------------------------------------------------

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

    # ---- saving -------------------------------------------------------------------------------

    def persist(self):
        if self.record_uuid is not None:
            return None
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
        return self.ws.assessments.assess(self.child_uuid, values, **extra)

    def _precheck(self, entity: str, values: dict, form: FieldForm) -> None:
        try:
            F.clean_values(entity, values, partial=False, today=self.today())
        except WeibaoError as e:
            raise _SubFormError(e, form) from None

    def show_error(self, e: WeibaoError) -> None:
        if isinstance(e, _SubFormError):
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


class _SubFormError(WeibaoError):
    def __init__(self, inner: WeibaoError, form: FieldForm):
        super().__init__(inner.message, inner.field)
        self.inner = inner
        self.form = form


# ---- 帮扶 ------------------------------------------------------------------------------------------

class HelpDialog(CaseDialog):
    title_new = "登记帮扶措施"
    title_edit = "修改帮扶措施"

    def __init__(self, ws, child_uuid: str, parent: QWidget | None = None, record_uuid: str | None = None):
        super().__init__(ws, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(F.HELP, self, today=self.today, columns=2))
        if record_uuid is None:
            self.form.set_values({"started_on": self.today(), "responsible": ws.actor.name, "state": "open"})
            for name in ("ended_on", "result"):
                f = self.form.fields[name]
                f.label.hide()
                f.editor.hide()
        else:
            h = next((h for h in ws.help.for_child(child_uuid) if h.uuid == record_uuid), None)
            if h is None:
                raise WeibaoError("找不到该帮扶措施记录", "uuid")
            self.form.set_values({s.name: getattr(h, s.name) for s in F.HELP})
        self.form.editor("state").code_changed.connect(self._state_changed)
        self.form.editor("kind").setFocus()
        self.resize(680, self.sizeHint().height())

    def _state_changed(self, state) -> None:
        if state == "done" and self.form.editor("ended_on").date() is None:
            self.form.set_values({"ended_on": self.today()})

    def persist(self):
        values = self.form.values()
        if self.record_uuid is None:
            values = {k: v for k, v in values.items() if k not in ("ended_on", "result")}
            return self.ws.help.add(self.child_uuid, values)
        return self.ws.help.update(self.record_uuid, values)


# ---- 转介 ------------------------------------------------------------------------------------------

_REFERRAL_MAIN = ("target", "target_name", "referred_on", "handled_by", "reason")
_NEXT_STATES = {"referred": ("accepted", "done", "returned"), "accepted": ("done", "returned")}


class ReferralDialog(CaseDialog):
    """A referral (转介) of a child, or of a clue that has no file yet (clue_uuid). Opened on an existing
    referral it also moves it on: 已接收 / 已办结 / 退回, with the date and the receiving side's feedback."""

    title_new = "登记转介"
    title_edit = "转介"

    def __init__(self, ws, child_uuid: str | None, parent: QWidget | None = None, record_uuid: str | None = None,
                 *, clue_uuid: str | None = None):
        super().__init__(ws, child_uuid, parent, record_uuid)
        self.clue_uuid = clue_uuid
        self.form = self.add_form(FieldForm(specs("referral", *_REFERRAL_MAIN), self, today=self.today, columns=2))
        self.hint = QLabel(
            "建议：流浪乞讨→救助管理机构；家庭暴力、人身侵害、拐卖、胁迫利用→公安机关；严重伤害→医院；"
            "监护缺失、特殊困难→街道/社区；失学辍学→教育部门。", self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #455A64;")
        self.body.addWidget(self.hint)
        self.state_box: QGroupBox | None = None
        self.referral = None
        if record_uuid is None:
            self.form.set_values({"referred_on": self.today(), "handled_by": ws.actor.name})
        else:
            self.referral = self._find(record_uuid)
            self.form.set_values({n: getattr(self.referral, n) for n in _REFERRAL_MAIN})
            self._add_state_section()
        self.form.editor("target").setFocus()
        self.resize(680, self.sizeHint().height())

    def _find(self, uuid: str):
        if self.child_uuid:
            found = [r for r in self.ws.referrals.for_child(self.child_uuid) if r.uuid == uuid]
        else:
            found = []
            offset = 0
            while not found:  # a clue's referral: look through the station's, a page at a time
                page = self.ws.referrals.page(offset=offset, limit=200)
                found = [r for r in page.rows if r.uuid == uuid]
                offset += 200
                if offset >= page.total:
                    break
        if not found:
            raise WeibaoError("找不到该转介记录", "uuid")
        return found[0]

    def _add_state_section(self) -> None:
        r = self.referral
        box = QGroupBox("转介状态", self)
        lay = QVBoxLayout(box)
        when = f"（{r.state_on:%Y-%m-%d}）" if r.state_on else ""
        now = QLabel(f"当前状态：<b>{C.REFERRAL_STATE.label_of(r.state)}</b>{when}"
                     + (f"　反馈：{html.escape(r.feedback)}" if r.feedback else ""), box)
        now.setWordWrap(True)
        lay.addWidget(now)
        nexts = _NEXT_STATES.get(r.state, ())
        self.state_form = FieldForm(specs("referral", "state", "state_on", "feedback"), box, today=self.today,
                                    columns=2, labels={"state": "改为", "feedback": "反馈情况"}, text_lines=2)
        combo: CodeCombo = self.state_form.editor("state")
        for code in [c.code for c in C.REFERRAL_STATE if c.code not in nexts]:
            combo.removeItem(combo.findData(code))
        combo.setItemText(0, "（不改变）")
        self.state_form.set_values({"state_on": self.today(), "feedback": r.feedback})
        if not nexts:
            combo.setEnabled(False)
            self.state_form.editor("state_on").setReadOnly(True)
            note = QLabel("该转介已结束；如需再次转介请新建。", box)
            note.setStyleSheet("color: #455A64;")
            lay.addWidget(note)
        lay.addWidget(self.state_form)
        self.forms.append(self.state_form)
        self.body.addWidget(box)
        self.state_box = box

    def persist(self):
        values = self.form.values()
        if self.record_uuid is None:
            return self.ws.referrals.add(values, child_key=self.child_uuid, clue_uuid=self.clue_uuid)
        new_state = self.state_form.value("state")
        feedback = self.state_form.value("feedback")
        on = self.state_form.editor("state_on")
        if new_state:
            # Refused before anything is written, so the edit and the state change succeed together.
            if new_state == "returned" and not (feedback or "").strip():
                raise WeibaoError("退回的转介请填写退回原因", "feedback")
            F.clean_value(F.spec_of("referral", "state_on"), on.value(), self.today())
        elif (feedback or "").strip() != (self.referral.feedback or ""):
            values["feedback"] = feedback
        saved = self.ws.referrals.update(self.record_uuid, values)
        if new_state:
            saved = self.ws.referrals.set_state(self.record_uuid, new_state, feedback or None, on.date())
        return saved

    def show_error(self, e: WeibaoError) -> None:
        if self.state_box is not None and e.field in ("state", "state_on", "feedback"):
            self.state_form.show_error(e)
            return
        super().show_error(e)


# ---- 家庭成员, 类别, 已享受救助 -------------------------------------------------------------------

class PersonDialog(CaseDialog):
    title_new = "添加家庭成员 / 监护人"
    title_edit = "修改家庭成员 / 监护人"

    def __init__(self, ws, child_uuid: str, parent: QWidget | None = None, record_uuid: str | None = None):
        super().__init__(ws, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(F.PERSON, self, today=self.today, columns=2,
                                            labels={"relation_detail": "具体关系（如祖母）"}))
        if record_uuid is not None:
            p = next((p for p in self.child.people if p.uuid == record_uuid), None)
            if p is None:
                raise WeibaoError("找不到该家庭成员记录", "uuid")
            self.form.set_values({s.name: getattr(p, s.name) for s in F.PERSON})
        self.form.editor("relation").setFocus()
        self.resize(640, self.sizeHint().height())

    def persist(self):
        values = self.form.values()
        if self.record_uuid is None:
            return self.ws.children.add_person(self.child_uuid, values)
        return self.ws.children.update_person(self.record_uuid, values)


class CategoryDialog(CaseDialog):
    """A category the child belongs to, from a date; an existing one can only be ended (退出), so the
    ledger keeps when a child was in which category."""

    title_new = "添加儿童类别"
    title_edit = "儿童类别退出"

    def __init__(self, ws, child_uuid: str, parent: QWidget | None = None, record_uuid: str | None = None):
        super().__init__(ws, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(F.CATEGORY, self, today=self.today))
        if record_uuid is None:
            self.form.set_values({"start_on": self.today()})
            f = self.form.fields["end_on"]
            f.label.hide()
            f.editor.hide()
            self.form.editor("category").setFocus()
        else:
            m = next((m for m in self.child.categories if m.uuid == record_uuid), None)
            if m is None:
                raise WeibaoError("找不到该儿童类别记录", "uuid")
            self.form.set_values({"category": m.category, "start_on": m.start_on, "end_on": m.end_on or self.today()})
            self.form.editor("category").setEnabled(False)
            self.form.editor("start_on").setReadOnly(True)
            self.form.editor("end_on").setFocus()
        self.resize(460, self.sizeHint().height())

    def persist(self):
        def clean(name: str):
            return F.clean_value(F.spec_of("category_membership", name), self.form.value(name), self.today())

        if self.record_uuid is None:
            category, start = clean("category"), clean("start_on")
            return self.ws.children.add_category(self.child_uuid, category, start)
        end = clean("end_on")
        if end is None:
            raise WeibaoError("请填写退出日期", "end_on")
        return self.ws.children.end_category(self.record_uuid, end)


class ReliefDialog(CaseDialog):
    title_new = "登记已享受救助"
    title_edit = "修改救助记录"

    def __init__(self, ws, child_uuid: str, parent: QWidget | None = None, record_uuid: str | None = None):
        super().__init__(ws, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(F.RELIEF, self, today=self.today, columns=2))
        if record_uuid is not None:
            r = next((r for r in self.child.reliefs if r.uuid == record_uuid), None)
            if r is None:
                raise WeibaoError("找不到该救助记录", "uuid")
            self.form.set_values({s.name: getattr(r, s.name) for s in F.RELIEF})
        self.form.editor("kind").setFocus()
        self.resize(600, self.sizeHint().height())

    def persist(self):
        values = self.form.values()
        if self.record_uuid is None:
            return self.ws.children.add_relief(self.child_uuid, values)
        return self.ws.children.update_relief(self.record_uuid, values)


# ---- choosing a child --------------------------------------------------------------------------------

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
            colour = f" · {C.RISK_COLOUR.label_of(row.risk_colour)}" if row.risk_colour else ""
            item = QListWidgetItem(f"{row.name}　{row.birth_date:%Y-%m-%d}{village}{colour}　{row.id_number_masked}")
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


__all__ = [
    "AssessmentDialog", "CaseDialog", "CategoryDialog", "ChildPicker", "HelpDialog", "PersonDialog",
    "ReferralDialog", "ReliefDialog", "VisitDialog", "child_summary", "pick_child",
]
