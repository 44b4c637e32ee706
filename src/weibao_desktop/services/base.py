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
    """Who is acting. Every service call runs as one; the audit trail names them.

    `role` is a ROLE code (services/access.py says what each may do). `villages` are the village names (or
    their 12-digit 区划代码) a 儿童主任 is assigned to: a director sees only children of those villages, and
    none when it is empty. `townships` optionally limits a county account to some townships (station names
    or codes); empty means every township. Both are ignored for the other roles."""

    name: str
    role: str = "supervisor"
    villages: frozenset[str] = frozenset()
    townships: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise WeibaoError("操作人不能为空", "actor")
        # Callers may pass a list or set; the actor stays hashable and immutable.
        object.__setattr__(self, "villages", frozenset(self.villages))
        object.__setattr__(self, "townships", frozenset(self.townships))


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
            session.info["actor"] = self.actor  # the scope queries and get_child read it (services/queries.py)
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self.store.sessions() as session:
            session.info["actor"] = self.actor
            yield session


@dataclass
class JoinedContext(Context):
    """A context whose every transaction is one already open (`session`): several service calls are then
    written as one, committed or rolled back as a whole by whoever opened it (the demo writes this way)."""

    session: Session | None = None

    @contextlib.contextmanager
    def tx(self) -> Iterator[Session]:
        assert self.session is not None
        yield self.session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        assert self.session is not None
        yield self.session


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
