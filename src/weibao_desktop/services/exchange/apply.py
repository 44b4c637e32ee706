"""Applying one package: the peer's acknowledgement, then each entity's rows merged field by field against
the per-peer base, new records created in bulk, conflicts held for a person, the derived fields refreshed."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, undefer

from ...domain.errors import WeibaoError
from ...domain.fields import BY_ENTITY, display
from ...models.bulk import bulk_insert, table_of
from ...models.entities import (
    Child,
    ImportLog,
    SyncBase,
    SyncConflict,
    SyncOut,
    SyncPeer,
    SyncSent,
    Village,
    utcnow,
)
from ...sync.merge import merge_record, next_base
from ...sync.package import Package, PackageRow
from ...sync.records import BY_NAME, ENTITIES, EntitySpec, content_of, label
from ..base import Context, home_station
from ..queries import live
from ..records import Bulk, change_seq, child_defaults, person_values
from .content import (
    RefLookup,
    Steps,
    VillageLookup,
    child_of,
    converters,
    latest_base_rows,
    open_conflict_fields,
    open_conflicts,
    parse_when,
    refresh_children,
    role_of,
    row_title,
    scoped,
    set_content,
)
from .results import ApplyResult, HandEdit


class PackageApply:
    def __init__(self, ctx: Context, s: Session, pkg: Package, file_name: str, dry_run: bool, step: Steps,
                 accept: bool | set[str] = False):
        self.ctx, self.s, self.pkg, self.dry_run, self.step, self.accept = ctx, s, pkg, dry_run, step, accept
        self.meta = pkg.meta
        self.home = home_station(s)
        self.role = role_of(s)
        self.result = ApplyResult(file_name, self.meta.sender_name, self.meta.seq, "dry-run" if dry_run else "applied")
        self.children_touched: set[int | None] = set()
        self.ask_again: list[str] = []

    def run(self) -> ApplyResult:
        s, meta = self.s, self.meta
        self.peer = self._peer()
        # Whose records this package may touch: the township's (the one it comes from, or is addressed to).
        self.station_id = self.peer.station_id if self.role == "county" else self.home.id
        self.deleted_accepted: list[tuple[str, str]] = []
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
        self.maps: dict[str, dict[str, int]] = {"household": {}, "child": {}, "report_clue": {}}
        with s.no_autoflush:  # lookups by uuid need no pending change written first; flushed once below
            for spec in ENTITIES:
                self.step(f"正在合并{spec.sheet}")
                self._entity(spec, self.pkg.rows.get(spec.name, []))
        self.result.missing_rows = len(self.pkg.missing_rows)
        if self.deleted_accepted:
            self.ask_again += [u for _, u in self.deleted_accepted]
            self.result.notes.append(f"有{len(self.deleted_accepted)}行在传递中被删除，已在回执中请对方重新发送")
        self.result.hand_added = self.pkg.added_rows
        refresh_children(s, self.children_touched)
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
        """The paired sender; a station is registered by pairing, never by a package that names it."""
        peer = self.s.scalar(select(SyncPeer).where(SyncPeer.code == self.meta.sender_code))
        if peer is None or (self.role == "county" and peer.station_id is None):
            raise WeibaoError(f"本机没有与“{self.meta.sender_name}”（{self.meta.sender_code}）配对，未导入任何数据")
        peer.name = self.meta.sender_name  # the name the partner gives itself
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
        current = latest_base_rows(s, peer.id, list(latest))
        conflicted = open_conflict_fields(s, peer.id, list(latest))
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
        rows = self._signed_rows(spec, rows)
        if not rows:
            return
        model = spec.model
        uuids = [r.uuid for r in rows if r.uuid]
        existing = {}
        for i in range(0, len(uuids), 900):
            for rec in s.scalars(self._scoped(spec, select(model).where(model.uuid.in_(uuids[i:i + 900]))
                                              .options(undefer("*")))):
                existing[rec.uuid] = rec
        others = [u for u in uuids if u not in existing]
        elsewhere: set[str] = set()
        for i in range(0, len(others), 900):
            elsewhere |= set(s.scalars(select(model.uuid).where(model.uuid.in_(others[i:i + 900]))))
        bases = latest_base_rows(s, self.peer.id, uuids)
        open_conf = open_conflicts(s, self.peer.id, uuids)
        new_rows: list[tuple[PackageRow, dict]] = []
        new_bases: list[dict] = []
        for row in rows:
            if row.hand_edited:
                self.result.hand_edited += 1
            if row.uuid in elsewhere or self._foreign_village(spec, row):
                self._refuse(row, f"这条记录属于其他单位，{self.meta.sender_name}无权新增、修改或删除它，已拒收")
                continue
            refs = self._resolve_refs(spec, row)
            if refs is None:
                continue
            rec = existing.get(row.uuid) if row.uuid else self._match_added(spec, row, refs)
            if rec is None:
                if row.uuid and row.origin not in (None, self.meta.sender_code, self.home.code):
                    self._refuse(row, f"这条新记录的来源单位是{row.origin}，不是{self.meta.sender_name}，已拒收")
                    continue
                values = self._values(spec, row, refs)
                if values is None:
                    continue
                new_rows.append((row, values))
                continue
            self._merge(spec, row, rec, bases.get(rec.uuid), open_conf.get(rec.uuid, {}), refs, new_bases)
        if new_rows:
            # The merged changes first: a file tombstoned here may free the id number a new file takes.
            s.flush()
            self._create(spec, new_rows, new_bases)
        if new_bases:
            bulk_insert(s.connection(), table_of(SyncBase), new_bases)

    def _scoped(self, spec: EntitySpec, stmt):
        """Records of this exchange's township only: found by (station, uuid), never by uuid alone."""
        return scoped(stmt, spec, self.station_id, self.peer if self.role == "county" else None)

    def _foreign_village(self, spec: EntitySpec, row: PackageRow) -> bool:
        code = row.content.get("village_code") if spec.name == "child" or spec.by_station else None
        if not code or self.role != "county":
            return False
        cache = self.maps.setdefault("village_station", {})
        if code not in cache:
            cache[code] = self.s.scalar(select(Village.station_id).where(Village.code == code)) or 0
        return cache[code] not in (0, self.station_id)

    def _signed_rows(self, spec: EntitySpec, rows: list[PackageRow]) -> list[PackageRow]:
        """The rows as the sender signed them, with only the hand edits a person accepted (手工修改)."""
        out: list[PackageRow] = []
        for row in rows:
            if row.uuid is None:
                if self._hand_edit(f"{row.sheet}:{row.row}:+", row, "（整行）", "（无）",
                                   f"手工新增：{row_title(spec, row.content) or '一行'}"):
                    out.append(row)
                continue
            if row.hand_edited and row.original is not None:
                effective = dict(row.original)
                for key in spec.content_keys:
                    old, new = row.original.get(key), row.content.get(key)
                    if old != new and self._hand_edit(f"{row.sheet}:{row.row}:{key}", row, label(spec.name, key),
                                                      _shown(spec.name, key, old), _shown(spec.name, key, new)):
                        effective[key] = new
                row.content = effective
            out.append(row)
        for row in self.pkg.deleted_rows:
            if row.sheet != spec.sheet:
                continue
            if self._hand_edit(f"{row.sheet}:-:{row.uuid}", row, "（整行）",
                               row_title(spec, row.content) or str(row.uuid), "（整行被删除）"):
                self.deleted_accepted.append((spec.name, str(row.uuid)))
            else:
                out.append(row)  # the signed copy still says what the sender holds
        return out

    def _hand_edit(self, edit_id: str, row: PackageRow, column: str, old: str, new: str) -> bool:
        accepted = self.accept is True or (isinstance(self.accept, set) and edit_id in self.accept)
        if len(self.result.hand_edits) < 5000:
            self.result.hand_edits.append(HandEdit(edit_id, row.sheet, row.row, column, old, new, accepted))
        return accepted

    def _resolve_refs(self, spec: EntitySpec, row: PackageRow) -> dict | None:
        """Local ids for the record's references; None (row held back, asked again) when one is missing."""
        out: dict[str, int | None] = {}
        for ref in spec.refs:
            uuid = row.content.get(ref.key)
            if uuid is None and ref.key == "child_uuid" and row.uuid is None and row.child_id_number:
                found = self.s.scalar(select(Child.id).where(Child.id_number == row.child_id_number.upper(),
                                                             live(Child), *self._scope_child()))
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
                target = BY_NAME[ref.entity]
                local = self.s.scalar(self._scoped(target, select(target.model.id).where(target.model.uuid == uuid)))
                if local is not None:
                    self.maps[ref.entity][uuid] = local
                elif self.s.scalar(select(target.model.id).where(target.model.uuid == uuid)) is not None:
                    self._refuse(row, f"所属的{target.sheet}属于其他单位，{self.meta.sender_name}无权为它新增或修改记录，已拒收")
                    return None
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
        where = f"第{row.row}行" if row.row else f"记录{str(row.uuid)[:8]}（表中已被删除的行）"
        self.result.notes.append(f"“{row.sheet}”{where}：{reason}")

    def _match_added(self, spec: EntitySpec, row: PackageRow, refs: dict):
        """A row a clerk added by hand (no 记录编号): a child is matched by id number, else it is new."""
        if spec.name != "child" or not row.content.get("id_number"):
            return None
        return self.s.scalar(select(Child).where(Child.id_number == row.content["id_number"], live(Child),
                                                 *self._scope_child()))

    def _values(self, spec: EntitySpec, row: PackageRow, refs: dict) -> dict | None:
        """Column values for a new record; None (row refused) when something required is empty."""
        content = row.content
        missing = [f.label for f in BY_ENTITY[spec.name] if f.required and content.get(f.name) is None]
        if missing:
            self._refuse(row, f"缺少{'、'.join(missing)}")
            return None
        values = {}
        for k, convert in converters(spec.name):
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
        """New records in bulk; each keeps where, when and by whom it was born, and the same defaults and
        derived fields as a record created here."""
        bulk = Bulk.begin(self.s, self.ctx.actor.name, self.meta.sender_code)
        table = table_of(spec.model)
        ids = bulk.ids(spec.model, len(new_rows))
        now = bulk.now
        station_id = self.peer.station_id if self.role == "county" else self.home.id
        rows = []
        for (row, values), new_id in zip(new_rows, ids, strict=False):
            uuid = row.uuid or bulk.uuid()
            if spec.name == "child":
                values = child_defaults(values, self.ctx.today())
            elif spec.name == "person":
                values = person_values(values, new=True)
            full: dict[str, Any] = {c.name: None for c in table.columns}
            full.update(values)
            full.update(id=new_id, uuid=uuid, origin=row.origin or self.meta.sender_code,
                        created_at=row.created_at or now, created_by=row.created_by or self.meta.sender_name,
                        updated_at=now, updated_by=self.ctx.actor.name, rev=1, change_seq=self.seq_value)
            if spec.name == "child":
                full.update(station_id=station_id, risk_colour=None, colour_set_on=None, last_visit_on=None,
                            next_visit_due=None)
                self.children_touched.add(new_id)
            elif spec.by_station:
                full.update(station_id=station_id)
            if spec.name in self.maps:
                self.maps[spec.name][uuid] = new_id
            if full.get("child_id"):
                self.children_touched.add(full["child_id"])
            for col in table.columns:
                default = getattr(col.default, "arg", None)  # a column's constant default (callables are not)
                if full.get(col.name) is None and not col.nullable and default is not None and not callable(default):
                    full[col.name] = default
            rows.append(full)
            if row.uuid:
                new_bases.append({"peer_id": self.peer.id, "entity": spec.name, "record_uuid": uuid,
                                  "content": row.original or row.content, "batch": self.batch})
            self._note_change(f"新增 {spec.sheet}：{row_title(spec, row.content)}")
        bulk.insert_dicts(spec.model, rows)
        self.result.new += len(rows)

    def _merge(self, spec: EntitySpec, row: PackageRow, rec, base_row, open_conf: dict, refs: dict,
               new_bases: list[dict]) -> None:
        s = self.s
        known = {(r.entity, v): k for r in spec.refs for k, v in self.maps[r.entity].items()}
        mine = content_of(rec, spec, RefLookup(s, known), VillageLookup(s))
        theirs = dict(row.content)  # with any correction a clerk made on the way
        base = base_row.content if base_row is not None else None
        for key, c in open_conf.items():  # a held field: settled if the sides now agree, else kept up to date
            t = theirs.get(key)
            if t == mine.get(key):
                c.resolved_at, c.resolved_by, c.resolution = utcnow(), self.meta.sender_name, "agreed"
            elif t != c.theirs_value:
                c.theirs_value, c.theirs_by, c.theirs_at = t, self.meta.created_by, parse_when(self.meta.created_at)
        held = {k for k, c in open_conf.items() if c.resolved_at is None}
        outcome = merge_record(spec.content_keys, base, mine, theirs, held)
        for key in outcome.conflicts:
            self._note_change(f"冲突 {spec.sheet}：{row_title(spec, mine)}　{label(spec.name, key)}：本机“{mine.get(key) or '（空）'}”"
                              f"／对方“{theirs.get(key) or '（空）'}”，导入后请选择")
            s.add(SyncConflict(peer_id=self.peer.id, entity=spec.name, record_uuid=rec.uuid, field=key,
                               from_seq=self.meta.seq,
                               base_value=base.get(key) if base else None, mine_value=mine.get(key),
                               theirs_value=theirs.get(key), theirs_by=self.meta.created_by,
                               theirs_at=parse_when(self.meta.created_at), batch=self.batch))
        if outcome.take:
            set_content(s, rec, spec, outcome.take, self.ctx, self.home.code, self.batch, refs_local=refs,
                         village=lambda code: self._village(code, row.village_name))
            rec.change_seq = self.seq_value
            self.result.changed += 1
            title = row_title(spec, {**mine, **outcome.take})
            for k, v in outcome.take.items():
                self._note_change(f"更新 {spec.sheet}：{title}　{label(spec.name, k)}：{mine.get(k) or '（空）'} → {v or '（空）'}")
            self.children_touched.add(child_of(s, spec, rec))
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


def _shown(entity: str, key: str, value: str | None) -> str:
    if key == "deleted_at":
        return f"已删除（{value}）" if value else "未删除"
    return display(entity, key, value)
