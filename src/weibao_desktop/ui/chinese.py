"""Chinese everywhere, Qt's own widgets included: its translations, ours for what Qt's lack, and dates as
2026-12-02.

Qt ships qtbase_zh_CN, yet its non-native file dialog (the one UOS/Kylin and a plain Linux desktop show)
still says "&Look in:", "Files of &type:" and "Folder": those strings are missing from Qt's catalogue. The
program's own catalogue (resources/i18n/weibao_zh_CN.ts, built to .qm by tools/build_translations.py) has
them and is installed after Qt's, so it wins where both have a string.

Dates: every date the program writes itself is yyyy-MM-dd. What Qt formats on its own follows the computer's
system locale (a file dialog showed "2 12 2026 05:29" on a machine left in the C locale), so `IsoDates`
watches for the two widgets that do that, file dialogs and date editors, as they are shown, and makes them
use yyyy-MM-dd too. It is an application-wide event filter that only looks at Show events.
"""
from __future__ import annotations

from importlib import resources

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QIdentityProxyModel,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QTranslator,
)
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QFileDialog, QFileSystemModel, QTreeView

CHINA = QLocale(QLocale.Chinese, QLocale.China)
DATE_FORMAT = "yyyy-MM-dd"
DATE_TIME_FORMAT = "yyyy-MM-dd HH:mm"
CATALOGUE = "weibao_zh_CN.qm"


def own_catalogue() -> str:
    """Where the program's own .qm is (inside the package, also in an installed or frozen program)."""
    return str(resources.files(__package__.rpartition(".")[0]) / "resources" / "i18n" / CATALOGUE)


def install_translations(app: QCoreApplication) -> list[QTranslator]:
    """Qt's Chinese catalogue, then the program's own for what Qt's lacks; the translators installed."""
    installed = []
    qt = QTranslator(app)
    for catalogue in ("qtbase", "qt"):
        if qt.load(CHINA, catalogue, "_", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            app.installTranslator(qt)
            installed.append(qt)
            break
    own = QTranslator(app)
    if own.load(own_catalogue()):
        app.installTranslator(own)  # installed last: asked first
        installed.append(own)
    return installed


class FileListDates(QIdentityProxyModel):
    """A file dialog's list with dates as 2026-12-02 14:30 and sizes as 12.5 KB, whatever the system locale."""

    def data(self, index, role: int = Qt.DisplayRole):
        if role == Qt.DisplayRole and index.isValid():
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                inner = self.mapToSource(index)
                if index.column() == 3:
                    return source.lastModified(inner).toString(DATE_TIME_FORMAT)
                if index.column() == 1 and not source.isDir(inner):
                    return CHINA.formattedDataSize(source.size(inner), 1, QLocale.DataSizeTraditionalFormat)
        return super().data(index, role)


class IsoDates(QObject):
    """Application-wide: a file dialog or date editor about to be shown gets yyyy-MM-dd dates."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Show:
            if isinstance(watched, QFileDialog):
                iso_file_dialog(watched)
            elif isinstance(watched, QDateTimeEdit):
                iso_date_edit(watched)
        return False


def iso_file_dialog(dialog: QFileDialog) -> None:
    if dialog.proxyModel() is not None:
        return  # the dialog's own (or ours, from an earlier showing)
    dialog.setProxyModel(FileListDates(dialog))
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:  # wide enough for the whole date and time
        view.header().resizeSection(3, view.fontMetrics().horizontalAdvance("2026-12-02 23:59") + 24)


def iso_date_edit(edit: QDateTimeEdit) -> None:
    """A date editor left with the locale's format shows yyyy-MM-dd (with the time when it has one)."""
    wanted = DATE_FORMAT if isinstance(edit, QDateEdit) else DATE_TIME_FORMAT
    if not edit.displayFormat().startswith(DATE_FORMAT):
        edit.setDisplayFormat(wanted)


def install(app: QCoreApplication) -> None:
    """Translations, the Chinese locale for numbers and dates Qt formats itself, and the date watcher."""
    QLocale.setDefault(CHINA)
    install_translations(app)
    watcher = IsoDates(app)
    app.installEventFilter(watcher)
