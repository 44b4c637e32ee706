"""Store health checks for `weibao doctor`."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from ..domain.errors import WeibaoError
from ..models.entities import Child
from ..models.store import Store, backup_sqlite, current_revision, head_revision


def doctor(store: Store) -> tuple[list[str], list[str]]:
    """(problems, facts): an empty problem list means the store is sound."""
    problems: list[str] = []
    facts: list[str] = [f"数据库：{store.path or store.url}"]
    size = store.size_bytes()
    if size is not None:
        facts.append(f"文件大小：{size / 1024 / 1024:.1f} MB")
    current, head = current_revision(store.engine), head_revision()
    facts.append(f"结构版本：{current}（最新 {head}）")
    if current != head:
        problems.append(f"数据库结构版本为{current}，程序需要{head}；重新启动程序会自动升级（升级前自动备份）")
    with store.engine.connect() as conn:
        if store.is_sqlite:
            result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                problems.append("SQLite 完整性检查失败：" + "；".join(result[:5]))
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if fk:
                tables = sorted({r[0] for r in fk})
                problems.append(f"有{len(fk)}条记录引用了不存在的记录（表：{'、'.join(tables)}）")
        else:
            conn.execute(text("SELECT 1"))
        missing_due = conn.execute(
            select(func.count()).select_from(Child).where(
                Child.status == "active", Child.deleted_at.is_(None), Child.next_visit_due.is_(None)
            )
        ).scalar()
        if missing_due:
            problems.append(f"{missing_due}份在册档案没有下次走访日期")
        facts.append(f"儿童档案：{conn.execute(select(func.count()).select_from(Child)).scalar()} 份")
    return problems, facts


def backup(store: Store) -> Path:
    """A consistent copy of the SQLite file next to it (the GUI's 备份数据库 and `weibao backup`)."""
    if store.path is None:
        raise WeibaoError("服务器数据库请用数据库自带的备份工具（如 pg_dump）")
    return backup_sqlite(store.path, "manual")
