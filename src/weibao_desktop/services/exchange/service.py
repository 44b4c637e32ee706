"""The exchange service: status of the partners, writing packages, applying them, conflicts, undo and the
county's duplicate check. Applying one package is `apply.PackageApply`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, undefer_group

from ...domain.errors import WeibaoError
from ...domain.idnumber import mask_id_number
from ...models.bulk import bulk_insert, table_of
from ...models.entities import (
    PLACEMENT_GROUP,
    ChangeLog,
    Child,
    ImportLog,
    Station,
    SyncBase,
    SyncConflict,
    SyncOut,
    SyncPeer,
    SyncSent,
    Village,
    utcnow,
)
from ...models.private_tmp import place
from ...models.store import head_revision
from ...sync.office_crypto import WrongPassword, encrypt_package, is_encrypted
from ...sync.package import Meta, OutRecord, Package, read_package, write_package
from ...sync.package_check import replay_note
from ...sync.records import BY_NAME, ENTITIES, content_of, label
from ...sync.safe_read import file_sha256
from .. import audit
from ..base import Context, home_station
from ..maintenance import backup_before_import
from ..pairing import check_sender, package_password, package_passwords, paired_partner, signer
from ..queries import live
from ..records import apply_changes, change_seq
from .apply import PackageApply
from .content import (
    Steps,
    child_of,
    counter,
    from_text,
    late_days,
    latest_bases,
    record_title,
    refresh_children,
    role_of,
    scoped,
    set_content,
    uuid_maps,
)
from .results import (
    ApplyResult,
    ConflictInfo,
    DuplicateInfo,
    ExportResult,
    PeerInfo,
    county_code,
)


class _RolledBack(Exception):
    """Carries a dry run's result out of its write transaction, which it rolls back on the way."""

    def __init__(self, result: ApplyResult):
        super().__init__()
        self.result = result


class ExchangeService:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._opened_with: dict[str, str] = {}  # package path -> the partner code whose password opened it


    def peers(self) -> list[PeerInfo]:
        """Every exchange partner, with what was sent and received; for a county, who is late."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            home = home_station(s)
            rows = s.scalars(select(SyncPeer).order_by(SyncPeer.code)).all()
            open_by_peer: dict[int | None, int] = dict(s.execute(
                select(SyncConflict.peer_id, func.count()).where(SyncConflict.resolved_at.is_(None))
                .group_by(SyncConflict.peer_id)).all())
            counts: dict[int | None, int] = dict(s.execute(
                select(Child.station_id, func.count()).where(live(Child), Child.status == "active")
                .group_by(Child.station_id)).all())
            out = []
            for p in rows:
                late = p.role == "township" and (
                    p.last_in_at is None or (today - p.last_in_at.date()).days > late_days(home))
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


    def export(self, path: Path, *, peer_code: str | None = None, full: bool = False,
               progress=None, cancelled=None) -> ExportResult:
        """Write the next package for a peer: the changes since the peer last acknowledged, or everything.

        `progress(done, total, text)` and `cancelled()` let a window show progress and stop it; a
        cancelled export writes nothing and changes nothing."""
        path = Path(path)
        step = Steps(progress, cancelled, len(ENTITIES) + 1)
        with self.ctx.store.private_temp().scratch(".xlsx", "export") as staged:
            return self._export(path, staged, peer_code, full, step)

    def _export(self, path: Path, staged: Path, peer_code: str | None, full: bool, step: Steps) -> ExportResult:
        """The package is written in the private temporary folder and placed under its final name inside the
        write transaction: a target another program holds open (WPS on Windows refuses the rename) fails the
        export with nothing recorded as sent, and a commit that fails after placing takes the file away again,
        so no package ever exists whose sequence number will be used again."""
        placed = False
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
                    sender_code=home.code, sender_name=home.name, sender_role=role_of(s), county=home.county,
                    receiver_code=peer.code, receiver_name=peer.name, seq=seq, based_on=0 if since == 0 else peer.acked_out,
                    ack=peer.last_seq_in, missing=list(peer.ask_again or []), declined=declined, full=full,
                    created_at=dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"), created_by=self.ctx.actor.name,
                    schema=head_revision(),
                )
                write_package(staged, meta, records, f"{home.name}→{peer.name}　交换数据包第{seq}号", self.ctx.store.private_temp(),
                              signer=signer(s))
                encrypt_package(staged, package_password(s, peer.code))  # the pair's password: it never travels
                s.add(SyncOut(peer_id=peer.id, seq=seq, change_seq=counter(s), full=full, ack_sent=peer.last_seq_in,
                              base_mark=s.scalar(select(func.coalesce(func.max(SyncBase.id), 0)))))
                for name, recs in records.items():
                    if recs:
                        bulk_insert(s.connection(), table_of(SyncSent), [
                            {"peer_id": peer.id, "seq": seq, "entity": name, "record_uuid": r.uuid, "content": r.content}
                            for r in recs])
                counts = {k: len(v) for k, v in records.items()}
                s.add(ImportLog(kind="package-out", file_name=path.name, file_hash=file_sha256(staged), actor=self.ctx.actor.name,
                                counts=counts, detail={"peer": peer.code, "peer_name": peer.name, "seq": seq, "full": full}))
                audit.append(s, self.ctx.actor, "package_export", path.name,
                             {"peer": peer.code, "seq": seq, "full": full, "count": sum(counts.values())})
                peer.next_seq_out = seq + 1
                peer.last_out_at = utcnow()
                peer.resend = []
                peer.ask_again = []
                result = ExportResult(path, peer.name, seq, full, counts)
                try:
                    place(staged, path)
                except OSError as e:
                    raise WeibaoError(f"无法写入“{path.name}”（{e.strerror or e}）：文件可能正被 WPS、Excel 等程序打开，"
                                      "或该位置不能写入。请关闭它或换一个位置后重试；本次没有生成数据包。", "file") from None
                placed = True
        except BaseException:
            if placed:
                path.unlink(missing_ok=True)
            raise
        return result

    def _outgoing_peer(self, s: Session, home: Station, peer_code: str | None) -> SyncPeer:
        """The paired partner a package goes to: a township sends to its county office only."""
        if role_of(s) == "township":
            code = peer_code or county_code(home.code)
            peer = s.scalar(select(SyncPeer).where(SyncPeer.code == code))
            if peer is None or paired_partner(s, code) is None:
                raise WeibaoError("本站还没有与县级配对，不能生成数据包。请先导入县级发来的开通文件（设置 → 配对）。", "peer")
            return peer
        if not peer_code:
            raise WeibaoError("县级模式下请指定要发给哪个乡镇（区划代码）", "peer")
        peer = s.scalar(select(SyncPeer).where(or_(SyncPeer.code == peer_code, SyncPeer.name == peer_code)))
        if peer is None or paired_partner(s, peer.code) is None:
            raise WeibaoError(f"还没有与“{peer_code}”配对，不能给它发数据包。请先在 设置 → 配对 中为它生成开通文件并确认回执。",
                              "peer")
        return peer

    def _collect(self, s: Session, home: Station, peer: SyncPeer, since: int, resend: set[str],
                 skip_unchanged: bool, step=None) -> dict[str, list[OutRecord]]:
        station_id = home.id if role_of(s) == "township" else peer.station_id
        maps = uuid_maps(s, station_id)
        villages = dict(s.execute(select(Village.id, Village.code)).all())
        names: dict[int | None, str] = dict(s.execute(select(Child.id, Child.name).where(Child.station_id == station_id)).all())
        village_names = dict(s.execute(select(Village.id, Village.name)).all())
        idnos: dict[int | None, str | None] = dict(s.execute(select(Child.id, Child.id_number).where(Child.station_id == station_id)).all())
        out: dict[str, list[OutRecord]] = {}
        for spec in ENTITIES:
            if step:
                step(f"正在整理{spec.sheet}")
            stmt = scoped(select(spec.model).options(undefer_group(PLACEMENT_GROUP)), spec, station_id,
                          peer if role_of(s) == "county" else None)
            if since:
                cond = spec.model.change_seq > since
                if resend:
                    cond = or_(cond, spec.model.uuid.in_(list(resend)))
                stmt = stmt.where(cond)
            recs = s.scalars(stmt.order_by(spec.model.id)).all()
            bases = latest_bases(s, peer.id, [r.uuid for r in recs]) if skip_unchanged else {}
            rows = []
            for r in recs:
                content = content_of(r, spec, maps, villages)
                if skip_unchanged and r.uuid not in resend and bases.get(r.uuid) == content:
                    continue  # the peer already holds exactly this
                cid = r.id if spec.name == "child" else getattr(r, "child_id", None)
                rows.append(OutRecord(r.uuid, r.rev, r.origin, r.created_at, r.created_by, content,
                                      names.get(cid), idnos.get(cid),
                                      village_names.get(r.village_id) if spec.name == "child" or spec.by_station
                                      else None))
            out[spec.name] = rows
        return out


    def apply(self, path: Path, *, dry_run: bool = False, progress=None, cancelled=None,
              accept_hand_edits: bool | set[str] = False, password: str | None = None) -> ApplyResult:
        """Apply a package in one write transaction (after a backup of the store); a dry run shows what it
        would do and changes nothing. A cancelled apply changes nothing.

        Only the signed content applies, plus the hand edits a person accepted: all (True) or those whose
        `HandEdit.id` is in the set (the preview lists them). An encrypted package is opened with `password`,
        or else with the package password of each paired partner in turn (it names no sender outside).

        Whether the package was applied before is read again inside the write transaction: another import of
        the same package may have finished meanwhile."""
        path = Path(path)
        if not dry_run:
            backup_before_import(self.ctx.store, "package")  # before the file is read: parsing takes seconds
        pkg = self._read(path, password)
        with self.ctx.read() as s:
            done = self._applied_before(s, pkg, path.name)
        if done is not None:
            return done
        steps = Steps(progress, cancelled, len(ENTITIES))
        if dry_run:
            # The check works the package through exactly as an apply would, then throws it all away: it runs in
            # a write transaction (holding the write lock, so nothing changes underneath it) that always rolls back.
            try:
                with self.ctx.tx() as s:
                    raise _RolledBack(PackageApply(self.ctx, s, pkg, path.name, True, steps, accept_hand_edits).run())
            except _RolledBack as checked:
                return checked.result
        with self.ctx.tx() as s:
            done = self._applied_before(s, pkg, path.name)
            if done is not None:
                return done
            result = PackageApply(self.ctx, s, pkg, path.name, False, steps, accept_hand_edits).run()
            if result.status == "applied":
                audit.append(s, self.ctx.actor, "exchange_apply", path.name,
                             {"peer": pkg.meta.sender_code, "seq": pkg.meta.seq, "added": result.new,
                              "changed": result.changed, "count": result.conflicts})
            return result

    def _read(self, path: Path, password: str | None) -> Package:
        if password is not None or not is_encrypted(path):
            return read_package(path, password)
        with self.ctx.read() as s:
            candidates = package_passwords(s)
        # The partner that opened this file before (the preview), then one named in the file name, are tried
        # first: each wrong try costs a key derivation (100,000 hashes, as Excel writes it).
        known = self._opened_with.get(str(path))
        candidates.sort(key=lambda c: (c[0] != known, c[0] not in path.name and c[1] not in path.name))
        for code, _name, candidate in candidates:
            try:
                pkg = read_package(path, candidate)
            except WrongPassword:
                continue
            self._opened_with[str(path)] = code
            return pkg
        raise WeibaoError(f"“{path.name}”已加密，但本机与各配对单位的包密码都打不开它：它可能是发给别的单位的，"
                          "或来自未配对的单位、换了电脑尚未重新配对的单位。未导入任何数据。", "file")

    def _applied_before(self, s: Session, pkg: Package, file_name: str) -> ApplyResult | None:
        """Refuses a package addressed elsewhere; says so (changing nothing) when it was applied before."""
        self._check_addressing(pkg.meta, home_station(s), role_of(s))
        meta = pkg.meta
        check_sender(s, meta.sender_code, meta.sender_name, meta.signer, meta.signature, pkg.signed)
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == pkg.meta.sender_code))
        if peer is None or pkg.meta.seq > peer.last_seq_in:
            return None
        done = ApplyResult(file_name, pkg.meta.sender_name, pkg.meta.seq, "duplicate")
        done.notes.append(replay_note(pkg.meta.seq, peer.last_seq_in, pkg.meta.sender_name))
        edited = sum(r.hand_edited for rows in pkg.rows.values() for r in rows) + pkg.added_rows
        if edited:
            done.hand_edited = edited
            done.notes.append(f"这个数据包已导入过，其中有{edited}行是之后手工修改或添加的，这些修改没有导入；"
                              "请在本机直接修改，或请对方在其程序中修改后重新发送")
        return done

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


    def conflicts(self, open_only: bool = True) -> list[ConflictInfo]:
        with self.ctx.read() as s:
            stmt = select(SyncConflict, SyncPeer.name).join(SyncPeer, SyncPeer.id == SyncConflict.peer_id)
            if open_only:
                stmt = stmt.where(SyncConflict.resolved_at.is_(None))
            out = []
            for c, peer_name in s.execute(stmt.order_by(SyncConflict.id)):
                spec = BY_NAME[c.entity]
                out.append(ConflictInfo(
                    c.id, peer_name, c.entity, spec.sheet, c.record_uuid, record_title(s, spec, c.record_uuid), c.field,
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
            record = s.scalars(select(spec.model).where(spec.model.uuid == c.record_uuid)).one()
            value = {"base": c.base_value, "mine": c.mine_value, "theirs": c.theirs_value}[choice]
            set_content(s, record, spec, {c.field: value}, self.ctx, home.code, None)
            record.change_seq = change_seq(s)  # the decision travels to the peer even when the value stays
            c.resolved_at = utcnow()
            c.resolved_by = self.ctx.actor.name
            c.resolution = choice
            refresh_children(s, {child_of(s, spec, record)})


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
            touched: dict[tuple[str, str], Any] = {}
            for spec in ENTITIES:
                for rec in s.scalars(select(spec.model).where(spec.model.change_seq == apply_seq)):
                    touched[(spec.name, rec.uuid)] = rec
            for ch in changes:
                key = (ch.entity, ch.record_uuid)
                if key not in touched:
                    raise WeibaoError("这次导入涉及的记录之后又被修改过，不能撤销；如有需要请手工更正", "import")
            children: set[int | None] = set()
            by_record: dict[tuple[str, str], dict] = {}
            for ch in changes:
                by_record.setdefault((ch.entity, ch.record_uuid), {})[ch.field] = ch.old_value
            for (entity, uuid), old in by_record.items():
                rec = touched[(entity, uuid)]
                values = {f: from_text(rec.__table__.c[f], v) for f, v in old.items()}
                apply_changes(s, rec, values, self.ctx.actor, origin=home.code)
                children.add(child_of(s, BY_NAME[entity], rec))
            created = [(n, r) for (n, _), r in touched.items() if r.rev == 1]
            for name, rec in sorted(created, key=lambda x: -[e.name for e in ENTITIES].index(x[0])):
                if name != "child":
                    children.add(child_of(s, BY_NAME[name], rec))
                s.delete(rec)
                s.flush()
            s.execute(delete(SyncBase).where(SyncBase.batch == log.id))
            s.execute(delete(SyncConflict).where(SyncConflict.batch == log.id))
            peer = s.scalar(select(SyncPeer).where(SyncPeer.code == d.get("peer")))
            for k, v in d.get("peer_before", {}).items():
                setattr(peer, k, dt.datetime.fromisoformat(v) if k == "last_in_at" and v else v)
            log.detail = {**d, "undone_at": utcnow().isoformat(sep=" ", timespec="seconds"),
                          "undone_by": self.ctx.actor.name}
            audit.append(s, self.ctx.actor, "exchange_undo", log.file_name, {"peer": d.get("peer"), "seq": d.get("seq")})
            s.flush()
            refresh_children(s, {c for c in children if c})


    def duplicates(self) -> list[DuplicateInfo]:
        """The same child (id number) on file in two stations: for the county to sort out."""
        with self.ctx.read() as s:
            dup = (select(Child.id_number).where(live(Child), Child.id_number.is_not(None))
                   .group_by(Child.id_number).having(func.count(func.distinct(Child.station_id)) > 1))
            rows = s.execute(
                select(Child.id_number, Station.name, Child.name, Child.uuid).join(Station, Station.id == Child.station_id)
                .where(Child.id_number.in_(dup), live(Child)).order_by(Child.id_number, Station.code)
            ).all()
        grouped: dict[str | None, list] = {}
        for number, station, name, uuid in rows:
            grouped.setdefault(number, []).append((station, name, uuid))
        return [DuplicateInfo(mask_id_number(k), tuple(v)) for k, v in grouped.items()]
