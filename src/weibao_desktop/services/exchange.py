"""Exchange with the county office by files: write packages, apply them with a three-way merge per
field, hold real conflicts for a person, acknowledge, undo.

The merge base of a record is the last version both sides are known to hold (`SyncBase`): what the
peer last sent us, or what we sent that the peer has since acknowledged applying. A field changed on
one side only is taken; the same field changed differently on both sides becomes a `SyncConflict`
that keeps base, mine and theirs until a person chooses; its base stays the old common value, so two
people who decide differently are asked again rather than silently overwriting each other.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Boolean, Date, DateTime, Integer, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from ..domain import fields as F
from ..domain.cadence import next_visit_due
from ..domain.errors import WeibaoError
from ..models.bulk import bulk_insert, next_ids, sync_id_sequences
from ..models.entities import (
    Assessment,
    ChangeLog,
    Child,
    ImportLog,
    ReportClue,
    Setting,
    Station,
    SyncBase,
    SyncConflict,
    SyncOut,
    SyncPeer,
    SyncSent,
    Village,
    Visit,
    utcnow,
)
from ..models.store import backup_sqlite, head_revision
from ..sync.merge import merge_record, next_base
from ..sync.package import Meta, OutRecord, Package, PackageRow, read_package, write_package
from ..sync.records import BY_NAME, ENTITIES, EntitySpec, content_of, label
from .base import Context, apply_changes, change_seq, home_station, store_mode
from .stations import station_cadence


@dataclass(frozen=True)
class PeerInfo:
    code: str
    name: str
    role: str
    next_seq_out: int
    acked_out: int
    last_seq_in: int
    last_in_at: dt.datetime | None
    last_out_at: dt.datetime | None
    open_conflicts: int
    children: int = 0
    late: bool = False


@dataclass(frozen=True)
class ExportResult:
    path: Path
    peer: str
    seq: int
    full: bool
    counts: dict[str, int]


@dataclass
class ApplyResult:
    """What a package did (or, for a dry run, would do)."""

    file_name: str
    sender: str
    seq: int
    status: str  # applied, dry-run, duplicate
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: int = 0
    hand_edited: int = 0
    hand_added: int = 0
    missing_rows: int = 0
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # readable lines: 儿童档案 王某 现居住地：A → B
    import_id: int | None = None

    def summary(self) -> str:
        if self.status == "duplicate":
            return f"第{self.seq}号数据包已经导入过，没有任何改动" + (f"（{self.notes[0]}）" if self.notes else "")
        verb = "将" if self.status == "dry-run" else "已"
        return (f"{verb}导入{self.sender}第{self.seq}号数据包：新增{self.new}条，更新{self.changed}条，"
                f"未变{self.unchanged}条，冲突{self.conflicts}处，拒收{self.refused}条")


@dataclass(frozen=True)
class ConflictInfo:
    id: int
    peer: str
    entity: str
    entity_label: str
    record_uuid: str
    record_title: str
    field: str
    field_label: str
    base: str | None
    mine: str | None
    theirs: str | None
    theirs_by: str | None
    theirs_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True)
class DuplicateInfo:
    id_number_masked: str
    children: tuple[tuple[str, str, str], ...]  # (station name, child name, uuid)


PACKAGE_BACKUP = "before-package"
KEEP_PACKAGE_BACKUPS = 3  # a whole copy per import would fill a county office's disk within months


def _prune_backups(directory: Path, stem: str) -> None:
    """Keep the newest few copies taken before applying packages; older ones go."""
    copies = sorted(directory.glob(f"{stem}.{PACKAGE_BACKUP}-*.bak*"), key=lambda p: p.stat().st_mtime)
    for old in copies[:-KEEP_PACKAGE_BACKUPS]:
        old.unlink(missing_ok=True)


def county_code(station_code: str) -> str:
    """The county office's code: the county part of a township's 12-digit code."""
    return station_code[:6] + "000000"


class ExchangeService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    # ---- status -----------------------------------------------------------------------------

    def peers(self) -> list[PeerInfo]:
        """Every exchange partner, with what was sent and received; for a county, who is late."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            home = home_station(s)
            rows = s.scalars(select(SyncPeer).order_by(SyncPeer.code)).all()
            open_by_peer = dict(s.execute(
                select(SyncConflict.peer_id, func.count()).where(SyncConflict.resolved_at.is_(None))
                .group_by(SyncConflict.peer_id)).all())
            counts = dict(s.execute(
                select(Child.station_id, func.count()).where(Child.deleted_at.is_(None), Child.status == "active")
                .group_by(Child.station_id)).all())
            out = []
            for p in rows:
                late = p.role == "township" and (
                    p.last_in_at is None or (today - p.last_in_at.date()).days > _late_days(home))
                out.append(PeerInfo(p.code, p.name, p.role, p.next_seq_out, p.acked_out, p.last_seq_in, p.last_in_at,
                                    p.last_out_at, open_by_peer.get(p.id, 0), counts.get(p.station_id, 0), late))
            return out

    def log(self, limit: int = 200) -> list[dict]:
        """The exchange log: every package written or applied here, newest first."""
        with self.ctx.read() as s:
            rows = s.scalars(select(ImportLog).where(ImportLog.kind.in_(("package", "package-out")))
                             .order_by(ImportLog.id.desc()).limit(limit))
            return [{"id": r.id, "kind": r.kind, "file_name": r.file_name, "file_hash": r.file_hash, "actor": r.actor,
                     "at": r.started_at, "counts": dict(r.counts or {}), "detail": dict(r.detail or {})} for r in rows]

    # ---- export ----------------------------------------------------------------------------

    def export(self, path: Path, *, peer_code: str | None = None, full: bool = False,
               progress=None, cancelled=None) -> ExportResult:
        """Write the next package for a peer: the changes since the peer last acknowledged, or everything.

        `progress(done, total, text)` and `cancelled()` let a window show progress and stop it; a
        cancelled export writes nothing and changes nothing."""
        path = Path(path)
        step = _Steps(progress, cancelled, len(ENTITIES) + 1)
        staged = path.with_name(f".~{path.stem}.sending.xlsx")
        try:
            with self.ctx.tx() as s:
                home = home_station(s)
                peer = self._outgoing_peer(s, home, peer_code)
                acked = s.scalar(select(SyncOut).where(SyncOut.peer_id == peer.id, SyncOut.seq == peer.acked_out))
                # Nothing acknowledged yet: every record is a candidate, but what the peer sent us and we
                # hold unchanged is left out. An explicit full package leaves nothing out.
                since = 0 if full or acked is None else acked.change_seq
                resend = set(peer.resend or [])
                records = self._collect(s, home, peer, since, resend, skip_unchanged=not full, step=step)
                step("正在写入数据包文件")
                seq = peer.next_seq_out
                last_acked = s.scalar(select(SyncOut.ack_sent).where(SyncOut.peer_id == peer.id,
                                                                      SyncOut.seq == peer.acked_out)) or 0
                declined = [[c.record_uuid, c.field, c.from_seq] for c in s.scalars(
                    select(SyncConflict).where(SyncConflict.peer_id == peer.id, SyncConflict.from_seq > last_acked))]
                meta = Meta(
                    sender_code=home.code, sender_name=home.name, sender_role=_role(s), county=home.county,
                    receiver_code=peer.code, receiver_name=peer.name, seq=seq, based_on=0 if since == 0 else peer.acked_out,
                    ack=peer.last_seq_in, missing=list(peer.ask_again or []), declined=declined, full=full,
                    created_at=dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"), created_by=self.ctx.actor.name,
                    schema=head_revision(),
                )
                # Written beside the target and moved there only once the store has recorded it as sent:
                # a failed commit never leaves a package whose sequence number will be used again.
                write_package(staged, meta, records, f"{home.name}→{peer.name}　交换数据包第{seq}号")
                s.add(SyncOut(peer_id=peer.id, seq=seq, change_seq=_counter(s), full=full, ack_sent=peer.last_seq_in,
                              base_mark=s.scalar(select(func.coalesce(func.max(SyncBase.id), 0)))))
                for name, recs in records.items():
                    if recs:
                        bulk_insert(s.connection(), SyncSent.__table__, [
                            {"peer_id": peer.id, "seq": seq, "entity": name, "record_uuid": r.uuid, "content": r.content}
                            for r in recs])
                counts = {k: len(v) for k, v in records.items()}
                s.add(ImportLog(kind="package-out", file_name=path.name, file_hash=_sha256(staged), actor=self.ctx.actor.name,
                                counts=counts, detail={"peer": peer.code, "peer_name": peer.name, "seq": seq, "full": full}))
                peer.next_seq_out = seq + 1
                peer.last_out_at = utcnow()
                peer.resend = []
                peer.ask_again = []
                result = ExportResult(path, peer.name, seq, full, counts)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        staged.replace(path)
        return result

    def _outgoing_peer(self, s: Session, home: Station, peer_code: str | None) -> SyncPeer:
        if _role(s) == "township":
            code = peer_code or county_code(home.code)
            peer = s.scalar(select(SyncPeer).where(SyncPeer.code == code))
            if peer is None:
                peer = SyncPeer(code=code, name=f"{home.county or ''}县级未保中心".strip(), role="county",
                                next_seq_out=1, acked_out=0, last_seq_in=0, resend=[], ask_again=[])
                s.add(peer)
                s.flush()
            return peer
        if not peer_code:
            raise WeibaoError("县级模式下请指定要发给哪个乡镇（区划代码）", "peer")
        peer = s.scalar(select(SyncPeer).where(or_(SyncPeer.code == peer_code, SyncPeer.name == peer_code)))
        if peer is None:
            raise WeibaoError(f"还没有收到过“{peer_code}”的数据包，不能给它发回数据", "peer")
        return peer

    def _collect(self, s: Session, home: Station, peer: SyncPeer, since: int, resend: set[str],
                 skip_unchanged: bool, step=None) -> dict[str, list[OutRecord]]:
        station_id = home.id if _role(s) == "township" else peer.station_id
        maps = _uuid_maps(s, station_id)
        villages = dict(s.execute(select(Village.id, Village.code)).all())
        names = dict(s.execute(select(Child.id, Child.name).where(Child.station_id == station_id)).all())
        village_names = dict(s.execute(select(Village.id, Village.name)).all())
        idnos = dict(s.execute(select(Child.id, Child.id_number).where(Child.station_id == station_id)).all())
        out: dict[str, list[OutRecord]] = {}
        for spec in ENTITIES:
            if step:
                step(f"正在整理{spec.sheet}")
            stmt = _scoped(select(spec.model), spec, station_id, peer if _role(s) == "county" else None)
            if since:
                cond = spec.model.change_seq > since
                if resend:
                    cond = or_(cond, spec.model.uuid.in_(list(resend)))
                stmt = stmt.where(cond)
            recs = s.scalars(stmt.order_by(spec.model.id)).all()
            bases = _latest_bases(s, peer.id, [r.uuid for r in recs]) if skip_unchanged else {}
            rows = []
            for r in recs:
                content = content_of(r, spec, maps, villages)
                if skip_unchanged and r.uuid not in resend and bases.get(r.uuid) == content:
                    continue  # the peer already holds exactly this
                cid = r.id if spec.name == "child" else getattr(r, "child_id", None)
                rows.append(OutRecord(r.uuid, r.rev, r.origin, r.created_at, r.created_by, content,
                                      names.get(cid), idnos.get(cid),
                                      village_names.get(r.village_id) if spec.name == "child" else None))
            out[spec.name] = rows
        return out

    # ---- import ----------------------------------------------------------------------------

    def apply(self, path: Path, *, dry_run: bool = False, progress=None, cancelled=None) -> ApplyResult:
        """Apply a package in one transaction (after a backup of the store); a dry run shows what it would do.
        A cancelled apply changes nothing."""
        path = Path(path)
        pkg = read_package(path)
        with self.ctx.read() as s:
            home = home_station(s)
            role = _role(s)
            self._check_addressing(pkg.meta, home, role)
            peer = s.scalar(select(SyncPeer).where(SyncPeer.code == pkg.meta.sender_code))
            if peer is not None and pkg.meta.seq <= peer.last_seq_in:
                done = ApplyResult(path.name, pkg.meta.sender_name, pkg.meta.seq, "duplicate")
                edited = sum(r.hand_edited for rows in pkg.rows.values() for r in rows) + pkg.added_rows
                if edited:
                    done.hand_edited = edited
                    done.notes.append(f"这个数据包已导入过，其中有{edited}行是之后手工修改或添加的，这些修改没有导入；"
                                      "请在本机直接修改，或请对方在其程序中修改后重新发送")
                return done
        if not dry_run and self.ctx.store.path is not None and self.ctx.store.path.exists():
            backup = backup_sqlite(self.ctx.store.path, f"{PACKAGE_BACKUP}-{pkg.meta.sender_code}-{pkg.meta.seq}")
            _prune_backups(backup.parent, self.ctx.store.path.stem)
        with self.ctx.store.sessions() as s:
            with s.begin():
                result = _Apply(self.ctx, s, pkg, path.name, dry_run, _Steps(progress, cancelled, len(ENTITIES))).run()
                if dry_run:
                    s.rollback()
                return result

    def _check_addressing(self, meta: Meta, home: Station, role: str) -> None:
        if meta.receiver_code != home.code:
            raise WeibaoError(f"这个数据包是发给“{meta.receiver_name}”（{meta.receiver_code}）的，不是本站"
                              f"（{home.name}，{home.code}），未导入")
        if role == "township":
            if meta.sender_role != "county" or meta.sender_code != county_code(home.code):
                raise WeibaoError(f"数据包来自“{meta.sender_name}”（{meta.sender_code}），不是本站所属县级单位，未导入")
        else:
            if meta.sender_role != "township" or meta.sender_code[:6] != home.code[:6]:
                raise WeibaoError(f"数据包来自“{meta.sender_name}”（{meta.sender_code}），不是本县的乡镇，未导入")

    # ---- conflicts -------------------------------------------------------------------------

    def conflicts(self, open_only: bool = True) -> list[ConflictInfo]:
        with self.ctx.read() as s:
            stmt = select(SyncConflict, SyncPeer.name).join(SyncPeer, SyncPeer.id == SyncConflict.peer_id)
            if open_only:
                stmt = stmt.where(SyncConflict.resolved_at.is_(None))
            out = []
            for c, peer_name in s.execute(stmt.order_by(SyncConflict.id)):
                spec = BY_NAME[c.entity]
                out.append(ConflictInfo(
                    c.id, peer_name, c.entity, spec.sheet, c.record_uuid, _title(s, spec, c.record_uuid), c.field,
                    label(c.entity, c.field), c.base_value, c.mine_value, c.theirs_value, c.theirs_by, c.theirs_at,
                    c.created_at))
            return out

    def resolve(self, conflict_id: int, choice: str) -> None:
        """A person chooses base, mine or theirs; the choice becomes this side's value and is sent on."""
        if choice not in ("base", "mine", "theirs"):
            raise WeibaoError("请选择：原值、本机的值或对方的值", "choice")
        with self.ctx.tx() as s:
            home = home_station(s)
            c = s.get(SyncConflict, conflict_id)
            if c is None or c.resolved_at is not None:
                raise WeibaoError("该冲突不存在或已处理", "conflict")
            spec = BY_NAME[c.entity]
            record = s.scalar(select(spec.model).where(spec.model.uuid == c.record_uuid))
            value = {"base": c.base_value, "mine": c.mine_value, "theirs": c.theirs_value}[choice]
            _set_content(s, record, spec, {c.field: value}, self.ctx, home.code, None)
            record.change_seq = change_seq(s)  # the decision travels to the peer even when the value stays
            c.resolved_at = utcnow()
            c.resolved_by = self.ctx.actor.name
            c.resolution = choice
            _refresh_children(s, home, {_child_of(s, spec, record)})

    # ---- undo ------------------------------------------------------------------------------

    def undo(self, import_id: int) -> None:
        """Take back the newest applied package from a peer, if nothing it touched has changed since."""
        with self.ctx.tx() as s:
            home = home_station(s)
            log = s.get(ImportLog, import_id)
            if log is None or log.kind != "package":
                raise WeibaoError("找不到这次导入记录", "import")
            d = dict(log.detail or {})
            if d.get("undone_at"):
                raise WeibaoError("这次导入已经撤销过了", "import")
            later = [r for r in s.scalars(select(ImportLog).where(ImportLog.kind == "package", ImportLog.id > log.id))
                     if (r.detail or {}).get("peer") == d.get("peer") and not (r.detail or {}).get("undone_at")]
            if later:
                raise WeibaoError("之后又导入过该单位的数据包，只能从最新的一次开始撤销", "import")
            apply_seq = d.get("change_seq")
            changes = s.scalars(select(ChangeLog).where(ChangeLog.batch == log.id).order_by(ChangeLog.id.desc())).all()
            touched: dict[tuple[str, str], object] = {}
            for spec in ENTITIES:
                for rec in s.scalars(select(spec.model).where(spec.model.change_seq == apply_seq)):
                    touched[(spec.name, rec.uuid)] = rec
            for ch in changes:
                key = (ch.entity, ch.record_uuid)
                if key not in touched:
                    raise WeibaoError("这次导入涉及的记录之后又被修改过，不能撤销；如有需要请手工更正", "import")
            children: set[int] = set()
            by_record: dict[tuple[str, str], dict] = {}
            for ch in changes:
                by_record.setdefault((ch.entity, ch.record_uuid), {})[ch.field] = ch.old_value
            for (entity, uuid), old in by_record.items():
                rec = touched[(entity, uuid)]
                values = {f: _from_text(rec.__table__.c[f], v) for f, v in old.items()}
                apply_changes(s, rec, values, self.ctx.actor, origin=home.code)
                children.add(_child_of(s, BY_NAME[entity], rec))
            created = [(n, r) for (n, _), r in touched.items() if r.rev == 1]
            for name, rec in sorted(created, key=lambda x: -[e.name for e in ENTITIES].index(x[0])):
                if name != "child":
                    children.add(_child_of(s, BY_NAME[name], rec))
                s.delete(rec)
                s.flush()
            s.execute(delete(SyncBase).where(SyncBase.batch == log.id))
            s.execute(delete(SyncConflict).where(SyncConflict.batch == log.id))
            peer = s.scalar(select(SyncPeer).where(SyncPeer.code == d.get("peer")))
            for k, v in d.get("peer_before", {}).items():
                setattr(peer, k, dt.datetime.fromisoformat(v) if k == "last_in_at" and v else v)
            log.detail = {**d, "undone_at": utcnow().isoformat(sep=" ", timespec="seconds"),
                          "undone_by": self.ctx.actor.name}
            s.flush()
            _refresh_children(s, home, {c for c in children if c})

    # ---- county views ----------------------------------------------------------------------

    def duplicates(self) -> list[DuplicateInfo]:
        """The same child (id number) on file in two stations: for the county to sort out."""
        from ..domain.idnumber import mask_id_number

        with self.ctx.read() as s:
            dup = (select(Child.id_number).where(Child.deleted_at.is_(None), Child.id_number.is_not(None))
                   .group_by(Child.id_number).having(func.count(func.distinct(Child.station_id)) > 1))
            rows = s.execute(
                select(Child.id_number, Station.name, Child.name, Child.uuid).join(Station, Station.id == Child.station_id)
                .where(Child.id_number.in_(dup), Child.deleted_at.is_(None)).order_by(Child.id_number, Station.code)
            ).all()
        grouped: dict[str, list] = {}
        for number, station, name, uuid in rows:
            grouped.setdefault(number, []).append((station, name, uuid))
        return [DuplicateInfo(mask_id_number(k), tuple(v)) for k, v in grouped.items()]


# ---- applying one package -----------------------------------------------------------------


class _Apply:
    def __init__(self, ctx: Context, s: Session, pkg: Package, file_name: str, dry_run: bool, step: _Steps):
        self.ctx, self.s, self.pkg, self.dry_run, self.step = ctx, s, pkg, dry_run, step
        self.meta = pkg.meta
        self.home = home_station(s)
        self.role = _role(s)
        self.result = ApplyResult(file_name, self.meta.sender_name, self.meta.seq, "dry-run" if dry_run else "applied")
        self.children_touched: set[int] = set()
        self.ask_again: list[str] = []

    def run(self) -> ApplyResult:
        s, meta = self.s, self.meta
        self.peer = self._peer()
        if meta.based_on > self.peer.last_seq_in:
            raise WeibaoError(
                f"本机只导入到{self.peer.name}的第{self.peer.last_seq_in}号数据包，而这个数据包只包含第{meta.based_on}号之后的变化。"
                f"请对方重新生成“完整”数据包（weibao sync export --full）后再导入")
        if meta.seq > self.peer.last_seq_in + 1:
            self.result.notes.append(f"第{self.peer.last_seq_in + 1}号至第{meta.seq - 1}号数据包未收到，但本包已包含其全部内容")
        before = {"last_seq_in": self.peer.last_seq_in, "acked_out": self.peer.acked_out,
                  "last_in_at": self.peer.last_in_at.isoformat() if self.peer.last_in_at else None,
                  "resend": list(self.peer.resend or []), "ask_again": list(self.peer.ask_again or [])}
        self.log = ImportLog(kind="package", file_name=self.result.file_name, file_hash=self.pkg.file_hash,
                             actor=self.ctx.actor.name, counts={}, detail={})
        s.add(self.log)
        s.flush()
        self.batch = self.log.id
        self.seq_value = change_seq(s)
        self._acknowledged()
        self.maps = {"child": {}, "report_clue": {}}
        with s.no_autoflush:  # lookups by uuid need no pending change written first; flushed once below
            for spec in ENTITIES:
                self.step(f"正在合并{spec.sheet}")
                self._entity(spec, self.pkg.rows.get(spec.name, []))
        self.result.missing_rows = len(self.pkg.missing_rows)
        if self.pkg.missing_rows:
            self.ask_again += [u for _, u in self.pkg.missing_rows]
            self.result.notes.append(f"有{len(self.pkg.missing_rows)}行在传递中被删除，已在回执中请对方重新发送")
        self.result.hand_added = self.pkg.added_rows
        _refresh_children(s, self.home, self.children_touched)
        self.peer.last_seq_in = meta.seq
        self.peer.last_in_at = utcnow()
        if meta.missing:
            self.peer.resend = sorted(set(self.peer.resend or []) | set(meta.missing))
        if self.ask_again:
            self.peer.ask_again = sorted(set(self.peer.ask_again or []) | set(self.ask_again))
        r = self.result
        self.log.counts = {"new": r.new, "changed": r.changed, "unchanged": r.unchanged, "conflicts": r.conflicts,
                           "refused": r.refused, "hand_edited": r.hand_edited, "hand_added": r.hand_added,
                           "missing_rows": r.missing_rows}
        self.log.detail = {"peer": self.peer.code, "seq": meta.seq, "change_seq": self.seq_value, "peer_before": before,
                           "notes": r.notes[:50], "sender": meta.sender_name}
        r.import_id = self.log.id
        s.flush()
        return r

    def _peer(self) -> SyncPeer:
        s, meta = self.s, self.meta
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == meta.sender_code))
        if peer is None:
            station_id = None
            if self.role == "county":
                station = s.scalar(select(Station).where(Station.code == meta.sender_code))
                if station is None:
                    station = Station(name=meta.sender_name, code=meta.sender_code, county=meta.county, settings={})
                    s.add(station)
                    s.flush()
                station_id = station.id
            peer = SyncPeer(code=meta.sender_code, name=meta.sender_name, role=meta.sender_role,
                            station_id=station_id, next_seq_out=1, acked_out=0, last_seq_in=0, resend=[], ask_again=[])
            s.add(peer)
            s.flush()
        peer.name = meta.sender_name  # the name the partner gives itself
        return peer

    def _acknowledged(self) -> None:
        """The peer has applied our packages up to `ack`: what they said becomes the base, unless we have
        heard from the peer about that record since the package was written."""
        s, peer, ack = self.s, self.peer, self.meta.ack
        if ack <= peer.acked_out:
            return
        if ack >= peer.next_seq_out:
            raise WeibaoError(f"数据包确认收到了本机的第{ack}号数据包，但本机只发出到第{peer.next_seq_out - 1}号；"
                              "可能导入了别的单位或旧备份的数据，未导入")
        outs = dict(s.execute(select(SyncOut.seq, SyncOut.base_mark).where(SyncOut.peer_id == peer.id)).all())
        sent = s.scalars(select(SyncSent).where(SyncSent.peer_id == peer.id, SyncSent.seq > peer.acked_out,
                                                SyncSent.seq <= ack).order_by(SyncSent.seq, SyncSent.id)).all()
        latest: dict[str, SyncSent] = {}
        for row in sent:
            latest[row.record_uuid] = row
        current = _latest_base_rows(s, peer.id, list(latest))
        conflicted = _open_conflict_fields(s, peer.id, list(latest))
        declined: dict[str, set[str]] = {}
        for uuid, f, _seq in self.meta.declined or []:
            declined.setdefault(uuid, set()).add(f)
        for uuid, row in latest.items():
            base = current.get(uuid)
            if base is not None and base.id > outs.get(row.seq, 0):
                continue  # the peer told us about this record after that package was written
            content = dict(row.content)
            # Fields held in conflict, here or at the peer, keep the old common value.
            for f in conflicted.get(uuid, set()) | declined.get(uuid, set()):
                content[f] = base.content.get(f) if base is not None else None
            s.add(SyncBase(peer_id=peer.id, entity=row.entity, record_uuid=uuid, content=content, batch=self.batch))
        s.execute(delete(SyncSent).where(SyncSent.peer_id == peer.id, SyncSent.seq <= ack))
        peer.acked_out = ack
        s.flush()

    def _entity(self, spec: EntitySpec, rows: list[PackageRow]) -> None:
        s = self.s
        if not rows:
            return
        model = spec.model
        uuids = [r.uuid for r in rows if r.uuid]
        existing = {}
        for i in range(0, len(uuids), 900):
            for rec in s.scalars(select(model).where(model.uuid.in_(uuids[i:i + 900]))):
                existing[rec.uuid] = rec
        bases = _latest_base_rows(s, self.peer.id, uuids)
        open_conf = _open_conflicts(s, self.peer.id, uuids)
        new_rows: list[dict] = []
        new_bases: list[dict] = []
        for row in rows:
            if row.hand_edited:
                self.result.hand_edited += 1
            refs = self._resolve_refs(spec, row)
            if refs is None:
                continue
            rec = existing.get(row.uuid) if row.uuid else self._match_added(spec, row, refs)
            if rec is None:
                values = self._values(spec, row, refs)
                if values is None:
                    continue
                new_rows.append((row, values))
                continue
            self._merge(spec, row, rec, bases.get(rec.uuid), open_conf.get(rec.uuid, {}), refs, new_bases)
        if new_rows:
            self._create(spec, new_rows, new_bases)
        if new_bases:
            bulk_insert(s.connection(), SyncBase.__table__, new_bases)

    def _resolve_refs(self, spec: EntitySpec, row: PackageRow) -> dict | None:
        """Local ids for the record's references; None (row held back, asked again) when one is missing."""
        out = {}
        for ref in spec.refs:
            uuid = row.content.get(ref.key)
            if uuid is None and ref.key == "child_uuid" and row.uuid is None and row.child_id_number:
                found = self.s.scalar(select(Child.id).where(Child.id_number == row.child_id_number.upper(),
                                                             Child.deleted_at.is_(None), *self._scope_child()))
                if found is None:
                    self._refuse(row, f"找不到身份证号为{row.child_id_number}的儿童档案")
                    return None
                out[ref.column] = found
                continue
            if uuid is None:
                out[ref.column] = None
                continue
            local = self.maps[ref.entity].get(uuid)
            if local is None:
                model = BY_NAME[ref.entity].model
                local = self.s.scalar(select(model.id).where(model.uuid == uuid))
                if local is not None:
                    self.maps[ref.entity][uuid] = local
            if local is None:
                self._refuse(row, f"所属的{BY_NAME[ref.entity].sheet}记录不在本机，也不在本数据包中（可能被删除了行），已请对方重发")
                self.ask_again.append(uuid)
                if row.uuid:
                    self.ask_again.append(row.uuid)
                return None
            out[ref.column] = local
        return out

    def _scope_child(self):
        if self.role == "county":
            return (Child.station_id == self.peer.station_id,)
        return (Child.station_id == self.home.id,)

    def _refuse(self, row: PackageRow, reason: str) -> None:
        self.result.refused += 1
        self.result.notes.append(f"“{row.sheet}”第{row.row}行：{reason}")

    def _match_added(self, spec: EntitySpec, row: PackageRow, refs: dict):
        """A row a clerk added by hand (no 记录编号): a child is matched by id number, else it is new."""
        if spec.name != "child" or not row.content.get("id_number"):
            return None
        return self.s.scalar(select(Child).where(Child.id_number == row.content["id_number"], Child.deleted_at.is_(None),
                                                 *self._scope_child()))

    def _values(self, spec: EntitySpec, row: PackageRow, refs: dict) -> dict | None:
        """Column values for a new record; None (row refused) when something required is empty."""
        content = row.content
        missing = [f.label for f in F.BY_ENTITY[spec.name] if f.required and content.get(f.name) is None]
        if missing:
            self._refuse(row, f"缺少{'、'.join(missing)}")
            return None
        values = {}
        for k, convert in _converters(spec.name):
            v = content.get(k)
            if k == "village_code":
                values["village_id"] = self._village(v, row.village_name)
            else:
                values[k] = None if v is None else convert(v)
        values.update(refs)
        return values

    def _village(self, code: str | None, name: str | None = None) -> int | None:
        """The local village with this code, created (or named) from the package when new here.
        A county names townships' villages 乡镇·村, so county-wide lists say where a child lives."""
        if not code:
            return None
        cache = self.maps.setdefault("village", {})
        if code not in cache:
            station_id = self.peer.station_id if self.role == "county" else self.home.id
            label = (f"{self.peer.name}·{name}" if self.role == "county" else name) if name else f"村{code[-3:]}"
            v = self.s.scalar(select(Village).where(Village.code == code))
            if v is None:
                v = Village(station_id=station_id, name=label[:50], code=code)
                self.s.add(v)
                self.s.flush()
            elif name and v.name == f"村{code[-3:]}":
                v.name = label[:50]
            cache[code] = v.id
        return cache[code]

    def _create(self, spec: EntitySpec, new_rows: list, new_bases: list[dict]) -> None:
        s = self.s
        conn = s.connection()
        table = spec.model.__table__
        ids = next_ids(conn, table, len(new_rows))
        now = utcnow()
        station_id = self.peer.station_id if self.role == "county" else self.home.id
        rows = []
        for (row, values), new_id in zip(new_rows, ids, strict=False):
            uuid = row.uuid or _uuid()
            full = {c.name: None for c in table.columns}
            full.update(values)
            full.update(id=new_id, uuid=uuid, origin=row.origin or self.meta.sender_code,
                        created_at=row.created_at or now, created_by=row.created_by or self.meta.sender_name,
                        updated_at=now, updated_by=self.ctx.actor.name, rev=1, change_seq=self.seq_value)
            if spec.name == "child":
                full.update(station_id=station_id, risk_colour=None, colour_set_on=None, last_visit_on=None,
                            next_visit_due=None, hukou_registered=values.get("hukou_registered", True)
                            if values.get("hukou_registered") is not None else True,
                            status=values.get("status") or "active",
                            opened_on=values.get("opened_on") or self.ctx.today())
                self.maps["child"][uuid] = new_id
                self.children_touched.add(new_id)
            elif spec.name == "report_clue":
                self.maps["report_clue"][uuid] = new_id
            if full.get("child_id"):
                self.children_touched.add(full["child_id"])
            for col in table.columns:
                if full.get(col.name) is None and not col.nullable and col.default is not None and \
                        not callable(col.default.arg):
                    full[col.name] = col.default.arg
            rows.append(full)
            if row.uuid:
                new_bases.append({"peer_id": self.peer.id, "entity": spec.name, "record_uuid": uuid,
                                  "content": row.original or row.content, "batch": self.batch})
            self._note_change(f"新增 {spec.sheet}：{_row_title(spec, row.content)}")
        bulk_insert(conn, table, rows)
        sync_id_sequences(conn, [table])
        self.result.new += len(rows)

    def _merge(self, spec: EntitySpec, row: PackageRow, rec, base_row, open_conf: dict, refs: dict,
               new_bases: list[dict]) -> None:
        s = self.s
        known = {(r.entity, v): k for r in spec.refs for k, v in self.maps[r.entity].items()}
        mine = content_of(rec, spec, _RefLookup(s, known), _VillageLookup(s))
        theirs = dict(row.content)  # with any correction a clerk made on the way
        base = base_row.content if base_row is not None else None
        for key, c in open_conf.items():  # a held field: settled if the sides now agree, else kept up to date
            t = theirs.get(key)
            if t == mine.get(key):
                c.resolved_at, c.resolved_by, c.resolution = utcnow(), self.meta.sender_name, "agreed"
            elif t != c.theirs_value:
                c.theirs_value, c.theirs_by, c.theirs_at = t, self.meta.created_by, _parse_when(self.meta.created_at)
        held = {k for k, c in open_conf.items() if c.resolved_at is None}
        outcome = merge_record(spec.content_keys, base, mine, theirs, held)
        for key in outcome.conflicts:
            self._note_change(f"冲突 {spec.sheet}：{_row_title(spec, mine)}　{label(spec.name, key)}：本机“{mine.get(key) or '（空）'}”"
                              f"／对方“{theirs.get(key) or '（空）'}”，导入后请选择")
            s.add(SyncConflict(peer_id=self.peer.id, entity=spec.name, record_uuid=rec.uuid, field=key,
                               from_seq=self.meta.seq,
                               base_value=base.get(key) if base else None, mine_value=mine.get(key),
                               theirs_value=theirs.get(key), theirs_by=self.meta.created_by,
                               theirs_at=_parse_when(self.meta.created_at), batch=self.batch))
        if outcome.take:
            _set_content(s, rec, spec, outcome.take, self.ctx, self.home.code, self.batch, refs_local=refs,
                         village=lambda code: self._village(code, row.village_name))
            rec.change_seq = self.seq_value
            self.result.changed += 1
            title = _row_title(spec, {**mine, **outcome.take})
            for k, v in outcome.take.items():
                self._note_change(f"更新 {spec.sheet}：{title}　{label(spec.name, k)}：{mine.get(k) or '（空）'} → {v or '（空）'}")
            self.children_touched.add(_child_of(s, spec, rec))
        elif not outcome.conflicts:
            self.result.unchanged += 1
        self.result.conflicts += len(outcome.conflicts)
        # The sender holds its own content, not the clerk's corrections: those go back to it as changes.
        keep = next_base(row.original or theirs, base, held | set(outcome.conflicts))
        if keep != base:
            new_bases.append({"peer_id": self.peer.id, "entity": spec.name, "record_uuid": rec.uuid, "content": keep,
                              "batch": self.batch})
        if spec.name in self.maps:
            self.maps[spec.name][rec.uuid] = rec.id

    def _note_change(self, line: str) -> None:
        if len(self.result.changes) < 2000:
            self.result.changes.append(line)


# ---- helpers -------------------------------------------------------------------------------


class _Steps:
    """Progress by steps for a window, and the point where a cancel takes effect (rolling back)."""

    def __init__(self, progress, cancelled, total: int):
        self.progress, self.cancelled, self.total, self.done = progress, cancelled, total, 0

    def __call__(self, text: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise WeibaoError("已取消，没有做任何改动")
        if self.progress is not None:
            self.progress(self.done, self.total, text)
        self.done += 1


class _RefLookup(dict):
    """(entity, local id) -> uuid, fetched on demand for references of a merged record."""

    def __init__(self, s: Session, known: dict):
        super().__init__(known)
        self.s = s

    def get(self, key, default=None):
        if key in self:
            return self[key]
        entity, local = key
        model = BY_NAME[entity].model
        uuid = self.s.scalar(select(model.uuid).where(model.id == local))
        self[key] = uuid
        return uuid


class _VillageLookup(dict):
    def __init__(self, s: Session):
        super().__init__()
        self.s = s

    def get(self, key, default=None):
        if key not in self:
            self[key] = self.s.scalar(select(Village.code).where(Village.id == key))
        return self[key]


def _set_content(s: Session, rec, spec: EntitySpec, content: dict, ctx: Context, origin: str, batch: int | None,
                 refs_local: dict | None = None, village=None) -> None:
    values = {}
    for k, v in content.items():
        ref = next((r for r in spec.refs if r.key == k), None)
        if ref is not None:
            if refs_local is not None and ref.column in refs_local:
                values[ref.column] = refs_local[ref.column]
            else:
                model = BY_NAME[ref.entity].model
                values[ref.column] = s.scalar(select(model.id).where(model.uuid == v)) if v else None
        elif k == "village_code":
            values["village_id"] = (village(v) if village else
                                    s.scalar(select(Village.id).where(Village.code == v))) if v else None
        else:
            values[k] = _from_text(rec.__table__.c[k], v)
    apply_changes(s, rec, values, ctx.actor, origin=origin, batch=batch)


def _from_text(column, text: str | None):
    return None if text is None else _converter(column)(text)


def _converter(column):
    """Content text back to the column's Python value."""
    t = column.type
    if isinstance(t, DateTime):
        return dt.datetime.fromisoformat
    if isinstance(t, Date):
        return lambda text: dt.date.fromisoformat(text[:10])
    if isinstance(t, Boolean):
        return lambda text: text in ("1", "true", "True")
    if isinstance(t, Integer):
        return int
    return str


@functools.cache
def _converters(entity: str) -> tuple:
    """(content key, converter) for an entity's own fields, references excluded."""
    spec = BY_NAME[entity]
    refs = {r.key for r in spec.refs}
    table = spec.model.__table__
    return tuple((k, None if k == "village_code" else _converter(table.c[k]))
                 for k in spec.content_keys if k not in refs)


def _refresh_children(s: Session, home: Station, ids: set[int | None]) -> None:
    """Derived fields of children whose records changed: colour from the latest risk assessment,
    last visit and next due date from the visits. A few queries per thousand children."""
    ids = sorted(i for i in ids if i)
    if not ids:
        return
    s.flush()
    cadences: dict[int, object] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        colour = {}
        for cid, result, day in s.execute(
            select(Assessment.child_id, Assessment.result, Assessment.assessed_on)
            .where(Assessment.child_id.in_(chunk), Assessment.kind == "risk", Assessment.deleted_at.is_(None))
            .order_by(Assessment.child_id, Assessment.assessed_on, Assessment.id)
        ):
            colour[cid] = (result, day)
        last = {}
        for cid, day, planned in s.execute(
            select(Visit.child_id, Visit.visited_on, Visit.next_due_on)
            .where(Visit.child_id.in_(chunk), Visit.deleted_at.is_(None))
            .order_by(Visit.child_id, Visit.visited_on, Visit.id)
        ):
            last[cid] = (day, planned)
        for child in s.scalars(select(Child).where(Child.id.in_(chunk))):
            if child.station_id not in cadences:
                cadences[child.station_id] = station_cadence(s.get(Station, child.station_id))
            child.risk_colour, child.colour_set_on = colour.get(child.id, (None, None))
            child.last_visit_on, planned = last.get(child.id, (None, None))
            if child.status != "active" or child.deleted_at is not None:
                child.next_visit_due = None
            else:
                child.next_visit_due = next_visit_due(
                    child.risk_colour, cadences[child.station_id], last_visit_on=child.last_visit_on,
                    opened_on=child.opened_on, planned_on=planned, colour_set_on=child.colour_set_on)


def _child_of(s: Session, spec: EntitySpec, rec) -> int | None:
    return rec.id if spec.name == "child" else getattr(rec, "child_id", None)


def _scoped(stmt, spec: EntitySpec, station_id: int, county_peer: SyncPeer | None):
    model = spec.model
    if spec.name == "child":
        return stmt.where(Child.station_id == station_id)
    if any(r.key == "child_uuid" for r in spec.refs):
        stmt = stmt.outerjoin(Child, Child.id == model.child_id)
        own = Child.station_id == station_id
        if county_peer is not None:
            return stmt.where(or_(own, and_(model.child_id.is_(None), model.origin == county_peer.code)))
        return stmt.where(or_(own, model.child_id.is_(None)))
    return stmt


def _uuid_maps(s: Session, station_id: int) -> dict:
    out = {("child", i): u for i, u in s.execute(select(Child.id, Child.uuid).where(Child.station_id == station_id))}
    out.update({("report_clue", i): u for i, u in s.execute(select(ReportClue.id, ReportClue.uuid))})
    return out


def _latest_base_rows(s: Session, peer_id: int, uuids: list[str]) -> dict[str, SyncBase]:
    out: dict[str, SyncBase] = {}
    for i in range(0, len(uuids), 900):
        for row in s.scalars(select(SyncBase).where(SyncBase.peer_id == peer_id,
                                                    SyncBase.record_uuid.in_(uuids[i:i + 900])).order_by(SyncBase.id)):
            out[row.record_uuid] = row
    return out


def _latest_bases(s: Session, peer_id: int, uuids: list[str]) -> dict[str, dict]:
    return {u: r.content for u, r in _latest_base_rows(s, peer_id, uuids).items()}


def _open_conflicts(s: Session, peer_id: int, uuids: list[str]) -> dict[str, dict[str, SyncConflict]]:
    out: dict[str, dict[str, SyncConflict]] = {}
    for i in range(0, len(uuids), 900):
        for c in s.scalars(select(SyncConflict).where(SyncConflict.peer_id == peer_id, SyncConflict.resolved_at.is_(None),
                                                      SyncConflict.record_uuid.in_(uuids[i:i + 900]))):
            out.setdefault(c.record_uuid, {})[c.field] = c
    return out


def _open_conflict_fields(s: Session, peer_id: int, uuids: list[str]) -> dict[str, set[str]]:
    return {u: set(d) for u, d in _open_conflicts(s, peer_id, uuids).items()}


def _counter(s: Session) -> int:
    row = s.get(Setting, "change_seq")
    return int(row.value) if row else 0


def _role(s: Session) -> str:
    return "county" if store_mode(s) == "county" else "township"


def _late_days(home: Station) -> int:
    return int((home.settings or {}).get("late_after_days", 35))


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _parse_when(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _row_title(spec: EntitySpec, content: dict) -> str:
    for key in ("name", "child_name", "caller", "kind", "category", "visited_on"):
        if content.get(key):
            return str(content[key])
    return ""


def _title(s: Session, spec: EntitySpec, uuid: str) -> str:
    rec = s.scalar(select(spec.model).where(spec.model.uuid == uuid))
    if rec is None:
        return uuid
    if spec.name == "child":
        return rec.name
    child = s.get(Child, rec.child_id) if getattr(rec, "child_id", None) else None
    return f"{child.name if child else ''} {spec.sheet}".strip()


__all__ = ["ExchangeService", "ApplyResult", "ExportResult", "PeerInfo", "ConflictInfo", "county_code"]
