"""Keeping a child's derived visit dates in step with visits, colour and cadence."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.cadence import Cadence, next_visit_due
from ..models.entities import Child, Visit


def recompute_due(child: Child, cadence: Cadence, *, planned_on: dt.date | None) -> None:
    """Derived, not user-edited: written without change history; closed files have nothing due."""
    if child.status != "active" or child.deleted_at is not None:
        child.next_visit_due = None
        return
    child.next_visit_due = next_visit_due(
        child.risk_colour,
        cadence,
        last_visit_on=child.last_visit_on,
        opened_on=child.opened_on,
        planned_on=planned_on,
        colour_set_on=child.colour_set_on,
    )


def refresh_visits(session: Session, child: Child, cadence: Cadence) -> None:
    """After a visit is added, edited or deleted: last visit and next due from the live visits."""
    last = session.execute(
        select(Visit.visited_on, Visit.next_due_on)
        .where(Visit.child_id == child.id, Visit.deleted_at.is_(None))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .limit(1)
    ).first()
    child.last_visit_on = last.visited_on if last else None
    recompute_due(child, cadence, planned_on=last.next_due_on if last else None)
