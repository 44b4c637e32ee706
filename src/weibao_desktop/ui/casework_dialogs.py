"""The dialogs of a child's casework: visits, help, referrals, family, categories, help received
(assessments are in `assessment_dialog`). Each is `Dialog(ws, tasks, child_uuid, parent=None,
record_uuid=None)`: new when record_uuid is None, otherwise the record is edited. 保存 (Ctrl+S, Ctrl+Enter)
saves on the writer thread and closes; a `WeibaoError` is shown next to its field and the dialog stays
open with nothing saved."""
from __future__ import annotations

import html

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from ..domain import codes, fields
from ..domain.errors import WeibaoError
from ..domain.visits import visit_problems
from .assessment_dialog import AssessmentDialog
from .case_dialog import CaseDialog, child_summary, specs
from .child_picker import ChildPicker, pick_child
from .editors import CodeCombo
from .forms import FieldForm
from .tasks import Tasks

_VISIT_TOP = ("visited_on", "mode", "visitors", "next_due_on")
_VISIT_TEXTS = ("living", "study", "health", "safety", "psychology", "guardianship", "problems", "measures")


class VisitDialog(CaseDialog):
    """A visit in under a minute: today, the current user and 入户 are filled in, the next visit is
    proposed from the child's colour (and follows the visit date until the worker changes it)."""

    title_new = "登记走访"
    title_edit = "修改走访记录"
    changed_kind = {"visits": True}

    def __init__(self, ws, tasks: Tasks, child_uuid: str, parent: QWidget | None = None,
                 record_uuid: str | None = None):
        super().__init__(ws, tasks, child_uuid, parent, record_uuid)
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
        label = f"{codes.RISK_COLOUR.label_of(colour)}色等级" if colour else "尚未评估等级"
        self.next_hint.setText(f"按{label}每{(proposed - day).days}天走访一次，可修改")

    def values(self) -> dict:
        return {**self.top.values(), **self.texts.values()}

    def operation(self):
        values = self.values()
        problems = visit_problems(values)
        if problems:
            field, message = problems[0]
            raise WeibaoError(message, field)
        visits, child_uuid, record_uuid = self.ws.visits, self.child_uuid, self.record_uuid
        if record_uuid is None:
            return lambda: visits.record(child_uuid, values)
        return lambda: visits.update(record_uuid, values)



class HelpDialog(CaseDialog):
    title_new = "登记帮扶措施"
    title_edit = "修改帮扶措施"
    changed_kind = {"help": True}

    def __init__(self, ws, tasks: Tasks, child_uuid: str, parent: QWidget | None = None,
                 record_uuid: str | None = None):
        super().__init__(ws, tasks, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(fields.HELP, self, today=self.today, columns=2))
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
            self.form.set_values({s.name: getattr(h, s.name) for s in fields.HELP})
        self.form.editor("state").code_changed.connect(self._state_changed)
        self.form.editor("kind").setFocus()
        self.resize(680, self.sizeHint().height())

    def _state_changed(self, state) -> None:
        if state == "done" and self.form.editor("ended_on").date() is None:
            self.form.set_values({"ended_on": self.today()})

    def operation(self):
        values = self.form.values()
        helps, child_uuid, record_uuid = self.ws.help, self.child_uuid, self.record_uuid
        if record_uuid is None:
            values = {k: v for k, v in values.items() if k not in ("ended_on", "result")}
            return lambda: helps.add(child_uuid, values)
        return lambda: helps.update(record_uuid, values)


_REFERRAL_MAIN = ("target", "target_name", "referred_on", "handled_by", "reason")
_NEXT_STATES = {"referred": ("accepted", "done", "returned"), "accepted": ("done", "returned")}


class ReferralDialog(CaseDialog):
    """A referral (转介) of a child, or of a clue that has no file yet (clue_uuid). Opened on an existing
    referral it also moves it on: 已接收 / 已办结 / 退回, with the date and the receiving side's feedback."""

    title_new = "登记转介"
    title_edit = "转介"
    changed_kind = {"help": True, "clues": True}  # a clue's referral shows on the clue

    def __init__(self, ws, tasks: Tasks, child_uuid: str | None, parent: QWidget | None = None,
                 record_uuid: str | None = None, *, clue_uuid: str | None = None):
        super().__init__(ws, tasks, child_uuid, parent, record_uuid)
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
        now = QLabel(f"当前状态：<b>{codes.REFERRAL_STATE.label_of(r.state)}</b>{when}"
                     + (f"　反馈：{html.escape(r.feedback)}" if r.feedback else ""), box)
        now.setWordWrap(True)
        lay.addWidget(now)
        nexts = _NEXT_STATES.get(r.state, ())
        self.state_form = FieldForm(specs("referral", "state", "state_on", "feedback"), box, today=self.today,
                                    columns=2, labels={"state": "改为", "feedback": "反馈情况"}, text_lines=2)
        combo: CodeCombo = self.state_form.editor("state")
        for code in [c.code for c in codes.REFERRAL_STATE if c.code not in nexts]:
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

    def operation(self):
        values = self.form.values()
        referrals, child_uuid, record_uuid, clue_uuid = self.ws.referrals, self.child_uuid, self.record_uuid, self.clue_uuid
        if record_uuid is None:
            return lambda: referrals.add(values, child_key=child_uuid, clue_uuid=clue_uuid)
        new_state = self.state_form.value("state")
        feedback = self.state_form.value("feedback")
        on = self.state_form.editor("state_on")
        if new_state:
            # Refused before anything is written, so the edit and the state change succeed together.
            if new_state == "returned" and not (feedback or "").strip():
                raise WeibaoError("退回的转介请填写退回原因", "feedback")
            fields.clean_value(fields.spec_of("referral", "state_on"), on.value(), self.today())
        elif (feedback or "").strip() != (self.referral.feedback or ""):
            values["feedback"] = feedback
        state_on = on.date()

        def write():
            saved = referrals.update(record_uuid, values)
            if new_state:
                saved = referrals.set_state(record_uuid, new_state, feedback or None, state_on)
            return saved

        return write

    def show_error(self, e: WeibaoError) -> None:
        if self.state_box is not None and e.field in ("state", "state_on", "feedback"):
            self.state_form.show_error(e)
            return
        super().show_error(e)


class PersonDialog(CaseDialog):
    title_new = "添加家庭成员 / 监护人"
    title_edit = "修改家庭成员 / 监护人"

    def __init__(self, ws, tasks: Tasks, child_uuid: str, parent: QWidget | None = None,
                 record_uuid: str | None = None):
        super().__init__(ws, tasks, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(fields.PERSON, self, today=self.today, columns=2,
                                            labels={"relation_detail": "具体关系（如祖母）"}))
        if record_uuid is not None:
            p = next((p for p in self.child.people if p.uuid == record_uuid), None)
            if p is None:
                raise WeibaoError("找不到该家庭成员记录", "uuid")
            self.form.set_values({s.name: getattr(p, s.name) for s in fields.PERSON})
        self.form.editor("relation").setFocus()
        self.resize(640, self.sizeHint().height())

    def operation(self):
        values = self.form.values()
        children, child_uuid, record_uuid = self.ws.children, self.child_uuid, self.record_uuid
        if record_uuid is None:
            return lambda: children.add_person(child_uuid, values)
        return lambda: children.update_person(record_uuid, values)


class CategoryDialog(CaseDialog):
    """A category the child belongs to, from a date; an existing one can only be ended (退出), so the
    ledger keeps when a child was in which category."""

    title_new = "添加儿童类别"
    title_edit = "儿童类别退出"

    def __init__(self, ws, tasks: Tasks, child_uuid: str, parent: QWidget | None = None,
                 record_uuid: str | None = None):
        super().__init__(ws, tasks, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(fields.CATEGORY, self, today=self.today))
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

    def operation(self):
        children, child_uuid, record_uuid = self.ws.children, self.child_uuid, self.record_uuid

        def clean(name: str):
            return fields.clean_value(fields.spec_of("category_membership", name), self.form.value(name), self.today())

        if record_uuid is None:
            category, start = clean("category"), clean("start_on")
            return lambda: children.add_category(child_uuid, category, start)
        end = clean("end_on")
        if end is None:
            raise WeibaoError("请填写退出日期", "end_on")
        return lambda: children.end_category(record_uuid, end)


class ReliefDialog(CaseDialog):
    title_new = "登记已享受救助"
    title_edit = "修改救助记录"

    def __init__(self, ws, tasks: Tasks, child_uuid: str, parent: QWidget | None = None,
                 record_uuid: str | None = None):
        super().__init__(ws, tasks, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(fields.RELIEF, self, today=self.today, columns=2))
        if record_uuid is not None:
            r = next((r for r in self.child.reliefs if r.uuid == record_uuid), None)
            if r is None:
                raise WeibaoError("找不到该救助记录", "uuid")
            self.form.set_values({s.name: getattr(r, s.name) for s in fields.RELIEF})
        self.form.editor("kind").setFocus()
        self.resize(600, self.sizeHint().height())

    def operation(self):
        values = self.form.values()
        children, child_uuid, record_uuid = self.ws.children, self.child_uuid, self.record_uuid
        if record_uuid is None:
            return lambda: children.add_relief(child_uuid, values)
        return lambda: children.update_relief(record_uuid, values)


__all__ = [
    "AssessmentDialog", "CaseDialog", "CategoryDialog", "ChildPicker", "HelpDialog", "PersonDialog",
    "ReferralDialog", "ReliefDialog", "VisitDialog", "child_summary", "pick_child",
]
