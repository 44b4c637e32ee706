"""The 家庭档案台账 and the 监护与照护台账: their columns (export only; neither is imported)."""
from __future__ import annotations

from ..domain.codes import RISK_COLOUR
from .ledger_columns import CHILD_ID, CHILD_NAME, RECORD_UUID, SEQ, VILLAGE, Column, Ledger, field_column


def _col(key: str, header: str, kind: str = "text", **kw) -> Column:
    return Column(key, header, kind=kind, imported=False, **kw)


def _adult(relation: str, group: str) -> tuple[Column, ...]:
    return (_col(f"{relation}.name", "姓名", group=group), _col(f"{relation}.phone", "联系电话", "phone", group=group),
            _col(f"{relation}.status", "状况", group=group, width=8))


HOUSEHOLDS = Ledger(
    "households", "家庭档案台账",
    (
        SEQ,
        field_column("household", "name", imported=False),
        VILLAGE,
        field_column("household", "address", imported=False),
        field_column("household", "phone", imported=False),
        _col("child_count", "儿童人数", "int", width=6),
        _col("children", "家庭中的儿童（风险等级）", "longtext", width=30),
        Column("risk_colour", "最高风险等级", kind="colour", table=RISK_COLOUR, imported=False),
        *_adult("father", "父亲"),
        *_adult("mother", "母亲"),
        _col("entrusted.name", "姓名", group="被委托人"),
        _col("entrusted.phone", "联系电话", "phone", group="被委托人"),
        _col("entrusted.relation_detail", "与儿童关系", group="被委托人", width=8),
        _col("uuid", "家庭编号", width=38),
    ),
    signature=("家庭名称", "家庭中的儿童（风险等级）"),
)

CARE = Ledger(
    "care", "监护与照护台账",
    (
        SEQ, CHILD_NAME, CHILD_ID, VILLAGE,
        Column("risk_colour", "风险等级", kind="colour", table=RISK_COLOUR, imported=False),
        field_column("care_arrangement", "kind", imported=False),
        field_column("care_arrangement", "carer_name", imported=False, group="被委托人 / 照护方"),
        field_column("care_arrangement", "carer_relation", imported=False, group="被委托人 / 照护方", width=8),
        field_column("care_arrangement", "carer_phone", imported=False, group="被委托人 / 照护方"),
        field_column("care_arrangement", "parties", imported=False),
        field_column("care_arrangement", "decided_by", imported=False),
        field_column("care_arrangement", "signed_on", imported=False, group="期限"),
        field_column("care_arrangement", "start_on", imported=False, group="期限"),
        field_column("care_arrangement", "end_on", imported=False, group="期限"),
        field_column("care_arrangement", "review_on", imported=False, group="期限"),
        _col("state", "状态", width=10),
        field_column("care_arrangement", "note", imported=False, width=24),
        RECORD_UUID,
    ),
    signature=("安排类型", "被委托人/照护方"),
)
