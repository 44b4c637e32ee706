"""设置 → 配对: pair this station with the county office (township) or with each township (county).

County: 生成开通文件 for a township, then 导入回执 it sends back; township: 导入开通文件, which writes the
回执. Both sides then show the same six-digit 安全码, which two people compare by phone before the first
exchange. Nothing here carries a password: the package password is derived on each side and shown only to
those who may see it."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .files import suggested as in_work_folder
from .operations import Changes, run_operation
from .tasks import Tasks, error_text

PAIRING_CHANGES = Changes(settings=True, exchange=True)
_STATE = {"paired": "已配对", "invited": "已生成开通文件，等待回执"}


class PairingPanel(QGroupBox):
    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__("配对（与县级或各乡镇交换数据包之前做一次）", parent)
        self.ws, self.tasks = ws, tasks
        self.county = ws.stations.info().mode == "county"
        self.partners: list = []
        layout = QVBoxLayout(self)
        steps = ("① 县级为乡镇生成开通文件，交给乡镇　② 乡镇导入开通文件，生成回执交回县级　"
                 "③ 县级导入回执。双方打电话核对显示的6位安全码，一致才算配对完成。")
        hint = QLabel(steps, self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(["单位", "区划代码", "状态", "安全码", "包密码（在 Excel/WPS 中打开数据包用）"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(110 if self.county else 60)
        if not self.county:
            self.table.setMaximumHeight(90)  # a township has one partner: its county office
        layout.addWidget(self.table)
        row = QHBoxLayout()
        if self.county:
            self.township_name = QLineEdit(self)
            self.township_name.setPlaceholderText("乡镇名称")
            self.township_code = QLineEdit(self)
            self.township_code.setPlaceholderText("乡镇12位区划代码")
            self.township_code.setMaxLength(12)
            self.invite_button = QPushButton("生成开通文件…", self)
            self.invite_button.clicked.connect(self.write_invite)
            self.receipt_button = QPushButton("导入回执…", self)
            self.receipt_button.clicked.connect(self.confirm_receipt)
            row.addWidget(self.township_name, 2)
            row.addWidget(self.township_code, 2)
            row.addWidget(self.invite_button)
            row.addWidget(self.receipt_button)
        else:
            self.accept_button = QPushButton("导入县级的开通文件…", self)
            self.accept_button.clicked.connect(self.accept_invite)
            row.addWidget(self.accept_button)
            row.addStretch(1)
        layout.addLayout(row)
        self.code_label = QLabel(self)
        font = QFont(self.code_label.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.code_label.hide()
        layout.addWidget(self.code_label)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        pairing = self.ws.pairing
        self.tasks.run(lambda progress, cancelled: pairing.partners(), on_done=self._show,
                       on_error=lambda e: self._say(error_text(e), error=True), parent=self)

    def _show(self, partners: list) -> None:
        self.partners = partners
        self.table.setRowCount(len(partners))
        for i, p in enumerate(partners):
            cells = [p.name, p.code, _STATE.get(p.state, p.state) + (f"（密钥已更换{p.rekeyed}次）" if p.rekeyed else ""),
                     p.safety_code or "—", p.password or ("—" if p.state != "paired" else "仅管理员可见")]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3 and p.safety_code:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, col, item)
        paired = [p for p in partners if p.safety_code]
        if len(paired) == 1 and not self.code_label.isVisible():
            self._show_code(paired[0].name, paired[0].safety_code)

    def _show_code(self, name: str, code: str | None) -> None:
        self.code_label.setText(f"与{name}的安全码：{code}")
        self.code_label.show()

    def write_invite(self) -> None:
        """County: 生成开通文件 for the township typed in; the file holds only public keys."""
        name, code = self.township_name.text().strip(), self.township_code.text().strip()
        if not name or not code:
            self._say("请填写乡镇名称和12位区划代码", error=True)
            return
        path, _ = QFileDialog.getSaveFileName(self, "保存开通文件", in_work_folder(f"{name}-开通文件.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        pairing, target = self.ws.pairing, Path(path)
        run_operation(self.tasks, lambda: pairing.add(name, code, target), PAIRING_CHANGES, parent=self,
                      on_done=self._invited, on_error=lambda e: self._say(error_text(e), error=True))

    def _invited(self, result) -> None:
        self.township_name.clear()
        self.township_code.clear()
        self._say(f"已为{result.partner_name}生成开通文件：{result.path}。请交给该乡镇，对方导入后会生成回执交回。")
        self.refresh()

    def accept_invite(self) -> None:
        """Township: 导入开通文件, then save the 回执 for the county."""
        invite, _ = QFileDialog.getOpenFileName(self, "选择县级发来的开通文件", in_work_folder(), "Excel 工作簿 (*.xlsx)")
        if not invite:
            return
        info = self.ws.stations.info()
        receipt, _ = QFileDialog.getSaveFileName(self, "保存回执（交回县级）", in_work_folder(f"{info.name}-回执.xlsx"),
                                                 "Excel 工作簿 (*.xlsx)")
        if not receipt:
            return
        pairing, source, target = self.ws.pairing, Path(invite), Path(receipt)
        run_operation(self.tasks, lambda: pairing.accept(source, target), PAIRING_CHANGES, parent=self,
                      on_done=self._accepted, on_error=lambda e: self._say(error_text(e), error=True))

    def _accepted(self, result) -> None:
        again = "县级的密钥与上次不同（县级换了电脑），已重新配对。" if result.rekeyed else ""
        self._show_code(result.partner_name, result.safety_code)
        self._say(f"{again}已生成回执：{result.path}。请交回县级，并打电话核对双方的安全码是否一致；"
                  "不一致时不要交换数据包。")
        self.refresh()

    def confirm_receipt(self) -> None:
        """County: 导入回执 shows the safety code first; the pairing is made only when a person says it matches."""
        path, _ = QFileDialog.getOpenFileName(self, "选择乡镇交回的回执", in_work_folder(), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        pairing, source = self.ws.pairing, Path(path)
        self.tasks.run(lambda progress, cancelled: pairing.check_receipt(source),
                       on_done=lambda r: self._checked(source, r),
                       on_error=lambda e: self._say(error_text(e), error=True), parent=self)

    def _checked(self, source: Path, result) -> None:
        again = (f"注意：{result.partner_name}的密钥与上次配对时不同（换了电脑或重装了程序），这是重新配对。\n\n"
                 if result.rekeyed else "")
        question = (f"{again}请打电话给{result.partner_name}，核对对方程序显示的安全码：\n\n{result.safety_code}\n\n"
                    "双方一致吗？一致才确认配对。")
        if QMessageBox.question(self, "核对安全码", question) != QMessageBox.Yes:
            self._say("没有确认配对：安全码不一致时，请重新生成开通文件。", error=True)
            return
        pairing = self.ws.pairing
        run_operation(self.tasks, lambda: pairing.confirm(source), PAIRING_CHANGES, parent=self,
                      on_done=self._confirmed, on_error=lambda e: self._say(error_text(e), error=True))

    def _confirmed(self, result) -> None:
        self._show_code(result.partner_name, result.safety_code)
        note = "之后请给它发一个完整数据包。" if result.rekeyed else ""
        self._say(f"已与{result.partner_name}完成配对。{note}")
        self.refresh()

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #C62828;" if error else "")
