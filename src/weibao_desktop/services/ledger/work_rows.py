"""Row sources of the 活动与服务台账 and the 儿童主任名册 (the station's other work)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..station_work import activities_in, roster_in


def activity_rows(s: Session, station_id: int, date_from, date_to) -> tuple[list[dict], int]:
    out = []
    for a in activities_in(s, station_id, date_from, date_to):
        out.append({
            "held_on": a.held_on, "start_time": a.start_time, "end_time": a.end_time, "hours": f"{a.hours:g}",
            "kind": a.kind, "village": a.village, "place": a.place, "organiser": a.organiser,
            "partners": a.partners, "children_count": a.children_count,
            "parents_count": a.parents_count, "children": "、".join(name for _uuid, name in a.children) or None,
            "content": a.content, "evidence": a.evidence, "attachments": len(a.attachments), "uuid": a.uuid,
        })
    return out, len(out)


def staff_rows(s: Session, station_id: int, today) -> tuple[list[dict], int]:
    out = []
    for m in roster_in(s, station_id, today, include_left=True):
        last = m.trainings[-1] if m.trainings else None
        out.append({
            "name": m.name, "sex": m.sex, "role": m.role,
            "villages": "、".join(m.villages) or None, "phone": m.phone,
            "committee_member": m.committee_member, "womens_federation_head": m.womens_federation_head,
            "appointed_on": m.appointed_on,
            "social_work_cert": m.social_work_cert,
            "training_count": len(m.trainings), "training_hours": f"{m.training_hours:g}" if m.trainings else None,
            "last_training": f"{last.held_on:%Y-%m-%d} {last.topic}" if last else None, "left_on": m.left_on,
            "uuid": m.uuid,
        })
    return out, len(out)
