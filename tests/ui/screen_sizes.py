"""Every top-level window and dialog of the program, built on a store, for the fits-the-screen checks
(tests/ui/test_screens.py, in this process and under simulated screens in a subprocess)."""
from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

from weibao_desktop.services.dto import ChildQuery

# The two screens a station's computer has: a 1366×768 laptop at 100 % and a 1920×1080 screen at 150 %
# (1280×720 in Qt's logical pixels), each less a 40-pixel taskbar (27 logical pixels at 150 %).
SCREENS = {
    "1366x768@100%": QRect(0, 0, 1366, 768 - 40),
    "1920x1080@150%": QRect(0, 0, 1280, 720 - 27),
}


def windows(ws, tasks) -> Iterator[tuple[str, QWidget]]:
    """(name, window) for each top-level window and dialog; the caller closes and deletes each."""
    from weibao_desktop.ui.assessment_dialog import AssessmentDialog
    from weibao_desktop.ui.casework_dialogs import (
        CategoryDialog,
        HelpDialog,
        PersonDialog,
        ReferralDialog,
        ReliefDialog,
        VisitDialog,
    )
    from weibao_desktop.ui.child_file import ChildFile
    from weibao_desktop.ui.child_form import ChildForm
    from weibao_desktop.ui.child_picker import ChildPicker
    from weibao_desktop.ui.close_file_dialog import CloseFileDialog
    from weibao_desktop.ui.clue_from_call import ClueFromCallDialog
    from weibao_desktop.ui.clues_view import ClueDialog
    from weibao_desktop.ui.hotline_view import CallDialog
    from weibao_desktop.ui.main_window import MainWindow
    from weibao_desktop.ui.print_actions import PrintPreviewDialog, RoundDialog

    [child_id] = ws.children.search_ids(ChildQuery(), limit=1)
    uuid = ws.children.rows([child_id])[0].uuid
    detail = ws.children.get(uuid)
    call = ws.hotline.log({"caller": "来电人", "content": "反映情况"})
    yield "主窗口", MainWindow(ws, tasks)
    yield "新建档案", ChildForm(ws, tasks, child_uuid=None)
    yield "编辑档案", ChildForm(ws, tasks, child_uuid=uuid)
    yield "儿童档案", ChildFile(ws, tasks, uuid)
    for name, cls in (("登记走访", VisitDialog), ("风险评估", AssessmentDialog), ("帮扶措施", HelpDialog),
                      ("转介", ReferralDialog), ("家庭成员", PersonDialog), ("儿童类别", CategoryDialog),
                      ("救助", ReliefDialog)):
        yield name, cls(ws, tasks, uuid)
    yield "销档", CloseFileDialog(ws, tasks, detail)
    yield "选择儿童", ChildPicker(ws, tasks=tasks)
    yield "登记来电", CallDialog(ws, tasks)
    yield "受理线索", ClueDialog(ws, tasks)
    yield "转为强制报告线索", ClueFromCallDialog(ws, tasks, ws.hotline.page().rows[0] if call else None)
    yield "打印走访任务单", RoundDialog(ws)
    yield "打印预览", PrintPreviewDialog(ws, tasks, ws.printing.visit_sheet(child=uuid, blank=True))
