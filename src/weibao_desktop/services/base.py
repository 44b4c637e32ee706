"""What every service shares: the store, the acting user, the clock, one transaction per action.
Records are written through `records`; rules that are queries live in `queries`."""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..domain.errors import WeibaoError
from ..models.entities import Setting, Station
from ..models.store import Store


@dataclass(frozen=True)
class Actor:
    """Who is acting. Every service call runs as one; the audit trail names them."""

    name: str
    role: str = "supervisor"
    villages: tuple[int, ...] = ()  # 儿童主任: the ids of their villages (services.accounts.actor_for)

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise WeibaoError("操作人不能为空", "actor")


@dataclass
class Context:
    store: Store
    actor: Actor
    today: Callable[[], dt.date] = field(default=dt.date.today)

    @contextlib.contextmanager
    def tx(self) -> Iterator[Session]:
        """One user action: one session, one commit; any error rolls everything back.

        It holds the store's write lock from its start (Store.write): read the plan inside it."""
        with self.store.write() as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self.store.sessions() as session:
            yield session


def home_station(session: Session) -> Station:
    """The station this store belongs to; commands that need one say so when there is none."""
    row = session.get(Setting, "home_station_id")
    station = session.get(Station, row.value) if row else None
    if station is None:
        raise WeibaoError("本机还没有设置工作站。请先运行“weibao init --station 名称 --code 区划代码”，或在程序首次启动时填写工作站信息。")
    return station


def store_mode(session: Session) -> str:
    row = session.get(Setting, "mode")
    return str(row.value) if row else "station"
