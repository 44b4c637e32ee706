"""Alembic environment: migrations run on the engine handed over by `models.store.upgrade`."""
from alembic import context

from weibao_desktop.models.entities import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from weibao_desktop.models.store import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    # The write lock first (BEGIN IMMEDIATE on SQLite): two programs starting at once migrate one after
    # the other, the second finding nothing left to do; the whole upgrade is one transaction.
    from weibao_desktop.models.store import write_options

    with engine.connect().execution_options(**write_options()) as connection, connection.begin():
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
