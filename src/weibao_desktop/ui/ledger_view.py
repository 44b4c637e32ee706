"""The 台账交换 page's Excel part: export each ledger with filters, and the import wizard
(choose file → preview → confirm). All work runs through the Tasks API; no query runs here."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..domain.errors import WeibaoError
from .editors import OptionalDateEdit
from .files import ask_open
from .ledger_actions import ask_new_password, ask_save_path, run_export, show_exported
from .list_page import RowsModel
from .operations import Changes, run_long_operation
from .password_dialog import PasswordDialog
from .print_actions import print_monthly
from .saved import show_saved
from .tasks import Tasks, error_text
from .times import local_stamp

# What a ledger import can change: any file, its categories and colour, the due dates, the import log.
LEDGER_IMPORT_CHANGES = Changes(all_children=True, visits=True, assessments=True, exchange=True)

LEDGER_BUTTONS = (
    ("children", "儿童信息台账", "全部在册儿童，或所选类别、村(社区)"),
    ("risk", "风险等级台账", "按风险等级着色，含评估人、理由和逾期天数"),
    ("visits", "走访记录台账", "所选期间内的走访"),
    ("help", "帮扶与转介台账", "所选期间内开始的帮扶措施和转介"),
    ("reports", "强制报告线索台账", "所选期间内受理的线索"),
    ("hotline", "热线记录台账", "所选期间内的来电"),
    ("summary", "统计汇总表", "按村(社区)和类别的栏次统计，导出前自动核对各栏之和"),
    ("visit_tasks", "走访任务表", "所选村(社区)到结束日期所在月底应走访的儿童，发给儿童主任填写后在右侧导入"),
    ("activities", "活动与服务台账", "所选期间内的宣传、培训、家庭教育指导、儿童之家开放等活动"),
    ("staff", "儿童主任名册", "儿童主任、儿童督导员、第一报告人及其培训"),
    ("monthly", "月报", "结束日期所在月份的工作月报（按下面的月报模板统计）"),
)
PERIOD_KINDS = {"visits", "help", "reports", "hotline", "summary", "activities"}
FILTER_KINDS = {"children", "risk", "visits", "help"}


class LedgerView(QWidget):
    """Export buttons per ledger with filters; the import wizard beside them."""

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.preview = None
        self.preview_path: Path | None = None
        self.preview_encoding: str | None = None  # the user's choice for a text file that needed one
        self.preview_password: str | None = None  # the open password of an encrypted file (kept only until done)
        self.last_export = None
        self.last_result = None
        layout = QHBoxLayout(self)
        layout.addWidget(self._export_box(), 2)
        layout.addWidget(self._import_box(), 3)
        self._load_choices()

    def _export_box(self) -> QGroupBox:
        box = QGroupBox("导出台账（Excel）")
        v = QVBoxLayout(box)
        form = QFormLayout()
        self.category = QComboBox()
        self.village = QComboBox()
        today = self.ws.ctx.today
        self.date_from = OptionalDateEdit(today=today, label="开始日期")
        self.date_to = OptionalDateEdit(today=today, label="结束日期")
        start = today().replace(day=1)
        self.date_from.set_date(start)
        self.date_to.set_date(today())
        form.addRow("儿童类别", self.category)
        form.addRow("村(社区)", self.village)
        form.addRow("开始日期", self.date_from)
        form.addRow("结束日期", self.date_to)
        self.encrypt = QCheckBox("加密（设置打开密码）")
        self.encrypt.setToolTip("导出的文件须输入密码才能打开（Excel、WPS、LibreOffice 均可）；密码在导出时设置，"
                                "不是登录本程序的密码")
        form.addRow("", self.encrypt)
        v.addLayout(form)
        grid = QGridLayout()
        self.export_buttons: dict[str, QPushButton] = {}
        for i, (kind, title, hint) in enumerate(LEDGER_BUTTONS):
            button = QPushButton(f"导出{title}")
            button.setToolTip(hint)
            button.clicked.connect(lambda _=False, k=kind: self.export_clicked(k))
            grid.addWidget(button, i, 0)
            label = QLabel(hint)
            label.setStyleSheet("color: #666")
            grid.addWidget(label, i, 1)
            self.export_buttons[kind] = button
            if kind == "monthly":
                self.print_monthly_button = QPushButton("打印月报…")
                self.print_monthly_button.setToolTip("预览并打印结束日期所在月份的月报（附指标口径，留填报人、审核人签字）")
                self.print_monthly_button.clicked.connect(self.print_monthly)
                grid.addWidget(self.print_monthly_button, i, 2)
                row = QHBoxLayout()
                self.monthly_template: Path | None = None  # a county's template; None: the program's own
                self.template_label = QLabel("月报模板：程序自带")
                self.template_label.setStyleSheet("color: #666")
                self.template_button = QPushButton("选择县里的模板…")
                self.template_button.setToolTip("县里下发的月报模板（.xlsx，表头一行写指标名称）；导出和打印月报都按它的指标和顺序")
                self.template_button.clicked.connect(self.choose_monthly_template)
                self.template_reset = QPushButton("用自带模板")
                self.template_reset.clicked.connect(lambda: self.set_monthly_template(None))
                self.template_reset.hide()
                row.addWidget(self.template_label, 1)
                row.addWidget(self.template_button)
                row.addWidget(self.template_reset)
                grid.addLayout(row, i + 1, 1, 1, 2)
        v.addLayout(grid)
        self.export_status = QLabel("")
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        v.addWidget(self.export_status)
        v.addStretch(1)
        return box

    def _load_choices(self) -> None:
        self.category.addItem("全部", None)
        for group in codes.CATEGORY_GROUPS:
            self.category.addItem(f"{group}（全部）", group)
        for code in codes.CATEGORY:
            self.category.addItem(code.label, code.code)
        self.village.addItem("全部", None)
        try:
            for v in self.ws.stations.info().villages:
                self.village.addItem(v.name, v.name)
        except WeibaoError:
            pass

    def filters(self, kind: str) -> dict:
        out: dict = {}
        if kind == "visit_tasks":
            end = self.date_to.date() or self.ws.ctx.today()
            following = (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            return {"village": self.village.currentData(), "date_to": following - dt.timedelta(days=1)}
        if kind in FILTER_KINDS:
            out["category"] = self.category.currentData()
            out["village"] = self.village.currentData()
        if kind in PERIOD_KINDS:
            out["date_from"] = self.date_from.date()
            out["date_to"] = self.date_to.date()
        return out

    def export_clicked(self, kind: str) -> None:
        title = dict((k, t) for k, t, _ in LEDGER_BUTTONS)[kind]
        path = ask_save_path(self, f"导出{title}", f"{title}_{self.ws.ctx.today():%Y%m%d}.xlsx")
        if path is None:
            return
        password = None
        if self.encrypt.isChecked():
            password = ask_new_password(self, f"加密{title}")
            if password is None:
                self.export_status.setText("已取消导出（没有设置密码），没有写入文件。")
                return
        self.export_to(kind, path, password)

    def export_to(self, kind: str, path: Path, password: str | None = None):
        """Export one ledger to `path` with the filters shown (on a worker, with progress and 取消);
        encrypted with `password` when one is given."""
        title = dict((k, t) for k, t, _ in LEDGER_BUTTONS)[kind]
        self.export_status.setText(f"正在导出{title}…")
        if kind == "monthly":
            month = f"{self.date_to.date() or self.ws.ctx.today():%Y-%m}"
            monthly = self.ws.monthly
            template = self.monthly_template
            return self.tasks.run(lambda _p, _c: monthly.export(month, Path(path), template=template),
                                  label="正在生成月报…",
                                  parent=self, write=True, on_error=self._export_failed,
                                  on_done=lambda r: self.export_status.setText(f"已导出《{r.title}》：{path}"))
        return run_export(self, self.ws, self.tasks, kind, Path(path), label=f"正在导出{title}…",
                          on_done=lambda result: self._exported(result, password is not None),
                          on_error=self._export_failed, password=password, **self.filters(kind))

    def print_monthly(self) -> bool:
        """Preview the month's 月报 (the month of 结束日期) ready to print or save as PDF."""
        month = f"{self.date_to.date() or self.ws.ctx.today():%Y-%m}"
        self.monthly_preview = print_monthly(self, self.ws, self.tasks, month, self.monthly_template)
        return self.monthly_preview is not None

    def choose_monthly_template(self) -> None:
        path = ask_open(self, "import", "选择县里下发的月报模板")
        if path is None:
            return
        from ..services.monthly_report import template_indicators

        try:
            names = template_indicators(path)
        except WeibaoError as e:
            self.export_status.setText(e.message)
            QMessageBox.warning(self, "月报模板", e.message)
            return
        self.set_monthly_template(path, len(names))

    def set_monthly_template(self, path: Path | None, count: int = 0) -> None:
        self.monthly_template = path
        self.template_label.setText(f"月报模板：{path.name}（{count} 项指标）" if path else "月报模板：程序自带")
        self.template_reset.setVisible(path is not None)

    def _exported(self, result, encrypted: bool = False) -> None:
        self.last_export = result
        locked = "（已加密，打开时需输入密码）" if encrypted else ""
        self.export_status.setText(f"已导出《{result.title}》，共 {result.rows} 行{locked}：{result.path}")
        show_exported(self, result)

    def _export_failed(self, exc) -> None:
        self.export_status.setText(error_text(exc))
        QMessageBox.warning(self, "导出台账", error_text(exc))

    def _import_box(self) -> QGroupBox:
        box = QGroupBox("导入儿童信息台账（.xlsx / .xls / .ods）")
        v = QVBoxLayout(box)
        self.pages = QStackedWidget()
        v.addWidget(self.pages)
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._done_page())
        return box

    def _choose_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        intro = QLabel("第 1 步：选择县里、学校或村里发来的台账。先预览，确认后才会导入；"
                       "同一份文件重复导入不会重复建档。")
        intro.setWordWrap(True)
        v.addWidget(intro)
        self.choose_button = QPushButton("选择文件…")
        self.choose_button.clicked.connect(self.choose_file)
        v.addWidget(self.choose_button, 0, Qt.AlignLeft)
        self.choose_error = QLabel("")
        self.choose_error.setWordWrap(True)
        self.choose_error.setStyleSheet("color: #b00020")
        v.addWidget(self.choose_error)
        v.addWidget(QLabel("最近导入："))
        self.recent = QListWidget()
        v.addWidget(self.recent, 1)
        self._load_recent()
        return page

    def _load_recent(self) -> None:
        self.recent.clear()
        try:
            for when, name, actor, counts in self.ws.ledger.imports(10):
                self.recent.addItem(f"{local_stamp(when)}  {name}  {actor}  新增{counts.get('new', 0)} "
                                    f"修改{counts.get('changed', 0)} 未导入{counts.get('rejected', 0)}")
        except WeibaoError:
            pass

    def _preview_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        v.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.new_model = RowsModel([("工作表", lambda r: r.sheet), ("行", lambda r: r.row), ("姓名", lambda r: r.name),
                                    ("身份证号", lambda r: r.id_masked),
                                    ("内容", lambda r: "，".join(f"{c.field}：{c.new}" for c in r.changes))])
        self.changed_model = RowsModel([("行", lambda r: r[0].row), ("姓名", lambda r: r[0].name),
                                        ("字段", lambda r: r[1].field), ("原值", lambda r: r[1].old),
                                        ("新值", lambda r: r[1].new)])
        self.unchanged_model = RowsModel([("工作表", lambda r: r.sheet), ("行", lambda r: r.row),
                                          ("姓名", lambda r: r.name), ("身份证号", lambda r: r.id_masked)])
        self.rejected_model = RowsModel([("工作表", lambda r: r.sheet), ("行", lambda r: r.row),
                                         ("列", lambda r: f"{r.column}（{r.header}）" if r.column else ""),
                                         ("姓名", lambda r: r.name), ("原因", lambda r: r.reason)],
                                        foreground=lambda r: "#b00020")
        self.other_model = RowsModel([("类型", lambda r: r[0]), ("内容", lambda r: r[1])])
        for model, title in ((self.new_model, "新增"), (self.changed_model, "修改"), (self.unchanged_model, "无变化"),
                             (self.rejected_model, "未导入"), (self.other_model, "未识别的列与说明")):
            table = QTableView()
            table.setModel(model)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
            table.horizontalHeader().setStretchLastSection(True)
            table.verticalHeader().hide()
            table.setEditTriggers(QTableView.NoEditTriggers)
            self.tabs.addTab(table, title)
        v.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        back = QPushButton("返回")
        back.clicked.connect(self.restart)
        self.report_button = QPushButton("保存错误报告…")
        self.report_button.clicked.connect(self.report_clicked)
        self.confirm_button = QPushButton("确认导入")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm_import)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.confirm_button)
        v.addLayout(buttons)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.done_text = QLabel("")
        self.done_text.setWordWrap(True)
        v.addWidget(self.done_text)
        again = QPushButton("完成")
        again.clicked.connect(self.restart)
        v.addWidget(again, 0, Qt.AlignLeft)
        v.addStretch(1)
        return page

    def restart_if_idle(self) -> None:
        """After a change elsewhere: the list of recent imports again, unless an import is under way."""
        if self.pages.currentIndex() == 0:
            self._load_recent()

    def restart(self) -> None:
        self.preview = None
        self.preview_path = None
        self.preview_password = None
        self.choose_error.setText("")
        self._load_recent()
        self.pages.setCurrentIndex(0)

    def choose_file(self) -> None:
        path = ask_open(self, "import", "选择台账",
                        "表格文件 (*.xlsx *.xls *.ods *.csv *.tsv *.txt *.xml *.htm *.html);;所有文件 (*)")
        if path is not None:
            self.preview_file(path)

    def preview_file(self, path: Path, encoding: str | None = None, password: str | None = None):
        """Step 2: read and check the file on a worker, then show what importing would do. A text file whose
        encoding cannot be told is read again in the encoding the user picks; an encrypted file, with the
        password the user types (asked again while it is wrong, until 取消)."""
        self.choose_error.setText("")
        path = Path(path)

        def job(progress, cancelled):
            return self.ws.ledger.preview(path, progress=progress, cancelled=cancelled, encoding=encoding,
                                          password=password)

        def done(preview) -> None:
            self.preview = preview
            self.preview_path = path
            self.preview_encoding = encoding
            self.preview_password = password
            self._show_preview(preview)

        def failed(exc) -> None:
            prompt = getattr(exc, "password_prompt", None)  # PasswordNeeded / WrongPassword: ask, then read again
            if prompt:
                typed, ok = PasswordDialog.get_password(self, f"打开“{path.name}”", prompt)
                if ok and typed:
                    self.preview_file(path, encoding, typed)
                    return
            choices = getattr(exc, "choices", None)  # EncodingUnknown: ask, then read again
            if choices and encoding is None:
                labels = {"utf-8": "UTF-8（较新的系统、手机导出的文件）", "gb18030": "GB18030 / GBK（Windows 中文版、WPS 导出的文件）"}
                names = [labels.get(c, c) for c in choices]
                chosen, ok = QInputDialog.getItem(self, "选择文字编码", error_text(exc), names, 0, False)
                if ok:
                    self.preview_file(path, choices[names.index(chosen)])
                    return
            self.choose_error.setText(error_text(exc))
            self.pages.setCurrentIndex(0)

        return self.tasks.run(job, on_done=done, on_error=failed, label=f"正在读取“{path.name}”…", parent=self)

    def _show_preview(self, p) -> None:
        lines = [f"第 2 步：核对预览。文件“{p.file_name}”：{p.summary()}。"]
        if p.previously:
            again = "不会重复登记走访" if p.kind == "visits" else "不会重复建档"
            lines.append(f"该文件已于 {p.previously}，再次导入{again}。")
        if p.rejected_rows:
            lines.append("“未导入”的行不会导入；可保存错误报告，改正后再导入。")
        self.summary.setText("\n".join(lines))
        self.new_model.set_rows(p.new)
        self.changed_model.set_rows([(row, change) for row in p.changed for change in row.changes])
        self.unchanged_model.set_rows(p.unchanged)
        self.rejected_model.set_rows(p.rejected)
        others = [("未识别的列", f"工作表“{s}” {letter}列“{h}”（未导入）") for s, letter, h in p.unknown_columns]
        others += [("说明", n) for n in p.notes] + [("提醒", w) for w in p.warnings]
        self.other_model.set_rows(others)
        counts = p.counts
        for i, key in enumerate(("new", "changed", "unchanged", "rejected")):
            self.tabs.setTabText(i, f"{('新增', '修改', '无变化', '未导入')[i]}（{counts[key]}）")
        self.tabs.setTabText(4, f"未识别的列与说明（{len(others)}）")
        self.report_button.setEnabled(bool(p.rejected_rows))
        self.confirm_button.setEnabled(bool(counts["new"] or counts["changed"]))
        self.pages.setCurrentIndex(1)

    def confirm_import(self):
        """Step 3: apply in one transaction (on the writer thread); refuses a file changed since the preview."""
        if self.preview is None or self.preview_path is None:
            return None
        path, sha, ledger = self.preview_path, self.preview.sha256, self.ws.ledger
        encoding, password = self.preview_encoding, self.preview_password

        def job(progress, cancelled):
            return ledger.apply(path, expected_sha256=sha, progress=progress, cancelled=cancelled, encoding=encoding,
                                password=password)

        def done(result) -> None:
            self.last_result = result
            self.preview_password = None
            self.done_text.setText(f"导入完成：{result.preview.summary()}。\n每一处修改都记入了变更记录，"
                                   "导入记录中保存了文件名、校验值和操作人。")
            self.pages.setCurrentIndex(2)

        def failed(exc) -> None:
            QMessageBox.warning(self, "导入台账", error_text(exc) + "\n数据没有被修改。")

        return run_long_operation(self.tasks, job, LEDGER_IMPORT_CHANGES, on_done=done, on_error=failed,
                                  label="正在导入…", parent=self)

    def report_clicked(self) -> None:
        if self.preview is None:
            return
        stem = Path(self.preview.file_name).stem
        path = ask_save_path(self, "保存错误报告", f"{stem}_错误报告.xlsx", kind="report")
        if path is not None:
            self.save_error_report(path)

    def save_error_report(self, path: Path) -> Path | None:
        try:
            written = self.ws.ledger.write_error_report(self.preview, path)
        except WeibaoError as e:
            QMessageBox.warning(self, "错误报告", e.message)
            return None
        self.summary.setText(self.summary.text() + f"\n错误报告已保存：{written}")
        show_saved(self, "错误报告", "错误报告已保存：按表中写明的行和列改正原表后，再导入一次。", Path(written))
        return written


__all__ = ["LedgerView"]
