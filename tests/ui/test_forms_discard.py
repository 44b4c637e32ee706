"""Forms never lose work silently: Escape, 取消 or closing the window with unsaved changes asks 放弃修改？,
an untouched form closes without asking, and an empty visit is refused with the reason."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_typing import choose, show_active, type_text

from weibao_desktop.domain.visits import NO_OBSERVATION
from weibao_desktop.ui.casework_dialogs import HelpDialog, PersonDialog, ReliefDialog, VisitDialog
from weibao_desktop.ui.child_form import ChildForm
from weibao_desktop.ui.clues_view import ClueDialog
from weibao_desktop.ui.forms import DISCARD_TITLE
from weibao_desktop.ui.hotline_view import CallDialog


def escape(qtbot, dialog) -> None:
    qtbot.keyClick(dialog, Qt.Key_Escape)


def cancel(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)


def close_window(qtbot, dialog) -> None:
    dialog.close()


@pytest.mark.parametrize("leave", [escape, cancel, close_window], ids=["Escape", "取消", "关闭窗口"])
def test_a_half_filled_visit_asks_before_it_is_thrown_away(qtbot, ws, tasks, make_child, answers, leave):
    child = make_child(name="何小草")
    dialog = show_active(qtbot, VisitDialog(ws, tasks, child.uuid))
    type_text(dialog.texts.editor("living"), "祖母照料")
    answers.discard(False)  # 继续填写
    leave(qtbot, dialog)
    assert answers.titles("box") == [DISCARD_TITLE]
    assert dialog.isVisible() and dialog.texts.value("living") == "祖母照料"
    answers.discard(True)  # 放弃修改
    leave(qtbot, dialog)
    assert not dialog.isVisible() and dialog.result() == QDialog.Rejected
    assert ws.visits.for_child(child.uuid) == []


def test_an_untouched_form_closes_without_asking(qtbot, ws, tasks, make_child, answers):
    child = make_child(name="何小草")
    for dialog in (VisitDialog(ws, tasks, child.uuid), ChildForm(ws, tasks, child_uuid=child.uuid),
                   ClueDialog(ws, tasks), CallDialog(ws, tasks)):
        show_active(qtbot, dialog)
        escape(qtbot, dialog)
        assert not dialog.isVisible()
    assert answers.titles("box") == []


def test_every_casework_form_asks(qtbot, ws, tasks, make_child, answers):
    child = make_child(name="何小草")
    forms = [
        (ChildForm(ws, tasks, child_uuid=child.uuid), lambda d: type_text(d.basic.editor("notes"), "补充")),
        (ChildForm(ws, tasks), lambda d: type_text(d.basic.editor("name"), "新儿童")),
        (HelpDialog(ws, tasks, child.uuid), lambda d: type_text(d.form.editor("description"), "每周探访")),
        (PersonDialog(ws, tasks, child.uuid), lambda d: type_text(d.form.editor("name"), "何大山")),
        (ReliefDialog(ws, tasks, child.uuid), lambda d: choose(d.form.editor("kind"), "临时救助")),
        (ClueDialog(ws, tasks), lambda d: type_text(d.form.editor("child_name"), "某儿童")),
        (CallDialog(ws, tasks), lambda d: type_text(d.form.editor("caller"), "李女士")),
    ]
    for dialog, change in forms:
        show_active(qtbot, dialog)
        change(dialog)
        answers.discard(False)
        escape(qtbot, dialog)
        assert dialog.isVisible(), type(dialog).__name__
    assert answers.titles("box") == [DISCARD_TITLE] * len(forms)


def test_an_empty_visit_is_refused_and_a_reason_for_not_seeing_the_child_counts(qtbot, ws, tasks, make_child):
    child = make_child(name="何小草")
    dialog = show_active(qtbot, VisitDialog(ws, tasks, child.uuid))
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.isVisible() and dialog.texts.field_error("living") == NO_OBSERVATION
    assert ws.visits.for_child(child.uuid) == []
    type_text(dialog.texts.editor("problems"), "未见到儿童，家中无人，已电话联系其祖母")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    [visit] = ws.visits.for_child(child.uuid)
    assert visit.problems.startswith("未见到儿童")
