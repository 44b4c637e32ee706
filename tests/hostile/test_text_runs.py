"""The check for a run of text longer than any cell can hold agrees with its plain definition on any input."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from weibao_desktop.sync.xml_guard import has_run_over


def by_definition(part: bytes, limit: int) -> bool:
    return any(len(run) >= limit for run in part.split(b"<"))


@given(st.lists(st.sampled_from([b"<", b"a", b"aaaaaaa", b"<c r=\"A1\">"]), max_size=60), st.integers(1, 40))
def test_long_text_runs_are_found_exactly(pieces, limit):
    part = b"".join(pieces)
    assert has_run_over(part, limit) == by_definition(part, limit)
    assert has_run_over(part, limit) == (re.search(rb"[^<]{%d}" % limit, part) is not None)
