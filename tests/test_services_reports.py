"""强制报告线索 (受理 → 调查 → 处置 → 反馈) and the hotline log."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE, RARE_NAME
from weibao_desktop.services import WeibaoError

T = dt.datetime
RECEIVED = T(2024, 6, 12, 9, 0)


def clue_values(**extra):
    return {"child_name": "吴嘉乐", "received_at": RECEIVED, "source": "村(居)委会报告", "content": "长期无人照料", **extra}


@pytest.fixture
def clue(ws):
    return ws.clues.receive(clue_values())


def test_a_clue_is_logged_even_before_the_child_has_a_file(ws, clue):
    assert (clue.state, clue.child_uuid, clue.child_name, clue.received_by) == ("received", None, "吴嘉乐", "操作人姓名")
    assert [c.uuid for c in ws.clues.page(open_only=True).rows] == [clue.uuid]


def test_a_clue_needs_the_childs_name_or_file_and_what_was_reported(ws, db):
    with pytest.raises(WeibaoError) as e:
        ws.clues.receive(clue_values(child_name=None))
    assert "请填写涉及儿童的姓名" in e.value.message
    with pytest.raises(WeibaoError) as e:
        ws.clues.receive(clue_values(content="  "))
    assert "请填写线索内容" in e.value.message
    assert db.count(ws.store, "report_clue") == 0


def test_a_clue_about_a_child_with_a_file_takes_the_name_from_the_file(ws, make_child):
    child = make_child(name=RARE_NAME)
    c = ws.clues.receive(clue_values(child_name=None), child_key=child.uuid)
    assert (c.child_uuid, c.child_name) == (child.uuid, RARE_NAME)


def test_a_clue_can_be_linked_to_a_file_opened_later(ws, clue, make_child):
    child = make_child(name="吴嘉乐")
    linked = ws.clues.link_child(clue.uuid, child.uuid)
    assert (linked.child_uuid, linked.child_name) == (child.uuid, "吴嘉乐")


def test_a_clue_moves_through_the_steps_in_order_with_time_and_who(ws, clue, as_user):
    a = ws.clues.advance(clue.uuid, "调查", "入户核实", at=T(2024, 6, 12, 14, 0))
    assert (a.state, a.investigated_by) == ("investigating", "操作人姓名")
    b = as_user("王站长").clues.advance(clue.uuid, "handling", "安排临时照料", at=T(2024, 6, 13, 8, 0))
    assert (b.state, b.handled_by, b.handling) == ("handling", "王站长", "安排临时照料")
    c = ws.clues.advance(clue.uuid, "反馈", "已向县民政局反馈", at=T(2024, 6, 13, 17, 0), by="李主任")
    assert (c.state, c.feedback_at, c.feedback_by) == ("closed", T(2024, 6, 13, 17, 0), "李主任")
    assert ws.clues.page(open_only=True).rows == []
    assert ws.clues.page().total == 1


@pytest.mark.parametrize(
    "steps_done, step, words",
    [
        ([], "处置", "线索当前为“受理”，下一步应为“调查”"),
        ([], "反馈", "下一步应为“调查”"),
        (["调查"], "调查", "下一步应为“处置”"),
        (["调查", "处置"], "调查", "下一步应为“反馈”"),
        (["调查", "处置", "反馈"], "反馈", "线索当前为“反馈”"),
        ([], "受理", "线索只能进入：调查、处置、反馈"),
        ([], "结案归档", "线索只能进入"),
    ],
)
def test_steps_cannot_be_skipped_repeated_or_taken_back(ws, clue, db, steps_done, step, words):
    at = RECEIVED
    for s in steps_done:
        at += dt.timedelta(hours=1)
        ws.clues.advance(clue.uuid, s, f"{s}情况", at=at)
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.clues.advance(clue.uuid, step, "情况", at=at + dt.timedelta(hours=1))
    assert words in e.value.message
    assert db.snapshot(ws.store) == before


def test_a_step_cannot_be_dated_before_the_previous_one(ws, clue, db):
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.clues.advance(clue.uuid, "调查", "入户核实", at=RECEIVED - dt.timedelta(minutes=1))
    assert "调查时间不能早于上一步的时间" in e.value.message
    assert db.snapshot(ws.store) == before


def test_a_step_needs_what_was_done_and_cannot_be_in_the_future(ws, clue):
    with pytest.raises(WeibaoError) as e:
        ws.clues.advance(clue.uuid, "调查", "   ", at=T(2024, 6, 12, 14, 0))
    assert "请填写调查情况" in e.value.message
    with pytest.raises(WeibaoError) as e:
        ws.clues.advance(clue.uuid, "调查", "入户核实", at=T(2024, 6, 15, 9, 0))
    assert "不能晚于今天" in e.value.message
    assert ws.clues.get(clue.uuid).state == "received"


def test_each_step_is_in_the_change_history(ws, clue, db):
    ws.clues.advance(clue.uuid, "调查", "入户核实", at=T(2024, 6, 12, 14, 0))
    rows = db.query(ws.store, "SELECT field, old_value, new_value, rev FROM change_log WHERE record_uuid = ?", clue.uuid)
    assert ("state", "received", "investigating", 2) in rows
    assert ("investigation", None, "入户核实", 2) in rows


def test_without_a_time_given_steps_and_calls_are_stamped_on_the_workstations_today(ws):
    # The clock of a workstation is the one the program goes by (tests, demo data, a PC whose date is set by hand).
    c = ws.clues.receive({"child_name": "吴嘉乐", "source": "热线来电", "content": "无人照料"})
    assert c.received_at.date() == FIXED_DATE
    a = ws.clues.advance(c.uuid, "调查", "入户核实")
    assert a.investigated_at.date() == FIXED_DATE
    call = ws.hotline.log({"content": "咨询政策"})
    assert call.call_at.date() == FIXED_DATE and call.handled_by == "操作人姓名"


# hotline

def call_values(**extra):
    return {"call_at": T(2024, 6, 13, 20, 15), "caller": "匿名", "content": "邻居家孩子常被打", **extra}


def test_calls_are_listed_newest_first_and_can_be_closed(ws):
    a = ws.hotline.log(call_values(call_at=T(2024, 6, 10, 8, 0), content="咨询低保政策"))
    b = ws.hotline.log(call_values())
    assert [c.uuid for c in ws.hotline.page().rows] == [b.uuid, a.uuid]
    done = ws.hotline.update(a.uuid, {"state": "已办结", "handling": "已解答"})
    assert (done.state, done.handling) == ("done", "已解答")


def test_a_call_needs_its_content_and_a_sensible_phone_number(ws, db):
    with pytest.raises(WeibaoError) as e:
        ws.hotline.log(call_values(content=""))
    assert "请填写来电内容" in e.value.message
    with pytest.raises(WeibaoError) as e:
        ws.hotline.log(call_values(caller_phone="12345"))
    assert "来电号码" in e.value.message
    assert db.count(ws.store, "hotline_call") == 0


def test_a_call_becomes_a_clue_once_linked_both_ways(ws, db):
    call = ws.hotline.log(call_values(caller_phone="13800138003"))
    clue = ws.hotline.to_clue(call.uuid, child_name="吴嘉乐")
    assert (clue.source, clue.reporter, clue.reporter_phone, clue.content, clue.received_at, clue.state) == (
        "hotline", "匿名", "13800138003", "邻居家孩子常被打", T(2024, 6, 13, 20, 15), "received")
    assert ws.hotline.page().rows[0].clue_uuid == clue.uuid
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.hotline.to_clue(call.uuid, child_name="吴嘉乐")
    assert "已转为强制报告线索" in e.value.message
    assert db.snapshot(ws.store) == before


def test_a_call_without_a_child_needs_a_name_to_become_a_clue(ws, db):
    call = ws.hotline.log(call_values())
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.hotline.to_clue(call.uuid)
    assert "请填写涉及儿童的姓名" in e.value.message
    assert db.snapshot(ws.store) == before


def test_a_call_becomes_a_clue_with_who_was_notified_when_and_who_received_it(ws):
    import datetime as dt

    from weibao_desktop.services.reports import Notified

    call = ws.hotline.log({"caller": "邻居", "content": "孩子晚上独自在家哭"})
    at = dt.datetime(2024, 6, 14, 10, 30)
    clue = ws.hotline.to_clue(call.uuid, "小明", situation="孩子连续三天独自在家",
                              notified=[Notified("police", at, "李警官"), Notified("procuratorate", at, "王检察官")])
    assert (clue.child_name, clue.source, clue.reported_to) == ("小明", "hotline", "police,procuratorate")
    assert clue.content == ("孩子连续三天独自在家\n已报告：公安 2024-06-14 10:30（接收人：李警官）；"
                            "检察院 2024-06-14 10:30（接收人：王检察官）。")


def test_a_call_to_clue_without_a_name_or_a_receiver_changes_nothing(ws):
    import datetime as dt

    import pytest

    from weibao_desktop.domain.errors import WeibaoError
    from weibao_desktop.services.reports import Notified

    call = ws.hotline.log({"caller": "邻居", "content": "孩子晚上独自在家哭"})
    with pytest.raises(WeibaoError, match="姓名"):
        ws.hotline.to_clue(call.uuid, "  ")
    with pytest.raises(WeibaoError, match="民政的接收人"):
        ws.hotline.to_clue(call.uuid, "小明", notified=[Notified("civil_affairs", dt.datetime(2024, 6, 14, 9), "")])
    assert ws.clues.page().total == 0 and ws.hotline.page().rows[0].clue_uuid is None


def test_a_call_to_clue_fills_the_report_columns(ws):
    """情形, 报案时间 (the earliest agency told), 接报单位 and 接报人 are the clue's own columns."""
    from weibao_desktop.services.reports import Notified

    call = ws.hotline.log({"caller": "邻居", "content": "孩子晚上独自在家哭"})
    early, late = dt.datetime(2024, 6, 14, 10, 30), dt.datetime(2024, 6, 14, 11, 5)
    clue = ws.hotline.to_clue(call.uuid, "小明", situations=["abandoned", "abuse"],
                              notified=[Notified("education", late, "赵老师"), Notified("police", early, "李警官")])
    assert (clue.situations, clue.reported_at, clue.reported_to) == ("abuse,abandoned", early, "police,education")
    assert clue.report_receiver == "教育 赵老师、公安 李警官"


def test_a_clue_records_its_report_and_receipt_and_the_rule_is_one_for_every_path(ws, clue, db):
    at = dt.datetime.combine(FIXED_DATE, dt.time(9, 0))
    done = ws.clues.update(clue.uuid, {"situations": "被组织乞讨、其他严重侵害或面临侵害危险", "reported_at": at,
                                       "reported_to": "公安", "report_receiver": "张警官",
                                       "receipt": "受案回执 第2024-0613号"})
    assert (done.situations, done.reported_at, done.reported_to, done.report_receiver, done.receipt) == (
        "begging,other_harm", at, "police", "张警官", "受案回执 第2024-0613号")
    before = db.snapshot(ws.store)
    # A receipt or a receiver without the office it came from is refused, on update and on receive alike.
    with pytest.raises(WeibaoError, match="接报单位"):
        ws.clues.update(clue.uuid, {"reported_to": None})
    with pytest.raises(WeibaoError, match="接报单位"):
        ws.clues.receive(clue_values(receipt="回执已收"))
    with pytest.raises(WeibaoError, match="报案时间"):
        ws.clues.receive(clue_values(reported_to="公安", report_receiver="张警官"))
    assert db.snapshot(ws.store) == before


def test_an_unknown_situation_is_named_in_the_message(ws, clue):
    with pytest.raises(WeibaoError, match="情形"):
        ws.clues.update(clue.uuid, {"situations": "打架"})
