"""The station's other work: 活动与服务 (activities, with the norms' progress) and 儿童主任名册 (the roster and
its training records)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..domain.errors import WeibaoError
from .case_dialog import SavingDialog, specs
from .child_picker import pick_child
from .files import work_folder
from .forms import ErrorBanner, FieldForm, add_save_shortcuts, show_error
from .list_page import ListPage
from .operations import Changes, run_operation
from .print_actions import print_sign_in
from .tasks import Tasks, error_text

_ACTIVITY_FIELDS = ("held_on", "kind", "start_time", "end_time", "place", "organiser", "children_count",
                    "parents_count", "partners", "content", "evidence")
_STAFF_FIELDS = ("name", "role", "sex", "phone", "appointed_on", "social_work_cert", "committee_member",
                 "womens_federation_head", "account_name", "left_on")
_TRAINING_FIELDS = ("held_on", "hours", "topic", "organiser")


def _village_names(ws) -> list[str]:
    return [v.name for v in ws.stations.info().villages]


class ActivityDialog(SavingDialog):
    """登记活动 (new) or 修改 (activity given): the form, the village, the children who took part."""

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None, activity=None):
        super().__init__(ws, tasks, parent)
        self.activity = activity
        self.setWindowTitle("登记活动" if activity is None else "修改活动记录")
        lay = QVBoxLayout(self)
        self.form = FieldForm(specs("activity", *_ACTIVITY_FIELDS), self, today=ws.ctx.today, columns=2)
        for name in ("start_time", "end_time"):
            self.form.editor(name).setPlaceholderText("如 14:30")
        lay.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(QLabel("所在村(社区)：", self))
        self.village = QComboBox(self)
        self.village.addItem("（不在村里，如学校、镇上）", None)
        for name in _village_names(ws):
            self.village.addItem(name, name)
        row.addWidget(self.village)
        row.addStretch(1)
        lay.addLayout(row)
        box = QGroupBox("参加的儿童（关联档案，可不填）", self)
        inner = QHBoxLayout(box)
        self.children = QListWidget(box)
        self.children.setMaximumHeight(self.fontMetrics().height() * 6)
        inner.addWidget(self.children, 1)
        buttons = QVBoxLayout()
        self.add_child_button = QPushButton("添加儿童…", box)
        self.add_child_button.clicked.connect(self.add_child)
        self.remove_child_button = QPushButton("移除", box)
        self.remove_child_button.clicked.connect(self.remove_child)
        buttons.addWidget(self.add_child_button)
        buttons.addWidget(self.remove_child_button)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        lay.addWidget(box)
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
        if activity is None:
            self.form.set_values({"held_on": ws.ctx.today(), "organiser": ws.actor.name})
        else:
            self.form.set_values({n: getattr(activity, n) for n in _ACTIVITY_FIELDS})
            self.village.setCurrentIndex(max(0, self.village.findData(activity.village)))
            for uuid, name in activity.children:
                self._add_child_item(uuid, name)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 96)

    def _add_child_item(self, uuid: str, name: str) -> None:
        if any(self.children.item(i).data(Qt.UserRole) == uuid for i in range(self.children.count())):
            return
        item = QListWidgetItem(name)
        item.setData(Qt.UserRole, uuid)
        self.children.addItem(item)

    def add_child(self) -> None:
        uuid = pick_child(self.ws, self, "哪名儿童参加了活动？", self.tasks)
        if uuid:
            self._add_child_item(uuid, self.ws.children.get(uuid).name)

    def remove_child(self) -> None:
        for item in self.children.selectedItems():
            self.children.takeItem(self.children.row(item))

    def child_uuids(self) -> tuple[str, ...]:
        return tuple(self.children.item(i).data(Qt.UserRole) for i in range(self.children.count()))

    def snapshot(self) -> object:
        return (self.form.values(), self.village.currentData(), self.child_uuids())

    def clear_errors(self) -> None:
        self.banner.show_message(None)
        self.form.clear_errors()

    def set_saving(self, saving: bool) -> None:
        super().set_saving(saving)
        self.save_button.setEnabled(not saving)

    def operation(self):
        values = self.form.values()
        village = self.village.currentData()
        kids = self.child_uuids()
        service = self.ws.activities
        if self.activity is None:
            return lambda: service.create(values, village=village, children=kids)
        uuid = self.activity.uuid
        return lambda: service.update(uuid, values, village=village or "", children=kids)

    def changes(self, result) -> Changes:
        return Changes(work=True)

    def show_error(self, e: WeibaoError) -> None:
        if e.field == "village":
            self.banner.show_message(e.message)
            return
        show_error(e, [self.form], self.banner)


class ActivitiesView(ListPage):
    title = "活动与服务"
    settings_key = "activities_view"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(ws.ctx.today().year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.filters.addWidget(QLabel("年度：", self))
        self.filters.addWidget(self.year)
        self.kind = QComboBox(self)
        self.kind.addItem("全部类型", None)
        for c in codes.ACTIVITY_KIND:
            self.kind.addItem(c.label, c.code)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.filters.addWidget(self.kind)
        self.filters.addStretch(1)
        self.add_button("登记活动", self.new_activity, "登记一次宣传、培训、家庭教育指导、儿童之家开放等活动")
        self.add_button("修改", self.edit_current, "修改选中的活动（或双击、回车）")
        self.attach_button = self.add_button("添加照片/签到表…", self.attach_current,
                                             "把签到表扫描件或活动照片（JPG、PNG、PDF）存入程序")
        self.print_button = self.add_button("打印签到表", self.print_current, "打印选中活动的签到表（已关联的儿童预先填好姓名）")
        self.delete_button = self.add_button("删除", self.delete_current)
        self.progress = QLabel(self)
        self.progress.setWordWrap(True)
        self.progress.setTextFormat(Qt.RichText)
        self.layout().insertWidget(1, self.progress)
        self.reload()

    def columns(self) -> list:
        return [
            ("日期", lambda r: r.held_on),
            ("时间", lambda r: f"{r.start_time}–{r.end_time}"),
            ("类型", lambda r: codes.ACTIVITY_KIND.label_of(r.kind)),
            ("村(社区)", lambda r: r.village),
            ("地点", lambda r: r.place),
            ("组织者", lambda r: r.organiser),
            ("儿童", lambda r: r.children_count),
            ("家长", lambda r: r.parents_count),
            ("附件", lambda r: len(r.attachments) or ""),
            ("活动内容", lambda r: r.content),
        ]

    def query(self):
        return (self.year.value(), self.kind.currentData())

    def fetch(self, query, offset: int, limit: int):
        year, kind = query
        return self.ws.activities.page(year=year, kind=kind, offset=offset, limit=limit)

    def refresh(self) -> None:
        super().refresh()
        self._show_progress()

    def reload(self) -> None:
        super().reload()
        self._show_progress()

    def _show_progress(self) -> None:
        activities = self.ws.activities
        self.tasks.run(lambda _p, _c: activities.progress(), on_done=self._progress_shown,
                       on_error=lambda e: self.banner.show_message(error_text(e)))

    def _progress_shown(self, progress) -> None:
        lines = [f"<span style='color:{'#2E7D32' if met else '#C62828'}'>{'✓' if met else '✗'}</span> {text}"
                 for text, met in progress.lines]
        self.progress.setText("<br>".join(lines))

    def new_activity(self) -> None:
        if ActivityDialog(self.ws, self.tasks, self).exec() == QDialog.Accepted:
            self.tell("活动已登记。")
            self.refresh()

    def activate(self, row) -> None:
        if ActivityDialog(self.ws, self.tasks, self, row).exec() == QDialog.Accepted:
            self.refresh()

    def attach_current(self) -> None:
        row = self.current()
        if row is None:
            self.tell("请先在列表中选中一次活动。")
            return
        path, _kind = QFileDialog.getOpenFileName(self, "选择签到表扫描件或活动照片", str(work_folder()),
                                                  "照片或 PDF (*.jpg *.jpeg *.png *.pdf)")
        if not path:
            return
        activities, uuid = self.ws.activities, row.uuid
        run_operation(self.tasks, lambda: activities.attach(uuid, path), Changes(work=True), parent=self,
                      on_done=lambda att: (self.tell(f"已保存附件“{att.file_name}”。"), self.refresh()),
                      on_error=lambda e: self.banner.show_message(error_text(e)))

    def print_current(self) -> bool:
        row = self.current()
        if row is None:
            self.tell("请先在列表中选中一次活动。")
            return False
        self.preview = print_sign_in(self, self.ws, self.tasks, row.uuid)
        return self.preview is not None

    def delete_current(self) -> None:
        row = self.current()
        if row is None:
            return
        if QMessageBox.question(self, "删除活动", f"删除 {row.held_on:%Y-%m-%d} 的“{row.place}”活动记录？") \
                != QMessageBox.Yes:
            return
        activities, uuid = self.ws.activities, row.uuid
        run_operation(self.tasks, lambda: activities.delete(uuid), Changes(work=True), parent=self,
                      on_done=lambda _r: (self.tell("已删除。"), self.refresh()),
                      on_error=lambda e: self.banner.show_message(error_text(e)))

    def shows(self, changes: Changes) -> bool:
        return changes.work or changes.settings


class StaffDialog(SavingDialog):
    """添加 or 修改 a roster member, with the villages they serve."""

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None, member=None):
        super().__init__(ws, tasks, parent)
        self.member = member
        self.setWindowTitle("添加人员" if member is None else f"修改：{member.name}")
        lay = QVBoxLayout(self)
        self.form = FieldForm(specs("staff_member", *_STAFF_FIELDS), self, today=ws.ctx.today, columns=2)
        lay.addWidget(self.form)
        box = QGroupBox("负责的村(社区)（儿童主任必选）", self)
        grid = QGridLayout(box)
        self.village_boxes: dict[str, QCheckBox] = {}
        for i, name in enumerate(_village_names(ws)):
            check = QCheckBox(name, box)
            check.setChecked(member is not None and name in member.villages)
            grid.addWidget(check, i // 4, i % 4)
            self.village_boxes[name] = check
        lay.addWidget(box)
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
        if member is not None:
            self.form.set_values({n: getattr(member, n) for n in _STAFF_FIELDS})
        else:
            self.form.set_values({"role": "director"})
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)

    def villages(self) -> tuple[str, ...]:
        return tuple(name for name, box in self.village_boxes.items() if box.isChecked())

    def snapshot(self) -> object:
        return (self.form.values(), self.villages())

    def clear_errors(self) -> None:
        self.banner.show_message(None)
        self.form.clear_errors()

    def set_saving(self, saving: bool) -> None:
        super().set_saving(saving)
        self.save_button.setEnabled(not saving)

    def operation(self):
        values, villages, staff = self.form.values(), self.villages(), self.ws.staff
        if self.member is None:
            return lambda: staff.add(values, villages=villages)
        uuid = self.member.uuid
        return lambda: staff.update(uuid, values, villages=villages)

    def changes(self, result) -> Changes:
        return Changes(work=True)

    def show_error(self, e: WeibaoError) -> None:
        show_error(e, [self.form], self.banner)


class TrainingDialog(SavingDialog):
    def __init__(self, ws, tasks: Tasks, member, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.member = member
        self.setWindowTitle(f"登记培训：{member.name}")
        lay = QVBoxLayout(self)
        self.form = FieldForm(specs("staff_training", *_TRAINING_FIELDS), self, today=ws.ctx.today, columns=1)
        self.form.editor("hours").setPlaceholderText("如 3 或 1.5")
        lay.addWidget(self.form)
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
        self.form.set_values({"held_on": ws.ctx.today()})

    def snapshot(self) -> object:
        return self.form.values()

    def clear_errors(self) -> None:
        self.banner.show_message(None)
        self.form.clear_errors()

    def operation(self):
        values, staff, uuid = self.form.values(), self.ws.staff, self.member.uuid
        return lambda: staff.add_training(uuid, values)

    def changes(self, result) -> Changes:
        return Changes(work=True)

    def show_error(self, e: WeibaoError) -> None:
        show_error(e, [self.form], self.banner)


class StaffView(ListPage):
    title = "儿童主任名册"
    settings_key = "staff_view"
    page_size = 500

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.include_left = QCheckBox("包括已离任", self)
        self.include_left.toggled.connect(lambda _on: self.reload())
        self.filters.addWidget(self.include_left)
        self.filters.addStretch(1)
        self.add_button("添加人员", self.new_member, "添加儿童主任、儿童督导员或第一报告人")
        self.add_button("修改", self.edit_current, "修改选中的人员（或双击、回车）")
        self.add_button("登记培训", self.add_training, "为选中的人员登记一次培训")
        self.gaps = QLabel(self)
        self.gaps.setWordWrap(True)
        self.gaps.setStyleSheet("color: #C62828;")
        self.layout().insertWidget(1, self.gaps)
        self.reload()

    def columns(self) -> list:
        return [
            ("姓名", lambda r: r.name),
            ("职务", lambda r: codes.STAFF_ROLE.label_of(r.role)),
            ("负责村(社区)", lambda r: "、".join(r.villages)),
            ("性别", lambda r: codes.SEX.label_of(r.sex) if r.sex else ""),
            ("联系电话", lambda r: r.phone),
            ("任职日期", lambda r: r.appointed_on),
            ("社工证", lambda r: codes.SOCIAL_WORK_CERT.label_of(r.social_work_cert) if r.social_work_cert else ""),
            ("培训", lambda r: f"{len(r.trainings)} 次 / {r.training_hours:g} 学时" if r.trainings else "未登记"),
            ("离任日期", lambda r: r.left_on),
        ]

    def query(self):
        return self.include_left.isChecked()

    def fetch(self, include_left: bool, offset: int, limit: int):
        from ..services.dto import Page

        staff = self.ws.staff
        rows = staff.roster(include_left=include_left)
        return Page(rows[offset:offset + limit], len(rows), offset, limit), staff.villages_without_director()

    def _show_page(self, page_and_gaps) -> None:
        page, gaps = page_and_gaps
        super()._show_page(page)
        self.gaps.setText(f"以下村(社区)还没有儿童主任：{'、'.join(gaps)}（每个村(社区)至少设立一名）" if gaps else "")
        self.gaps.setVisible(bool(gaps))

    def new_member(self) -> None:
        if StaffDialog(self.ws, self.tasks, self).exec() == QDialog.Accepted:
            self.tell("已添加。")
            self.refresh()

    def activate(self, row) -> None:
        if StaffDialog(self.ws, self.tasks, self, row).exec() == QDialog.Accepted:
            self.refresh()

    def add_training(self) -> None:
        row = self.current()
        if row is None:
            self.tell("请先在列表中选中一名人员。")
            return
        if TrainingDialog(self.ws, self.tasks, row, self).exec() == QDialog.Accepted:
            self.tell(f"已为{row.name}登记培训。")
            self.refresh()

    def shows(self, changes: Changes) -> bool:
        return changes.work or changes.settings


__all__ = ["ActivitiesView", "ActivityDialog", "StaffDialog", "StaffView", "TrainingDialog"]
