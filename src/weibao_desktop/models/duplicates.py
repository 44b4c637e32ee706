"""Live child files that share an id number within one station: found before the unique index that
forbids them is built, and listed for a person to merge (the program never merges files by itself).

Only the child table has a station column; every travelling record's uuid is already unique in its
table (uq_<table>_uuid since 0001), which covers (station, uuid)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from ..domain.errors import WeibaoError
from ..domain.idnumber import mask_id_number

INDEX = "uq_child_station_id_number"
INDEX_REVISION = "0006"
LIVE = "deleted_at IS NULL AND id_number IS NOT NULL"
SHOWN = 20  # groups listed in the message; doctor says how many more


@dataclass(frozen=True)
class DuplicateGroup:
    station: str
    id_number_masked: str
    files: tuple[tuple[str, str, str], ...]  # (档案编号, name, status label)


class DuplicateChildren(WeibaoError):
    def __init__(self, groups: list[DuplicateGroup]):
        super().__init__(duplicates_message(groups), "id_number")
        self.groups = groups


def find_duplicate_children(conn: Connection) -> list[DuplicateGroup]:
    keys = conn.execute(text(
        f"SELECT station_id, id_number FROM child WHERE {LIVE} GROUP BY station_id, id_number "
        "HAVING count(*) > 1 ORDER BY station_id, id_number")).all()
    groups = []
    for station_id, number in keys:
        station = conn.execute(text("SELECT name FROM station WHERE id = :id"), {"id": station_id}).scalar()
        files = conn.execute(text(
            f"SELECT uuid, name, status FROM child WHERE {LIVE} AND station_id = :s AND id_number = :n ORDER BY id"),
            {"s": station_id, "n": number}).all()
        groups.append(DuplicateGroup(station or str(station_id), mask_id_number(number),
                                     tuple((u, name, "已销档" if status == "closed" else "在册") for u, name, status in files)))
    return groups


def duplicates_message(groups: list[DuplicateGroup]) -> str:
    lines = [f"有{len(groups)}个身份证号在同一工作站下有多份档案，需要人工合并（保留一份，把其余档案的走访等记录核对后删除多余档案）。"
             "合并之前，程序不能阻止同一身份证号再次重复建档；数据没有被修改，程序照常使用："]
    for g in groups[:SHOWN]:
        files = "；".join(f"档案编号 {u}（{name}，{status}）" for u, name, status in g.files)
        lines.append(f"  {g.station} 身份证号 {g.id_number_masked}：{files}")
    if len(groups) > SHOWN:
        lines.append(f"  …… 另有{len(groups) - SHOWN}组，运行 weibao doctor 查看全部")
    return "\n".join(lines)


def has_unique_index(conn: Connection) -> bool:
    return any(ix["name"] == INDEX for ix in inspect(conn).get_indexes("child"))


def settle_unique_index(engine: Engine) -> DuplicateChildren | None:
    """The unique index migration 0006 leaves out while duplicates exist: built here once a person has merged
    them (checked at every start), else the duplicates that still stop it. Later migrations are never held back
    by them, so the store's schema is always the program's."""
    with engine.begin() as conn:
        if not inspect(conn).has_table("child") or has_unique_index(conn):
            return None
        groups = find_duplicate_children(conn)
        if groups:
            return DuplicateChildren(groups)
        conn.execute(text(f"CREATE UNIQUE INDEX {INDEX} ON child (station_id, id_number) WHERE {LIVE}"))
    return None
