"""What `weibao` and its subcommand modules (commands/) share: logging in with the account the command line
names, and the store it opens. A module of its own, so cli.py and commands/ both import it and neither imports
the other.

The password comes from --password-file, else WEIBAO_PASSWORD (an empty value counts as none), else it is asked
for, but only when standard input is a terminal: a script without a password stops with a message, never waits.
"""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from .domain.errors import WeibaoError
from .vault.login import NO_PASSWORD, NO_USER, Credentials, LoginError


def account_name(args) -> str:
    name = (getattr(args, "user", None) or os.environ.get("WEIBAO_USER", "")).strip()
    if not name:
        raise LoginError(NO_USER, "no_user")
    return name


def read_secret(args, *, file_option: str = "password_file", env: str = "WEIBAO_PASSWORD",
                prompt: str = "密码：", missing: str = NO_PASSWORD) -> str:
    path = getattr(args, file_option, None)
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as e:
            raise WeibaoError(f"无法读取密码文件“{path}”（{e.strerror or e}）", "password") from None
        secret = text.splitlines()[0] if text.splitlines() else ""
        if not secret:
            raise WeibaoError(f"密码文件“{path}”的第一行是空的", "password")
        return secret
    value = os.environ.get(env, "")
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        secret = getpass.getpass(prompt)
        if secret:
            return secret
    raise LoginError(missing, "no_password")


def credentials(args) -> Credentials:
    """The account and password of the command line (checked when the store is opened)."""
    return Credentials(account_name(args), read_secret(args))


def login_args(args):
    """Log in as the command line says; the result (store, actor) is kept on `args` for the command's own use."""
    logged = getattr(args, "_logged_in", None)
    if logged is not None:
        return logged
    from .models.encryption import RECOVERY_NOTICE
    from .vault.login import login

    given = credentials(args)
    logged = login(getattr(args, "data_dir", None), getattr(args, "db_url", None), user=given.user,
                   password=given.password)
    for warning in [*logged.store.warnings, *logged.warnings]:  # a network folder, duplicates, a conversion
        print(f"注意：{warning}", file=sys.stderr)
    if logged.recovery_key:
        print(RECOVERY_NOTICE.format(key=logged.recovery_key))
    args._logged_in = logged
    return logged


def open_args_store(args):
    """The store named by --data-dir / --db-url, opened by logging in."""
    return login_args(args).store


def actor_name(args, store=None) -> str:
    return login_args(args).actor.name


def workstation(args):
    """A Workstation on the store of the command line, acting as the logged-in account."""
    from .services import Workstation

    logged = login_args(args)
    return Workstation(logged.store, logged.actor)
