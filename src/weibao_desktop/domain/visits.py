"""What makes a visit record worth counting as a visit.

A visit that records nothing is not a visit: it would move the child's next due date without anyone
having learned anything. So a visit states how it was made and at least one observation (生活、学习、
健康、安全、心理、监护情况 or 存在问题). When the child could not be seen, the reason is the observation:
it is written in 存在问题 (e.g. "未见到儿童，家中无人"), which keeps the ledger's columns unchanged.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OBSERVATIONS = ("living", "study", "health", "safety", "psychology", "guardianship", "problems")

NO_MODE = "请选择走访方式（入户、电话、视频、到校或其他）"
NO_OBSERVATION = (
    "走访记录至少要写一项情况（生活、学习、健康、安全、心理、监护情况或存在问题）；"
    "未见到儿童的，请在“存在问题”中写明原因，如“未见到儿童，家中无人”"
)


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def visit_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for each reason these visit values are not a visit; empty when they are.

    Only the fields the rule is about are read; a partial update that leaves them out is not judged
    here (the stored values still hold)."""
    problems: list[tuple[str, str]] = []
    if not _filled(values.get("mode")):
        problems.append(("mode", NO_MODE))
    if not any(_filled(values.get(name)) for name in OBSERVATIONS):
        problems.append(("living", NO_OBSERVATION))
    return problems


__all__ = ["NO_MODE", "NO_OBSERVATION", "OBSERVATIONS", "visit_problems"]
