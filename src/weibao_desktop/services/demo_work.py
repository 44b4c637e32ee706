"""Demo data for the station's other work: a roster in which one village still lacks a 儿童主任, and a year of
activities that meets some norms and not others, so both pages and their ledgers show something."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from ..models.entities import Child, Village
from .base import Context, home_station
from .incidents import IncidentService
from .queries import live
from .reports import HotlineService
from .station_work import ActivityService, RosterService

_DIRECTOR_NAMES = ("赵春梅", "钱立新", "孙晓雯", "李桂兰", "周建华", "吴秀英", "郑国庆", "王丽娟")
_TOPICS = (("family_education", "家长学校：如何与留守孩子沟通", "妇联"), ("publicity", "防溺水安全宣传", "派出所"),
           ("training", "儿童主任业务培训：强制报告制度", ""), ("counselling", "小学生心理健康团体辅导", "学校,社工机构"),
           ("holiday_care", "暑期托管与安全教育", "团委,志愿者组织"), ("family_education", "家庭教育指导：亲子阅读", "学校"),
           ("volunteer", "志愿者入户陪伴", "志愿者组织"), ("family_education", "家庭教育指导：网络沉迷预防", "妇联,学校"))


def demo_work(ctx: Context, seed: int = 2026) -> None:
    rng = random.Random(seed)
    today = ctx.today()
    with ctx.read() as s:
        station = home_station(s)
        villages = list(s.scalars(select(Village.name).where(Village.station_id == station.id)
                                  .order_by(Village.code).limit(8)))
        kids = list(s.scalars(select(Child.uuid).where(Child.station_id == station.id, live(Child),
                                                       Child.status == "active").limit(40)))
    roster, activities = RosterService(ctx), ActivityService(ctx)
    if roster.roster(include_left=True) or not villages:
        return  # demo data added to this store already
    for i, village in enumerate(villages[:-1]):  # the last village has no 儿童主任: the page says so
        member = roster.add({"name": _DIRECTOR_NAMES[i % len(_DIRECTOR_NAMES)], "role": "director",
                             "sex": "F" if i % 3 else "M", "phone": f"139{rng.randrange(10**8):08d}",
                             "committee_member": i % 2 == 0, "womens_federation_head": i % 3 == 1,
                             "appointed_on": today - dt.timedelta(days=400 + 90 * i),
                             "social_work_cert": ("none", "assistant", "social_worker")[i % 3]}, villages=(village,))
        roster.add_training(member.uuid, {"held_on": today - dt.timedelta(days=30 + 20 * i), "hours": 3,
                                          "topic": "强制报告制度与发现报告", "organiser": "县民政局"})
    roster.add({"name": "陈志强", "role": "supervisor", "sex": "M", "phone": "13800001234",
                "appointed_on": today - dt.timedelta(days=700), "social_work_cert": "social_worker"})
    roster.add({"name": "黄淑芬", "role": "first_reporter", "sex": "F", "phone": "13700005678"},
               villages=(villages[0],))
    week_start = today - dt.timedelta(days=today.weekday())
    for day in sorted({week_start - dt.timedelta(days=7 * w + d) for w in range(1, 9) for d in (0, 2, 4)}):
        if day.year == today.year:
            activities.create({"held_on": day, "start_time": "15:00", "end_time": "17:00", "kind": "children_home",
                               "organiser": _DIRECTOR_NAMES[0], "content": "作业辅导、绘本共读、安全教育游戏"},
                              village=villages[0], children=tuple(kids[:rng.randrange(3, 8)]))
    if week_start < today:  # this week: one opening so far, and it was short
        activities.create({"held_on": week_start, "start_time": "16:00", "end_time": "17:00", "kind": "children_home",
                           "organiser": _DIRECTOR_NAMES[0], "content": "作业辅导"}, village=villages[0])
    for i, (kind, content, partners) in enumerate(_TOPICS):
        day = today - dt.timedelta(days=25 + 41 * i)
        if day.year != today.year:
            continue
        activities.create({"held_on": day, "start_time": "09:00", "end_time": "11:30", "kind": kind,
                           "organiser": "陈志强", "partners": partners or None, "content": content,
                           "parents_count": rng.randrange(8, 30) if kind == "family_education" else None,
                           "evidence": "工作站档案柜 活动资料盒"},
                          village=villages[i % len(villages)], children=tuple(rng.sample(kids, min(len(kids), 6))))
    if kids:
        learned = dt.datetime.combine(today - dt.timedelta(days=9), dt.time(19, 40))
        IncidentService(ctx).report({
            "kind": "missing", "occurred_at": learned - dt.timedelta(hours=2), "learned_at": learned,
            "reported_at": learned + dt.timedelta(minutes=50), "reported_to": "县民政局", "receiver": "值班室",
            "place": f"{villages[-1]}村口河边", "summary": "放学后未按时回家，家人和村干部寻找未果，已报警。",
            "measures": "派出所、村委会组织搜寻，次日上午在亲戚家找到，身体无碍。",
            "progress": "已与监护人谈话，落实接送责任。"}, child_key=kids[-1])
    now = dt.datetime.combine(today, dt.time(9, 20))
    HotlineService(ctx).log({"call_at": now - dt.timedelta(days=3), "source": "12345", "order_no": f"12345-{today:%Y%m}0417",
                             "due_at": now + dt.timedelta(days=1), "caller": "（12345转办）",
                             "content": "群众反映：邻居家孩子长期无人照看，夜间独自在家。", "state": "open"})
