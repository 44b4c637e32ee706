"""12345 热线工单: a call from 12345 carries its work order's number and deadline, and the dashboard names the
orders about to run out."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE
from weibao_desktop.domain.errors import WeibaoError

NOW = dt.datetime.combine(FIXED_DATE, dt.time(9, 0))


def order(**overrides) -> dict:
    values = {"call_at": NOW - dt.timedelta(days=2), "source": "12345", "order_no": "12345-2024060417",
              "due_at": NOW + dt.timedelta(days=1), "content": "群众反映儿童无人照看"}
    return {**values, **overrides}


def test_a_work_order_due_soon_is_named_on_the_dashboard_until_done(ws):
    call = ws.hotline.log(order())
    assert (call.source, call.order_no, call.due_at) == ("12345", "12345-2024060417", NOW + dt.timedelta(days=1))
    ws.hotline.log(order(order_no="12345-later", due_at=NOW + dt.timedelta(days=10)))
    ws.hotline.log({"call_at": NOW, "content": "咨询政策"})  # the station's own hotline: no work order
    assert [c.order_no for c in ws.hotline.work_orders_due()] == ["12345-2024060417"]
    assert any("12345热线工单1件两天内到期：12345-2024060417" in r for r in ws.stats.reminders())
    ws.hotline.update(call.uuid, {"state": "已办结"})
    assert ws.hotline.work_orders_due() == []


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"order_no": None}, "order_no", "请填写工单号"),
    ({"due_at": NOW - dt.timedelta(days=3)}, "due_at", "不能早于来电时间"),
    ({"source": "微博"}, "source", "不在可选范围内"),
])
def test_a_work_order_without_its_number_or_with_an_impossible_deadline_is_refused(ws, values, field, words):
    with pytest.raises(WeibaoError) as e:
        ws.hotline.log(order(**values))
    assert e.value.field == field and words in e.value.message
    assert ws.hotline.page().total == 0


def test_the_hotline_ledger_carries_the_work_order(ws, tmp_path):
    import openpyxl

    ws.hotline.log(order())
    rows = list(openpyxl.load_workbook(ws.ledger.export("hotline", tmp_path / "h.xlsx").path).worksheets[0]
                .iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "序号")
    cell = dict(zip(header, next(r for r in rows if r[0] == 1), strict=False))
    assert cell["来电渠道"] == "12345热线工单" and cell["工单号"] == "12345-2024060417"
