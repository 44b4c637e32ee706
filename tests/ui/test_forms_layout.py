"""Every dialog and page at its opening size shows every field whole: nothing cut off on the right, no label
shortened, the same at 100% as with a bigger font (what 200% scaling does to a layout)."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QComboBox, QLabel, QLineEdit, QPlainTextEdit

from factories import FIXED_DATE
from weibao_desktop.ui import casework_dialogs as D
from weibao_desktop.ui.child_form import ChildForm
from weibao_desktop.ui.clues_view import ClueDialog, CluesView
from weibao_desktop.ui.hotline_view import CallDialog

EDITORS = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractButton, QLabel)


def clipped(top) -> list[str]:
    """Visible editors and labels that do not fit inside their window or scroll area, or are squeezed."""
    problems = []
    for w in (c for cls in EDITORS for c in top.findChildren(cls)):
        if not w.isVisibleTo(top) or w.width() <= 1:
            continue
        frame = top
        p = w.parentWidget()
        while p is not None and p is not top:
            if isinstance(p.parentWidget(), QAbstractScrollArea):
                frame = p.parentWidget()  # inside a scroll area only the horizontal fit matters
                break
            p = p.parentWidget()
        rect = QRect(w.mapTo(frame, w.rect().topLeft()), w.size())
        bounds = frame.rect() if frame is top else frame.viewport().rect()
        if rect.right() > bounds.right() + 1:
            problems.append(f"{type(w).__name__} {_name(w)} ends at {rect.right()} > {bounds.right()}")
        if isinstance(w, QLabel) and not w.wordWrap() and w.text() and w.sizeHint().width() > w.width() + 2:
            problems.append(f"label {w.text()!r} squeezed to {w.width()} < {w.sizeHint().width()}")
    return problems


def _name(w) -> str:
    return repr(getattr(w, "text", lambda: "")() or w.accessibleName() or w.objectName())


@pytest.fixture(params=[1.0, 1.6], ids=["100%", "big-font"])
def font_scale(request, qapp):
    original = QFont(qapp.font())
    if request.param != 1.0:
        bigger = QFont(original)
        bigger.setPointSizeF(original.pointSizeF() * request.param)
        qapp.setFont(bigger)
    yield request.param
    qapp.setFont(original)


@pytest.fixture
def child(ws, make_child):
    c = make_child(name="李小花")
    ws.referrals.add({"target": "police", "referred_on": FIXED_DATE}, child_key=c.uuid)
    return ws.children.get(c.uuid)


def dialogs(ws, tasks, child):
    ref = ws.referrals.for_child(child.uuid)[0]
    clue = ws.clues.receive({"child_name": "赵某", "source": "public", "content": "有儿童在集市乞讨",
                             "received_at": dt.datetime(2024, 6, 12, 11, 0)})
    yield "child form", ChildForm(ws, tasks)
    yield "child form (edit)", ChildForm(ws, tasks, child_uuid=child.uuid)
    yield "visit", D.VisitDialog(ws, tasks, child.uuid)
    a = D.AssessmentDialog(ws, tasks, child.uuid)
    a.colour_combo.set_code("red")
    a.red_referral.click()
    yield "assessment (red)", a
    yield "help", D.HelpDialog(ws, tasks, child.uuid)
    yield "referral", D.ReferralDialog(ws, tasks, child.uuid, record_uuid=ref.uuid)
    yield "person", D.PersonDialog(ws, tasks, child.uuid)
    yield "category", D.CategoryDialog(ws, tasks, child.uuid)
    yield "relief", D.ReliefDialog(ws, tasks, child.uuid)
    yield "picker", D.ChildPicker(ws)
    yield "clue", ClueDialog(ws, tasks, clue_uuid=clue.uuid)
    yield "call", CallDialog(ws, tasks)


def test_every_dialog_fits_at_its_opening_size(qtbot, ws, tasks, child, font_scale, monkeypatch):
    # The layouts themselves, at their opening size: the offscreen test screen is 800 px wide, which no station
    # has, so the screen fitting an earlier test installed on the application is kept out of it here
    # (tests/ui/test_screens.py checks the fitting on 1366×768 and 1920×1080 at 150 %).
    from weibao_desktop.ui import screens

    monkeypatch.setattr(screens, "fit_window", lambda widget, available=None: None)
    found = {}
    for name, dialog in dialogs(ws, tasks, child):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(1)
        if name == "child form":
            for i in range(dialog.tabs.count()):
                dialog.tabs.setCurrentIndex(i)
                qtbot.wait(1)
                found.update({f"{name} tab {i}": p for p in clipped(dialog)})
        problems = clipped(dialog)
        if problems:
            found[name] = problems
        dialog.close()
    assert found == {}


def test_the_clue_page_fits_beside_its_list(qtbot, ws, tasks, font_scale):
    ws.clues.receive({"child_name": "赵某", "source": "public", "content": "有儿童在集市乞讨",
                      "received_at": dt.datetime(2024, 6, 12, 11, 0)})
    view = CluesView(ws, tasks)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.list.table.selectRow(0)
    qtbot.wait(1)
    assert view.steps.next_box.isVisible()
    assert clipped(view.steps) == []
