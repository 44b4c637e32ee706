"""儿童档案 list: search as you type, filters, sorting in SQL, and a row cache that never holds every row."""
from __future__ import annotations

from PySide6.QtCore import Qt

from weibao_desktop.services.dto import ChildQuery
from weibao_desktop.ui.children_model import COLUMN_INDEX, ChildrenModel
from weibao_desktop.ui.children_view import ChildrenView
from weibao_desktop.ui.colour import COLOUR_ROLE


def _names(model, n=None):
    n = model.rowCount() if n is None else min(n, model.rowCount())
    return [model.index(i, COLUMN_INDEX["name"]).data() for i in range(n)]


def test_list_opens_with_every_active_child(qtbot, demo_ws, tasks):
    view = ChildrenView(demo_ws, tasks)
    qtbot.addWidget(view)
    active = demo_ws.stats.stats().total_active
    assert view.model.rowCount() == active
    assert f"共 {active:,} 名" == view.count.text()
    names = _names(view.model, 20)
    assert all(names)


def test_search_as_you_type_by_name_village_and_phone(qtbot, demo_ws, tasks, typer):
    view = ChildrenView(demo_ws, tasks)
    qtbot.addWidget(view)
    target = demo_ws.children.rows(demo_ws.children.search_ids(ChildQuery())[17:18])[0]
    typer(view.search, target.name)
    names = _names(view.model)
    assert target.name in names
    assert all(target.name in n for n in names)
    view.search.clear()
    typer(view.search, target.contact_phone[-6:])
    assert target.name in _names(view.model)
    view.search.clear()
    typer(view.search, target.village)
    rows = [view.model.row_at(i) for i in range(view.model.rowCount())]
    assert rows and all(r.village == target.village for r in rows)
    view.search.setText("没有这个人")
    assert view.model.rowCount() == 0
    assert view.count.text() == "没有找到符合条件的档案"


def test_colour_and_overdue_filters(qtbot, demo_ws, tasks):
    view = ChildrenView(demo_ws, tasks)
    qtbot.addWidget(view)
    view.colour.setCurrentIndex(view.colour.findData("red"))
    n_red = view.model.rowCount()
    assert n_red == demo_ws.stats.stats().by_colour["red"] > 0
    colours = {view.model.index(i, COLUMN_INDEX["risk_colour"]).data(COLOUR_ROLE) for i in range(n_red)}
    assert colours == {"red"}
    view.colour.setCurrentIndex(0)
    view.overdue.setChecked(True)
    rows = [view.model.row_at(i) for i in range(view.model.rowCount())]
    assert rows and all(r.days_overdue > 0 for r in rows)
    # Overdue is red text in the list.
    brush = view.model.index(0, COLUMN_INDEX["next_visit_due"]).data(Qt.ForegroundRole)
    assert brush.color().name().lower() == "#c62828"
    assert "逾期" in view.model.index(0, COLUMN_INDEX["next_visit_due"]).data()


def test_sort_by_clicking_headers_runs_in_sql(qtbot, demo_ws, tasks):
    view = ChildrenView(demo_ws, tasks)
    qtbot.addWidget(view)
    view.table.sortByColumn(COLUMN_INDEX["birth_date"], Qt.DescendingOrder)
    assert view.model.query().sort == "birth_date" and view.model.query().descending
    births = [view.model.row_at(i).birth_date for i in range(view.model.rowCount())]
    assert births == sorted(births, reverse=True)
    view.table.sortByColumn(COLUMN_INDEX["risk_colour"], Qt.AscendingOrder)
    order = {"red": 0, "orange": 1, "yellow": 2, "blue": 3, None: 4}
    ranks = [order[view.model.row_at(i).risk_colour] for i in range(view.model.rowCount())]
    assert ranks == sorted(ranks)
    for col in COLUMN_INDEX.values():  # every column sorts without an error
        view.table.sortByColumn(col, Qt.AscendingOrder)
        assert view.model.rowCount() == demo_ws.stats.stats().total_active


def test_model_never_loads_every_row(qtbot, big_ws, tasks):
    model = ChildrenModel(big_ws, tasks, block=100, max_blocks=5)
    model.set_query(ChildQuery())
    total = model.rowCount()
    assert total == 3000
    for row in range(0, total, 37):  # scroll top to bottom
        assert model.index(row, 0).data()
    assert model.peak_cached_rows <= 500
    assert model.cached_rows() <= 500
    assert model.rows_fetched >= total - 100  # everything was seen once ...
    assert model.fetches == total // 100 - 1  # ... one block at a time (the first came with the search)


def test_scrolling_the_view_fetches_only_what_is_shown(qtbot, big_ws, tasks):
    view = ChildrenView(big_ws, tasks)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    bar = view.table.verticalScrollBar()
    for value in range(0, bar.maximum() + 1, max(1, bar.pageStep())):
        bar.setValue(value)
        qtbot.wait(1)
    assert view.model.rowCount() == 3000
    assert view.model.peak_cached_rows <= view.model.block * view.model.max_blocks
    assert view.model.peak_cached_rows < 3000


def test_first_page_comes_before_the_full_count_and_stays_put(qtbot, big_ws, tasks):
    model = ChildrenModel(big_ws, tasks, block=100)
    at_first_page, resets, inserted = [], [], []
    model.first_page.connect(lambda: at_first_page.append((model.rowCount(), model.is_partial())))
    model.set_query(ChildQuery())
    assert at_first_page == [(100, True)]  # a screenful at once, from a LIMIT query
    assert model.rowCount() == 3000 and not model.is_partial()
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.set_query(ChildQuery(sort="birth_date"))
    assert inserted == [(100, 2999)]  # the rest is appended under the first page, not a second reset
    assert len(resets) == 1


def test_a_search_by_a_guardians_name_shows_the_match_in_its_own_column(qtbot, ws, tasks, make_child, typer):
    from factories import person

    made = make_child(name="孙小雨", people=[person("委托监护人", 3, name="钱老太", relation_detail="祖母")])
    view = ChildrenView(ws, tasks)
    qtbot.addWidget(view)
    match = COLUMN_INDEX["match"]
    assert view.table.isColumnHidden(match)  # nothing searched: no 匹配 column
    typer(view.search, "钱老太")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.row_at(0).match is not None)
    assert view.model.index(0, COLUMN_INDEX["name"]).data() == "孙小雨" == made.name
    assert view.model.index(0, match).data() == "祖母（监护人） 钱老太"
    assert view.model.index(0, COLUMN_INDEX["name"]).data(Qt.ToolTipRole) == "匹配：祖母（监护人） 钱老太"
    assert not view.table.isColumnHidden(match)
