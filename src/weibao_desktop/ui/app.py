"""Starting the GUI: the application object, Chinese Qt dialogs, the store, the operator, the main window."""
from __future__ import annotations

import importlib
import os
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from . import screens
from .names import APP_NAME


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("weibao-desktop")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("weibao")
    if not app.property("weibao_chinese"):  # once per application, however often tests call this
        from .chinese import install

        install(app)
        app.setProperty("weibao_chinese", True)
    screens.install(app)
    return app


def choose_user(ws_factory, store, user: str | None, parent=None) -> str | None:
    """The operator: --user, WEIBAO_USER, the station's only user, or a choice among its users."""
    from PySide6.QtWidgets import QInputDialog

    name = user or os.environ.get("WEIBAO_USER")
    if name:
        return name
    users = [u.name for u in ws_factory(store, "system").stations.users() if u.active]
    if len(users) == 1:
        return users[0]
    if not users:
        return "管理员"
    chosen, ok = QInputDialog.getItem(parent, APP_NAME, "请选择操作人（记入变更记录）：", users, 0, False)
    return chosen if ok else None


def _preload() -> None:
    try:
        importlib.import_module(f"{__package__.rpartition('.')[0]}.services")
    except Exception:  # the main thread imports it again and reports the error properly
        pass


def start(data_dir: Path | None = None, db_url: str | None = None, user: str | None = None, *,
          start_page: str | None = None, credentials=None):
    """Everything up to the main window on screen: (app, window), or (app, None) when the user gave up.

    Until the login window comes, the account and password are those of `weibao gui` (--user / WEIBAO_USER with
    --password-file / WEIBAO_PASSWORD); without them the store opens only with a key this process already has."""
    # The data layer (SQLAlchemy, the models) loads on a second thread while Qt starts up on this one.
    preload = threading.Thread(target=_preload, daemon=True)
    preload.start()
    app = make_app()
    preload.join()
    from ..domain.errors import WeibaoError
    from ..models.store import open_store
    from ..services import Workstation
    from ..vault.login import Credentials, login

    if credentials is None and os.environ.get("WEIBAO_PASSWORD"):
        name = (user or os.environ.get("WEIBAO_USER", "")).strip()
        credentials = Credentials(name, os.environ["WEIBAO_PASSWORD"]) if name else None
    logged = []

    def open_logged_in(data_dir, db_url):
        result = login(data_dir, db_url, user=credentials.user, password=credentials.password)
        logged.append(result)
        return result.store

    store = _open(open_logged_in if credentials is not None else open_store, data_dir, db_url)
    if store is None:
        return app, None
    actor = logged[-1].actor if logged else None
    ws = Workstation(store, actor or user or os.environ.get("WEIBAO_USER") or "system")
    try:
        if not ws.stations.has_station():
            from .first_run import FirstRunDialog

            dialog = FirstRunDialog(store, user=actor.name if actor else user)
            if dialog.exec() != FirstRunDialog.Accepted:
                return app, None
            ws = dialog.workstation
        elif actor is not None:
            ws = Workstation(store, actor)
        else:
            name = choose_user(Workstation, store, user)
            if name is None:
                return app, None
            ws = Workstation.as_account(store, name)
    except WeibaoError as e:
        QMessageBox.critical(None, APP_NAME, str(e))
        return app, None

    from .main_window import MainWindow
    from .tasks import Tasks

    window = MainWindow(ws, Tasks(), start_page=start_page)
    window.show()
    if store.warnings:  # a data folder on a network share, duplicate files waiting for a person to merge
        QMessageBox.warning(window, APP_NAME, "\n\n".join(store.warnings))
    return app, window


def _open(open_store, data_dir, db_url):
    """The store; a damaged one is moved aside (by open_store) and the newest good backup offered instead."""
    from ..models.backups import DamagedStore, restore_backup
    from ..models.store import store_file

    try:
        return open_store(data_dir, db_url)
    except DamagedStore as e:
        if e.newest is None:
            QMessageBox.critical(None, APP_NAME, f"{e.message}\n\n没有找到可用的备份。请联系技术支持。")
            return None
        box = QMessageBox(QMessageBox.Critical, APP_NAME,
                          f"{e.message}\n\n是否用最新的可用备份（{e.newest.taken_at:%Y-%m-%d %H:%M}，"
                          f"{e.newest.size / 1024 / 1024:.1f} MB）恢复？此后录入的内容需要重新录入。")
        restore = box.addButton("从备份恢复", QMessageBox.AcceptRole)
        box.addButton("退出", QMessageBox.RejectRole)
        box.exec()
        if box.clickedButton() is not restore:
            return None
        try:
            db_path = store_file(data_dir, db_url)
            assert db_path is not None  # only a SQLite file can be damaged this way
            restore_backup(db_path, e.newest.path)
            return open_store(data_dir, db_url)
        except Exception as again:  # the backup cannot be put back either: say so, do not start on nothing
            QMessageBox.critical(None, APP_NAME, f"无法从备份恢复：{again}")
            return None
    except Exception as e:  # a locked or unreachable database: say so instead of a traceback
        QMessageBox.critical(None, APP_NAME, f"无法打开数据库：{e}\n\n请把这条信息告诉负责电脑维护的人员；不要删除数据文件夹。")
        return None



def run(data_dir: Path | None = None, db_url: str | None = None, user: str | None = None,
        screenshot: Path | None = None, credentials=None) -> int:
    """The program's window until it is closed. `screenshot`: grab the window once the first page shows, save
    it and quit (a check that an installed program starts)."""
    app, window = start(data_dir, db_url, user, credentials=credentials)
    if window is None:
        return 0
    if window.ws.store.path is not None:
        log_crashes(window.ws.store.path.parent / "logs")
    if screenshot is not None:
        def shoot() -> None:
            window.grab().save(str(screenshot))
            app.quit()

        if window.is_ready:
            QTimer.singleShot(200, shoot)
        else:
            window.ready.connect(lambda: QTimer.singleShot(200, shoot))
    code = app.exec()
    window.ws.store.dispose()
    return code


def log_crashes(folder: Path) -> None:
    """The windowed program has no console: an error nobody caught, or a crash in Qt itself, is written to
    <data folder>/logs (where staff can send it to support) and the user is told in Chinese. Only the error's
    type and where it happened are written, never its message, which may hold a child's name."""
    import faulthandler
    import traceback

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    crash = _private_log(folder / "crash.log")
    faulthandler.enable(crash)

    def hook(kind, value, tb) -> None:
        import datetime as dt

        with _private_log(folder / "errors.log") as out:
            out.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {kind.__name__}\n")
            out.writelines(traceback.format_tb(tb))
        QMessageBox.critical(None, APP_NAME, f"程序内部错误（{kind.__name__}）。刚才的操作可能没有完成，数据没有被部分修改。"
                                             f"\n错误记录在：{folder}")

    sys.excepthook = hook


def _private_log(path: Path):
    """A log in the data folder, appended to, readable by this user only (0600 on Linux)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "a", encoding="utf-8")
