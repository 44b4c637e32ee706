"""Two programs writing one store at once: each write takes the store's write lock before it reads what
it plans to change, so the second one waits and then finds the work done. Real `weibao` processes."""
from __future__ import annotations

import pytest

import rawdb
from store_helpers import build_world, cli, copy_store, dump, start, store_file


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("world"), children=150)


def _children(data_dir) -> tuple[int, int]:
    con = rawdb.connect(store_file(data_dir))
    try:
        return con.execute("SELECT count(*), count(DISTINCT id_number) FROM child WHERE deleted_at IS NULL").fetchone()
    finally:
        con.close()


def _together(data_dir, *args):
    """Start two processes with the same command at once; both outputs, in the order they finished."""
    first, second = start(data_dir, *args), start(data_dir, *args)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    return [(p.returncode, out, err) for p, (out, err) in zip((first, second), outs, strict=True)]


def test_two_imports_of_one_ledger_at_once_create_each_child_once(world, tmp_path):
    target = copy_store(world["fresh"], tmp_path / "store")
    results = _together(target, "ledger", "import", str(world["ledger"]))

    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "IntegrityError" not in err
    summaries = sorted(out.strip().splitlines()[-1] for _, out, _ in results)
    assert summaries[0].startswith("导入完成：新增 0 份档案") and "无变化 150 份" in summaries[0]
    assert summaries[1].startswith("导入完成：新增 150 份档案")
    assert sum("已于" in out and "导入过" in out for _, out, _ in results) == 1  # the second one is told
    assert _children(target) == (150, 150)
    assert "检查通过" in cli(target, "doctor").stdout


def test_two_imports_of_one_package_at_once_apply_it_once(world, tmp_path):
    target = copy_store(world["county"], tmp_path / "store")
    results = _together(target, "sync", "import", str(world["package"]))

    for code, out, err in results:
        assert "Traceback" not in err and "IntegrityError" not in err, err
        assert code == 0 or "已导入过" in err, (out, err)
    con = rawdb.connect(store_file(target))
    try:
        assert con.execute("SELECT count(*) FROM import_log WHERE kind = 'package'").fetchone() == (1,)
        assert con.execute("SELECT count(*), count(DISTINCT uuid) FROM child").fetchone() == (150, 150)
    finally:
        con.close()
    assert "检查通过" in cli(target, "doctor").stdout


def test_a_reader_does_not_wait_for_an_import(world, tmp_path):
    """stats answers from the last committed state while an import holds the write lock."""
    target = copy_store(world["fresh"], tmp_path / "store")
    holder = rawdb.connect(store_file(target), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # as an import does, for as long as it runs
    try:
        out = cli(target, "stats").stdout
        assert out.splitlines()[1].startswith("在册 0 人，")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_same_id_number_cannot_get_two_live_files(world, tmp_path):
    """Whatever path a write takes, the unique index refuses a second live file: a Chinese message, no change."""
    from weibao_desktop.domain.errors import WeibaoError
    from weibao_desktop.models.entities import Child
    from weibao_desktop.models.store import open_store

    target = copy_store(world["town"], tmp_path / "store")
    store = open_store(target)
    try:
        before = dump(store_file(target))
        with store.sessions() as s:
            child = s.query(Child).filter(Child.id_number.is_not(None)).first()
            values = {c.name: getattr(child, c.name) for c in Child.__table__.columns if c.name not in ("id", "uuid")}
        with pytest.raises(WeibaoError) as refused:
            with store.write() as s:
                s.add(Child(**values))
        assert "已有在册档案" in refused.value.message
        assert dump(store_file(target)) == before
    finally:
        store.dispose()
