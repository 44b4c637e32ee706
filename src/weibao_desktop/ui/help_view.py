"""帮扶与转介: the station's help measures and referrals with their state; new ones, state changes."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QTabWidget, QVBoxLayout, QWidget

from ..domain import codes
from . import print_actions
from .casework_dialogs import HelpDialog, ReferralDialog
from .list_page import ListPage
from .looks import FINISHED_TEXT
from .operations import Changes
from .page import BasePage


class HelpList(ListPage):
    settings_key = "help_view/help"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.open_only = QCheckBox("只看进行中", self)
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.filters.addWidget(self.open_only)
        self.filters.addStretch(1)
        self.add_button("登记帮扶措施", self.new_help, "为一名儿童登记帮扶措施（选择儿童后填写）")
        self.add_button("修改 / 结束", self.edit_current, "修改选中的帮扶措施，或把状态改为已完成（或双击、回车）")
        self.add_button("打开档案", self.open_current_child)

    def columns(self) -> list:
        return [
            ("开始日期", lambda r: r.started_on),
            ("儿童", lambda r: r.child_name),
            ("帮扶措施", lambda r: codes.HELP_KIND.label_of(r.kind)),
            ("责任人", lambda r: r.responsible),
            ("状态", lambda r: codes.HELP_STATE.label_of(r.state)),
            ("结束日期", lambda r: r.ended_on),
            ("具体内容", lambda r: r.description),
            ("帮扶成效", lambda r: r.result),
        ]

    def row_colour(self, row) -> str | None:
        return FINISHED_TEXT if row.state != "open" else None

    def query(self) -> bool:
        return self.open_only.isChecked()

    def fetch(self, open_only: bool, offset: int, limit: int):
        return self.ws.help.page(open_only=open_only, offset=offset, limit=limit)

    def new_help(self) -> None:
        self.new_for_child("为哪名儿童登记帮扶措施？", HelpDialog)

    def activate(self, row) -> None:
        if HelpDialog(self.ws, self.tasks, row.child_uuid, self, record_uuid=row.uuid).exec() == QDialog.Accepted:
            self.refresh()


class ReferralList(ListPage):
    settings_key = "help_view/referrals"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.open_only = QCheckBox("只看未办结（已转介、已接收）", self)
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.filters.addWidget(self.open_only)
        self.filters.addStretch(1)
        self.add_button("登记转介", self.new_referral, "为一名儿童登记转介（选择儿童后填写）")
        self.add_button("反馈 / 改状态", self.edit_current, "记录接收方反馈，改为已接收、已办结或退回（或双击、回车）")
        self.add_button("打开档案", self.open_current_child)
        self.add_button("打印转介单…", self.print_current, "转介单（预览后打印或保存为 PDF）")

    def print_current(self) -> bool:
        row = self.current()
        if row is None:
            return False
        return print_actions.print_referral(self, self.ws, self.tasks, row.uuid) is not None

    def columns(self) -> list:
        return [
            ("转介日期", lambda r: r.referred_on),
            ("儿童", lambda r: r.child_name),
            ("转介对象", lambda r: codes.REFERRAL_TARGET.label_of(r.target)),
            ("接收单位", lambda r: r.target_name),
            ("状态", lambda r: codes.REFERRAL_STATE.label_of(r.state)),
            ("状态日期", lambda r: r.state_on),
            ("来源", lambda r: "强制报告线索" if r.clue_uuid and not r.child_uuid else "儿童档案"),
            ("转介原因", lambda r: r.reason),
            ("反馈情况", lambda r: r.feedback),
        ]

    def row_colour(self, row) -> str | None:
        if row.state == "returned":
            return codes.COLOUR_RGB["red"]
        return FINISHED_TEXT if row.state == "done" else None

    def query(self) -> bool:
        return self.open_only.isChecked()

    def fetch(self, open_only: bool, offset: int, limit: int):
        return self.ws.referrals.page(open_only=open_only, offset=offset, limit=limit)

    def new_referral(self) -> None:
        self.new_for_child("为哪名儿童登记转介？", ReferralDialog)

    def activate(self, row) -> None:
        dialog = ReferralDialog(self.ws, self.tasks, row.child_uuid, self, record_uuid=row.uuid, clue_uuid=row.clue_uuid)
        if dialog.exec() == QDialog.Accepted:
            self.refresh()


class HelpView(BasePage):
    title = "帮扶与转介"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self.helps = HelpList(ws, tasks, self)
        self.referrals = ReferralList(ws, tasks, self)
        self.tabs.addTab(self.helps, "帮扶措施")
        self.tabs.addTab(self.referrals, "转介")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)
        for page in (self.helps, self.referrals):
            page.open_child.connect(self.open_child)
        self.refresh()

    def refresh(self) -> None:
        self.helps.refresh()
        self.referrals.refresh()

    def shows(self, changes: Changes) -> bool:
        return changes.help or changes.any_child

    def print_current(self) -> bool:
        return self.tabs.currentWidget() is self.referrals and self.referrals.print_current()


__all__ = ["HelpView", "HelpList", "ReferralList"]
