"""The 台账交换 page's county part: write and apply exchange packages, settle conflicts, read the log.

A township sees its county office; a county office sees every township, who is late, and the same
child on file in two townships. All work goes through `ws.exchange`: reads on the task pool, writes as operations on the writer thread.
The page here is `ExchangePage`: the Excel ledgers (`ledger_view`) and this county part side by side.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.fields import display
from .files import ask_open, ask_save
from .ledger_view import LedgerView
from .list_page import RowsModel
from .operations import Changes, run_long_operation, run_operation
from .page import BasePage
from .saved import open_path, show_saved
from .tasks import Tasks, error_text
from .times import local_stamp

# What applying or undoing a package can change: any file and its casework, the exchange state.
PACKAGE_CHANGES = Changes(all_children=True, visits=True, assessments=True, help=True, clues=True, hotline=True,
                          exchange=True)


CONFLICTS_TAB = "两边都改过的内容"


def _when(value) -> str:
    return local_stamp(value, "—")


class ExchangeView(QWidget):
    """Three numbered steps in plain words (1 生成数据包 → 2 发给对方 → 3 导入对方发回的文件), and below them the
    rest: what importing would change, contents changed on both sides (冲突), the exchange record, the
    partners' status, and for a county the same child on file in two townships."""

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.county = ws.stations.info().mode == "county"
        self.pending: Path | None = None
        self.preview = None
        self.peer_word = "乡镇" if self.county else "县里"
        layout = QVBoxLayout(self)
        status = self._status_box()
        layout.addWidget(self._steps_box(status if self.county else None))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._import_tab(), "导入前先看变化")
        self.tabs.addTab(self._conflicts_tab(), CONFLICTS_TAB)
        self.tabs.addTab(self._log_tab(), "交换记录")
        if self.county:
            self.tabs.addTab(self._duplicates_tab(), "跨乡镇重复档案")
        else:
            self.tabs.addTab(status, "交换情况")
        layout.addWidget(self.tabs, 1)
        self.refresh()

    def _steps_box(self, peers: QWidget | None) -> QGroupBox:
        """1 生成数据包 → 2 用U盘或工作群发给对方 → 3 导入对方发回的文件, each a number, a sentence and a button."""
        box = QGroupBox("与乡镇交换：三步" if self.county else "与县级交换：三步")
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        word = self.peer_word
        first = ("在下面的表中选中一个乡镇，把发给它的新增和修改的记录存成一个文件（数据包）。" if self.county
                 else "把本站新增和修改的档案、走访等记录存成一个文件（数据包），文件会放在您选的文件夹里。")
        self.step_texts = [
            first,
            f"把这个文件用U盘拷给{word}，或者发到工作群里。文件里有儿童的个人信息：只发给{word}，"
            "不要发到公开的群里，发完后删掉U盘上的副本。",
            f"{word}发回文件后，点这里选中它：先显示会有哪些变化，确认后才导入，导入前自动备份。",
        ]
        self.export_button.setText("1　生成数据包…")
        self.import_button.setText(f"3　导入{word}发回的文件…" if not self.county else "3　导入乡镇报来的文件…")
        self.sent_label = QLabel("还没有生成数据包。", box)
        self.sent_label.setWordWrap(True)
        self.sent_folder_button = QPushButton("打开所在文件夹", box)
        self.sent_folder_button.setEnabled(False)
        self.sent_folder_button.clicked.connect(self._open_sent_folder)
        self.sent_path: Path | None = None
        titles = ("生成数据包", f"用U盘或工作群发给{word}", f"导入{word}发回的文件")
        for i, (title, text) in enumerate(zip(titles, self.step_texts, strict=True)):
            number = QLabel(str(i + 1), box)
            f = number.font()
            f.setPointSizeF(f.pointSizeF() * 1.8)
            f.setBold(True)
            number.setFont(f)
            number.setStyleSheet("color: #1565C0;")
            label = QLabel(f"<b>{title}</b><br>{text}", box)
            label.setWordWrap(True)
            grid.addWidget(number, i * 2, 0, Qt.AlignTop)
            grid.addWidget(label, i * 2, 1)
        grid.addWidget(self.export_button, 0, 2, Qt.AlignTop)
        extra = QVBoxLayout()
        extra.addWidget(self.full)
        if peers is not None:
            extra.addWidget(peers)
        grid.addLayout(extra, 1, 1)
        sent = QHBoxLayout()
        sent.addWidget(self.sent_label, 1)
        sent.addWidget(self.sent_folder_button)
        grid.addLayout(sent, 3, 1)
        grid.addWidget(self.import_button, 4, 2, Qt.AlignTop)
        grid.addWidget(self.message, 6, 0, 1, 3)
        return box

    def _open_sent_folder(self) -> None:
        if self.sent_path is not None:
            open_path(self.sent_path.parent)

    def _status_box(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        self.peers = RowsModel([
            ("单位", lambda p: p.name), ("区划代码", lambda p: p.code),
            ("最近收到", lambda p: f"第{p.last_seq_in}号　{_when(p.last_in_at)}" if p.last_seq_in else "从未收到"),
            ("已发出", lambda p: f"第{p.next_seq_out - 1}号　{_when(p.last_out_at)}" if p.next_seq_out > 1 else "从未发送"),
            ("对方已确认", lambda p: f"第{p.acked_out}号" if p.acked_out else "—"),
            ("待处理冲突", lambda p: p.open_conflicts),
            *([("在册儿童", lambda p: p.children), ("状态", lambda p: "逾期未报" if p.late else "正常")]
              if self.county else []),
        ], foreground=lambda p: "#C62828" if p.late or p.open_conflicts else None)
        self.peer_table = _table(self.peers)
        if self.county:
            self.peer_table.setMaximumHeight(self.fontMetrics().height() * 9)
        v.addWidget(self.peer_table)
        self.full = QCheckBox("重新发送全部记录（只在对方重装程序或丢失数据时勾选）")
        self.export_button = QPushButton("生成数据包…")
        self.export_button.clicked.connect(self.export_package)
        self.import_button = QPushButton("导入对方发回的文件…")
        self.import_button.clicked.connect(self.choose_package)
        self.message = QLabel()
        self.message.setWordWrap(True)
        return box

    def export_package(self) -> None:
        """生成…数据包: ask where to save it, then write it (the package numbers are kept in the store)."""
        peer = None
        if self.county:
            rows = self.peer_table.selectionModel().selectedRows()
            if not rows:
                self._say("请先在上面的列表中选中要发给的乡镇", error=True)
                return
            peer = self.peers.row(rows[0].row()).code
        info = self.ws.stations.info()
        suggested = f"{info.name}-交换数据包.xlsx"
        target = ask_save(self, "package", "保存数据包", suggested)
        if target is None:
            return
        full, exchange = self.full.isChecked(), self.ws.exchange
        run_long_operation(
            self.tasks,
            lambda progress, cancelled: exchange.export(target, peer_code=peer, full=full, progress=progress,
                                                        cancelled=cancelled),
            Changes(exchange=True), parent=self,
            on_done=self._exported, on_error=lambda e: self._say(error_text(e), error=True),
            label="正在生成数据包…",
        )

    def _exported(self, result) -> None:
        total = sum(result.counts.values())
        self._say(f"已生成发给{result.peer}的第{result.seq}号数据包（{'完整' if result.full else '增量'}，{total}条记录）："
                  f"{result.path}。请用U盘或聊天工具发送给对方。")
        self.refresh()
        self.sent_path = Path(result.path)
        self.sent_label.setText(f"第{result.seq}号数据包：{result.path}")
        self.sent_folder_button.setEnabled(True)
        show_saved(self, "生成数据包", f"数据包已生成（第{result.seq}号）。下一步：用U盘或工作群把这个文件发给"
                   f"{result.peer}。", Path(result.path))

    def _import_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.preview_label = QLabel("选好对方发回的文件后，这里先列出导入会带来哪些变化；确认无误再点“确认导入”。")
        self.preview_label.setWordWrap(True)
        v.addWidget(self.preview_label)
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        v.addWidget(self.preview_text, 1)
        v.addWidget(self._hand_edits_box())
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton("放弃")
        self.cancel_button.clicked.connect(self._clear_preview)
        self.confirm_button = QPushButton("确认导入")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm_import)
        row.addWidget(self.cancel_button)
        row.addWidget(self.confirm_button)
        v.addLayout(row)
        self._clear_preview()
        return w

    def choose_package(self) -> None:
        """导入数据包: ask which file, then show what applying it would change (nothing is written yet)."""
        chosen = ask_open(self, "package", f"选择{self.peer_word}发回的文件")
        if chosen is None:
            return
        self.tabs.setCurrentIndex(0)
        self.tasks.run(
            lambda progress, cancelled: self.ws.exchange.apply(chosen, dry_run=True, progress=progress,
                                                               cancelled=cancelled),
            on_done=lambda r: self._previewed(chosen, r), on_error=lambda e: self._say(error_text(e), error=True),
            label="正在检查数据包…", parent=self, write=True,  # the check holds the write lock while it runs
        )

    def _previewed(self, path: Path, result) -> None:
        self.preview = result
        if result.status == "duplicate":
            self._say(result.summary())
            self._clear_preview()
            return
        self.pending = path
        self.preview_label.setText(f"{path.name}：{result.summary()}。确认无误后点“确认导入”；导入前会自动备份。")
        lines = [f"注意：{n}" for n in result.notes]
        if result.hand_edited or result.hand_added:
            lines.append(f"其中手工修改的行{result.hand_edited}行，手工新增的行{result.hand_added}行")
        lines += result.changes
        self.preview_text.setPlainText("\n".join(lines) or "没有变化")
        self._show_hand_edits(result.hand_edits)
        self.confirm_button.setEnabled(True)
        self.cancel_button.setEnabled(True)

    def confirm_import(self) -> None:
        if self.pending is None:
            return
        path, exchange, accepted = self.pending, self.ws.exchange, self.accepted_hand_edits()
        run_long_operation(
            self.tasks, lambda progress, cancelled: exchange.apply(path, progress=progress, cancelled=cancelled,
                                                                   accept_hand_edits=accepted),
            PACKAGE_CHANGES, parent=self,
            on_done=self._imported, on_error=lambda e: self._say(error_text(e), error=True),
            label="正在导入数据包…",
        )

    def _imported(self, result) -> None:
        self._clear_preview()
        self._say(result.summary() + (f"。有两边都改过的内容，请在下面的“{CONFLICTS_TAB}”中逐条选定。"
                                      if result.conflicts else ""))
        self.refresh()
        if result.conflicts:
            self.tabs.setCurrentIndex(1)

    def _hand_edits_box(self) -> QGroupBox:
        """手工修改: cells that differ from the sender's signed copy; each applies only when ticked."""
        self.hand_box = QGroupBox("手工修改（与对方程序签名的内容不同，勾选的才会导入）")
        v = QVBoxLayout(self.hand_box)
        self.hand_all = QCheckBox("全部采用")
        self.hand_all.toggled.connect(self._tick_all)
        v.addWidget(self.hand_all)
        self.hand_table = QTableWidget(0, 5)
        self.hand_table.setHorizontalHeaderLabels(["采用", "工作表", "行", "列", "原值 → 修改后"])
        self.hand_table.verticalHeader().setVisible(False)
        self.hand_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.hand_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.hand_table.horizontalHeader().setStretchLastSection(True)
        v.addWidget(self.hand_table)
        self.hand_box.hide()
        return self.hand_box

    def _show_hand_edits(self, edits) -> None:
        self.hand_edits = list(edits)
        self.hand_all.setChecked(False)
        self.hand_table.setRowCount(len(self.hand_edits))
        for i, e in enumerate(self.hand_edits):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled)
            tick.setCheckState(Qt.Unchecked)
            self.hand_table.setItem(i, 0, tick)
            cells = (e.sheet, f"第{e.row}行" if e.row else "（已删除的行）", e.column, f"{e.old} → {e.new}")
            for col, text in enumerate(cells, start=1):
                self.hand_table.setItem(i, col, QTableWidgetItem(text))
        self.hand_box.setVisible(bool(self.hand_edits))

    def _tick_all(self, on: bool) -> None:
        for i in range(self.hand_table.rowCount()):
            self.hand_table.item(i, 0).setCheckState(Qt.Checked if on else Qt.Unchecked)

    def accepted_hand_edits(self) -> set[str]:
        return {e.id for i, e in enumerate(self.hand_edits) if self.hand_table.item(i, 0).checkState() == Qt.Checked}

    def _clear_preview(self) -> None:
        self.pending = None
        self._show_hand_edits([])
        self.preview_text.setPlainText("")
        self.confirm_button.setEnabled(False)
        self.cancel_button.setEnabled(False)

    def _conflicts_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.conflicts = RowsModel([
            ("记录", lambda c: f"{c.entity_label}：{c.record_title}"), ("字段", lambda c: c.field_label),
            ("原值", lambda c: _shown(c, c.base)), ("本机的值", lambda c: _shown(c, c.mine)),
            ("对方的值", lambda c: _shown(c, c.theirs)), ("对方经办人", lambda c: c.theirs_by or ""),
            ("来自", lambda c: c.peer),
        ])
        self.conflict_table = _table(self.conflicts)
        self.conflict_table.selectionModel().currentRowChanged.connect(lambda *_: self._show_conflict())
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.conflict_table)
        detail = QWidget()
        grid = QGridLayout(detail)
        self.sides = {}
        for col, (key, title) in enumerate((("base", "原值（上次一致时）"), ("mine", "本机的值"), ("theirs", "对方的值"))):
            grid.addWidget(QLabel(title), 0, col)
            box = QPlainTextEdit()
            box.setReadOnly(True)
            grid.addWidget(box, 1, col)
            button = QPushButton({"base": "取原值", "mine": "保留本机的值", "theirs": "采用对方的值"}[key])
            button.clicked.connect(lambda _=False, k=key: self.resolve(k))
            grid.addWidget(button, 2, col)
            self.sides[key] = (box, button)
        split.addWidget(detail)
        v.addWidget(QLabel("双方都修改了同一项内容。请逐条选择保留哪个值；选定后会在下次交换时告诉对方。"))
        v.addWidget(split, 1)
        return w

    def _current_conflict(self):
        index = self.conflict_table.selectionModel().currentIndex()
        return self.conflicts.row(index.row()) if index.isValid() and index.row() < len(self.conflicts.rows) else None

    def _show_conflict(self) -> None:
        c = self._current_conflict()
        for key, (box, button) in self.sides.items():
            box.setPlainText(_shown(c, getattr(c, key)) if c else "")
            button.setEnabled(c is not None)

    def resolve(self, choice: str) -> None:
        c = self._current_conflict()
        if c is None:
            return
        exchange = self.ws.exchange
        run_operation(self.tasks, lambda: exchange.resolve(c.id, choice), Changes(all_children=True, exchange=True),
                      parent=self, on_done=lambda _: self.refresh(),
                      on_error=lambda e: self._say(error_text(e), error=True))

    def _log_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.log = RowsModel([
            ("时间", lambda r: _when(r["at"])), ("方向", lambda r: "发出" if r["kind"] == "package-out" else "导入"),
            ("序号", lambda r: f"第{r['detail'].get('seq')}号"),
            ("对方", lambda r: r["detail"].get("peer_name") or r["detail"].get("sender") or r["detail"].get("peer")),
            ("新增", lambda r: r["counts"].get("new", "") if r["kind"] == "package" else sum(r["counts"].values())),
            ("更新", lambda r: r["counts"].get("changed", "")), ("冲突", lambda r: r["counts"].get("conflicts", "")),
            ("拒收", lambda r: r["counts"].get("refused", "")), ("经办人", lambda r: r["actor"]),
            ("状态", lambda r: "已撤销" if r["detail"].get("undone_at") else ""),
            ("文件", lambda r: r["file_name"]), ("文件指纹", lambda r: r["file_hash"][:12]),
        ])
        self.log_table = _table(self.log)
        v.addWidget(self.log_table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.undo_button = QPushButton("撤销所选的导入…")
        self.undo_button.clicked.connect(self.undo_selected)
        row.addWidget(self.undo_button)
        v.addLayout(row)
        return w

    def undo_selected(self) -> None:
        """撤销所选的导入: always asks first; the undo takes back every new and changed record of it."""
        rows = self.log_table.selectionModel().selectedRows()
        if not rows:
            self._say("请先选中一次“导入”记录", error=True)
            return
        entry = self.log.row(rows[0].row())
        if entry["kind"] != "package":
            self._say("只能撤销导入，不能撤销发出", error=True)
            return
        if QMessageBox.question(
                self, "撤销导入", f"撤销{_when(entry['at'])}导入的第{entry['detail'].get('seq')}号数据包？"
                                  "这次导入带来的新增和修改都会取消。") != QMessageBox.Yes:
            return
        exchange, entry_id = self.ws.exchange, entry["id"]
        run_operation(self.tasks, lambda: exchange.undo(entry_id), PACKAGE_CHANGES, parent=self,
                      on_done=lambda _: (self._say("已撤销这次导入"), self.refresh()),
                      on_error=lambda e: self._say(error_text(e), error=True))

    def _duplicates_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.addWidget(QLabel("同一身份证号在两个乡镇都有档案：请与相关乡镇核实后，在其中一处销档。"))
        self.duplicates = RowsModel([
            ("身份证号", lambda d: d.id_number_masked),
            ("档案", lambda d: "；".join(f"{station}：{name}" for station, name, _ in d.children)),
        ])
        v.addWidget(_table(self.duplicates), 1)
        return w

    def refresh(self) -> None:
        ex = self.ws.exchange

        def load(progress, cancelled):
            return (ex.peers(), ex.conflicts(), ex.log(), ex.duplicates() if self.county else [])

        self.tasks.run(load, on_done=self._loaded, on_error=lambda e: self._say(error_text(e), error=True), parent=self)

    def _loaded(self, data) -> None:
        peers, conflicts, log, duplicates = data
        self.peers.set_rows(peers)
        self.conflicts.set_rows(conflicts)
        self.log.set_rows(log)
        if self.county:
            self.duplicates.set_rows(duplicates)
        self.tabs.setTabText(1, f"{CONFLICTS_TAB}（{len(conflicts)}）" if conflicts else CONFLICTS_TAB)
        self._show_conflict()

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #C62828;" if error else "")


def _shown(c, value) -> str:
    if c is None:
        return ""
    if c.field == "deleted_at":
        return f"已删除（{value}）" if value else "未删除"
    return display(c.entity, c.field, value)


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ExchangePage(BasePage):
    """台账交换: Excel ledgers (台账) and county packages (县级交换) side by side."""

    title = "台账交换"

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self.ledger = LedgerView(ws, tasks)
        self.exchange = ExchangeView(ws, tasks)
        self.tabs.addTab(self.ledger, "Excel 台账")
        self.tabs.addTab(self.exchange, "与县级交换")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def shows(self, changes: Changes) -> bool:
        return changes.exchange or changes.settings

    def refresh(self) -> None:
        self.ledger.restart_if_idle()
        self.exchange.refresh()

    def start_ledger_import(self) -> None:
        """The Excel tab, with the ledger import's file dialog open (the empty store's 从Excel导入)."""
        self.tabs.setCurrentWidget(self.ledger)
        self.ledger.choose_file()


__all__ = ["ExchangePage", "ExchangeView"]
