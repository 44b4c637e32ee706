"""Store health checks for `weibao doctor`, and backups: by hand, before an import, restore."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from ..domain.errors import WeibaoError
from ..models import backups
from ..models.duplicates import find_duplicate_children, has_unique_index
from ..models.entities import Child
from ..models.store import Store, backup_sqlite, current_revision, head_revision
from .queries import live

BEFORE_IMPORT_KEEP = 3  # a whole copy per import would fill a county office's disk within months
BEFORE_IMPORT_LABELS = {"ledger": "before-import", "package": "before-package"}
SERVER_BACKUP = "服务器数据库请用数据库自带的备份工具（如 pg_dump）"


def doctor(store: Store) -> tuple[list[str], list[str]]:
    """(problems, facts): an empty problem list means the store is sound."""
    problems: list[str] = []
    facts: list[str] = [f"数据库：{store.path or store.url}"]
    size = store.size_bytes()
    if size is not None:
        facts.append(f"文件大小：{size / 1024 / 1024:.1f} MB")
    current, head = current_revision(store.engine), head_revision()
    facts.append(f"结构版本：{current}（最新 {head}）")
    with store.engine.connect() as conn:
        duplicates = find_duplicate_children(conn)
        if duplicates:
            problems.append("同一身份证号有多份在册档案，请合并：")
            problems.extend(f"  {g.station} 身份证号 {g.id_number_masked}："
                            + "；".join(f"档案编号 {u}（{name}，{status}）" for u, name, status in g.files)
                            for g in duplicates)
        elif current != head:
            problems.append(f"数据库结构版本为{current}，程序需要{head}；重新启动程序会自动升级（升级前自动备份）")
        if current == head and not has_unique_index(conn):
            problems.append("缺少“同一工作站身份证号唯一”的索引")
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
                Child.status == "active", live(Child), Child.next_visit_due.is_(None)
            )
        ).scalar()
        if missing_due:
            problems.append(f"{missing_due}份在册档案没有下次走访日期")
        facts.append(f"儿童档案：{conn.execute(select(func.count()).select_from(Child)).scalar()} 份")
    if store.path is not None:
        for info in backups.list_backups(store.path.parent, store.path.stem):
            if not info.ok:
                problems.append(f"备份 {info.path.name} 无法使用（{info.verdict.problem if info.verdict else ''}），"
                                "请删除它，不要用它恢复")
    facts.extend(store.warnings)
    return problems, facts


def backup(store: Store, directory: Path | None = None) -> Path:
    """A whole, verified copy of the store (the GUI's 备份数据库 and `weibao backup`), in the data folder
    or in a chosen folder such as a USB stick."""
    if store.path is None:
        raise WeibaoError(SERVER_BACKUP)
    return backup_sqlite(store.path, "manual", directory=directory)


def backup_before_import(store: Store, kind: str) -> Path | None:
    """The copy taken before a ledger import or a package apply, before the file is even read (parsing a
    big file takes seconds): the newest few are kept. None on a server database."""
    if store.path is None or not store.path.exists():
        return None
    return backup_sqlite(store.path, BEFORE_IMPORT_LABELS[kind], keep=BEFORE_IMPORT_KEEP)


def list_backups(store: Store, directory: Path | None = None) -> list[backups.BackupInfo]:
    """The backups beside the store (or in a chosen folder), newest first, each verified."""
    if store.path is None:
        raise WeibaoError(SERVER_BACKUP)
    return backups.list_backups(directory or store.path.parent, store.path.stem)


def restore(store: Store, backup_file: Path) -> Path | None:
    """Put a backup in the store's place (the store is closed first; open it again afterwards).
    Returns where the replaced store was kept."""
    if store.path is None:
        raise WeibaoError(SERVER_BACKUP)
    store.dispose()
    return backups.restore_backup(store.path, Path(backup_file))


class MaintenanceService:
    """Backups and checks as an account uses them: each call checked by the policy (services/access.py)
    and each backup and restore recorded in the audit trail."""

    def __init__(self, ctx):
        self.ctx = ctx

    def backup(self, directory: Path | None = None) -> Path:
        path = backup(self.ctx.store, directory)
        from . import audit

        audit.record(self.ctx, "backup", audit.file_name(path), {"kind": "manual"})
        return path

    def list_backups(self, directory: Path | None = None) -> list[backups.BackupInfo]:
        return list_backups(self.ctx.store, directory)

    def doctor(self) -> tuple[list[str], list[str]]:
        return doctor(self.ctx.store)

    def restore(self, backup_file: Path) -> Path | None:
        """The restored store's own trail continues, with this restore appended to it."""

        kept = restore(self.ctx.store, backup_file)
        record_restore(self.ctx.store, self.ctx.actor, backup_file, kept)
        return kept


def record_restore(store: Store, actor, backup_file: Path, kept: Path | None) -> None:
    """The restore as the first entry after the restored store's own trail. A backup made before the audit
    log existed has no table for it yet (it is migrated when the program next opens it): nothing to add to."""
    from sqlalchemy import exc

    from . import audit

    try:
        audit.record(store, "restore", audit.file_name(backup_file),
                     {"file": audit.file_name(kept) if kept else ""}, actor=actor)
    except exc.OperationalError:
        pass
