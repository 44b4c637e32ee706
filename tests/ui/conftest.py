"""GUI test fixtures: offscreen Qt, settings in a temporary place, synchronous tasks, seeded stores."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

import rawdb  # noqa: E402
from factories import FIXED_DATE, OPERATOR_HEAD  # noqa: E402
from weibao_desktop.models.store import DB_FILENAME, open_store  # noqa: E402
from weibao_desktop.services import Workstation  # noqa: E402
from weibao_desktop.services.demo import build_demo  # noqa: E402


@pytest.fixture(autouse=True)
def qt_settings(tmp_path, qapp):
    """QSettings of this test live in tmp_path: window state never leaks between tests or into $HOME."""
    from PySide6.QtCore import QSettings

    qapp.setOrganizationName("weibao-test")
    qapp.setApplicationName("weibao-desktop-test")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))
    yield tmp_path / "qsettings"


@pytest.fixture
def tasks(qapp):
    from weibao_desktop.ui.tasks import SyncTasks

    t = SyncTasks()
    yield t
    t.shutdown()


def _demo_template(tmp_path_factory, template_dir: Path, children: int, visits: int) -> Path:
    directory = tmp_path_factory.mktemp(f"demo{children}")
    rawdb.copy_store(template_dir, directory / DB_FILENAME)
    store = open_store(directory)
    ws = Workstation(store, OPERATOR_HEAD, today=lambda: FIXED_DATE)
    build_demo(ws.ctx, children, visits)
    store.dispose()
    return directory / DB_FILENAME


@pytest.fixture(scope="session")
def _demo300(tmp_path_factory, _migrated_template) -> Path:
    return _demo_template(tmp_path_factory, _migrated_template, 300, 3)


@pytest.fixture(scope="session")
def _demo3000(tmp_path_factory, _migrated_template) -> Path:
    return _demo_template(tmp_path_factory, _migrated_template, 3000, 1)


def _copy_store(tmp_path, template: Path, clock):
    target = tmp_path / "store"
    target.mkdir()
    rawdb.copy_store(template, target / DB_FILENAME)
    store = open_store(target)
    return store, Workstation(store, OPERATOR_HEAD, today=clock)


@pytest.fixture
def demo_ws(tmp_path, _demo300, clock):
    """A workstation on a copy of a 300-child demo store (3 visits each), dated at the fixed test day."""
    store, ws = _copy_store(tmp_path, _demo300, clock)
    yield ws
    store.dispose()


@pytest.fixture
def big_ws(tmp_path, _demo3000, clock):
    """A 3000-child demo store, for the tests that prove the list never loads everything."""
    store, ws = _copy_store(tmp_path, _demo3000, clock)
    yield ws
    store.dispose()


def type_into(widget, text: str) -> None:
    """Type text one character at a time as an input method commits it (QTest.keyClicks is ASCII-only)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


@pytest.fixture
def typer():
    return type_into


@pytest.fixture
def on_modal(qtbot):
    """on_modal(fn): when the next modal dialog opens (exec()), call fn(dialog) on it, as a user would act.

    Returns a list that receives each dialog handled, so a test can assert one really appeared."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen = []

    def arm(fn, timeout_ms: int = 5000):
        waited = [0]

        def poll():
            dialog = QApplication.activeModalWidget()
            if dialog is not None and dialog not in seen:
                seen.append(dialog)
                try:
                    fn(dialog)
                finally:
                    if dialog.isVisible():  # the test's steps failed: never leave exec() waiting forever
                        dialog.close()
                return
            waited[0] += 10
            if waited[0] < timeout_ms:
                QTimer.singleShot(10, poll)

        QTimer.singleShot(0, poll)
        return seen

    return arm


class Answers:
    """Answers for the file and message dialogs a test's clicks open, and a record of what was asked.

    Each kind takes its answers from a queue the test fills (`save_as`, `open_file`, `confirm`, `password`) and
    falls back to the careful default: file dialogs cancelled, questions answered 否, 放弃修改？ answered 放弃修改
    (so a window closed at the end of a test never waits), password dialogs cancelled."""

    def __init__(self):
        self.asked: list[tuple[str, str, str]] = []  # (kind, title, text)
        self.save_paths: list[str] = []
        self.open_paths: list[str] = []
        self.confirms: list[bool] = []
        self.discards: list[bool] = []
        self.texts: list[str | None] = []
        self.folders: list[str] = []
        self.items: list[str] = []
        self.passwords: list[str] = []
        self.opened: list[str] = []  # files and folders handed to the system to open

    def save_as(self, path) -> None:
        self.save_paths.append(str(path))

    def open_file(self, path) -> None:
        self.open_paths.append(str(path))

    def choose_folder(self, path) -> None:
        self.folders.append(str(path))

    def choose_item(self, item: str) -> None:
        self.items.append(item)

    def password(self, text: str) -> None:
        """What the user types into the next password dialog (typed twice where it asks twice)."""
        self.passwords.append(text)

    def confirm(self, yes: bool = True) -> None:
        self.confirms.append(yes)

    def discard(self, yes: bool = True) -> None:
        self.discards.append(yes)

    def titles(self, kind: str | None = None) -> list[str]:
        return [title for k, title, _ in self.asked if kind is None or k == kind]

    def messages(self) -> list[str]:
        return [text for _, _, text in self.asked]


@pytest.fixture(autouse=True)
def answers(monkeypatch, qapp):
    """Every file and message dialog in GUI tests is answered here, at the class level, never shown."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from weibao_desktop.ui.password_dialog import PasswordDialog

    answers = Answers()

    def save_name(parent=None, caption="", directory="", *_a, **_k):
        answers.asked.append(("save", caption, directory))
        return (answers.save_paths.pop(0) if answers.save_paths else "", "")

    def open_name(parent=None, caption="", directory="", *_a, **_k):
        answers.asked.append(("open", caption, directory))
        return (answers.open_paths.pop(0) if answers.open_paths else "", "")

    def directory(parent=None, caption="", *_a, **_k):
        answers.asked.append(("directory", caption, ""))
        return answers.folders.pop(0) if answers.folders else ""

    def question(parent, title, text, *_a, **_k):
        answers.asked.append(("question", title, text))
        yes = answers.confirms.pop(0) if answers.confirms else False
        return QMessageBox.Yes if yes else QMessageBox.No

    def tell(kind):
        def shown(parent, title, text, *_a, **_k):
            answers.asked.append((kind, title, text))
            return QMessageBox.Ok
        return shown

    def box_exec(box):
        answers.asked.append(("box", box.windowTitle(), box.text()))
        yes = answers.discards.pop(0) if answers.discards else True
        wanted = ((QMessageBox.DestructiveRole, QMessageBox.AcceptRole, QMessageBox.YesRole) if yes
                  else (QMessageBox.RejectRole, QMessageBox.NoRole))
        for button in box.buttons():
            if box.buttonRole(button) in wanted:
                button.click()
                break
        return box.result()

    def get_text(parent, title, label, *_a, **_k):
        answers.asked.append(("text", title, label))
        text = answers.texts.pop(0) if answers.texts else None
        return (text or "", text is not None)

    def get_item(parent, title, label, items, *_a, **_k):
        answers.asked.append(("item", title, label))
        if answers.items:
            wanted = answers.items.pop(0)
            return (next(i for i in items if wanted in i), True)
        return (items[0] if items else "", False)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_name))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(directory))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(tell(kind)))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: answers.asked.append(
        ("about", title, text))))
    monkeypatch.setattr(QMessageBox, "exec", box_exec)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))

    def get_password(parent, title, prompt, confirm=False):
        answers.asked.append(("password_twice" if confirm else "password", title, prompt))
        return (answers.passwords.pop(0), True) if answers.passwords else ("", False)

    monkeypatch.setattr(PasswordDialog, "get_password", staticmethod(get_password))
    # 打开文件 / 打开所在文件夹 and the like never start another program during a test.
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(
        lambda url: answers.opened.append(url.toLocalFile()) or True))
    return answers
