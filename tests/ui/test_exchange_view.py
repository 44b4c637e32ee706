"""The 台账交换 page's county part driven as a clerk would: write a package, preview and confirm an
import, settle a conflict side by side, undo an import from the log."""
from __future__ import annotations

from PySide6.QtCore import Qt

from factories import child_values
from sites import make_county, make_town


def test_packages_go_up_and_down_through_the_exchange_page(qtbot, tmp_path, _migrated_template, clock, tasks):
    from weibao_desktop.ui.exchange_view import ExchangeView

    town = make_town(tmp_path / "town", _migrated_template, "430104001000", "城关镇", clock)
    county = make_county(tmp_path / "county", _migrated_template, clock)
    child = town.children.create(child_values(name="页面测试"))
    town_view = ExchangeView(town.ws, tasks)
    county_view = ExchangeView(county.ws, tasks)
    qtbot.addWidget(town_view)
    qtbot.addWidget(county_view)

    package = tmp_path / "up1.xlsx"
    town_view.export_package(str(package))
    assert package.exists() and "第1号数据包" in town_view.message.text()

    county_view.choose_package(str(package))
    assert county_view.confirm_button.isEnabled()
    assert "新增" in county_view.preview_label.text() and "页面测试" in county_view.preview_text.toPlainText()
    assert county.children.find_existing(id_number=child.id_number) is None  # a preview changes nothing
    qtbot.mouseClick(county_view.confirm_button, Qt.LeftButton)
    assert county.children.get(child.uuid).name == "页面测试"
    assert county_view.peers.rowCount() == 1 and "第1号" in county_view.peers.data(county_view.peers.index(0, 2))

    # Both sides change the same note: the county is asked, and settles it on the conflicts tab.
    town.children.update(child.uuid, {"notes": "乡镇的说法"})
    county.children.update(child.uuid, {"notes": "县里的说法"})
    town_view.export_package(str(tmp_path / "up2.xlsx"))
    county_view.choose_package(str(tmp_path / "up2.xlsx"))
    qtbot.mouseClick(county_view.confirm_button, Qt.LeftButton)
    assert county_view.tabs.currentIndex() == 1 and county_view.conflicts.rowCount() == 1
    county_view.conflict_table.selectRow(0)
    base_box, _ = county_view.sides["base"]
    mine_box, _ = county_view.sides["mine"]
    theirs_box, take_theirs = county_view.sides["theirs"]
    assert (mine_box.toPlainText(), theirs_box.toPlainText()) == ("县里的说法", "乡镇的说法")
    qtbot.mouseClick(take_theirs, Qt.LeftButton)
    assert county_view.conflicts.rowCount() == 0
    assert county.children.get(child.uuid).notes == "乡镇的说法"

    # The county sends its return package to the selected township.
    county_view.peer_table.selectRow(0)
    county_view.export_package(str(tmp_path / "down1.xlsx"))
    town_view.choose_package(str(tmp_path / "down1.xlsx"))
    qtbot.mouseClick(town_view.confirm_button, Qt.LeftButton)
    assert town_view.conflicts.rowCount() == 0

    # The last import is taken back from the log.
    town.children.update(child.uuid, {"residence_address": "新地址"})
    town_view.export_package(str(tmp_path / "up3.xlsx"))
    county_view.choose_package(str(tmp_path / "up3.xlsx"))
    qtbot.mouseClick(county_view.confirm_button, Qt.LeftButton)
    assert county.children.get(child.uuid).residence_address == "新地址"
    county_view.tabs.setCurrentIndex(2)
    county_view.log_table.selectRow(0)
    county_view.undo_selected(confirm=False)
    assert county.children.get(child.uuid).residence_address is None
    assert "已撤销" in county_view.log.data(county_view.log.index(0, county_view.log.columnCount() - 1))
    town.ws.store.dispose()
    county.ws.store.dispose()
