"""Who may call what: one policy for every public service method, checked below the GUI for every call.

`Workstation` hands out each service wrapped in a `Guarded` proxy: before a method runs, the proxy looks the
method up in POLICY and refuses, with a Chinese message and before anything is read or written, when the
acting account's role lacks the permission (domain/roles.py). A method without an entry is refused too
(fail closed), and tests/test_access_policy.py fails while any public method has none: a new service adds
one line per method below and one `guard(...)` line in Workstation.

The proxy also masks id numbers in what it returns to a director or a viewer (and refuses them full-id
prints); which children a call sees is the scope in services/queries.py, read from the session."""
from __future__ import annotations

import dataclasses
import functools
from typing import Any, TypeVar

from ..domain import roles
from ..domain.errors import WeibaoError
from ..domain.idnumber import mask_id_number
from ..domain.roles import (
    ACCOUNTS,
    AUDIT,
    BACKUP,
    CASEWORK,
    EXCHANGE,
    EXPORT,
    IMPORT,
    INTAKE,
    INTAKE_VIEW,
    OPEN,
    READ,
    RESTORE,
    REVEAL_ID,
    SETTINGS,
    STATION_VIEW,
)
from .base import Actor, Context

ServiceT = TypeVar("ServiceT")

# "family.method": (permission, what the refusal calls the action). One line per public method.
POLICY: dict[str, tuple[str, str]] = {
    "stations.has_station": (OPEN, "查看工作站"),
    "stations.init": (OPEN, "设置工作站"),
    "stations.info": (OPEN, "查看工作站"),
    "stations.label": (OPEN, "查看工作站"),
    "stations.last_exchange": (OPEN, "查看工作站"),
    "stations.users": (OPEN, "查看账号"),
    "stations.add_village": (SETTINGS, "添加村(社区)"),
    "stations.rename": (SETTINGS, "修改工作站名称"),
    "stations.set_cadence": (SETTINGS, "修改走访周期"),
    "stations.add_user": (ACCOUNTS, "新增账号"),
    "children.create": (CASEWORK, "新建儿童档案"),
    "children.update": (CASEWORK, "修改儿童档案"),
    "children.close": (CASEWORK, "销档"),
    "children.reopen": (CASEWORK, "恢复档案"),
    "children.delete": (CASEWORK, "删除儿童档案"),
    "children.add_person": (CASEWORK, "添加家庭成员"),
    "children.update_person": (CASEWORK, "修改家庭成员"),
    "children.remove_person": (CASEWORK, "删除家庭成员"),
    "children.add_category": (CASEWORK, "添加儿童类别"),
    "children.end_category": (CASEWORK, "退出儿童类别"),
    "children.remove_category": (CASEWORK, "删除儿童类别"),
    "children.add_relief": (CASEWORK, "添加救助记录"),
    "children.update_relief": (CASEWORK, "修改救助记录"),
    "children.remove_relief": (CASEWORK, "删除救助记录"),
    "children.get": (READ, "查看儿童档案"),
    "children.find_existing": (READ, "查找已有档案"),
    "children.history": (READ, "查看变更记录"),
    "children.search_ids": (READ, "查看儿童名单"),
    "children.search_statement": (READ, "查看儿童名单"),
    "children.rows": (READ, "查看儿童名单"),
    "children.row_statements": (READ, "查看儿童名单"),
    "children.rows_for": (READ, "查看儿童名单"),
    "children.page": (READ, "查看儿童名单"),
    "children.reveal_id": (REVEAL_ID, "显示完整号码"),
    "assessments.assess": (CASEWORK, "风险评估"),
    "assessments.page": (READ, "查看风险评估"),
    "assessments.history": (READ, "查看风险评估"),
    "visits.propose_next_due": (READ, "计算下次走访日期"),
    "visits.record": (CASEWORK, "记录走访"),
    "visits.update": (CASEWORK, "修改走访记录"),
    "visits.delete": (CASEWORK, "删除走访记录"),
    "visits.get": (READ, "查看走访记录"),
    "visits.for_child": (READ, "查看走访记录"),
    "visits.page": (READ, "查看走访记录"),
    "help.add": (CASEWORK, "添加帮扶措施"),
    "help.update": (CASEWORK, "修改帮扶措施"),
    "help.finish": (CASEWORK, "结束帮扶措施"),
    "help.for_child": (READ, "查看帮扶措施"),
    "help.page": (READ, "查看帮扶措施"),
    "referrals.add": (CASEWORK, "转介"),
    "referrals.set_state": (CASEWORK, "更新转介状态"),
    "referrals.update": (CASEWORK, "修改转介"),
    "referrals.for_child": (READ, "查看转介"),
    "referrals.page": (READ, "查看转介"),
    "clues.receive": (INTAKE, "登记线索"),
    "clues.advance": (INTAKE, "处理线索"),
    "clues.update": (INTAKE, "修改线索"),
    "clues.link_child": (INTAKE, "关联线索与儿童"),
    "clues.get": (INTAKE_VIEW, "查看线索"),
    "clues.page": (INTAKE_VIEW, "查看线索"),
    "hotline.log": (INTAKE, "登记来电"),
    "hotline.update": (INTAKE, "修改来电"),
    "hotline.to_clue": (INTAKE, "来电转线索"),
    "hotline.page": (INTAKE_VIEW, "查看来电"),
    "stats.statements": (READ, "查看统计"),
    "stats.stats": (READ, "查看统计"),
    "stats.overdue_statement": (READ, "查看逾期名单"),
    "stats.overdue": (READ, "查看逾期名单"),
    "stats.overdue_count": (READ, "查看逾期名单"),
    "stats.red_without_action": (READ, "查看红色预警"),
    "stats.dashboard": (READ, "查看工作台"),
    "stats.day_work": (READ, "查看工作台"),
    "printing.visit_sheet": (READ, "打印走访记录表"),
    "printing.round": (READ, "打印走访任务单"),
    "printing.file_card": (READ, "打印儿童档案卡"),
    "printing.clue": (INTAKE_VIEW, "打印线索登记表"),
    "printing.referral": (READ, "打印转介单"),
    "printing.sign_in_sheet": (READ, "打印活动签到表"),
    "printing.incident": (INTAKE_VIEW, "打印重大事项报告单"),
    "printing.save_pdf": (EXPORT, "保存PDF"),
    "printing.record": (EXPORT, "打印"),
    "printing.log": (STATION_VIEW, "查看打印记录"),
    "printing.log_count": (STATION_VIEW, "查看打印记录"),
    "households.search": (READ, "查看家庭档案"),
    "households.get": (READ, "查看家庭档案"),
    "households.of_child": (READ, "查看家庭档案"),
    "households.create": (CASEWORK, "新建家庭档案"),
    "households.update": (CASEWORK, "修改家庭档案"),
    "households.add_child": (CASEWORK, "把儿童加入家庭"),
    "households.remove_child": (CASEWORK, "把儿童移出家庭"),
    "households.add_person": (CASEWORK, "登记家庭成员"),
    "households.reviews": (CASEWORK, "查看待核对的家庭"),
    "households.resolve_review": (CASEWORK, "核对家庭"),
    "households.record_visit": (CASEWORK, "登记家庭走访"),
    "care.for_child": (READ, "查看监护与照护安排"),
    "care.proposal": (CASEWORK, "填写监护与照护安排"),
    "care.add": (CASEWORK, "登记监护与照护安排"),
    "care.update": (CASEWORK, "修改监护与照护安排"),
    "care.remove": (CASEWORK, "删除监护与照护安排"),
    "care.warnings": (READ, "查看监护与照护提醒"),
    "stats.reminders": (READ, "查看工作提醒"),
    "hotline.work_orders_due": (INTAKE_VIEW, "查看12345工单"),
    "activities.create": (CASEWORK, "登记活动"),
    "activities.update": (CASEWORK, "修改活动"),
    "activities.delete": (CASEWORK, "删除活动"),
    "activities.get": (READ, "查看活动"),
    "activities.page": (READ, "查看活动"),
    "activities.in_period": (READ, "查看活动"),
    "activities.progress": (READ, "查看活动进度"),
    "activities.checked": (READ, "核对活动"),
    "activities.attach": (CASEWORK, "添加活动照片或签到表"),
    "activities.remove_attachment": (CASEWORK, "删除活动附件"),
    "activities.save_attachment": (EXPORT, "取出活动附件"),
    "staff.add": (CASEWORK, "添加儿童主任名册人员"),
    "staff.update": (CASEWORK, "修改儿童主任名册"),
    "staff.remove": (CASEWORK, "删除儿童主任名册人员"),
    "staff.add_training": (CASEWORK, "登记培训"),
    "staff.remove_training": (CASEWORK, "删除培训记录"),
    "staff.get": (READ, "查看儿童主任名册"),
    "staff.roster": (READ, "查看儿童主任名册"),
    "staff.villages_without_director": (READ, "查看儿童主任名册"),
    "incidents.report": (INTAKE, "填写重大事项报告单"),
    "incidents.update": (INTAKE, "修改重大事项报告单"),
    "incidents.delete": (INTAKE, "删除重大事项报告单"),
    "incidents.get": (INTAKE_VIEW, "查看重大事项"),
    "incidents.page": (INTAKE_VIEW, "查看重大事项"),
    "incidents.unreported": (INTAKE_VIEW, "查看重大事项"),
    "monthly.build": (STATION_VIEW, "统计月报"),
    "monthly.export": (EXPORT, "导出月报"),
    "printing.monthly": (EXPORT, "打印月报"),
    "monthly.write_template": (EXPORT, "导出月报模板"),
    "checks.findings": (STATION_VIEW, "查看资格核查"),
    "checks.resolve": (CASEWORK, "处理资格核查结果"),
    "pairing.add": (SETTINGS, "开通乡镇配对"),
    "pairing.accept": (SETTINGS, "接受县级配对"),
    "pairing.check_receipt": (SETTINGS, "核对配对回执"),
    "pairing.confirm": (SETTINGS, "确认配对"),
    "pairing.partners": (STATION_VIEW, "查看配对单位"),
    "exchange.peers": (STATION_VIEW, "查看数据交换"),
    "exchange.log": (STATION_VIEW, "查看数据交换"),
    "exchange.conflicts": (EXCHANGE, "查看数据冲突"),
    "exchange.duplicates": (EXCHANGE, "查看重复档案"),
    "exchange.export": (EXCHANGE, "生成数据包"),
    "exchange.apply": (EXCHANGE, "导入数据包"),
    "exchange.resolve": (EXCHANGE, "处理数据冲突"),
    "exchange.undo": (EXCHANGE, "撤销数据包"),
    "ledger.export": (EXPORT, "导出台账"),
    "ledger.summary": (READ, "查看汇总表"),
    "ledger.preview": (IMPORT, "导入台账"),
    "ledger.apply": (IMPORT, "导入台账"),
    "ledger.imports": (STATION_VIEW, "查看导入记录"),
    "ledger.write_error_report": (IMPORT, "导出错误报告"),
    "maintenance.backup": (BACKUP, "备份数据库"),
    "maintenance.list_backups": (BACKUP, "查看备份"),
    "maintenance.restore": (RESTORE, "恢复数据库"),
    "maintenance.doctor": (BACKUP, "检查数据库"),
    "audit.verify": (AUDIT, "校验审计日志"),
    "audit.count": (AUDIT, "查看审计日志"),
    "audit.entries": (AUDIT, "查看审计日志"),
    "audit.export": (AUDIT, "导出审计日志"),
}


def account_actor(store, name: str) -> Actor:
    """The Actor of the store's active account `name` (its role); the default role for a name with none."""
    from sqlalchemy import select

    from ..models.entities import User

    actor = Actor(name)  # refuses an empty name
    with store.sessions() as s:
        role = s.scalar(select(User.role).where(User.name == name.strip(), User.active.is_(True)).limit(1))
    return Actor(name, roles.canonical_role(role)) if role else actor


def refusal(role: str, label: str) -> WeibaoError:
    return WeibaoError(f"当前账号（{roles.role_label(role)}）无权进行此操作：{label}", "permission")


def may(ctx_or_role: Context | str, key: str) -> bool:
    """Whether the acting account may call `family.method` (the GUI asks this to hide what it cannot do)."""
    role = ctx_or_role.actor.role if isinstance(ctx_or_role, Context) else ctx_or_role
    rule = POLICY.get(key)
    return rule is not None and roles.allows(role, rule[0])


def require(ctx: Context, permission: str, label: str) -> None:
    """The check for a permission inside a service (a choice within one call, such as full id numbers)."""
    if not roles.allows(ctx.actor.role, permission):
        raise refusal(ctx.actor.role, label)


class Guarded:
    """A service as an account may use it: every public method checked against POLICY before it runs."""

    __slots__ = ("_service", "_family", "_ctx")

    def __init__(self, service: Any, family: str, ctx: Context):
        object.__setattr__(self, "_service", service)
        object.__setattr__(self, "_family", family)
        object.__setattr__(self, "_ctx", ctx)

    def __getattr__(self, name: str):
        value = getattr(self._service, name)
        if name.startswith("_") or not callable(value):
            return value
        key = f"{self._family}.{name}"
        rule = POLICY.get(key)
        ctx = self._ctx

        @functools.wraps(value)
        def checked(*args, **kwargs):
            role = ctx.actor.role
            if rule is None:  # a method nobody gave a rule: refused until it has one
                raise WeibaoError(f"此操作尚未登记权限（{key}），已拒绝", "permission")
            if not roles.allows(role, rule[0]):
                raise refusal(role, rule[1])
            if kwargs.get("full_id") and roles.masks_ids(role):
                raise refusal(role, "打印完整身份证号")
            result = value(*args, **kwargs)
            return mask_ids(result) if roles.masks_ids(role) else result

        return checked

    # Tests replace a method to watch it (monkeypatch); the replacement is checked like the method it replaces.
    def __setattr__(self, name: str, value) -> None:
        setattr(self._service, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._service, name)


def guard(service: ServiceT, family: str, ctx: Context) -> ServiceT:
    """`service` behind the policy; typed as the service so callers keep their types."""
    return Guarded(service, family, ctx)  # type: ignore[return-value]


def mask_ids(value):
    """What a director or a viewer gets back: every id number in the returned dataclasses masked, including
    the old and new values of a change-history line about an id number."""
    if isinstance(value, list):
        return [mask_ids(v) for v in value] if value and _is_result(value[0]) else value
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(mask_ids(v) for v in value) if value and _is_result(value[0]) else value
    if not _is_result(value):
        return value
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        current = getattr(value, f.name)
        if f.name.endswith("id_number") and isinstance(current, str) and current:
            changes[f.name] = mask_id_number(current)
        elif isinstance(current, (list, tuple)) or _is_result(current):
            masked = mask_ids(current)
            if masked is not current:
                changes[f.name] = masked
    if str(getattr(value, "field", "")).endswith("id_number"):
        for name in ("old", "new"):
            if isinstance(getattr(value, name, None), str) and getattr(value, name):
                changes[name] = mask_id_number(getattr(value, name))
    return dataclasses.replace(value, **changes) if changes else value


def _is_result(value) -> bool:
    # Only the services' own result dataclasses: a print job's display list is not walked.
    return (dataclasses.is_dataclass(value) and not isinstance(value, type)
            and type(value).__module__.startswith("weibao_desktop.services")
            and type(value).__name__ not in ("PrintJob",))
