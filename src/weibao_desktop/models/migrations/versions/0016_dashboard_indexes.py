"""Indexes that answer the dashboard's counts by themselves (covering indexes), so the 工作台 of a large store
needs no pass over the wide child and visit rows. No ANALYZE: the queries are shaped so the planner picks these
without statistics (tests/test_services_stats.py), and statistics taken once would go stale as a store grows.

- child: (station, live, status, due, colour, village, red deferral) replaces (station, status, due); the colour
  index also carries what the red list filters and sorts on.
- category_membership: (child, live, category, start, end) replaces (child).
- visit: (day, live, child) replaces (day).

Revision ID: 0016
Revises: 0015
"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

NEW = {
    "ix_child_board": ("child", ["station_id", "deleted_at", "status", "next_visit_due", "risk_colour", "village_id",
                                 "red_deferral"]),
    "ix_child_station_colour": ("child", ["station_id", "risk_colour", "deleted_at", "status", "red_deferral",
                                          "colour_set_on"]),
    "ix_category_live": ("category_membership", ["child_id", "deleted_at", "category", "start_on", "end_on"]),
    "ix_visit_day": ("visit", ["visited_on", "deleted_at", "child_id"]),
}
OLD = {
    "ix_child_station_due": ("child", ["station_id", "status", "next_visit_due"]),
    "ix_child_station_colour": ("child", ["station_id", "risk_colour"]),
    "ix_category_child": ("category_membership", ["child_id"]),
    "ix_visit_date": ("visit", ["visited_on"]),
}


def _swap(drop: dict, create: dict) -> None:
    for name, (table, _columns) in drop.items():
        op.drop_index(name, table_name=table)
    for name, (table, columns) in create.items():
        op.create_index(name, table, columns)


def upgrade() -> None:
    _swap(OLD, NEW)


def downgrade() -> None:
    _swap(NEW, OLD)
