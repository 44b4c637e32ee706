"""The audit trail: append an entry (inside the action's own transaction, so a refused or failed action
leaves none), record one from outside a service (logins), verify the chain, list and export it.

Entries name objects without personal data beyond what is needed: `child:<uuid>`, a file's name, counts.
The hash rule and the table are models/audit.py."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.codes import RISK_COLOUR
from ..domain.errors import WeibaoError
from ..domain.roles import canonical_role, role_label
from ..models.audit import GENESIS, HEAD_SETTING, AuditEntry, entry_hash, hash_of, plain_detail
from ..models.entities import Setting, utcnow
from ..models.store import Store
from .base import Actor, Context

# Every action the trail records, with the label the 审计日志 page and the export show.
ACTIONS: dict[str, str] = {
    "login": "登录",
    "login_failed": "登录失败",
    "locked": "账号锁定",
    "unlocked": "账号解锁",
    "logout": "退出登录",
    "account_add": "新增账号",
    "account_change": "修改账号",
    "password_change": "修改密码",
    "password_reset": "重置密码",
    "ledger_export": "导出台账",
    "ledger_import": "导入台账",
    "error_report": "导出错误报告",
    "package_export": "生成数据包",
    "exchange_apply": "导入数据包",
    "exchange_undo": "撤销数据包",
    "print": "打印或保存表格",
    "backup": "备份数据库",
    "restore": "恢复数据库",
    "reveal_id": "显示完整号码",
    "settings": "修改设置",
    "audit_export": "导出审计日志",
}


@dataclass(frozen=True)
class AuditInfo:
    seq: int
    at: dt.datetime  # UTC
    actor: str
    role: str  # the role's label
    action: str
    action_label: str
    object: str
    detail: dict


@dataclass(frozen=True)
class ChainProblem:
    seq: int  # the entry where the chain breaks
    message: str


@dataclass(frozen=True)
class ChainVerdict:
    count: int
    problems: tuple[ChainProblem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def append(session: Session, actor: Actor | str, action: str, object_: str = "", detail: dict | None = None,
           *, role: str | None = None) -> AuditEntry:
    """Add one entry to the chain, in the caller's write transaction (Context.tx or Store.write: the write lock
    keeps two writers from both taking the same place in the chain)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    name = actor.name if isinstance(actor, Actor) else str(actor)
    role_code = canonical_role(role if role is not None else actor.role if isinstance(actor, Actor) else "")
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    clean = plain_detail(detail)
    at = utcnow()
    entry = AuditEntry(seq=seq, at=at, actor=name[:50], role=role_code[:20], action=action, object=object_[:300],
                       detail=clean, prev_hash=prev,
                       hash=entry_hash(seq, at, name[:50], role_code[:20], action, object_[:300], clean, prev))
    session.add(entry)
    head = session.get(Setting, HEAD_SETTING)
    if head is None:
        session.add(Setting(key=HEAD_SETTING, value={"seq": seq, "hash": entry.hash}))
    else:
        head.value = {"seq": seq, "hash": entry.hash}
    session.flush()
    return entry


def record(target: Context | Store | object, action: str, object_: str = "", detail: dict | None = None, *,
           actor: Actor | str | None = None, role: str | None = None) -> None:
    """One entry in its own write transaction, for what happens outside a service call: a login, a failed
    login, a lock. `target` is a Context, a Workstation (anything with `.ctx`) or a Store; with a Store name
    the actor (an Actor, or an account name with `role`)."""
    ctx = getattr(target, "ctx", target)
    if isinstance(ctx, Context):
        store, who = ctx.store, actor if actor is not None else ctx.actor
    elif isinstance(target, Store):
        if actor is None:
            raise ValueError("record() on a store needs the actor")
        store, who = target, actor
    else:
        raise TypeError(f"cannot record on {type(target).__name__}")
    with store.write() as session:
        append(session, who, action, object_, detail, role=role)


def record_failed_logins(store: Store, failures: list[tuple[str, str]]) -> None:
    """The wrong passwords typed since the last successful login (vault.lockout.unsealed_failures), written to
    the trail by the next login or unlock: at a cold start no store is open to write them to when they happen.
    Each keeps its own time in the detail. Never keeps a person out: the key slot file still holds them."""
    if not failures:
        return
    try:
        with store.write() as session:
            append_failed_logins(session, failures)
    except Exception:  # noqa: BLE001 - see the docstring
        pass


def append_failed_logins(session: Session, failures: list[tuple[str, str]]) -> None:
    """record_failed_logins in the caller's write transaction (an admin's unlock or password reset seals the
    lockout record too, so it carries what is unsealed first)."""
    for user, at in failures:
        local = dt.datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        append(session, user, "login_failed", user, {"reason": "wrong_password", "at": local}, role="")


def file_name(path: str | Path) -> str:
    """A file as the trail names it: its name, not the folder (which holds the user's login name)."""
    return Path(str(path)).name


def verify_session(session: Session) -> ChainVerdict:
    """Walk the chain in the order entries were stored and say where it breaks."""
    seqs = set(session.scalars(select(AuditEntry.seq)))
    problems: list[ChainProblem] = []
    moved: set[int] = set()
    hash_by_seq: dict[int, str] = {}
    prev_hash, last_seq, count, newest_hash = GENESIS, 0, 0, GENESIS
    stmt = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=2000)
    for entry in session.scalars(stmt):
        count += 1
        explained = False
        if entry.seq <= last_seq:
            if entry.seq not in moved:
                problems.append(ChainProblem(entry.seq, f"第{entry.seq}条出现在第{last_seq}条之后：条目顺序被调换"))
            explained = True
        elif entry.seq > last_seq + 1:
            skipped = range(last_seq + 1, entry.seq)
            missing = [n for n in skipped if n not in seqs]
            later = [n for n in skipped if n in seqs]
            if missing:
                problems.append(ChainProblem(missing[0], f"{_span(missing)}被删除（第{entry.seq}条之前缺少条目）"))
            if later:
                problems.append(ChainProblem(later[0], f"{_span(later)}不在原来的位置：条目顺序被调换"))
                moved.update(later)
            explained = True
        if hash_of(entry) != entry.hash:
            problems.append(ChainProblem(entry.seq, f"第{entry.seq}条被修改：内容与其校验值不符"))
            explained = True
        # The entry before it in the chain: by number when entries were moved around, else the one stored before.
        expected = GENESIS if entry.seq == 1 else hash_by_seq.get(entry.seq - 1, prev_hash)
        if entry.prev_hash != expected and not explained:
            before = f"第{last_seq}条" if last_seq else "第一条之前"
            problems.append(ChainProblem(entry.seq, f"第{entry.seq}条与{before}接不上：前一条被修改、替换或删除"))
        hash_by_seq[entry.seq] = entry.hash
        if entry.seq > last_seq:
            newest_hash = entry.hash
        prev_hash, last_seq = entry.hash, max(last_seq, entry.seq)
    head = session.get(Setting, HEAD_SETTING)
    if head is not None and isinstance(head.value, dict):
        head_seq = int(head.value.get("seq") or 0)
        if head_seq > last_seq:
            problems.append(ChainProblem(last_seq + 1, f"{_span(list(range(last_seq + 1, head_seq + 1)))}被删除（日志末尾缺少条目）"))
        elif head_seq == last_seq and head.value.get("hash") != newest_hash and count:
            problems.append(ChainProblem(last_seq, f"第{last_seq}条被修改或替换：与记录的最后一条不符"))
    elif count:
        problems.append(ChainProblem(last_seq, "缺少日志末尾的校验记录（设置表中的 audit_head 被删除）"))
    return ChainVerdict(count, tuple(problems))


def _span(numbers: list[int]) -> str:
    return f"第{numbers[0]}条" if len(numbers) == 1 else f"第{numbers[0]}至{numbers[-1]}条"


def _info(entry: AuditEntry) -> AuditInfo:
    return AuditInfo(entry.seq, entry.at, entry.actor, role_label(entry.role), entry.action,
                     ACTIONS.get(entry.action, entry.action), entry.object or "", dict(entry.detail or {}))


def describe(detail: dict) -> str:
    """An entry's detail as one line of Chinese for the page and the ledger."""
    labels = {"count": "条数", "rows": "行数", "pages": "页数", "full_id": "完整身份证号", "form": "表格",
              "kind": "类型", "file": "文件", "role": "角色", "reason": "原因", "added": "新增", "changed": "修改",
              "rejected": "未导入", "key": "设置项", "seq": "序号", "peer": "对方", "subjects": "对象"}
    values = {"cadence": "走访频次", "add_village": "添加村(社区)", "manual": "手动备份"}
    parts = []
    for key, value in detail.items():
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, list):
            value = f"{len(value)}个"
        elif key == "role":
            value = role_label(str(value))
        name = labels.get(key) or (f"{RISK_COLOUR.label_of(key)}色间隔天数" if key in RISK_COLOUR else key)
        parts.append(f"{name}：{values.get(str(value), value)}")
    return "；".join(parts)


class AuditService:
    """The 审计日志 page and `weibao audit`: read, verify and export the trail (admins only, see access)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def verify(self) -> ChainVerdict:
        with self.ctx.read() as s:
            return verify_session(s)

    def count(self, action: str | None = None) -> int:
        with self.ctx.read() as s:
            stmt = select(func.count()).select_from(AuditEntry)
            if action:
                stmt = stmt.where(AuditEntry.action == action)
            return s.scalar(stmt) or 0

    def entries(self, *, action: str | None = None, offset: int = 0, limit: int = 200) -> list[AuditInfo]:
        """Newest first."""
        with self.ctx.read() as s:
            stmt = select(AuditEntry).order_by(AuditEntry.seq.desc())
            if action:
                stmt = stmt.where(AuditEntry.action == action)
            return [_info(e) for e in s.scalars(stmt.offset(offset).limit(limit))]

    def export(self, path: str | Path) -> Path:
        """The whole trail as a ledger (oldest first), for a 督导 visit; the export is itself an entry."""
        from ..sync.ledger_columns import Column, Ledger
        from ..sync.ledger_export import SheetHeading, write_ledger
        from .base import home_station
        from .ledger.export import write_error

        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise WeibaoError("审计日志请保存为 .xlsx 文件", "output")
        ledger = Ledger("audit", "审计日志", (
            Column("seq", "序号", kind="int"), Column("at", "时间(UTC)", kind="datetime"), Column("actor", "操作人"),
            Column("role", "角色"), Column("action", "操作"), Column("object", "对象", width=40),
            Column("detail", "说明", kind="longtext", width=40), Column("hash", "校验值", width=66),
        ), freeze_cols=2)
        with self.ctx.read() as s:
            station = home_station(s)
            verdict = verify_session(s)
            count = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
            state = "完整" if verdict.intact else f"已被改动（{verdict.problems[0].message}）"
            heading = SheetHeading(f"{station.name}审计日志", f"{station.name}未成年人保护工作站", self.ctx.today(),
                                   self.ctx.actor.name, f"校验：{state}")

            def rows() -> Iterator[dict]:
                for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)):
                    yield {"seq": e.seq, "at": e.at, "actor": e.actor, "role": role_label(e.role),
                           "action": ACTIONS.get(e.action, e.action), "object": e.object,
                           "detail": describe(dict(e.detail or {})), "hash": e.hash}

            try:
                n = write_ledger(path, ledger, heading, rows(), count, temp=self.ctx.store.private_temp())
            except OSError as e:
                raise write_error(path, e) from None
        with self.ctx.tx() as s:
            append(s, self.ctx.actor, "audit_export", file_name(path), {"rows": n})
        return path
