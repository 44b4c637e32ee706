"""The station's other work: activities and services (活动与服务台账) and the roster of 儿童主任 / 儿童督导员 /
第一报告人 with their training (名册).

Norms the progress panel measures (../shared/seeds): 000 "每年至少组织4次普惠性家庭教育指导服务活动"; 003 儿童之家
"每周开放应不少于3天…每次开放不少于2个小时"; 000 "每个村(社区)至少设立一名儿童主任"."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..domain.codes import ACTIVITY_KIND, STAFF_ROLE
from ..domain.errors import WeibaoError
from ..domain.fields import clean_values
from ..models.entities import Child, User, Village, utcnow
from ..models.station_work import Activity, ActivityChild, Attachment, StaffMember, StaffTraining, StaffVillage
from .base import Context, home_station
from .children import _by_uuid, get_child
from .dto import Page
from .queries import live
from .records import apply_changes, new_record, tombstone

FAMILY_EDUCATION_PER_YEAR = 4
HOME_DAYS_PER_WEEK = 3
HOME_HOURS_PER_OPENING = 2.0
MAX_ATTACHMENT = 10 * 1024 * 1024  # a phone photo or a scanned sign-in sheet
# What an attachment may be, told by its first bytes (never by its name).
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg", ".jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
          (b"%PDF-", "application/pdf", ".pdf"))


@dataclass(frozen=True)
class ActivityInfo:
    uuid: str
    held_on: dt.date
    start_time: str
    end_time: str
    hours: float
    kind: str
    village: str | None
    place: str
    organiser: str
    partners: str | None
    children_count: int | None
    parents_count: int | None
    content: str
    evidence: str | None
    children: tuple[tuple[str, str], ...]  # (uuid, name) of the children who took part
    attachments: tuple[AttachmentInfo, ...]
    rev: int


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    file_name: str
    media_type: str
    size: int


@dataclass(frozen=True)
class Progress:
    """Where the station stands against the plans' norms, for a year and the week containing `on`."""

    year: int
    family_education: int  # 家庭教育指导 events this year
    family_education_norm: int
    home_days_week: int  # 儿童之家 opening days this week
    home_days_norm: int
    home_short_openings_week: int  # openings this week shorter than the norm
    home_days_year: int
    home_hours_year: float
    by_kind_year: dict[str, int]

    @property
    def lines(self) -> list[tuple[str, bool]]:
        """(text, met) for the panel."""
        return [
            (f"{self.year}年家庭教育指导活动：{self.family_education} 次（要求每年不少于 {self.family_education_norm} 次）",
             self.family_education >= self.family_education_norm),
            (f"本周儿童之家开放：{self.home_days_week} 天（要求每周不少于 {self.home_days_norm} 天）"
             + (f"，其中 {self.home_short_openings_week} 次不足 {HOME_HOURS_PER_OPENING:g} 小时"
                if self.home_short_openings_week else ""),
             self.home_days_week >= self.home_days_norm and not self.home_short_openings_week),
            (f"{self.year}年儿童之家共开放 {self.home_days_year} 天、{self.home_hours_year:g} 小时", True),
        ]


@dataclass(frozen=True)
class TrainingInfo:
    uuid: str
    held_on: dt.date
    hours: float
    topic: str
    organiser: str | None


@dataclass(frozen=True)
class StaffInfo:
    uuid: str
    name: str
    role: str
    sex: str | None
    phone: str | None
    villages: tuple[str, ...]
    committee_member: bool | None
    womens_federation_head: bool | None
    appointed_on: dt.date | None
    social_work_cert: str | None
    account_name: str | None
    left_on: dt.date | None
    trainings: tuple[TrainingInfo, ...]
    rev: int

    @property
    def training_hours(self) -> float:
        return round(sum(t.hours for t in self.trainings), 1)


def hours_between(start: str, end: str) -> float:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return round(((h2 * 60 + m2) - (h1 * 60 + m1)) / 60, 1)


def _village(s: Session, station_id: int, key: str | int | None) -> Village | None:
    """A village of this station by id or name; None for none."""
    if key is None or key == "":
        return None
    if isinstance(key, int):
        v = s.get(Village, key)
    else:
        v = s.scalar(select(Village).where(Village.station_id == station_id, Village.name == str(key).strip()))
    if v is None or v.station_id != station_id:
        names = "、".join(s.scalars(select(Village.name).where(Village.station_id == station_id)))
        raise WeibaoError(f"本工作站没有村(社区)“{key}”（现有：{names or '无'}）", "village")
    return v


class ActivityService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def create(self, values: dict, *, village: str | int | None = None, children: tuple = ()) -> ActivityInfo:
        clean = clean_values("activity", values, partial=False, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            v = _village(s, station.id, village)
            kids = self._children(s, station.id, children)
            clean = self.checked(clean, v, len(kids))
            a = new_record(s, Activity, {**clean, "station_id": station.id, "village_id": v.id if v else None},
                           self.ctx.actor, origin=station.code)
            s.flush()
            s.add_all(ActivityChild(activity_id=a.id, child_id=c.id) for c in kids)
            s.flush()
            return _activity_info(s, a)

    def update(self, uuid: str, values: dict, *, village: str | int | None = None,
               children: tuple | None = None) -> ActivityInfo:
        clean = clean_values("activity", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            a = self._own(s, station.id, uuid)
            v = _village(s, station.id, village) if village is not None else (
                s.get(Village, a.village_id) if a.village_id else None)
            kids = self._children(s, station.id, children) if children is not None else None
            linked = len(kids) if kids is not None else self._linked_count(s, a.id)
            merged = {f: getattr(a, f) for f in ("start_time", "end_time", "place", "children_count")} | clean
            checked = self.checked(merged, v, linked)
            changes = {k: checked[k] for k in (*clean, "place", "children_count") if k in checked}
            changes["village_id"] = v.id if v else None
            apply_changes(s, a, changes, self.ctx.actor, origin=station.code)
            if kids is not None:
                s.execute(delete(ActivityChild).where(ActivityChild.activity_id == a.id))
                s.add_all(ActivityChild(activity_id=a.id, child_id=c.id) for c in kids)
            s.flush()
            return _activity_info(s, a)

    def delete(self, uuid: str) -> None:
        with self.ctx.tx() as s:
            station = home_station(s)
            tombstone(s, self._own(s, station.id, uuid), self.ctx.actor, origin=station.code)

    def get(self, uuid: str) -> ActivityInfo:
        with self.ctx.read() as s:
            return _activity_info(s, self._own(s, home_station(s).id, uuid))

    def page(self, *, year: int | None = None, kind: str | None = None, offset: int = 0, limit: int = 200) -> Page:
        with self.ctx.read() as s:
            stmt = self._selected(s, year, kind)
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = s.scalars(stmt.order_by(Activity.held_on.desc(), Activity.start_time.desc(), Activity.id.desc())
                             .offset(offset).limit(limit))
            return Page([_activity_info(s, a) for a in rows], total, offset, limit)

    def in_period(self, date_from: dt.date | None, date_to: dt.date | None) -> list[ActivityInfo]:
        with self.ctx.read() as s:
            return activities_in(s, home_station(s).id, date_from, date_to)

    def progress(self, on: dt.date | None = None) -> Progress:
        on = on or self.ctx.today()
        year_start, year_end = dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
        week_start = on - dt.timedelta(days=on.weekday())
        week_end = week_start + dt.timedelta(days=6)
        with self.ctx.read() as s:
            station = home_station(s)
            year = list(s.scalars(_period(s, station.id, year_start, year_end)))
        by_kind = {k: sum(1 for a in year if a.kind == k) for k in ACTIVITY_KIND.keys()}
        home = [a for a in year if a.kind == "children_home"]
        week = [a for a in home if week_start <= a.held_on <= week_end]
        return Progress(
            on.year, by_kind["family_education"], FAMILY_EDUCATION_PER_YEAR,
            len({a.held_on for a in week}), HOME_DAYS_PER_WEEK,
            sum(1 for a in week if hours_between(a.start_time, a.end_time) < HOME_HOURS_PER_OPENING),
            len({a.held_on for a in home}), round(sum(hours_between(a.start_time, a.end_time) for a in home), 1),
            by_kind,
        )

    def attach(self, uuid: str, path: str | Path) -> AttachmentInfo:
        """Copy a photo or scanned sign-in sheet into the store. Only JPEG, PNG and PDF, at most 10 MB."""
        path = Path(path)
        size = path.stat().st_size
        if size > MAX_ATTACHMENT:
            raise WeibaoError(f"“{path.name}”有 {size / 1048576:.1f} MB，附件不能超过 10 MB，请压缩后再添加", "file")
        with path.open("rb") as f:
            data = f.read(MAX_ATTACHMENT + 1)
        kind = next(((media, ext) for magic, media, ext in _MAGIC if data.startswith(magic)), None)
        if kind is None:
            raise WeibaoError(f"“{path.name}”不是照片（JPG、PNG）或 PDF 文件，不能作为附件", "file")
        with self.ctx.tx() as s:
            a = self._own(s, home_station(s).id, uuid)
            att = Attachment(owner_uuid=a.uuid, file_name=path.name[:200], media_type=kind[0], size=len(data),
                             data=data, added_by=self.ctx.actor.name)
            s.add(att)
            s.flush()
            return AttachmentInfo(att.id, att.file_name, att.media_type, att.size)

    def save_attachment(self, attachment_id: int, target: str | Path) -> Path:
        """Write an attachment out (to open it in a viewer); the caller chooses where."""
        with self.ctx.read() as s:
            att = s.get(Attachment, attachment_id)
            if att is None or att.deleted_at is not None:
                raise WeibaoError("找不到该附件", "attachment")
            self._own(s, home_station(s).id, att.owner_uuid)
            data = att.data
        target = Path(target)
        target.write_bytes(data)
        return target

    def remove_attachment(self, attachment_id: int) -> None:
        with self.ctx.tx() as s:
            att = s.get(Attachment, attachment_id)
            if att is None or att.deleted_at is not None:
                raise WeibaoError("找不到该附件", "attachment")
            self._own(s, home_station(s).id, att.owner_uuid)
            att.deleted_at = utcnow()

    def _own(self, s: Session, station_id: int, uuid: str) -> Activity:
        a = _by_uuid(s, Activity, uuid, "活动")
        if a.station_id != station_id:
            raise WeibaoError("找不到该活动记录", "uuid")
        return a

    def _selected(self, s: Session, year: int | None, kind: str | None):
        stmt = select(Activity).where(Activity.station_id == home_station(s).id, live(Activity))
        if year:
            stmt = stmt.where(Activity.held_on >= dt.date(year, 1, 1), Activity.held_on <= dt.date(year, 12, 31))
        if kind:
            stmt = stmt.where(Activity.kind == (kind if kind in ACTIVITY_KIND else ACTIVITY_KIND.parse(kind)))
        return stmt

    @staticmethod
    def _children(s: Session, station_id: int, keys) -> list[Child]:
        kids: dict[int, Child] = {}
        for key in keys or ():
            child = get_child(s, key)
            if child.station_id != station_id:
                raise WeibaoError(f"找不到儿童档案“{key}”", "children")
            kids[child.id] = child
        return list(kids.values())

    @staticmethod
    def _linked_count(s: Session, activity_id: int) -> int:
        return s.scalar(select(func.count()).where(ActivityChild.activity_id == activity_id)) or 0

    @staticmethod
    def checked(values: dict, village: Village | None, linked: int) -> dict:
        """An activity's values made whole (the place from the village, the children count from the links) and
        checked together; the form and a ledger import both go through it."""
        out = dict(values)
        if not out.get("place"):
            if village is None:
                raise WeibaoError("请填写活动地点（或选择所在村(社区)）", "place")
            out["place"] = village.name
        if hours_between(out["start_time"], out["end_time"]) <= 0:
            raise WeibaoError(f"结束时间（{out['end_time']}）应晚于开始时间（{out['start_time']}）", "end_time")
        count = out.get("children_count")
        if count is None and linked:
            out["children_count"] = linked
        elif count is not None and count < linked:
            raise WeibaoError(f"参与儿童人数（{count}）少于关联的儿童档案（{linked}名）", "children_count")
        return out


def _period(s: Session, station_id: int, date_from: dt.date | None, date_to: dt.date | None):
    stmt = select(Activity).where(Activity.station_id == station_id, live(Activity))
    if date_from:
        stmt = stmt.where(Activity.held_on >= date_from)
    if date_to:
        stmt = stmt.where(Activity.held_on <= date_to)
    return stmt.order_by(Activity.held_on, Activity.start_time, Activity.id)


def activities_in(s: Session, station_id: int, date_from: dt.date | None, date_to: dt.date | None) -> list[ActivityInfo]:
    return [_activity_info(s, a) for a in s.scalars(_period(s, station_id, date_from, date_to))]


def _activity_info(s: Session, a: Activity) -> ActivityInfo:
    village = s.get(Village, a.village_id).name if a.village_id else None  # type: ignore[union-attr]
    kids = tuple((uuid, name) for uuid, name in s.execute(
        select(Child.uuid, Child.name).join(ActivityChild, ActivityChild.child_id == Child.id)
        .where(ActivityChild.activity_id == a.id).order_by(Child.name)))
    atts = tuple(AttachmentInfo(*r) for r in s.execute(
        select(Attachment.id, Attachment.file_name, Attachment.media_type, Attachment.size)
        .where(Attachment.owner_uuid == a.uuid, Attachment.deleted_at.is_(None)).order_by(Attachment.id)))
    return ActivityInfo(a.uuid, a.held_on, a.start_time, a.end_time, hours_between(a.start_time, a.end_time), a.kind,
                        village, a.place, a.organiser, a.partners, a.children_count, a.parents_count, a.content,
                        a.evidence, kids, atts, a.rev)


class RosterService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def add(self, values: dict, *, villages: tuple = ()) -> StaffInfo:
        clean = clean_values("staff_member", values, partial=False, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            linked = self._villages(s, station.id, villages, clean["role"])
            self._check_account(s, station.id, clean.get("account_name"))
            m = new_record(s, StaffMember, {**clean, "station_id": station.id}, self.ctx.actor, origin=station.code)
            s.flush()
            s.add_all(StaffVillage(staff_id=m.id, village_id=v.id) for v in linked)
            s.flush()
            return _staff_info(s, m)

    def update(self, uuid: str, values: dict, *, villages: tuple | None = None) -> StaffInfo:
        clean = clean_values("staff_member", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            m = self._own(s, station.id, uuid)
            if "account_name" in clean:
                self._check_account(s, station.id, clean["account_name"])
            role = clean.get("role", m.role)
            if villages is not None:
                linked = self._villages(s, station.id, villages, role)
                s.execute(delete(StaffVillage).where(StaffVillage.staff_id == m.id))
                s.add_all(StaffVillage(staff_id=m.id, village_id=v.id) for v in linked)
            elif role == "director" and not self._village_count(s, m.id):
                raise WeibaoError("儿童主任请选择负责的村(社区)", "villages")
            apply_changes(s, m, clean, self.ctx.actor, origin=station.code)
            s.flush()
            return _staff_info(s, m)

    def remove(self, uuid: str) -> None:
        """Take a person off the roster (entered by mistake). Someone who left keeps their line with 离任日期."""
        with self.ctx.tx() as s:
            station = home_station(s)
            tombstone(s, self._own(s, station.id, uuid), self.ctx.actor, origin=station.code)

    def get(self, uuid: str) -> StaffInfo:
        with self.ctx.read() as s:
            return _staff_info(s, self._own(s, home_station(s).id, uuid))

    def roster(self, *, include_left: bool = False, role: str | None = None) -> list[StaffInfo]:
        with self.ctx.read() as s:
            return roster_in(s, home_station(s).id, self.ctx.today(), include_left=include_left, role=role)

    def villages_without_director(self) -> list[str]:
        """Villages with no serving 儿童主任 (000: 每个村(社区)至少设立一名儿童主任)."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            served = (select(StaffVillage.village_id).join(StaffMember, StaffMember.id == StaffVillage.staff_id)
                      .where(StaffMember.role == "director", live(StaffMember),
                             StaffMember.left_on.is_(None) | (StaffMember.left_on > today)))
            return list(s.scalars(select(Village.name).where(Village.station_id == station.id,
                                                             Village.id.not_in(served)).order_by(Village.code)))

    def add_training(self, staff_uuid: str, values: dict) -> TrainingInfo:
        clean = clean_values("staff_training", values, partial=False, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            m = self._own(s, station.id, staff_uuid)
            t = new_record(s, StaffTraining, {**clean, "staff_id": m.id}, self.ctx.actor, origin=station.code)
            s.flush()
            return _training_info(t)

    def remove_training(self, training_uuid: str) -> None:
        with self.ctx.tx() as s:
            station = home_station(s)
            t = _by_uuid(s, StaffTraining, training_uuid, "培训")
            self._own(s, station.id, s.get(StaffMember, t.staff_id).uuid)  # type: ignore[union-attr]
            tombstone(s, t, self.ctx.actor, origin=station.code)

    def _own(self, s: Session, station_id: int, uuid: str) -> StaffMember:
        m = _by_uuid(s, StaffMember, uuid, "人员")
        if m.station_id != station_id:
            raise WeibaoError("找不到该人员记录", "uuid")
        return m

    @staticmethod
    def _villages(s: Session, station_id: int, keys, role: str) -> list[Village]:
        found = {v.id: v for v in (_village(s, station_id, k) for k in keys or ()) if v is not None}
        if role == "director" and not found:
            raise WeibaoError("儿童主任请选择负责的村(社区)", "villages")
        return list(found.values())

    @staticmethod
    def _village_count(s: Session, staff_id: int) -> int:
        return s.scalar(select(func.count()).where(StaffVillage.staff_id == staff_id)) or 0

    @staticmethod
    def _check_account(s: Session, station_id: int, name: str | None) -> None:
        if name and s.scalar(select(User.id).where(User.station_id == station_id, User.name == name)) is None:
            raise WeibaoError(f"没有名为“{name}”的登录账号，请先在 设置 → 账号 中添加", "account_name")


def roster_in(s: Session, station_id: int, today: dt.date, *, include_left: bool = False,
              role: str | None = None) -> list[StaffInfo]:
    """The roster: 儿童主任 first, then 督导员 and 第一报告人, each by name."""
    stmt = select(StaffMember).where(StaffMember.station_id == station_id, live(StaffMember))
    if not include_left:
        stmt = stmt.where(StaffMember.left_on.is_(None) | (StaffMember.left_on > today))
    if role:
        stmt = stmt.where(StaffMember.role == (role if role in STAFF_ROLE else STAFF_ROLE.parse(role)))
    order = {code: i for i, code in enumerate(STAFF_ROLE.keys())}
    members = sorted(s.scalars(stmt), key=lambda m: (order.get(m.role, 9), m.name))
    return [_staff_info(s, m) for m in members]


def _training_info(t: StaffTraining) -> TrainingInfo:
    return TrainingInfo(t.uuid, t.held_on, t.hours, t.topic, t.organiser)


def _staff_info(s: Session, m: StaffMember) -> StaffInfo:
    villages = tuple(s.scalars(select(Village.name).join(StaffVillage, StaffVillage.village_id == Village.id)
                               .where(StaffVillage.staff_id == m.id).order_by(Village.code)))
    trainings = tuple(_training_info(t) for t in s.scalars(
        select(StaffTraining).where(StaffTraining.staff_id == m.id, live(StaffTraining))
        .order_by(StaffTraining.held_on)))
    return StaffInfo(m.uuid, m.name, m.role, m.sex, m.phone, villages, m.committee_member, m.womens_federation_head,
                     m.appointed_on, m.social_work_cert, m.account_name, m.left_on, trainings, m.rev)


__all__ = ["ActivityService", "RosterService", "ActivityInfo", "StaffInfo", "TrainingInfo", "Progress",
           "AttachmentInfo", "hours_between"]
