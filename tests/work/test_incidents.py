"""重大事项报告单: recorded with its three times, printed, and carried to the county in the next package."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from factories import OPERATOR
from weibao_desktop.domain.errors import WeibaoError

LEARNED = dt.datetime(2024, 6, 13, 8, 30)


def incident(**overrides) -> dict:
    values = {"kind": "走失", "occurred_at": dt.datetime(2024, 6, 12, 18, 0), "learned_at": LEARNED,
              "reported_at": dt.datetime(2024, 6, 13, 9, 10), "reported_to": "县民政局", "receiver": "刘科长",
              "place": "东村河边", "summary": "放学后未回家，家人寻找未果", "measures": "已报警，组织村民搜寻"}
    return {**values, **overrides}


def test_an_incident_keeps_its_times_and_says_how_soon_it_was_reported(ws, make_child):
    kid = make_child()
    info = ws.incidents.report(incident(), child_key=kid.uuid)
    assert (info.kind, info.child_name, info.reported_by) == ("missing", kid.name, OPERATOR)
    assert info.report_delay == "获知后1小时内上报" and not info.late
    later = ws.incidents.update(info.uuid, {"reported_at": dt.datetime(2024, 6, 14, 12, 0)})
    assert later.report_delay == "获知后28小时上报" and later.late
    assert ws.incidents.unreported() == []


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"learned_at": dt.datetime(2024, 6, 12, 17, 0)}, "learned_at", "不能早于发生时间"),
    ({"reported_at": dt.datetime(2024, 6, 13, 8, 0)}, "reported_at", "不能早于获知时间"),
    ({"reported_to": None}, "reported_to", "上报单位"),
    ({"summary": ""}, "summary", "基本情况"),
    ({"kind": "吵架"}, "kind", "不在可选范围内"),
])
def test_impossible_times_and_missing_facts_are_refused(ws, values, field, words):
    with pytest.raises(WeibaoError) as e:
        ws.incidents.report(incident(child_name="未建档儿童", **values))
    assert e.value.field == field and words in e.value.message
    assert ws.incidents.page().total == 0


def test_the_printed_report_from_the_command_line(ws, make_child, tmp_path):
    kid = make_child()
    info = ws.incidents.report(incident(reported_at=None, reported_to=None), child_key=kid.uuid)
    assert [i.uuid for i in ws.incidents.unreported()] == [info.uuid]
    out = tmp_path / "重大事项.pdf"
    env = {**os.environ, "WEIBAO_USER": OPERATOR}
    done = subprocess.run([sys.executable, "-m", "weibao_desktop", "--data-dir", str(ws.store.path.parent), "print",
                           "incident", "--incident", info.uuid, "-o", str(out)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    text = "".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, encoding="utf-8",
                                  check=True).stdout.split())
    assert "城关镇重大事项报告单" in text and "儿童失踪/走失" in text and kid.name in text
    assert "2024-06-1218:00" in text and "放学后未回家" in text
    assert kid.id_number not in text and kid.id_number[-4:] in text  # masked
    assert ws.printing.log()[0].form_label == "重大事项报告单"
