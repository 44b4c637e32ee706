"""登记建档: the form that opens (or edits) a child's file.

It checks as the worker types (id checksum, birth date and sex against the id number, dates not in the
future, what is required) with the same Chinese messages the services use, and when the child already
has a file it offers that file instead of a duplicate.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes, fields
from ..domain.errors import WeibaoError
from ..domain.idnumber import IdNumberError, mismatches, normalize_id_number, validate_id_number
from ..services import DuplicateChild
from .case_dialog import SavingDialog
from .editors import ERROR_RGB, MultiCodeBox, set_invalid
from .forms import ErrorBanner, FieldForm, add_save_shortcuts
from .operations import Changes
from .tasks import Tasks

# What each family sub-section asks; the relation itself is given by the section.
_PARENT_FIELDS = ("name", "birth_date", "id_number", "phone", "status", "work_place", "is_guardian")
_ENTRUSTED_FIELDS = ("name", "relation_detail", "id_number", "phone", "address", "status")
OPEN_EXISTING = 2


def _child_order() -> tuple:
    """The register's order, with the village next to the addresses rather than at the end."""
    specs = [s for s in fields.CHILD if s.name != "village_id"]
    at = next(i for i, s in enumerate(specs) if s.name == "residence_address") + 1
    specs.insert(at, fields.spec_of("child", "village_id"))
    return tuple(specs)


_CHILD_ORDER = _child_order()  # the dialog's result when the worker chose to open the file that already exists


def _person_specs(names) -> tuple:
    by_name = {s.name: s for s in fields.PERSON}
    return tuple(by_name[n] for n in names)


class VillageCombo(QComboBox):
    def __init__(self, villages, parent=None):
        super().__init__(parent)
        self.addItem("", None)
        for v in villages:
            self.addItem(v.name, v.id)

    def village_id(self) -> int | None:
        return self.currentData()

    def set_village_id(self, village_id: int | None) -> None:
        self.setCurrentIndex(max(0, self.findData(village_id)))


class PersonSection(QGroupBox):
    """父亲 / 母亲 / 被委托人 on a new file: left empty, nothing is recorded."""

    def __init__(self, relation: str, names, today, parent=None):
        super().__init__(codes.PERSON_RELATION.label_of(relation), parent)
        self.relation = relation
        labels = {"relation_detail": "与儿童关系", "is_guardian": "是否监护人"}
        self.form = FieldForm(_person_specs(names), self, today=today, columns=2, labels=labels)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        if relation == "entrusted":
            self.form.editor("relation_detail").setPlaceholderText("如：祖父、外祖母、姑姑")

    def is_empty(self) -> bool:
        return not any(v not in (None, "", []) for v in self.form.values().values())

    def values(self) -> dict:
        values = {k: v for k, v in self.form.values().items() if v not in (None, "", [])}
        values["relation"] = self.relation
        if self.relation == "entrusted":
            values["is_guardian"] = True
        return values


class ChildForm(SavingDialog):
    """Create a file (child_uuid None) or edit one. After 保存, `saved_uuid` names the file; when the
    worker chooses 打开已有档案 the dialog ends with result OPEN_EXISTING, `existing_uuid` set and
    `open_existing` emitted."""

    open_existing = Signal(str)

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None, child_uuid: str | None = None):
        super().__init__(ws, tasks, parent)
        self.child_uuid = child_uuid
        self.saved_uuid: str | None = None
        self.existing_uuid: str | None = None
        self._rev: int | None = None
        self._allow_same_name_birth = False
        today = ws.ctx.today
        self.setWindowTitle("新建儿童档案" if child_uuid is None else "编辑儿童档案")

        station = ws.stations.info()
        self.village = VillageCombo(station.villages, self)
        self.basic = FieldForm(
            _CHILD_ORDER, self, today=today, columns=2,
            extra={"village_id": (self.village, self.village.village_id, self.village.set_village_id)},
        )
        self.basic.editor("hukou_registered").set_value(True)
        self.id_hint = QWidget(self)
        hint_lay = QHBoxLayout(self.id_hint)
        hint_lay.setContentsMargins(0, 0, 0, 0)
        self.id_hint_text = QLabel(self.id_hint)
        self.id_hint_text.setStyleSheet("color: #455A64;")
        # Shown only when the date or sex typed disagrees with the number (an empty one is filled at once).
        self.fill_button = QPushButton("按号码填写", self.id_hint)
        self.fill_button.setToolTip("用身份证号中的出生日期和性别改正本表")
        self.fill_button.clicked.connect(self.fill_from_id)
        hint_lay.addWidget(self.id_hint_text, 1)
        hint_lay.addWidget(self.fill_button)
        self.id_hint.hide()
        self.basic.add_below("id_number", self.id_hint)
        QWidget.setTabOrder(self.basic.editor("id_number"), self.fill_button)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(_scrolled(self.basic), "基本信息")
        # A new file takes its categories and family here; an existing one has them in its own tabs.
        self.categories: MultiCodeBox | None = None
        self.people: list[PersonSection] = []
        if child_uuid is None:
            self.categories = MultiCodeBox(codes.CATEGORY, self, columns=3)
            self.people = [
                PersonSection("father", _PARENT_FIELDS, today, self),
                PersonSection("mother", _PARENT_FIELDS, today, self),
                PersonSection("entrusted", _ENTRUSTED_FIELDS, today, self),
            ]
            cat_page = QWidget(self)
            cat_lay = QVBoxLayout(cat_page)
            cat_lay.addWidget(QLabel("可多选；认定日期记为今天，以后可在档案的“类别与救助”中修改。", cat_page))
            cat_lay.addWidget(self.categories)
            self.category_error = ErrorBanner(cat_page)
            cat_lay.addWidget(self.category_error)
            cat_lay.addStretch(1)
            self.tabs.addTab(cat_page, "儿童类别")
            fam = QWidget(self)
            fam_lay = QVBoxLayout(fam)
            for section in self.people:
                fam_lay.addWidget(section)
            fam_lay.addStretch(1)
            self.tabs.addTab(_scrolled(fam), "家庭与监护")

        self.banner = ErrorBanner(self)
        self.open_button = QPushButton("打开已有档案", self)
        self.open_button.clicked.connect(self._open_existing)
        self.same_person_button = QPushButton("不是同一人，继续建档", self)
        self.same_person_button.clicked.connect(self._not_same_person)
        dup_row = QHBoxLayout()
        dup_row.addStretch(1)
        dup_row.addWidget(self.open_button)
        dup_row.addWidget(self.same_person_button)
        self.open_button.hide()
        self.same_person_button.hide()

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        self.save_button.setToolTip("保存（Ctrl+S）")
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button.setAutoDefault(False)
        add_save_shortcuts(self, self.save)

        legend = QLabel(f"<span style='color:{ERROR_RGB}'>*</span> 为必填项。按 Enter 到下一项，Ctrl+S 保存。", self)
        legend.setStyleSheet("color: #455A64;")
        lay = QVBoxLayout(self)
        lay.addWidget(legend)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.banner)
        lay.addLayout(dup_row)
        lay.addWidget(buttons)

        self.basic.changed.connect(self._field_changed)
        for name in ("name", "id_number", "contact_phone", "ethnicity"):
            self.basic.editor(name).editingFinished.connect(lambda n=name: self._check_field(n, final=True))
        self.basic.editor("birth_date").edit.editingFinished.connect(lambda: self._check_field("birth_date", True))
        for section in self.people:
            for name, f in section.form.fields.items():
                if fields.spec_of("person", name).kind in ("id_number", "phone", "date"):
                    proxy = f.editor.focusProxy() or f.editor
                    proxy.editingFinished.connect(lambda s=section, n=name: self._check_person_field(s, n))

        if child_uuid is not None:
            self._load(child_uuid)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(max(self.sizeHint().width() + 40, chars * 132), max(560, self.fontMetrics().height() * 30))
        self.basic.editor("name").setFocus()

    def _load(self, uuid: str) -> None:
        d = self.ws.children.get(uuid)
        self._rev = d.rev
        self.setWindowTitle(f"编辑儿童档案：{d.name}")
        self.basic.set_values({s.name: getattr(d, s.name) for s in fields.CHILD})
        self._update_id_hint()

    def _field_changed(self, name: str) -> None:
        if name == "id_number":
            text = self.basic.value("id_number") or ""
            if len(normalize_or_text(text)) >= 18:
                self._check_field("id_number", final=True)
            else:
                self.id_hint.hide()
        elif name in ("sex",):
            self._check_agreement()
        elif name == "birth_date":
            if self.basic.editor("birth_date").date() is not None:
                self._check_field("birth_date", final=True)

    def _check_field(self, name: str, final: bool) -> bool:
        """Validate one field as the service would; show the message under it. True when fine."""
        spec = fields.spec_of("child", name)
        value = self.basic.value(name)
        try:
            fields.clean_value(spec, value, self.ws.ctx.today())
        except WeibaoError as e:
            empty = value in (None, "", [])
            if not (empty and not final):
                self.basic.set_field_error(name, e.message)
            if name == "id_number":
                self.id_hint.hide()
            return False
        self.basic.set_field_error(name, None)
        if name == "id_number":
            self._fill_empty_from_id()
        if name in ("id_number", "birth_date"):
            return self._check_agreement()
        return True

    def _fill_empty_from_id(self) -> None:
        """A valid number fills the birth date and sex left empty (no click needed); what was typed stays,
        and a disagreement is shown, not silently fixed."""
        info = self._id_info()
        if info is None:
            return
        if self.basic.editor("birth_date").date() is None and not self.basic.editor("birth_date").text():
            self.basic.set_value("birth_date", info.birth_date)
        if self.basic.value("sex") is None:
            self.basic.set_value("sex", info.sex)

    def _id_info(self):
        try:
            number = normalize_id_number(self.basic.value("id_number"))
            return validate_id_number(number) if number else None
        except IdNumberError:
            return None

    def _check_agreement(self) -> bool:
        """Birth date and sex must agree with a valid id number: the mismatch is shown, not fixed."""
        info = self._id_info()
        self._update_id_hint()
        if info is None:
            return True
        problems = mismatches(info, self.basic.editor("birth_date").date(), self.basic.value("sex"))
        if problems:
            self.basic.set_field_error("id_number", "；".join(problems) + "。请核对身份证号或出生日期、性别")
            return False
        if self.basic.field_error("id_number"):
            self.basic.set_field_error("id_number", None)
        return True

    def _update_id_hint(self) -> None:
        info = self._id_info()
        if info is None:
            self.id_hint.hide()
            return
        birth = self.basic.editor("birth_date").date()
        sex = self.basic.value("sex")
        sex_label = codes.SEX.label_of(info.sex)
        self.id_hint_text.setText(f"号码显示：{info.birth_date:%Y-%m-%d} 出生，{sex_label}")
        self.fill_button.setVisible(birth != info.birth_date or sex != info.sex)
        self.id_hint.show()

    def fill_from_id(self) -> None:
        info = self._id_info()
        if info is None:
            return
        self.basic.set_value("birth_date", info.birth_date)
        self.basic.set_value("sex", info.sex)
        self.basic.set_field_error("birth_date", None)
        self.basic.set_field_error("sex", None)
        self._check_agreement()
        self.basic.editor("hukou_registered").setFocus()

    def _check_person_field(self, section: PersonSection, name: str) -> None:
        value = section.form.value(name)
        if value in (None, ""):
            section.form.set_field_error(name, None)
            return
        try:
            fields.clean_value(fields.spec_of("person", name), value, self.ws.ctx.today())
        except WeibaoError as e:
            section.form.set_field_error(name, e.message)
        else:
            section.form.set_field_error(name, None)

    def child_values(self) -> dict:
        return self.basic.values()

    def snapshot(self) -> object:
        return [self.basic.values(), self.categories.codes() if self.categories else None,
                [section.values() for section in self.people]]

    def clear_errors(self) -> None:
        self.banner.show_message(None)
        self.open_button.hide()
        self.same_person_button.hide()

    def set_saving(self, saving: bool) -> None:
        super().set_saving(saving)
        self.save_button.setEnabled(not saving)
        self.save_button.setText("正在保存…" if saving else "保存")

    def operation(self):
        values = self.child_values()
        # Checked here first so each message lands on its own section: the child and the
        # parents share field names (姓名, 身份证号, 电话) that the service's error cannot tell apart.
        # Every section is checked, so every problem shows at once.
        today = self.ws.ctx.today()
        problems: list[tuple[PersonSection | None, WeibaoError]] = []
        try:
            fields.clean_values("child", values, partial=False, today=today)
        except WeibaoError as e:
            problems.append((None, e))
        children = self.ws.children
        if self.child_uuid is not None:
            if problems:
                raise problems[0][1]
            uuid, rev = self.child_uuid, self._rev
            return lambda: children.update(uuid, values, expected_rev=rev)
        people = []
        for section in self.people:
            if section.is_empty():
                continue
            try:
                fields.clean_values("person", section.values(), partial=False, today=today)
            except WeibaoError as e:
                problems.append((section, e))
            people.append(section.values())
        if problems:
            raise FormErrors(problems)
        categories, allow = self.categories.codes(), self._allow_same_name_birth
        return lambda: children.create(values, categories=categories, people=people, allow_same_name_birth=allow)

    def changes(self, result: Any) -> Changes:
        return Changes(children={result.uuid}, visits=True)

    def _saved(self, result) -> None:
        self.saved_uuid = result.uuid
        super()._saved(result)

    def show_error(self, e: WeibaoError) -> None:
        if isinstance(e, FormErrors):
            # Sections last to first, so the tab and focus end on the first problem.
            for section, inner in reversed(e.parts):
                if section is None:
                    self._show_error(inner)
                else:
                    self._show_person_error(section, inner)
            return
        if isinstance(e, DuplicateChild):
            self.existing_uuid = e.existing_uuid
        self._show_error(e)
        if isinstance(e, DuplicateChild):
            self.open_button.show()
            self.open_button.setDefault(True)
            self.open_button.setFocus()
            if e.field == "name":
                self.same_person_button.show()

    def _show_error(self, e: WeibaoError) -> None:
        if e.field == "category" and self.child_uuid is None:
            self.tabs.setCurrentIndex(1)
            self.category_error.show_message(e.message)
        elif isinstance(e, DuplicateChild):
            # The offer (打开已有档案) sits with the message; the field it matched on is marked.
            self.tabs.setCurrentIndex(0)
            set_invalid(self.basic.editor(e.field), True)
            self.banner.show_message(e.message)
        elif self.basic.show_error(e):
            self.tabs.setCurrentIndex(0)
            rest = self.basic.unshown(e)
            self.banner.show_message("；".join(x.message for x in rest) if rest else None)
        else:
            self.banner.show_message(e.message)

    def _show_person_error(self, section: PersonSection, e: WeibaoError) -> None:
        self.tabs.setCurrentIndex(self.tabs.count() - 1)
        if not section.form.show_error(e):
            self.banner.show_message(f"{section.title()}：{e.message}")
        else:
            section.form.fields[e.field].editor.setFocus()

    def _open_existing(self) -> None:
        if self.existing_uuid:
            self.mark_clean()  # the worker chose the existing file over what they typed
            self.open_existing.emit(self.existing_uuid)
            self.done(OPEN_EXISTING)

    def _not_same_person(self) -> None:
        self._allow_same_name_birth = True
        self.same_person_button.hide()
        self.save()


class FormErrors(WeibaoError):
    """Problems in several sections of a new file (the child's own fields: section None), each shown there."""

    def __init__(self, parts: list[tuple[PersonSection | None, WeibaoError]]):
        super().__init__("；".join(e.message for _s, e in parts), parts[0][1].field)
        self.parts = parts


def normalize_or_text(text: str) -> str:
    try:
        return normalize_id_number(text) or ""
    except IdNumberError:
        return text


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    holder = QWidget()
    lay = QVBoxLayout(holder)
    lay.addWidget(widget)
    lay.addStretch(1)
    area.setWidget(holder)
    return area


__all__ = ["ChildForm", "OPEN_EXISTING"]
