"""设置: the station, its villages, the visit interval per colour, the accounts (站长 only: accounts_panel),
printing, pairing, the idle lock and backups."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..domain.cadence import PERIODS
from ..domain.errors import WeibaoError
from .backup_panel import BackupPanel
from .colour import OVERDUE_TEXT, colour_icon
from .operations import Changes, run_long_operation, run_operation
from .page import BasePage
from .pairing_panel import PairingPanel
from .tasks import Tasks, error_text

# New visit intervals move every active child's next due date.
CADENCE_CHANGES = Changes(all_children=True, visits=True, settings=True)


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet(f"color:{OVERDUE_TEXT.name()};")
    label.setWordWrap(True)
    label.hide()
    return label


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class SettingsView(BasePage):
    title = "设置"

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self._saved_cadence: tuple[dict, dict, dict] = ({}, {}, {})
        self._build()
        self.refresh()

    def _build(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)

        station = QGroupBox("工作站", content)
        self.station_form = QFormLayout(station)
        self.station_name = QLineEdit()
        self.station_name.setAccessibleName("工作站名称")
        self.station_name.setMaxLength(50)
        self.station_name_save = QPushButton("保存名称")
        self.station_name_save.clicked.connect(self.save_station_name)
        self.station_name.returnPressed.connect(self.save_station_name)
        self.station_name_note = _error_label(station)
        name_row = QHBoxLayout()
        name_row.addWidget(self.station_name, 1)
        name_row.addWidget(self.station_name_save)
        self.station_code = QLabel()
        self.station_county = QLabel()
        self.station_mode = QLabel()
        self.station_form.addRow("名称：", name_row)
        self.station_form.addRow("", self.station_name_note)
        self.station_form.addRow("区划代码：", self.station_code)
        self.station_form.addRow("所属县(区)：", self.station_county)
        self.station_form.addRow("运行方式：", self.station_mode)
        for label in (self.station_code, self.station_county):
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(station)

        cadence = QGroupBox("走访频次（按风险等级）", content)
        cl = QVBoxLayout(cadence)
        hint = QLabel("每个等级的走访周期（每隔几天，或每自然周、每自然月至少一次），以及哪些走访方式计入走访周期"
                      "（不计入的走访照常记录，但不重置下次走访日期）。红色等级为立即干预：周期是对干预的跟进，"
                      "儿童被安置在家以外时，与儿童或接收单位的任何联系都算跟进。修改后，所有在册儿童的下次走访日期会重新计算。",
                      cadence)
        hint.setWordWrap(True)
        cl.addWidget(hint)
        form = QGridLayout()
        self.cadence: dict[str, QSpinBox] = {}
        self.period: dict[str, QComboBox] = {}
        self.counting: dict[str, dict[str, QCheckBox]] = {}
        for i, code in enumerate(sorted(codes.RISK_COLOUR.keys(), key=codes.COLOUR_ORDER.__getitem__)):
            colour = codes.RISK_COLOUR.label_of(code)
            period = QComboBox(cadence)
            for key, text in PERIODS.items():
                period.addItem(text.replace("N", "") if key == "days" else text, key)
            period.setAccessibleName(f"{colour}色走访周期")
            self.period[code] = period
            spin = QSpinBox(cadence)
            spin.setRange(1, 366)
            spin.setSuffix(" 天")
            spin.setAccessibleName(f"{colour}色走访间隔")
            self.cadence[code] = spin
            period.currentIndexChanged.connect(lambda _i, p=period, sp=spin: sp.setEnabled(p.currentData() == "days"))
            icon = QLabel(cadence)
            icon.setPixmap(colour_icon(code).pixmap(spin.fontMetrics().height()))
            form.addWidget(icon, i, 0)
            form.addWidget(QLabel(f"{colour}色" + ("（跟进）" if code == "red" else ""), cadence), i, 1)
            form.addWidget(period, i, 2)
            form.addWidget(spin, i, 3)
            modes = QHBoxLayout()
            modes.addWidget(QLabel("计入：", cadence))
            self.counting[code] = {}
            for mode in codes.VISIT_MODE:
                box = QCheckBox(mode.label, cadence)
                box.setAccessibleName(f"{colour}色计入{mode.label}")
                self.counting[code][mode.code] = box
                modes.addWidget(box)
            form.addLayout(modes, i, 4)
        form.setColumnStretch(5, 1)
        cl.addLayout(form)
        self.cadence_error = _error_label(cadence)
        cl.addWidget(self.cadence_error)
        self.cadence_done = QLabel(cadence)
        self.cadence_done.setWordWrap(True)
        self.cadence_done.hide()
        cl.addWidget(self.cadence_done)
        buttons = QHBoxLayout()
        self.cadence_save = QPushButton("保存走访频次", cadence)
        self.cadence_save.setToolTip("Ctrl+S")
        self.cadence_save.clicked.connect(self.save_cadence)
        self.cadence_reset = QPushButton("恢复默认（蓝90 黄30 橙7 红跟进7；橙、红须入户或到校）", cadence)
        self.cadence_reset.clicked.connect(self._reset_cadence)
        buttons.addWidget(self.cadence_save)
        buttons.addWidget(self.cadence_reset)
        buttons.addStretch(1)
        cl.addLayout(buttons)
        layout.addWidget(cadence)

        villages = QGroupBox("村(社区)", content)
        vl = QVBoxLayout(villages)
        self.village_table = _table(["名称", "区划代码"], villages)
        vl.addWidget(self.village_table)
        add = QHBoxLayout()
        self.village_name = QLineEdit(villages)
        self.village_name.setPlaceholderText("村(社区)名称")
        self.village_code = QLineEdit(villages)
        self.village_code.setPlaceholderText("12位区划代码（可不填，自动编号）")
        self.village_code.setMaxLength(12)
        self.village_add = QPushButton("添加村(社区)", villages)
        self.village_add.clicked.connect(self.add_village)
        self.village_name.returnPressed.connect(self.add_village)
        add.addWidget(self.village_name, 2)
        add.addWidget(self.village_code, 2)
        add.addWidget(self.village_add)
        vl.addLayout(add)
        self.village_error = _error_label(villages)
        vl.addWidget(self.village_error)
        layout.addWidget(villages)


        try:
            from .print_actions import PrintSettingsWidget
        except ImportError:
            PrintSettingsWidget = None
        if PrintSettingsWidget is not None:
            box = QGroupBox("打印", content)
            QVBoxLayout(box).addWidget(PrintSettingsWidget(self.ws, parent=box))
            layout.addWidget(box)
        layout.addWidget(PairingPanel(self.ws, self.tasks, content))
        from .accounts_panel import AccountsPanel, is_admin
        from .idle_lock import IdleSetting

        self.accounts: AccountsPanel | None = None
        if is_admin(self.ws):
            self.accounts = AccountsPanel(self.ws, content, self.tasks)
            layout.addWidget(self.accounts)

        security = QGroupBox("自动锁定", content)
        self.idle_setting = IdleSetting(security)
        QVBoxLayout(security).addWidget(self.idle_setting)
        layout.addWidget(security)
        self.backups = BackupPanel(self.ws, self.tasks, content)
        layout.addWidget(self.backups)
        layout.addStretch(1)
        # What the account's role may not change is shown but not offered; the services refuse it anyway.
        for w in (self.cadence_save, self.cadence_reset, self.village_add, self.village_name, self.village_code):
            w.setEnabled(self.ws.may("stations.set_cadence"))
        if not self.ws.may("maintenance.backup"):
            self.backups.hide()
        if not self.ws.may("maintenance.restore"):
            self.backups.restore_button.hide()

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def save_station_name(self) -> None:
        """Rename the station (shown in the window, on the dashboard and on printouts)."""
        name, stations = self.station_name.text(), self.ws.stations
        self._name_note(None)
        run_operation(self.tasks, lambda: stations.rename(name), Changes(settings=True), parent=self,
                      on_done=self._renamed, on_error=lambda e: self._name_note(error_text(e), ok=False))

    def _renamed(self, info) -> None:
        self.station_name.setText(info.name)
        self._name_note(f"工作站名称已改为“{info.name}”。")

    def _name_note(self, text: str | None, ok: bool = True) -> None:
        self.station_name_note.setStyleSheet("color: #2E7D32;" if ok else f"color:{OVERDUE_TEXT.name()};")
        self.station_name_note.setText(text or "")
        self.station_name_note.setVisible(bool(text))

    def refresh(self) -> None:
        try:
            info = self.ws.stations.info()
        except WeibaoError as e:
            self.station_name.setText(str(e))
            return
        self.station_name.setText(info.name)
        self.station_code.setText(info.code)
        self.station_county.setText(info.county or "")
        self.station_mode.setText("县级汇总" if info.mode == "county" else "乡镇工作站")
        self._show_cadence(info)
        self.village_table.setRowCount(len(info.villages))
        for i, v in enumerate(info.villages):
            self.village_table.setItem(i, 0, QTableWidgetItem(v.name))
            self.village_table.setItem(i, 1, QTableWidgetItem(v.code))
        if self.ws.may("maintenance.backup"):
            self.backups.refresh()

    def _show_cadence(self, info) -> None:
        for code, spin in self.cadence.items():
            spin.setValue(int(info.cadence.get(code, 1)))
            combo = self.period[code]
            combo.setCurrentIndex(max(0, combo.findData(info.cadence_period.get(code, "days"))))
            spin.setEnabled(combo.currentData() == "days")
            for mode, box in self.counting[code].items():
                box.setChecked(mode in info.counting_modes.get(code, ()))
        self._saved_cadence = self.cadence_state()

    def cadence_values(self) -> dict[str, int]:
        return {code: spin.value() for code, spin in self.cadence.items()}

    def cadence_state(self) -> tuple[dict, dict, dict]:
        """(days, periods, counting modes) per colour as the page shows them."""
        return (self.cadence_values(), {code: combo.currentData() for code, combo in self.period.items()},
                {code: [m for m, box in boxes.items() if box.isChecked()] for code, boxes in self.counting.items()})

    def shows(self, changes: Changes) -> bool:
        return changes.settings

    def save(self) -> bool:
        """Ctrl+S: save what was changed on this page."""
        if self.cadence_state() == self._saved_cadence:
            return False
        self.save_cadence()
        return True

    def _reset_cadence(self) -> None:
        from ..domain.cadence import DEFAULT_CADENCE_DAYS, DEFAULT_COUNTING, DEFAULT_PERIODS

        for code, spin in self.cadence.items():
            spin.setValue(DEFAULT_CADENCE_DAYS[code])
            self.period[code].setCurrentIndex(self.period[code].findData(DEFAULT_PERIODS[code]))
            for mode, box in self.counting[code].items():
                box.setChecked(mode in DEFAULT_COUNTING[code])

    def save_cadence(self) -> None:
        days, periods, counting = self.cadence_state()
        self.cadence_error.hide()
        self.cadence_done.hide()
        stations = self.ws.stations
        self.cadence_save.setEnabled(False)
        run_long_operation(
            self.tasks, lambda progress, cancelled: stations.set_cadence(days, periods, counting), CADENCE_CHANGES,
            on_done=self._cadence_saved, on_error=self._cadence_failed,
            label="正在按新的走访频次重新计算下次走访日期…", parent=self,
        )

    def _cadence_saved(self, info) -> None:
        self.cadence_save.setEnabled(True)
        self._show_cadence(info)
        self.cadence_done.setText("已保存。所有在册儿童的下次走访日期已按新频次重新计算。")
        self.cadence_done.show()

    def _cadence_failed(self, exc) -> None:
        self.cadence_save.setEnabled(True)
        self.cadence_error.setText(error_text(exc))
        self.cadence_error.show()

    def add_village(self) -> None:
        self.village_error.hide()
        stations, name, code = self.ws.stations, self.village_name.text(), self.village_code.text().strip() or None
        run_operation(self.tasks, lambda: stations.add_village(name, code), Changes(settings=True), parent=self,
                      on_done=self._village_added, on_error=self._village_failed)

    def _village_failed(self, e: BaseException) -> None:
        self.village_error.setText(error_text(e))
        self.village_error.show()
        (self.village_code if getattr(e, "field", None) == "code" else self.village_name).setFocus()

    def _village_added(self, v) -> None:
        self.village_name.clear()
        self.village_code.clear()
        self.refresh()
        rows = [self.village_table.item(i, 0).text() for i in range(self.village_table.rowCount())]
        if v.name in rows:
            self.village_table.selectRow(rows.index(v.name))

