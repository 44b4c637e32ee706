"""Starting the GUI: the application object, Chinese Qt dialogs, the store, the main window."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

APP_NAME = "未保工作站"


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("weibao-desktop")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("weibao")
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Chinese, QLocale.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(translator)
    return app


def run(data_dir: Path | None = None, db_url: str | None = None, user: str | None = None) -> int:
    from ..models.store import open_store
    from ..services import Workstation

    app = make_app()
    store = open_store(data_dir, db_url)
    ws = Workstation(store, user or "站长")
    window = QMainWindow()
    window.setWindowTitle(APP_NAME)
    try:
        info = ws.stations.info()
        window.setCentralWidget(QLabel(f"{info.name}：共{ws.stats.stats().total_active}名在册儿童"))
    except Exception as e:  # no station yet
        window.setCentralWidget(QLabel(str(e)))
    window.resize(1000, 700)
    window.show()
    return app.exec()
