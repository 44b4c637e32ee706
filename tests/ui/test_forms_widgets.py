"""The shared editors, driven by the keyboard as a station worker would."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from ui_typing import type_text

from weibao_desktop.domain import codes as C
from weibao_desktop.domain import fields as F
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.ui.editors import CodeCombo, MultiCodeBox, OptionalDateEdit
from weibao_desktop.ui.forms import FieldForm

TODAY = dt.date(2024, 6, 14)


def test_date_edit_understands_what_people_type_and_can_be_empty(qtbot):
    edit = OptionalDateEdit(today=lambda: TODAY)
    qtbot.addWidget(edit)
    assert edit.date() is None and edit.value() is None and edit.is_valid()
    type_text(edit, "2015年3月1日")
    edit.edit.editingFinished.emit()
    assert edit.date() == dt.date(2015, 3, 1)
    assert edit.edit.text() == "2015-03-01"
    edit.clear()
    qtbot.keyClicks(edit.edit, "20150229")
    assert not edit.is_valid() and edit.date() is None
    assert edit.value() == "20150229"  # handed on as typed, so the service can say what is wrong


def test_date_edit_arrow_keys_step_days_and_months(qtbot):
    edit = OptionalDateEdit(today=lambda: TODAY)
    qtbot.addWidget(edit)
    qtbot.keyClick(edit.edit, Qt.Key_Up)
    assert edit.date() == TODAY
    qtbot.keyClick(edit.edit, Qt.Key_Down)
    assert edit.date() == dt.date(2024, 6, 13)
    edit.set_date(dt.date(2024, 1, 31))
    qtbot.keyClick(edit.edit, Qt.Key_PageUp)
    assert edit.date() == dt.date(2024, 2, 29)


def test_datetime_edit_keeps_the_time(qtbot):
    edit = OptionalDateEdit(with_time=True)
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit.edit, "2024-06-01 09:30")
    assert edit.datetime() == dt.datetime(2024, 6, 1, 9, 30)
    edit.set_date(dt.datetime(2024, 6, 2, 8, 5))
    assert edit.edit.text() == "2024-06-02 08:05"


def test_code_combo_and_multi_box_speak_labels_and_hold_codes(qtbot):
    combo = CodeCombo(C.VISIT_MODE, allow_empty=True)
    qtbot.addWidget(combo)
    assert combo.code() is None and combo.currentText() == ""
    combo.set_code("电话")  # a label is understood too
    assert combo.code() == "phone" and combo.currentText() == "电话"
    box = MultiCodeBox(C.INCOME_SOURCE)
    qtbot.addWidget(box)
    box.set_codes("work,relatives")
    assert box.codes() == ["work", "relatives"]
    box.boxes["farming"].click()
    assert set(box.codes()) == {"work", "relatives", "farming"}


def test_field_form_round_trips_values_and_shows_an_error_by_its_field(qtbot):
    form = FieldForm(F.VISIT, today=lambda: TODAY)
    qtbot.addWidget(form)
    form.show()
    form.set_values({"visited_on": dt.date(2024, 6, 1), "visitors": "王五", "mode": "home", "living": "正常"})
    values = form.values()
    assert values["visited_on"] == dt.date(2024, 6, 1)
    assert values["visitors"] == "王五" and values["mode"] == "home" and values["living"] == "正常"
    assert form.show_error(WeibaoError("请填写走访人", "visitors"))
    assert form.field_error("visitors") == "请填写走访人"
    assert form.editor("visitors").hasFocus() or form.editor("visitors").property("invalid")
    type_text(form.editor("visitors"), "、赵六")
    assert form.field_error("visitors") is None  # typing clears the complaint
    assert not form.show_error(WeibaoError("找不到该走访记录", "uuid"))
