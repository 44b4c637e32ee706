"""A realistic synthetic township or county for demonstrations, training and benchmarks.

No real people: names are drawn from common surname and given-name characters (a few with rare
characters outside the BMP such as 𠮷), id numbers are generated with valid checksums that agree
with the generated birth date and sex. Rows are built in Python and written with bulk Core inserts
in one transaction, so 100,000 children with 10 visits each take seconds, not hours.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.cadence import next_visit_due
from ..domain.errors import WeibaoError
from ..domain.idnumber import make_id_number
from ..models.entities import (
    Assessment,
    CategoryMembership,
    Child,
    HelpMeasure,
    HotlineCall,
    Person,
    Referral,
    Relief,
    ReportClue,
    Setting,
    Village,
    Visit,
    utcnow,
)
from .base import Context, JoinedContext, home_station
from .demo_rules import add_rule_cases
from .demo_work import demo_work
from .household_demo import demo_households
from .records import Bulk, is_guardian, person_values, uuid_stream
from .stations import StationService, station_cadence

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "子梓浩宇轩涵欣怡雨泽俊杰博文思佳晨阳明辉嘉琪雅婷诗语一诺可馨依宁天佑若曦锦程安然沐辰昊然语桐梦瑶乐瑶紫萱书瑶志强建华秀英桂兰海燕春梅国庆红霞丽娟小龙小红金花"
RARE = ["𠮷", "𡒄", "𬌗", "𠇔", "𬎆"]  # outside the BMP; must survive every round trip
ETHNIC = ["汉族"] * 85 + ["土家族"] * 6 + ["苗族"] * 5 + ["侗族"] * 2 + ["瑶族"] * 2
PROVINCES = ["广东省广州市", "广东省深圳市", "广东省东莞市", "浙江省杭州市", "浙江省宁波市", "江苏省苏州市",
             "上海市", "北京市", "福建省厦门市", "湖北省武汉市", "湖南省长沙市"]
VILLAGE_NAMES = "东南西北上下前后新老大小长青石金玉桃李杨柳松竹梅花山水河湖坪坳岭塘桥湾冲溪源"
VILLAGE_SUFFIX = ["村", "村", "村", "社区"]
VISITORS = ["张主任", "李主任", "王督导", "刘督导", "陈站长", "赵主任"]

# Share of children in each category; a child may be in several.
CATEGORY_SHARES = [
    ("left_behind", 0.45), ("plight_survival", 0.06), ("plight_guardian", 0.03), ("plight_development", 0.02),
    ("orphan_scattered", 0.008), ("orphan_central", 0.002), ("de_facto_unsupported", 0.02), ("disabled", 0.04),
    ("seriously_ill", 0.02), ("parent_detained", 0.01), ("dibao", 0.15), ("tekun", 0.01), ("single_parent", 0.08),
    ("idle", 0.005), ("bad_behaviour", 0.004), ("victim", 0.002), ("hiv_affected", 0.001),
]
COLOUR_SHARES = [("blue", 0.68), ("yellow", 0.20), ("orange", 0.08), ("red", 0.04)]
OVERDUE_SHARE = 0.08
BATCH = 20_000


@dataclass
class DemoResult:
    children: int
    visits: int
    rows: int
    villages: int


def demo_station(ctx: Context) -> None:
    """Set up the demo township when the store has no station yet."""
    StationService(ctx).init("示范镇", "430104001000", "岳麓区", [])


class DemoBuilder:
    """Builds rows for `n` children; `tables()` gives them per table, ready for executemany."""

    def __init__(self, station, villages: list[Village], start_id: dict, *, n: int, visits: int, today: dt.date,
                 actor: str, seed: int = 2026):
        self.rng = random.Random(seed)
        self.station = station
        self.villages = villages
        self.start_id = dict(start_id)
        self.next_id = dict(start_id)
        self.n = n
        self.k = visits
        self.today = today
        self.actor = actor
        self.now = utcnow()
        self.cadence = station_cadence(station)
        self.region = station.code[:6]
        self.rows: dict[str, list[dict]] = {t: [] for t in (
            "child", "person", "category_membership", "relief", "assessment", "visit", "help_measure", "referral",
            "report_clue", "hotline_call")}
        self._seqs: set[tuple] = set()
        # Fresh random uuids, not drawn from the seeded generator: two demo stores never share a record's uuid.
        self._uuid = uuid_stream().__next__

    def _id(self, table: str) -> int:
        self.next_id[table] = self.next_id.get(table, 0) + 1
        return self.next_id[table]

    def _sync(self, table: str, created: dt.datetime | None = None) -> dict:
        return {
            "id": self._id(table), "uuid": self._uuid(),
            "origin": self.station.code, "created_at": created or self.now, "created_by": self.actor,
            "updated_at": created or self.now, "updated_by": self.actor, "rev": 1, "deleted_at": None,
        }

    def name(self, surname: str | None = None) -> str:
        r = self.rng
        s = surname or r.choice(SURNAMES)
        if r.random() < 0.004:
            return s + r.choice(RARE) + (r.choice(GIVEN) if r.random() < 0.5 else "")
        return s + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2, 2))))

    def id_number(self, birth: dt.date, sex: str) -> str:
        r = self.rng
        while True:
            seq = r.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
            if (birth, seq) not in self._seqs:
                self._seqs.add((birth, seq))
                return make_id_number(self.region, birth, seq)

    def phone(self) -> str:
        return "1" + self.rng.choice("3578") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def build(self) -> None:
        for _ in range(self.n):
            self._child()
        for _ in range(max(1, self.n // 400)):
            self._clue()
        for _ in range(max(1, self.n // 300)):
            self._call()

    def _child(self) -> None:
        r = self.rng
        today = self.today
        sex = "M" if r.random() < 0.53 else "F"
        birth = today - dt.timedelta(days=r.randrange(30, 17 * 365 + 300))
        surname = r.choice(SURNAMES)
        village = r.choice(self.villages)
        opened = max(birth, today - dt.timedelta(days=r.randrange(60, 3 * 365)))
        cats = [c for c, share in CATEGORY_SHARES if r.random() < share] or ["left_behind"]
        colour = _pick(r, COLOUR_SHARES)
        if "de_facto_unsupported" in cats or "victim" in cats:
            colour = r.choice(("orange", "red"))
        row = self._sync("child", dt.datetime.combine(opened, dt.time(9)))
        cid = row["id"]
        age = (today - birth).days // 365
        schooling = ("none_preschool" if age < 3 else "kindergarten" if age < 6 else "primary" if age < 12
                     else "junior" if age < 15 else r.choice(("senior", "vocational", "dropout")))
        guardian_phone = self.phone()
        row.update(
            station_id=self.station.id, village_id=village.id, name=self.name(surname), sex=sex,
            ethnicity=r.choice(ETHNIC), birth_date=birth, id_number=self.id_number(birth, sex), hukou_registered=True,
            hukou_address=f"{village.name}{r.randrange(1, 12)}组", residence_address=f"{village.name}{r.randrange(1, 12)}组",
            health="disabled" if "disabled" in cats else "ill" if "seriously_ill" in cats else "healthy",
            disability_kind="肢体残疾" if "disabled" in cats else None,
            disability_grade=r.choice(("一级", "二级", "三级", "四级")) if "disabled" in cats else None,
            illness="先天性心脏病" if "seriously_ill" in cats else None, schooling=schooling,
            school_name=None, boarding=age >= 12 and r.random() < 0.4, income_sources="work,farming",
            contact_phone=guardian_phone, paired_helper=r.choice(VISITORS) if colour in ("orange", "red") else None,
            risk_colour=colour, colour_set_on=None, red_deferral=None, status="active", closed_reason=None,
            closed_note=None, closed_on=None, opened_on=opened, last_visit_on=None, next_visit_due=None, notes=None,
            placement=None, placed_on=None, placement_place=None,
        )
        self.rows["child"].append(row)
        for code in cats:
            m = self._sync("category_membership")
            m.update(child_id=cid, category=code, start_on=opened, end_on=None)
            self.rows["category_membership"].append(m)
        self._family(cid, surname, cats, guardian_phone)
        if "dibao" in cats:
            rel = self._sync("relief")
            rel.update(child_id=cid, kind="dibao", start_on=opened, end_on=None, amount="每月420元", note=None)
            self.rows["relief"].append(rel)
        row["colour_set_on"] = self._assessments(cid, colour, opened)
        self._visits(row, opened)
        if colour in ("orange", "red"):
            self._help(cid, colour, row["colour_set_on"])

    def _family(self, cid: int, surname: str, cats: list[str], phone: str) -> None:
        r = self.rng
        left_behind = "left_behind" in cats
        for relation, sex_surname in (("father", surname), ("mother", r.choice(SURNAMES))):
            p = self._sync("person")
            status = "migrant" if left_behind and (relation == "father" or r.random() < 0.6) else "home"
            if "parent_detained" in cats and relation == "father":
                status = "prison"
            if "de_facto_unsupported" in cats:
                status = r.choice(("missing", "disabled", "ill", "prison"))
            if "orphan_scattered" in cats or "orphan_central" in cats:
                status = "dead"
            born = self.today - dt.timedelta(days=r.randrange(25 * 365, 45 * 365))
            # No number is drawn for a dead mother, so the seeded data stays as it was; the write path's own rule
            # (person_values) clears a dead relative's phone and infers who is the guardian.
            name = self.name(sex_surname)
            mother_phone = None if status == "dead" else self.phone() if relation == "mother" else None
            p.update(person_values(dict(
                child_id=cid, relation=relation, relation_detail=None, name=name, birth_date=born,
                id_number=None, phone=phone if relation == "father" else mother_phone,
                status=status, work_place=r.choice(PROVINCES) if status == "migrant" else None, address=None,
                is_guardian=None,
            ), new=True))
            self.rows["person"].append(p)
        if left_behind:
            g = self._sync("person")
            g.update(
                child_id=cid, relation="entrusted", relation_detail=r.choice(("祖父", "祖母", "外祖父", "外祖母")),
                name=self.name(surname), birth_date=None, id_number=None, phone=self.phone(), status="home",
                work_place=None, address=None, is_guardian=is_guardian("entrusted", "home"),
            )
            self.rows["person"].append(g)

    def _assessments(self, cid: int, colour: str, opened: dt.date) -> dt.date:
        r = self.rng
        history = [colour]
        if r.random() < 0.35:
            history.insert(0, r.choice(("blue", "yellow", "orange")))
        day = opened
        for i, c in enumerate(history):
            a = self._sync("assessment", dt.datetime.combine(day, dt.time(10)))
            a.update(child_id=cid, kind="risk", assessed_on=day, assessor=r.choice(VISITORS), result=c,
                     guardianship_type=None, reason="建档评估" if i == 0 else "复评：家庭情况变化")
            self.rows["assessment"].append(a)
            if i + 1 < len(history):
                day = min(self.today, day + dt.timedelta(days=r.randrange(30, 300)))
        g = self._sync("assessment", dt.datetime.combine(opened, dt.time(10)))
        g.update(child_id=cid, kind="guardianship", assessed_on=opened, assessor=r.choice(VISITORS),
                 result=r.choice(("good", "fair", "fair", "poor")), guardianship_type="fair", reason=None)
        self.rows["assessment"].append(g)
        return day

    def _visits(self, child: dict, opened: dt.date) -> None:
        """K visits back from about now at the colour's cadence; some children fall behind."""
        r = self.rng
        colour = child["risk_colour"]
        step = self.cadence.days[colour]
        lag = step * r.uniform(1.2, 4) if r.random() < OVERDUE_SHARE else r.uniform(0, step * 0.9)
        last = self.today - dt.timedelta(days=int(lag))
        days = []
        day = last
        spacing = max(step, 7)
        for _ in range(self.k):
            if day < opened:
                break
            days.append(day)
            day = day - dt.timedelta(days=max(1, int(spacing * r.uniform(0.7, 1.1))))
        days.reverse()
        mine = []
        for d in days:
            v = self._sync("visit", dt.datetime.combine(d, dt.time(15)))
            v.update(
                child_id=child["id"], visited_on=d, visitors=r.choice(VISITORS), mode=_pick(r, _MODES),
                living=r.choice(("生活正常", "饮食起居正常", "家中卫生较差，已提醒")), study=r.choice(("按时上学", "成绩中等", "学习较吃力")),
                health=r.choice(("身体健康", "偶有感冒", "需定期复查")), safety="无安全隐患", psychology=r.choice(("情绪稳定", "较内向", "想念父母")),
                guardianship=r.choice(("祖辈照料尚可", "监护到位", "监护人年迈，照料能力不足")),
                problems=None, measures=None, next_due_on=self.cadence.due_after(colour, d),
            )
            mine.append(v)
        self.rows["visit"].extend(mine)
        self.refresh_due(child, mine)

    def refresh_due(self, child: dict, visits: list[dict]) -> None:
        """Last counting visit and next due from the child's visit rows, by the one rule (`Cadence.counts`)."""
        colour = child["risk_colour"]
        counted = [v for v in visits if self.cadence.counts(colour, v["mode"], child["placement"])]
        last = max(counted, key=lambda v: v["visited_on"], default=None)
        child["last_visit_on"] = last["visited_on"] if last else None
        planned = last["next_due_on"] if last else None
        opened = child["opened_on"]
        child["next_visit_due"] = next_visit_due(
            colour, self.cadence, last_visit_on=child["last_visit_on"], opened_on=opened, planned_on=planned,
            colour_set_on=child["colour_set_on"],
        )

    def _help(self, cid: int, colour: str, since: dt.date) -> None:
        r = self.rng
        if colour == "red" and r.random() < 0.15:
            return  # some red cases still lack action: the dashboard must flag them
        h = self._sync("help_measure")
        h.update(child_id=cid, kind=r.choice(("psychological", "living", "legal", "guardian_guidance")),
                 started_on=since, responsible=r.choice(VISITORS), description="结对帮扶，定期跟进", state="open",
                 ended_on=None, result=None)
        self.rows["help_measure"].append(h)
        if colour == "red" and r.random() < 0.5:
            ref = self._sync("referral")
            ref.update(child_id=cid, clue_id=None, target=r.choice(("police", "hospital", "community", "education")),
                       target_name=None, referred_on=since, reason="红色等级，转介专业力量", state="accepted",
                       state_on=since, feedback=None, handled_by=r.choice(VISITORS))
            self.rows["referral"].append(ref)

    def _clue(self) -> None:
        r = self.rng
        c = self._sync("report_clue")
        at = dt.datetime.combine(self.today - dt.timedelta(days=r.randrange(0, 200)), dt.time(r.randrange(8, 18)))
        state = r.choice(("received", "investigating", "handling", "closed", "closed"))
        steps = ("received", "investigating", "handling", "closed")
        reached = steps.index(state)
        c.update(
            child_id=None, child_name=self.name(), received_at=at, received_by=r.choice(VISITORS),
            source=r.choice(("school", "hospital", "village", "public", "hotline")), reporter=self.name(),
            reporter_phone=self.phone(), content="反映该儿童长期无人照料，疑似遭受家庭暴力", reported_to="police,civil_affairs",
            situations="abuse,abandoned", reported_at=at + dt.timedelta(hours=1), report_receiver="值班民警",
            receipt=f"受案回执 第{at:%Y%m%d}号" if reached >= 1 else None,  # no draw: the demo stays as it was
            state=state,
            investigated_at=at + dt.timedelta(hours=4) if reached >= 1 else None,
            investigated_by=r.choice(VISITORS) if reached >= 1 else None,
            investigation="入户核实，情况基本属实" if reached >= 1 else None,
            handled_at=at + dt.timedelta(days=1) if reached >= 2 else None,
            handled_by=r.choice(VISITORS) if reached >= 2 else None,
            handling="联系派出所介入，安排临时照料" if reached >= 2 else None,
            feedback_at=at + dt.timedelta(days=5) if reached >= 3 else None,
            feedback_by=r.choice(VISITORS) if reached >= 3 else None,
            feedback="已妥善安置，纳入重点关注" if reached >= 3 else None,
        )
        self.rows["report_clue"].append(c)

    def _call(self) -> None:
        r = self.rng
        c = self._sync("hotline_call")
        at = dt.datetime.combine(self.today - dt.timedelta(days=r.randrange(0, 365)), dt.time(r.randrange(8, 20)))
        c.update(call_at=at, caller=self.name(), caller_phone=self.phone(), child_id=None,
                 content=r.choice(("咨询留守儿童政策", "反映邻居家孩子无人照看", "咨询孤儿基本生活费申领", "求助：孩子辍学在家")),
                 handling="已解答并登记", handled_by=r.choice(VISITORS), state="done", clue_id=None)
        self.rows["hotline_call"].append(c)


_MODES = [("home", 0.7), ("phone", 0.15), ("video", 0.05), ("school", 0.1)]
TABLE_MODELS: dict[str, Any] = {
    "child": Child, "person": Person, "category_membership": CategoryMembership, "relief": Relief,
    "assessment": Assessment, "visit": Visit, "help_measure": HelpMeasure, "referral": Referral,
    "report_clue": ReportClue, "hotline_call": HotlineCall,
}


def _last_ids(s: Session) -> dict[str, int]:
    return {t: s.scalar(select(func.coalesce(func.max(m.id), 0))) or 0 for t, m in TABLE_MODELS.items()}


def _pick(r: random.Random, shares) -> str:
    x = r.random() * sum(s for _, s in shares)
    for code, share in shares:
        x -= share
        if x <= 0:
            return code
    return shares[-1][0]


def prepare(ctx: Context, children: int, visits_per_child: int, seed: int = 2026) -> DemoBuilder:
    """Make sure there is a station with enough villages, then build (but do not write) the rows."""
    if not StationService(ctx).has_station():
        demo_station(ctx)
    with ctx.tx() as s:
        station = home_station(s)
        villages = list(s.scalars(select(Village).where(Village.station_id == station.id)))
        wanted = max(3, min(600, children // 250 + 1))
        r = random.Random(seed + len(villages))
        existing = {v.name for v in villages}
        n = len(villages)
        while len(villages) < wanted:
            a, b = r.sample(VILLAGE_NAMES, 2)
            vname = a + b + r.choice(VILLAGE_SUFFIX)
            if vname in existing:
                continue
            existing.add(vname)
            n += 1
            code = f"{station.code[:9]}{200 + n:03d}" if n < 800 else f"{station.code[:6]}{n:06d}"
            v = Village(station_id=station.id, name=vname, code=code)
            s.add(v)
            villages.append(v)
        s.flush()
        start = _last_ids(s)
        s.expunge_all()
    builder = DemoBuilder(station, villages, start, n=children, visits=visits_per_child, today=ctx.today(),
                          actor=ctx.actor.name, seed=seed)
    builder.build()
    add_rule_cases(builder)
    return builder


def write(ctx: Context, builder: DemoBuilder, progress: Callable[[int, int], None] | None = None) -> DemoResult:
    """All rows in one transaction, table by table in batches, through the bulk form of the write path."""
    total = sum(len(v) for v in builder.rows.values())
    done = 0
    with ctx.tx() as s:
        # The rows were numbered when built: read again, inside the write transaction, that nobody wrote since.
        if _last_ids(s) != builder.start_id:
            raise WeibaoError("生成示范数据期间有其他写入，未写入任何数据；请重新生成", "demo")
        s.merge(Setting(key="demo_data", value=True))  # marked 演示数据, in the demo's one transaction
        bulk = Bulk.begin(s, ctx.actor.name, builder.station.code)
        for table, rows in builder.rows.items():
            for i in range(0, len(rows), BATCH):
                bulk.insert_dicts(TABLE_MODELS[table], rows[i:i + BATCH])
                done += len(rows[i:i + BATCH])
                if progress:
                    progress(done, total)
        demo_households(s, ctx)  # in the same transaction: a demo is written whole or not at all
        # The station's other work goes through its services, joined to this transaction.
        s.flush()
        demo_work(JoinedContext(ctx.store, ctx.actor, ctx.today, session=s))
    return DemoResult(len(builder.rows["child"]), len(builder.rows["visit"]), total, len(builder.villages))


def build_demo(ctx: Context, children: int, visits_per_child: int, seed: int = 2026,
               progress: Callable[[int, int], None] | None = None) -> DemoResult:
    result = write(ctx, prepare(ctx, children, visits_per_child, seed), progress)
    return result
