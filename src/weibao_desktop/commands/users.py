"""`weibao user …`: accounts and passwords (add, list, passwd, reset, remove, unlock, recover).

A new password comes from --new-password-file, else WEIBAO_NEW_PASSWORD, else it is asked for on a terminal."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli_support import account_name, login_args, read_secret
from ..domain.codes import ROLE

NO_NEW_PASSWORD = ("没有提供新密码：请用 --new-password-file 指定文件，或设置环境变量 WEIBAO_NEW_PASSWORD，"
                   "或在终端中直接运行本命令以输入。")


def register(sub, common) -> None:
    u = sub.add_parser("user", parents=[common], help="账号：添加、列出、改密码、重置密码、停用、解锁、用恢复密钥找回")
    verbs = u.add_subparsers(dest="user_command", metavar="操作", required=True)
    secret = argparse.ArgumentParser(add_help=False)
    secret.add_argument("--new-password-file", type=Path, metavar="文件", help="从这个文件的第一行读取新密码")

    a = verbs.add_parser("add", parents=[common, secret], help="添加账号（站长）")
    a.add_argument("name", help="新账号的姓名")
    a.add_argument("--role", required=True, help=f"角色：{'、'.join(ROLE.labels())}")
    a.add_argument("--villages", default="", help="儿童主任负责的村(社区)，用逗号分隔")
    a.set_defaults(func=cmd_add)

    verbs.add_parser("list", parents=[common], help="列出账号（站长）").set_defaults(func=cmd_list)
    verbs.add_parser("passwd", parents=[common, secret], help="修改自己的密码").set_defaults(func=cmd_passwd)

    r = verbs.add_parser("reset", parents=[common, secret], help="为忘记密码的人设新密码（站长）")
    r.add_argument("name")
    r.set_defaults(func=cmd_reset)

    d = verbs.add_parser("remove", parents=[common], help="停用账号并更换数据库密钥（站长；请先关闭其他窗口）")
    d.add_argument("name")
    d.set_defaults(func=cmd_remove)

    k = verbs.add_parser("unlock", parents=[common], help="解除因密码输错而锁定的账号（站长）")
    k.add_argument("name")
    k.set_defaults(func=cmd_unlock)

    c = verbs.add_parser("recover", parents=[common, secret],
                         help="用恢复密钥为站长账号设新密码（--user 站长姓名；恢复密钥见 WEIBAO_RECOVERY_KEY 或终端输入）")
    c.add_argument("--recovery-key-file", type=Path, metavar="文件", help="从这个文件读取恢复密钥")
    c.set_defaults(func=cmd_recover)


def _accounts(args):
    from ..services import Workstation
    from ..services.accounts import AccountService

    logged = login_args(args)
    return AccountService(Workstation(logged.store, logged.actor).ctx)


def _new_password(args) -> str:
    return read_secret(args, file_option="new_password_file", env="WEIBAO_NEW_PASSWORD", prompt="新密码：",
                       missing=NO_NEW_PASSWORD)


def cmd_add(args) -> int:
    villages = [v.strip() for v in args.villages.replace("，", ",").split(",") if v.strip()]
    accounts = _accounts(args)
    info = accounts.add(args.name, args.role, _new_password(args), villages)
    print(f"已添加账号：{info.name}（{ROLE.label_of(info.role)}）" + (f"，负责：{'、'.join(info.villages)}" if info.villages else ""))
    return 0


def cmd_list(args) -> int:
    for info in _accounts(args).accounts():
        state = "在用" if info.active else "已停用"
        if info.locked_until is not None:
            state += f"，锁定至 {info.locked_until.astimezone():%H:%M}"
        villages = f"  负责：{'、'.join(info.villages)}" if info.villages else ""
        print(f"{info.name}\t{ROLE.label_of(info.role)}\t{state}{villages}")
    return 0


def cmd_passwd(args) -> int:
    accounts = _accounts(args)
    old = read_secret(args)  # the login password, already checked by the login
    accounts.change_password(old, _new_password(args))
    print("密码已修改。下次登录请用新密码。")
    return 0


def cmd_reset(args) -> int:
    accounts = _accounts(args)
    accounts.reset_password(args.name, _new_password(args))
    print(f"已为“{args.name}”设置新密码，账号的锁定也已解除。请当面告诉本人，并请本人登录后用 weibao user passwd 改成自己的密码。")
    return 0


def cmd_remove(args) -> int:
    _accounts(args).remove(args.name)
    print(f"已停用账号“{args.name}”，并已更换数据库密钥：此人的旧密码和旧密钥文件打不开今后的数据库。"
          "（此前的备份仍可用当时的密码打开，请妥善保管或删除旧备份。）")
    return 0


def cmd_unlock(args) -> int:
    _accounts(args).unlock(args.name)
    print(f"已解锁账号“{args.name}”。")
    return 0


def cmd_recover(args) -> int:
    from ..services import Workstation
    from ..services.accounts import AccountService
    from ..vault.login import login

    name = account_name(args)
    recovery_key = read_secret(args, file_option="recovery_key_file", env="WEIBAO_RECOVERY_KEY", prompt="恢复密钥：",
                               missing="没有提供恢复密钥：请用 --recovery-key-file，或设置环境变量 WEIBAO_RECOVERY_KEY，"
                                       "或在终端中直接运行本命令以输入。")
    logged = login(getattr(args, "data_dir", None), getattr(args, "db_url", None), user=name, password=recovery_key,
                   recovery=True)
    try:
        AccountService(Workstation(logged.store, logged.actor).ctx).reset_password(name, _new_password(args))
    finally:
        logged.store.dispose()
    print(f"已用恢复密钥为站长“{name}”设置新密码。恢复密钥仍然有效，请放回保险柜。", file=sys.stdout)
    return 0
