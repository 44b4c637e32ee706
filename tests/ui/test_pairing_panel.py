"""设置 → 配对 driven by clicks on both sides, then a package whose hand edit the county ticks in the preview.

The county's and the township's panels must show the same 安全码; the county is asked to compare it by phone
before the pairing is made. Screenshots of both panels are written to docs/screenshots when
WEIBAO_SCREENSHOTS is set."""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from factories import child_values
from pairing_helpers import unlock
from sites import make_county, make_town

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisibleTo(button.window()), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)


def _shot(widget, name: str) -> None:
    if os.environ.get("WEIBAO_SCREENSHOTS"):
        widget.resize(900, widget.sizeHint().height() + 20)
        widget.grab().save(str(SHOTS / name))


def test_both_sides_pair_through_the_panel_and_show_the_same_safety_code(qtbot, tmp_path, _migrated_template, clock,
                                                                         tasks, answers):
    from weibao_desktop.ui.exchange_view import ExchangeView
    from weibao_desktop.ui.pairing_panel import PairingPanel

    town = make_town(tmp_path / "town", _migrated_template, "430104001000", "城关镇", clock)
    county = make_county(tmp_path / "county", _migrated_template, clock)
    county_panel, town_panel = PairingPanel(county.ws, tasks), PairingPanel(town.ws, tasks)
    for panel in (county_panel, town_panel):
        qtbot.addWidget(panel)
        panel.show()
    assert not hasattr(town_panel, "invite_button") and not hasattr(county_panel, "accept_button")

    # ① the county writes the 开通文件 for the township it names
    invite, receipt = tmp_path / "开通文件.xlsx", tmp_path / "回执.xlsx"
    county_panel.township_name.setText("城关镇")
    county_panel.township_code.setText("430104001000")
    answers.save_as(invite)
    click(qtbot, county_panel.invite_button)
    assert invite.exists() and "已为城关镇生成开通文件" in county_panel.status.text()
    assert county_panel.table.item(0, 2).text() == "已生成开通文件，等待回执"
    assert not any("密码" in str(c.value) for ws in load_workbook(invite) for r in ws.iter_rows() for c in r
                   if c.value and "不含任何密码" not in str(c.value))

    # ② the township takes it and writes the 回执
    answers.open_file(invite)
    answers.save_as(receipt)
    click(qtbot, town_panel.accept_button)
    town_code = town_panel.table.item(0, 3).text()
    assert len(town_code) == 6 and town_code in town_panel.code_label.text()

    # ③ the county reads the 回执: asked to compare the code by phone; 否 makes no pairing
    answers.open_file(receipt)
    answers.confirm(False)
    click(qtbot, county_panel.receipt_button)
    assert town_code in answers.messages()[-1] and county.pairing.partners()[0].state == "invited"
    answers.open_file(receipt)
    answers.confirm(True)
    click(qtbot, county_panel.receipt_button)
    assert county_panel.table.item(0, 3).text() == town_code and "已与城关镇完成配对" in county_panel.status.text()
    assert county_panel.table.item(0, 4).text() == town_panel.table.item(0, 4).text()  # the same package password
    _shot(county_panel, "pairing-county.png")
    _shot(town_panel, "pairing-township.png")

    # A package corrected by hand on the way: the county sees the edit and ticks it before importing.
    child = town.children.create(child_values(name="手改测试"))
    other = town.children.create(child_values(name="不采用"))
    package = tmp_path / "up1.xlsx"
    town.exchange.export(package)
    wb = load_workbook(unlock(package, passwords=[town_panel.table.item(0, 4).text()]))  # opened in Excel/WPS
    ws = wb["儿童档案"]
    top = next(r for r in range(1, 10) if "记录编号" in [c.value for c in ws[r]])
    heads = [c.value for c in ws[top]]
    for r in range(top + 1, ws.max_row + 1):
        uuid = ws.cell(r, heads.index("记录编号") + 1).value
        if uuid in (child.uuid, other.uuid):
            ws.cell(r, heads.index("现居住地") + 1).value = f"路上改的{uuid[:4]}"
    wb.save(package)
    view = ExchangeView(county.ws, tasks)
    qtbot.addWidget(view)
    view.show()
    answers.open_file(package)
    click(qtbot, view.import_button)
    assert view.hand_box.isVisible() and view.hand_table.rowCount() == 2
    texts = [view.hand_table.item(i, 4).text() for i in range(2)]
    assert all("→ 路上改的" in t for t in texts)
    row = next(i for i in range(2) if view.hand_edits[i].id.endswith("residence_address")
               and f"路上改的{child.uuid[:4]}" in texts[i])
    view.hand_table.item(row, 0).setCheckState(Qt.Checked)
    click(qtbot, view.confirm_button)
    assert county.children.get(child.uuid).residence_address == f"路上改的{child.uuid[:4]}"
    assert county.children.get(other.uuid).residence_address == other.residence_address  # not ticked
    town.ws.store.dispose()
    county.ws.store.dispose()
