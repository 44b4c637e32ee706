"""The 台账交换 page's county part driven as a clerk would, by clicks only: write a package, preview and
confirm an import, settle a conflict side by side, undo an import from the log. File and message dialogs
are answered by the `answers` fixture, which also records what the clerk was asked."""
from __future__ import annotations

from PySide6.QtCore import Qt

from factories import child_values
from pairing_helpers import pair
from sites import make_county, make_town


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisibleTo(button.window()), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)


def test_packages_go_up_and_down_through_the_exchange_page(qtbot, tmp_path, _migrated_template, clock, tasks,
                                                          answers):
    from weibao_desktop.ui.exchange_view import ExchangeView

    town = make_town(tmp_path / "town", _migrated_template, "430104001000", "城关镇", clock)
    county = make_county(tmp_path / "county", _migrated_template, clock)
    pair(county, town, tmp_path / "pairing")
    child = town.children.create(child_values(name="页面测试"))
    town_view = ExchangeView(town.ws, tasks)
    county_view = ExchangeView(county.ws, tasks)
    for view in (town_view, county_view):
        qtbot.addWidget(view)
        view.show()

    # 生成上报县级的数据包…: cancelling the save dialog writes nothing.
    click(qtbot, town_view.export_button)
    assert answers.titles("save") == ["保存数据包"] and "数据包" not in town_view.message.text()
    package = tmp_path / "up1.xlsx"
    answers.save_as(package)
    click(qtbot, town_view.export_button)
    assert package.exists() and "第1号数据包" in town_view.message.text()

    # 导入数据包…: a preview first, which changes nothing; 确认导入 applies it.
    answers.open_file(package)
    click(qtbot, county_view.import_button)
    assert county_view.confirm_button.isEnabled()
    assert "新增" in county_view.preview_label.text() and "页面测试" in county_view.preview_text.toPlainText()
    assert county.children.find_existing(id_number=child.id_number) is None
    click(qtbot, county_view.confirm_button)
    assert county.children.get(child.uuid).name == "页面测试"
    assert county_view.peers.rowCount() == 1 and "第1号" in county_view.peers.data(county_view.peers.index(0, 2))

    # Both sides change the same note: the county is asked, and settles it on the conflicts tab.
    town.children.update(child.uuid, {"notes": "乡镇的说法"})
    county.children.update(child.uuid, {"notes": "县里的说法"})
    answers.save_as(tmp_path / "up2.xlsx")
    click(qtbot, town_view.export_button)
    answers.open_file(tmp_path / "up2.xlsx")
    click(qtbot, county_view.import_button)
    click(qtbot, county_view.confirm_button)
    assert county_view.tabs.currentIndex() == 1 and county_view.conflicts.rowCount() == 1
    county_view.conflict_table.selectRow(0)
    mine_box, _ = county_view.sides["mine"]
    theirs_box, take_theirs = county_view.sides["theirs"]
    assert (mine_box.toPlainText(), theirs_box.toPlainText()) == ("县里的说法", "乡镇的说法")
    click(qtbot, take_theirs)
    assert county_view.conflicts.rowCount() == 0
    assert county.children.get(child.uuid).notes == "乡镇的说法"

    # The county must pick the township first, then sends its return package to it.
    click(qtbot, county_view.export_button)
    assert "请先在上面的列表中选中" in county_view.message.text()
    county_view.peer_table.selectRow(0)
    answers.save_as(tmp_path / "down1.xlsx")
    click(qtbot, county_view.export_button)
    answers.open_file(tmp_path / "down1.xlsx")
    click(qtbot, town_view.import_button)
    click(qtbot, town_view.confirm_button)
    assert town_view.conflicts.rowCount() == 0

    # 撤销所选的导入: asked first; 否 changes nothing, 是 takes the import back.
    town.children.update(child.uuid, {"residence_address": "新地址"})
    answers.save_as(tmp_path / "up3.xlsx")
    click(qtbot, town_view.export_button)
    answers.open_file(tmp_path / "up3.xlsx")
    click(qtbot, county_view.import_button)
    click(qtbot, county_view.confirm_button)
    assert county.children.get(child.uuid).residence_address == "新地址"
    county_view.tabs.setCurrentIndex(2)
    county_view.log_table.selectRow(0)
    answers.confirm(False)
    click(qtbot, county_view.undo_button)
    assert county.children.get(child.uuid).residence_address == "新地址"
    answers.confirm(True)
    click(qtbot, county_view.undo_button)
    assert answers.titles("question") == ["撤销导入", "撤销导入"]
    assert county.children.get(child.uuid).residence_address is None
    state_column = [county_view.log.headerData(i, Qt.Horizontal) for i in range(county_view.log.columnCount())].index("状态")
    assert "已撤销" in county_view.log.data(county_view.log.index(0, state_column))
    assert "程序内部错误" not in " ".join(answers.messages()) + county_view.message.text() + town_view.message.text()
    town.ws.store.dispose()
    county.ws.store.dispose()


def test_the_exchange_log_shows_local_time(qtbot, tmp_path, _migrated_template, clock, tasks, answers, monkeypatch):
    """Stamps are stored in UTC; the clerk reads them in the computer's time zone."""
    import time

    from weibao_desktop.ui.exchange_view import ExchangeView
    from weibao_desktop.ui.times import local_stamp

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        town = make_town(tmp_path / "town", _migrated_template, "430104001000", "城关镇", clock)
        county = make_county(tmp_path / "county", _migrated_template, clock)
        pair(county, town, tmp_path / "pairing")
        county.ws.store.dispose()
        town.children.create(child_values(name="时间测试"))
        view = ExchangeView(town.ws, tasks)
        qtbot.addWidget(view)
        answers.save_as(tmp_path / "up1.xlsx")
        view.export_button.click()
        [entry] = view.log.rows
        shown = view.log.data(view.log.index(0, 0))
        assert shown == local_stamp(entry["at"])
        utc = entry["at"].strftime("%Y-%m-%d %H:%M")
        assert shown != utc  # eight hours ahead of UTC in China
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
        town.ws.store.dispose()
