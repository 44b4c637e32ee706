"""What `weibao` and its subcommand modules (commands/) share: the store and the acting user the command line
names. A module of its own, so cli.py and commands/ both import it and neither imports the other."""
from __future__ import annotations

import getpass
import os

from .domain.errors import WeibaoError


def open_args_store(args):
    """The store named by --data-dir / --db-url."""
    import sys

    from .models.store import open_store

    store = open_store(getattr(args, "data_dir", None), getattr(args, "db_url", None))
    for warning in store.warnings:  # a network folder, duplicate files waiting for a person to merge
        print(f"注意：{warning}", file=sys.stderr)
    return store


def actor_name(args, store=None) -> str:
    name = getattr(args, "user", None) or os.environ.get("WEIBAO_USER")
    if name:
        return name
    if store is not None:
        from .services import Workstation

        try:
            users = Workstation(store, "system").stations.users()
            if users:
                return users[0].name
        except WeibaoError:
            pass
    try:
        return getpass.getuser()
    except Exception:
        return "管理员"


def workstation(args):
    """A Workstation on the store of the command line, acting as --user."""
    from .services import Workstation

    store = open_args_store(args)
    return Workstation.as_account(store, actor_name(args, store))
