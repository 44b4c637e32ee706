"""The rule for a visit that counts: a mode and at least one observation, or the reason the child was not seen."""
from __future__ import annotations

import pytest

from weibao_desktop.domain.visits import NO_MODE, NO_OBSERVATION, OBSERVATIONS, visit_problems


def test_an_empty_visit_is_refused_on_both_counts():
    assert visit_problems({}) == [("mode", NO_MODE), ("living", NO_OBSERVATION)]
    blank = {"mode": "  ", **{name: "" for name in OBSERVATIONS}, "measures": None}
    assert visit_problems(blank) == [("mode", NO_MODE), ("living", NO_OBSERVATION)]


@pytest.mark.parametrize("field", OBSERVATIONS)
def test_one_observation_and_the_mode_make_a_visit(field):
    assert visit_problems({"mode": "home", field: "祖母照料，生活正常"}) == []


def test_a_reason_the_child_was_not_seen_counts_as_the_observation():
    assert visit_problems({"mode": "home", "problems": "未见到儿童，家中无人"}) == []


def test_measures_alone_or_whitespace_is_not_an_observation():
    assert visit_problems({"mode": "phone", "measures": "下周再访", "living": "   "}) == [("living", NO_OBSERVATION)]


def test_an_observation_without_a_mode_names_the_mode():
    assert visit_problems({"living": "正常"}) == [("mode", NO_MODE)]
