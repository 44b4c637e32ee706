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


def _preload() -> None:
    try:
        importlib.import_module(f"{__package__.rpartition('.')[0]}.services")
    except Exception:  # the main thread imports it again and reports the error properly
        pass


def start(data_dir: Path | None = None, db_url: str | None = None, user: str | None = None, *,
          start_page: str | None = None, credentials=None, clock=None):
    """Everything up to the main window on screen: (app, window), or (app, None) when the user gave up.

    The account and password are those of `weibao gui` (--user / WEIBAO_USER with --password-file /
    WEIBAO_PASSWORD) when given (scripts, tests, the demo); otherwise the login window asks for them, or, on an
    empty data folder, the first-start dialog sets up the station and its first admin."""
    # The data layer (SQLAlchemy, the models) loads on a second thread while the user types in the login window;
    # it starts once that window is on screen (it competes with the window for the interpreter), at once when
    # there is no login window to show.
    preload = threading.Thread(target=_preload, daemon=True)

    def loaded() -> None:
        if preload.ident is None:
            preload.start()
        preload.join()

    app = make_app()
    from ..vault.login import Credentials

    if credentials is None and os.environ.get("WEIBAO_PASSWORD"):
        name = (user or os.environ.get("WEIBAO_USER", "")).strip()
        credentials = Credentials(name, os.environ["WEIBAO_PASSWORD"]) if name else None
    if credentials is None and is_first_start(data_dir, db_url):
        loaded()
        from .first_run import FirstStartDialog

        first = FirstStartDialog(data_dir, db_url)
        if first.exec() != FirstStartDialog.Accepted:
            return app, None
        return app, open_main_window(first.workstation, start_page=start_page)
    if credentials is None:
        def open_as(name: str, password: str):
            loaded()
            return log_in(data_dir, db_url, Credentials(name, password), clock)

        from .login_window import LoginWindow

        window = LoginWindow(open_as, user=(user or os.environ.get("WEIBAO_USER", "")).strip())
        QTimer.singleShot(0, lambda: preload.ident is None and preload.start())  # the window is shown by then
        # and the main window's modules, on this thread (they are Qt's) while the user types: after login only
        # the pages are built.
        QTimer.singleShot(150, lambda: importlib.import_module(f"{__package__}.main_window"))
        if window.exec() != LoginWindow.Accepted:
            return app, None
        logged = window.logged
    else:
        loaded()
        from ..vault.login import LoginError

        try:
            logged = log_in(data_dir, db_url, credentials, clock)
        except LoginError as e:
            QMessageBox.critical(None, APP_NAME, str(e))
            return app, None
        if logged is None:
            return app, None
        if logged.recovery_key:  # a new store made from the command line's credentials: said as `weibao` says it
            from ..models.encryption import RECOVERY_NOTICE

            print(RECOVERY_NOTICE.format(key=logged.recovery_key))
    ws = workstation_after_login(logged)
    if ws is None:
        return app, None
    return app, open_main_window(ws, start_page=start_page)


def is_first_start(data_dir: Path | None, db_url: str | None) -> bool:
    """No store file yet in the data folder (a server database is never new to the GUI: `weibao init` sets it
    up). The folder is worked out as models.store.store_file does, without loading SQLAlchemy for it."""
    if db_url is not None:
        return False
    folder = data_dir or (Path(os.environ["WEIBAO_DATA_DIR"]) if os.environ.get("WEIBAO_DATA_DIR") else None)
    if folder is None:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("weibao-desktop", appauthor=False))
    store = Path(folder) / "weibao.sqlite3"
    if store.exists() and store.stat().st_size > 0 or store.with_name(store.name + ".keys").exists():
        return False
    # A store moved aside as damaged, or backups without a store: the login (open_store) offers the backup,
    # never a fresh empty store over them.
    return not any(store.parent.glob("weibao.damaged-*")) and not any(store.parent.glob("*.bak.*"))


def log_in(data_dir, db_url, credentials, clock=None):
    """login() through the damaged-store question: a LoggedIn, None when the user gave up; LoginError raises.
    A login is written to the audit log as the account that logged in."""
    from ..services import audit
    from ..vault.login import login

    logged = []

    def open_logged_in(data_dir, db_url):
        result = login(data_dir, db_url, user=credentials.user, password=credentials.password, clock=clock)
        logged.append(result)
        return result.store

    if _open(open_logged_in, data_dir, db_url) is None:
        return None
    audit.record(logged[-1].store, "login", actor=logged[-1].actor)
    return logged[-1]


def workstation_after_login(logged, parent=None):
    """The Workstation of a login; a store without a station yet (made by a bare `weibao` login) is set up
    first. None when the user gave up."""
    from ..domain.errors import WeibaoError
    from ..services import Workstation

    store, actor = logged.store, logged.actor
    try:
        ws = Workstation(store, actor)
        if not ws.stations.has_station():
            from .first_run import FirstRunDialog

            dialog = FirstRunDialog(store, parent, user=actor.name)
            if dialog.exec() != FirstRunDialog.Accepted:
                return None
            ws = dialog.workstation
    except WeibaoError as e:
        QMessageBox.critical(parent, APP_NAME, str(e))
        return None
    for warning in logged.warnings:
        QMessageBox.warning(parent, APP_NAME, warning)
    return ws


def open_main_window(ws, *, start_page: str | None = None, tasks=None, clock=None):
    """The main window as the account of `ws`, with its idle lock and 切换用户 wired to the login window."""
    from .idle_lock import IdleLock
    from .main_window import MainWindow
    from .session import set_current
    from .tasks import Tasks

    window = MainWindow(ws, tasks or Tasks(), start_page=start_page)
    window.idle_lock = IdleLock(window)
    window.switch_user_requested.connect(lambda: switch_user(window, clock))
    set_current(window)
    window.show()
    if ws.store.warnings:  # a data folder on a network share, duplicate files waiting for a person to merge
        QMessageBox.warning(window, APP_NAME, "\n\n".join(ws.store.warnings))
    return window


def switch_user(window, clock=None):
    """Back to the login window; the new main window, or None (kept as it was, or the program quits when the
    login window is closed with 退出)."""
    from ..vault.login import Credentials
    from .login_window import LoginWindow
    from .session import leave_dialogs, set_current

    if window.tasks.writing():
        QMessageBox.information(window, APP_NAME, "正在保存或导入数据，请等它完成后再切换用户。")
        return None
    if not leave_dialogs(window):
        return None
    store = window.ws.store
    app = QApplication.instance()
    quits = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # between the two windows only the login window is on screen
    try:
        window.close()
        if window.isVisible():
            return None
        idle = getattr(window, "idle_lock", None)
        if idle is not None:  # the closed window is kept (not deleted): its idle clock must not lock anything
            idle.stop()
        login = LoginWindow(lambda name, password: log_in(None, store.url, Credentials(name, password), clock),
                            audit_store=store, title="切换用户", prompt="请输入要切换到的账号姓名和密码。")
        if login.exec() != LoginWindow.Accepted:
            store.dispose()
            app.quit()
            return None
        ws = workstation_after_login(login.logged)
        if ws is None:
            store.dispose()
            app.quit()
            return None
        new = open_main_window(ws, clock=clock)
        set_current(new)
        store.dispose()
        return new
    finally:
        app.setQuitOnLastWindowClosed(quits)


def _open(open_store, data_dir, db_url):
    """The store; a damaged one is moved aside (by open_store) and the newest good backup offered instead."""
    from ..models.backups import DamagedStore, restore_backup
    from ..models.store import store_file
    from ..vault.login import LoginError

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
    except LoginError:  # the login window shows it in place
        raise
    except Exception as e:  # a locked or unreachable database: say so instead of a traceback
        QMessageBox.critical(None, APP_NAME, f"无法打开数据库：{e}\n\n请把这条信息告诉负责电脑维护的人员；不要删除数据文件夹。")
        return None



def run(data_dir: Path | None = None, db_url: str | None = None, user: str | None = None,
        screenshot: Path | None = None, credentials=None) -> int:
    """The program's window until it is closed. `screenshot`: grab the window once the first page shows, save
    it and quit (a check that an installed program starts); without a password, the first window it shows (the
    first-start setup on an empty folder, else the login window), which is then cancelled, changing nothing."""
    if screenshot is not None:
        make_app()
        _shoot_first_dialog(screenshot)
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
    from .session import current_window

    current_window(window).ws.store.dispose()  # switching user may have replaced the first window
    return code


def _shoot_first_dialog(screenshot: Path) -> None:
    """Once the setup or login window is on screen: its picture in `screenshot`, then 取消."""
    def poll() -> None:
        for w in QApplication.topLevelWidgets():
            if type(w).__name__ in ("FirstStartDialog", "LoginWindow") and w.isVisible():
                def shoot(w=w) -> None:
                    w.grab().save(str(screenshot))
                    w.reject()

                QTimer.singleShot(200, shoot)
                return
        if not any(type(w).__name__ == "MainWindow" for w in QApplication.topLevelWidgets()):
            QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)


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
