"""Planning a children-ledger import: which rows are new files, which change a file (field by field), which
are unchanged, which are rejected and why. Reading only; the preview shows the plan and the import writes it,
reading it inside its write transaction."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer_group

from ...domain.codes import CATEGORY, RELIEF, RISK_COLOUR, split_codes
from ...domain.eligibility import category_warnings
from ...domain.errors import WeibaoError
from ...domain.fields import display, label_of, to_text
from ...domain.idnumber import mask_id_number
from ...domain.text import fold
from ...models.entities import PLACEMENT_GROUP, Child, ImportLog, Station, Village
from ...sync.ledger_import import CellProblem, ParsedLedger
from ..base import store_mode
from ..queries import current_categories, current_reliefs, family_of, live
from .results import (
    CHILD_FIELDS,
    PERSON_FIELDS,
    PERSON_KEYS,
    RELATIONS,
    FieldChange,
    ImportPreview,
    PreviewRow,
    chunks,
)


@dataclass
class ImportPlan:
    new: list = field(default_factory=list)  # (ParsedRow, values, village_id, station_id)
    changed: list = field(default_factory=list)  # (ParsedRow, child_id, values, village_id, changes)
    unchanged: list = field(default_factory=list)  # (ParsedRow, Child)
    rejected: list = field(default_factory=list)  # (ParsedRow, [CellProblem])
    warnings: list = field(default_factory=list)


def make_plan(s: Session, station: Station, parsed: ParsedLedger, today: dt.date, cancelled=None) -> ImportPlan:
    """What importing `parsed` into this station's files would do, as the store is now.

    A county office imports into its townships' files: its villages are named 乡镇·村 (as its ledgers write
    them), a row changes the file of the township it belongs to, and a new row needs its township."""
    plan = ImportPlan()
    villages = Villages(s, station)
    rows = [r for sheet in parsed.sheets for r in sheet.rows]
    columns = {sheet.name: sheet.column_map() for sheet in parsed.sheets}
    by_uuid, by_number, by_name = _existing(s, rows)
    seen_numbers: dict[str, tuple[str, int]] = {}
    seen_uuids: dict[str, tuple[str, int]] = {}
    matched: dict[int, tuple[str, int]] = {}
    existing_ids = {c.id for c in (*by_uuid.values(), *by_number.values(), *by_name.values())}
    state = _state(s, existing_ids, today)
    for i, row in enumerate(rows):
        if cancelled is not None and i % 1000 == 0 and cancelled():
            raise WeibaoError("已取消", "cancelled")
        cols = columns[row.sheet]
        values = dict(row.values)
        problems = list(row.problems)

        def problem(key, reason, cols=cols, problems=problems, row=row):
            col = cols.get(key)
            problems.append(CellProblem(row.sheet, row.row, col.letter if col else "", col.header if col else "", reason))

        number = values.get("id_number")
        uid = values.get("uuid")
        for key, table, what in ((number, seen_numbers, "身份证号"), (uid, seen_uuids, "档案编号")):
            if key and key in table:
                first = table[key]
                problem("id_number" if what == "身份证号" else "uuid",
                        f"与{'' if first[0] == row.sheet else f'工作表“{first[0]}”'}第{first[1]}行的{what}重复")
        child = by_uuid.get(uid) if uid else None
        if child is not None and child.deleted_at is not None:
            problem("uuid", f"档案编号对应的档案（{child.name}）已被删除，不能再导入；如确需恢复，请联系县级管理员")
            child = None
        if child is not None and number and child.id_number and child.id_number != number:
            other = by_number.get(number)
            if other is not None and other.id != child.id:
                problem("id_number", f"身份证号{mask_id_number(number)}已属于另一份档案（{other.name}），与档案编号不符")
        if child is None and number:
            child = by_number.get(number)
        if child is None and not number and not uid and values.get("name") and values.get("birth_date"):
            child = by_name.get((values["name"], values["birth_date"]))
        village_id, station_id, village_problem = villages.resolve(values.get("village"), child)
        if village_problem:
            problem("village", village_problem)
        if child is not None and station_id is not None and child.station_id != station_id:
            same = villages.same_child_in(s, child, station_id)  # one child on file in two townships
            if same is not None:
                child = same
                if child.id not in state:
                    state.update(_state(s, {child.id}, today))
            else:
                problem("village", f"{child.name}的档案属于{villages.station_name(child.station_id)}，"
                                   f"不能改到{villages.station_name(station_id)}的村(社区)；如已迁往该乡镇，请由两个乡镇办理转出、转入")
        if child is not None and child.id in matched and not problems:
            first = matched[child.id]
            problem(None, f"与第{first[1]}行是同一名儿童（{child.name}），同一文件中只能出现一次")
        colour = values.get("risk_colour")
        if colour == "orange" and not values.get("paired_helper") and not (child and child.paired_helper):
            problem("risk_colour" if "risk_colour" in cols else None, "橙色等级须填写“结对帮扶人”（一对一帮扶）")
        if problems:
            plan.rejected.append((row, problems))
            continue
        if number:
            seen_numbers[number] = (row.sheet, row.row)
        if uid:
            seen_uuids[uid] = (row.sheet, row.row)
        if child is None:
            if villages.county and station_id is None:
                problem("village", "县级导入新的档案须写明所属乡镇的村(社区)，如“城关镇·东村”（与县级导出的台账写法相同）")
                plan.rejected.append((row, problems))
                continue
            plan.new.append((row, values, village_id, station_id if villages.county else station.id))
            plan.warnings.extend(_eligibility(values, values.get("name"), row.row, values.get("birth_date"), today))
            if colour == "red":
                plan.warnings.append(f"{values['name']}（第{row.row}行）为红色等级，导入后请尽快登记帮扶措施或转介")
            continue
        matched[child.id] = (row.sheet, row.row)
        changes = _diff(child, values, village_id, state)
        if changes:
            plan.changed.append((row, child.id, values, village_id, changes))
            plan.warnings.extend(_eligibility(values, child.name, row.row, values.get("birth_date") or child.birth_date,
                                              today))
            if colour == "red" and child.risk_colour != "red":
                plan.warnings.append(f"{child.name}（第{row.row}行）将改为红色等级，导入后请尽快登记帮扶措施或转介")
        else:
            plan.unchanged.append((row, child))
    return plan

def _eligibility(values: dict, name: str | None, row: int, birth: dt.date | None, today: dt.date) -> list[str]:
    """The row's categories against its age and parents (a warning: the import changes none of them)."""
    found = category_warnings(frozenset(split_codes(values.get("categories"))), birth, values.get("father.status"),
                              values.get("mother.status"), today)
    return [f"{name}（第{row}行）{text}" for text in found]


def _existing(s: Session, rows) -> tuple[dict, dict, dict]:
    uuids = {r.values["uuid"] for r in rows if r.values.get("uuid")}
    numbers = {r.values["id_number"] for r in rows if r.values.get("id_number")}
    names = {r.values["name"] for r in rows if not r.values.get("id_number") and r.values.get("name")}
    # first the ids, then the files themselves
    by_uuid: dict[str, int] = {}
    by_number: dict[str | None, int] = {}
    by_name: dict[tuple[str, dt.date], int] = {}
    wanted = len(uuids) + len(numbers) + len(names)
    if not wanted:
        return {}, {}, {}
    if (s.scalar(select(func.count()).select_from(Child)) or 0) <= wanted:
        # A store no bigger than the file (a first import): one pass over it, not thousands of lookups.
        for cid, uid, number, name, birth, deleted in s.execute(
                select(Child.id, Child.uuid, Child.id_number, Child.name, Child.birth_date, Child.deleted_at)
                .order_by(Child.id)):
            if uid in uuids:
                by_uuid[uid] = cid
            if deleted is None:
                if number in numbers:
                    by_number.setdefault(number, cid)
                if name in names:
                    by_name.setdefault((name, birth), cid)
    else:
        alive = live(Child)
        for chunk in chunks(sorted(uuids)):
            for uid, cid in s.execute(select(Child.uuid, Child.id).where(Child.uuid.in_(chunk))):
                by_uuid[uid] = cid
        for chunk in chunks(sorted(numbers)):
            for number, cid in s.execute(select(Child.id_number, Child.id).where(Child.id_number.in_(chunk), alive)
                                         .order_by(Child.id)):
                by_number.setdefault(number, cid)
        for chunk in chunks(sorted(names)):
            for name, birth, cid in s.execute(select(Child.name, Child.birth_date, Child.id)
                                              .where(Child.name.in_(chunk), alive).order_by(Child.id)):
                by_name.setdefault((name, birth), cid)
    # A deleted file is in by_uuid too: its number is taken and the row is refused.
    children: dict[int, Child] = {}
    for chunk in chunks(sorted({*by_uuid.values(), *by_number.values(), *by_name.values()})):
        children.update((c.id, c) for c in s.scalars(select(Child).options(undefer_group(PLACEMENT_GROUP))
                                                     .where(Child.id.in_(chunk))))
    return ({k: children[i] for k, i in by_uuid.items()}, {k: children[i] for k, i in by_number.items()},
            {k: children[i] for k, i in by_name.items()})

def _state(s: Session, ids: set[int], today: dt.date) -> dict[int, dict]:
    """Each matched child's family, active categories and reliefs, to compare with the file."""
    state: dict[int, dict] = {i: {"people": {}, "categories": set(), "reliefs": set()} for i in ids}
    for chunk in chunks(sorted(ids)):
        for cid, p in s.execute(family_of(chunk)):
            state[cid]["people"].setdefault(p.relation, p)
        for cid, code in s.execute(current_categories(chunk, today)):
            state[cid]["categories"].add(code)
        for cid, kind in s.execute(current_reliefs(chunk, today)):
            state[cid]["reliefs"].add(kind)
    return state

def _diff(child: Child, values: dict, village_id, state) -> list[FieldChange]:
    """What the row would change on this file, field by field. Blank cells change nothing."""
    out: list[FieldChange] = []
    for name in CHILD_FIELDS:
        if name in values and values[name] != getattr(child, name):
            out.append(_change("child", name, getattr(child, name), values[name]))
    if village_id is not None and village_id != child.village_id:
        out.append(FieldChange("所属村(社区)", _village_label(child), values["village"]))
    if values.get("risk_colour") and values["risk_colour"] != child.risk_colour:
        out.append(FieldChange("风险等级", RISK_COLOUR.label_of(child.risk_colour, "未评估"),
                               RISK_COLOUR.label_of(values["risk_colour"])))
    st = state[child.id]
    for code in split_codes(values.get("categories")):
        if code not in st["categories"]:
            out.append(FieldChange("儿童类别", "（无）", "新增 " + CATEGORY.label_of(code)))
    for code in split_codes(values.get("reliefs")):
        if code not in st["reliefs"]:
            out.append(FieldChange("已享受救助", "（无）", "新增 " + RELIEF.label_of(code)))
    for relation, group in RELATIONS.items():
        given = person_values(values, relation)
        if not given:
            continue
        person = st["people"].get(relation)
        if person is None:
            if given.get("name"):
                out.append(FieldChange(group, "（无）", "新增 " + given["name"]))
            continue
        for f, v in given.items():
            if v != getattr(person, f):
                out.append(FieldChange(f"{group}·{label_of('person', f)}",
                                       display("person", f, to_text(getattr(person, f))), display("person", f, to_text(v))))
    return out

def build_preview(parsed: ParsedLedger, plan: ImportPlan, previously: str | None) -> ImportPreview:
    def head(row, values, village=None, changes=()):
        return PreviewRow(row.sheet, row.row, values.get("name") or "", mask_id_number(values.get("id_number")),
                          village, tuple(changes))

    summaries: dict[tuple, tuple] = {}  # many new files share village, categories and colour

    def summary(v):
        key = (v.get("village"), v.get("categories"), v.get("risk_colour"))
        if key not in summaries:
            summaries[key] = tuple(_new_summary(v))
        return summaries[key]

    new = tuple(head(r, v, v.get("village"), summary(v)) for r, v, _, _ in plan.new)
    changed = tuple(head(r, {**v, "name": v.get("name")}, v.get("village"), ch) for r, _, v, _, ch in plan.changed)
    unchanged = tuple(PreviewRow(r.sheet, r.row, c.name, mask_id_number(c.id_number)) for r, c in plan.unchanged)
    rejected: list[CellProblem] = []
    for row, problems in plan.rejected:
        name = row.values.get("name") or ""
        rejected.extend(replace(p, name=name) for p in problems)
    unknown = tuple((sh.name, letter, header) for sh in parsed.sheets for letter, header in sh.unknown)
    notes = list(parsed.notes)
    for sh in parsed.sheets:
        if sh.category:
            notes.append(f"工作表“{sh.name}”没有“儿童类别”列，按标题记为“{CATEGORY.label_of(sh.category)}”。")
    if parsed.ignored_sheets:
        notes.append(f"以下工作表没有儿童信息台账的表头，未读取：{'、'.join(parsed.ignored_sheets)}。")
    headers = {sh.name: list(sh.headers) for sh in parsed.sheets}
    rejected_rows = tuple((row.sheet, row.row, list(row.raw), [(p.column, p.reason) for p in problems])
                          for row, problems in plan.rejected)
    return ImportPreview(
        parsed.file_name, parsed.sha256, parsed.format, tuple(sh.name for sh in parsed.sheets), new, changed,
        unchanged, tuple(rejected), len(plan.rejected), unknown, tuple(notes), tuple(plan.warnings),
        sum(sh.skipped for sh in parsed.sheets), previously, rejected_rows, tuple(headers.items()),
    )


def previously_imported(s: Session, sha256: str) -> str | None:
    """"imported before by whom and when", for a file with this hash."""
    log = s.scalar(select(ImportLog).where(ImportLog.file_hash == sha256, ImportLog.kind == "ledger")
                   .order_by(ImportLog.id.desc()).limit(1))
    if log is None:
        return None
    return f"{log.started_at:%Y-%m-%d %H:%M}（UTC）由{log.actor}导入过"


class Villages:
    """The village cells of a ledger resolved to villages (and so to the township they belong to).

    A station knows its own villages. A county store holds every township's villages, named 乡镇·村; a cell
    written that way names one, and a bare village name is taken in the township of the matched file."""

    def __init__(self, s: Session, station: Station):
        self.county = store_mode(s) == "county"
        scope = select(Village.id, Village.name, Village.station_id)
        if not self.county:
            scope = scope.where(Village.station_id == station.id)
        self.by_name: dict[str, tuple[int, int]] = {}
        self.bare: dict[tuple[int, str], int] = {}  # (township, village name without 乡镇·) -> village
        for vid, name, station_id in s.execute(scope):
            self.by_name[fold_village(name)] = (vid, station_id)
            self.bare[(station_id, fold_village(_split_township(name)[1]))] = vid
        self.stations = dict(s.execute(select(Station.id, Station.name)).all())
        self.cache: dict[tuple[str, int | None], tuple[int | None, int | None, str | None]] = {}

    def resolve(self, written: str | None, child: Child | None) -> tuple[int | None, int | None, str | None]:
        """(village id, its station, a problem) for a village cell; (None, None, None) when the cell is empty."""
        if not written:
            return None, (child.station_id if child is not None and self.county else None), None
        key = (written, child.station_id if child is not None else None)
        if key not in self.cache:
            self.cache[key] = self._resolve(written, child)
        return self.cache[key]

    def _resolve(self, written: str, child: Child | None) -> tuple[int | None, int | None, str | None]:
        found = self.by_name.get(fold_village(written))
        if found is not None:
            return found[0], found[1], None
        if not self.county:
            return None, None, (f"村(社区)“{written}”不在本工作站的村(社区)名单中，"
                                "请改正村名，或先在“设置”中添加该村(社区)")
        if "·" in written or "・" in written:
            township = fold(_split_township(written)[0])
            if township and township not in {fold(n) for n in self.stations.values()}:
                return None, None, f"乡镇“{township}”不在本县已交换数据的乡镇中，请核对乡镇名称"
            return None, None, f"“{written}”不在该乡镇的村(社区)名单中，请核对村名（写成“乡镇·村”）"
        if child is not None:
            vid = self.bare.get((child.station_id, fold_village(written)))
            if vid is not None:
                return vid, child.station_id, None
            return None, None, f"村(社区)“{written}”不在{self.station_name(child.station_id)}的村(社区)名单中，请核对村名"
        return None, None, (f"村(社区)“{written}”没有写明乡镇：县级导入新的档案请写成“乡镇·村”，"
                            f"如“{next(iter(self.stations.values()), '城关镇')}·{written}”")

    def station_name(self, station_id: int) -> str:
        return self.stations.get(station_id, "其他乡镇")

    @staticmethod
    def same_child_in(s: Session, child: Child, station_id: int) -> Child | None:
        """The live file of the same child (same id number) in another township of a county store."""
        if not child.id_number:
            return None
        return s.scalar(select(Child).where(Child.id_number == child.id_number, Child.station_id == station_id,
                                            live(Child)).limit(1))


def _split_township(name: str) -> tuple[str, str]:
    """("城关镇", "东村") from 城关镇·东村 (or 城关镇・东村); ("", name) when no township is written."""
    for sep in ("·", "・"):
        if sep in name:
            township, _, village = name.partition(sep)
            return township, village
    return "", name


def fold_village(name: str) -> str:
    """A village name as written and as on file compare equal: 东村委会, 东村 and 东 村 are one village."""
    text = fold(name)
    for suffix in ("村民委员会", "居民委员会", "村委会", "居委会"):
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)] + ("社区" if suffix.startswith("居") else "村")
    return text


def _change(entity: str, name: str, old, new) -> FieldChange:
    return FieldChange(label_of(entity, name), display(entity, name, to_text(old)), display(entity, name, to_text(new)))


def _village_label(child: Child) -> str:
    return child.village.name if child.village is not None else "（未分村）"


def person_values(values: dict, relation: str) -> dict:
    keys = PERSON_KEYS[relation]
    return {f: values[k] for f, k in zip(PERSON_FIELDS, keys, strict=False) if k in values}


def _new_summary(values: dict) -> list[FieldChange]:
    shown = []
    for key, label in (("village", "所属村(社区)"), ("categories", "儿童类别"), ("risk_colour", "风险等级")):
        v = values.get(key)
        if not v:
            continue
        if key == "categories":
            v = "、".join(CATEGORY.label_of(c) for c in split_codes(v))
        elif key == "risk_colour":
            v = RISK_COLOUR.label_of(v)
        shown.append(FieldChange(label, "", v))
    return shown
