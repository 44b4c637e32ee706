"""`weibao backup` and `weibao restore`: whole copies of the store, listed, checked and put back."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..domain.errors import WeibaoError


def register(sub, common) -> None:
    b = sub.add_parser("backup", parents=[common], help="备份数据库文件（--list 列出已有备份，--to 备份到U盘等目录）")
    b.add_argument("--to", type=Path, metavar="目录", help="备份到这个目录（如U盘），默认为数据目录")
    b.add_argument("--list", action="store_true", help="列出备份：时间、大小、是否完好（不新建备份）")
    b.set_defaults(func=cmd_backup)

    r = sub.add_parser("restore", parents=[common], help="用备份文件恢复数据库（当前数据库先移到一旁保留）",
                       description="恢复前请关闭所有正在使用这个数据目录的程序窗口。")
    r.add_argument("file", type=Path, help="备份文件（*.bak.sqlite3）")
    r.set_defaults(func=cmd_restore)


def _paths(args: argparse.Namespace) -> Path:
    from ..models.store import store_file

    path = store_file(getattr(args, "data_dir", None), getattr(args, "db_url", None))
    if path is None:
        raise WeibaoError("服务器数据库请用数据库自带的备份和恢复工具（如 pg_dump、pg_restore）")
    return path


def unlock_copies(args, store_path: Path, copies: list[Path]) -> None:
    """Make the keys of these backups known to this process: the login's password against each backup's own
    slots (the passwords of its day), then a login to the store itself (today's key and the ones before it)."""
    from ..cli_support import credentials, login_args
    from ..models.encryption import key_of_copy
    from ..vault.keyfile import keys_path
    from ..vault.login import unlock

    given = credentials(args)
    unknown = [c for c in copies if keys_path(c).exists() and key_of_copy(c) is None]
    for copy in unknown:
        try:
            unlock(keys_path(copy), given, record=False)
        except WeibaoError:
            continue
    if any(key_of_copy(c) is None for c in unknown) and store_path.exists():
        try:
            login_args(args).store.dispose()
        except WeibaoError:
            pass


def cmd_backup(args) -> int:
    from ..models import backups

    path = _paths(args)
    if args.list:
        folder = args.to or path.parent
        unlock_copies(args, path, [b.path for b in backups.list_backups(folder, path.stem, verify=False)])
        found = backups.list_backups(folder, path.stem)
        if not found:
            print(f"{folder} 中没有备份")
            return 0
        print(f"{folder} 中的备份（新的在前）：")
        for info in found:
            state = "完好" if info.ok else f"无法使用：{info.verdict.problem if info.verdict else ''}"
            print(f"  {info.taken_at:%Y-%m-%d %H:%M:%S}  {info.size / 1024 / 1024:8.1f} MB  {state}  {info.path.name}")
        return 0 if all(i.ok for i in found) else 1
    from ..cli_support import workstation

    ws = workstation(args)
    try:
        print(f"已备份到：{ws.maintenance.backup(args.to)}")
    finally:
        ws.store.dispose()
    return 0


def cmd_restore(args) -> int:
    from ..models import backups

    path = _paths(args)
    if not args.file.is_file():
        raise WeibaoError(f"找不到备份文件：{args.file}", "file")
    unlock_copies(args, path, [args.file])
    aside = backups.restore_backup(path, args.file)
    _record_restore(args, aside)
    print(f"已用 {args.file.name} 恢复数据库：{path}")
    if aside is not None:
        print(f"原来的数据库已保留为：{aside.name}（如需找回可再用 weibao restore 恢复它）")
    return 0


def _record_restore(args, aside: Path | None) -> None:
    """The restore goes into the restored store's audit trail. The store may have been damaged or locked away
    before (that is why one restores), so the check of who may restore is the GUI's and the login's."""
    from ..cli_support import actor_name, open_args_store
    from ..services.access import account_actor
    from ..services.maintenance import record_restore

    store = open_args_store(args)
    try:
        record_restore(store, account_actor(store, actor_name(args, store)), args.file, aside)
    finally:
        store.dispose()
