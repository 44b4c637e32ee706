"""The idle lock: after the set minutes without input the program locks; the password unlocks it and every
open dialog is still there with what was typed."""
from __future__ import annotations

from PySide6.QtCore import Qt
from ui_typing import show_active, type_text

from factories import OPERATOR, TEST_PASSWORD
from weibao_desktop.ui import options
from weibao_desktop.ui.idle_lock import IdleLock, LockScreen
from weibao_desktop.ui.main_window import MainWindow


class Seconds:
    def __init__(self):
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


class LoginClock:
    def now(self):
        import datetime as dt

        return dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def sleep(self, seconds: float) -> None:
        pass


def test_an_idle_program_locks_and_unlocks_where_the_user_was(qtbot, ws, tasks, make_child, on_modal, answers):
    from weibao_desktop.ui.casework_dialogs import VisitDialog

    child = make_child()
    window = MainWindow(ws, tasks)
    qtbot.addWidget(window)
    window.show()
    seconds = Seconds()
    idle = IdleLock(window, now=seconds, login_clock=LoginClock(), interval_ms=3_600_000)
    dialog = show_active(qtbot, VisitDialog(ws, tasks, child.uuid, parent=window))
    type_text(dialog.texts.editor("living"), "祖母照料")

    seconds.at += 9 * 60  # under the default ten minutes: nothing happens
    idle.check()
    assert not idle.locked
    seen_texts = []

    def unlock(screen):
        assert isinstance(screen, LockScreen)
        assert screen.user.text() == OPERATOR and screen.user.isReadOnly()
        qtbot.keyClick(screen, Qt.Key_Escape)  # Escape does not get past the lock
        assert screen.isVisible()
        type_text(screen.password, "猜一个密码")
        qtbot.mouseClick(screen.login_button, Qt.LeftButton)
        seen_texts.append(screen.error.text())
        type_text(screen.password, TEST_PASSWORD)
        qtbot.mouseClick(screen.login_button, Qt.LeftButton)

    seconds.at += 2 * 60
    seen = on_modal(unlock)
    idle.check()
    assert seen and not idle.locked
    assert "密码不正确" in seen_texts[0] and "再错4次" in seen_texts[0]
    assert dialog.isVisible() and dialog.texts.value("living") == "祖母照料"
    assert ("login_failed", OPERATOR) in [(e.action, e.actor) for e in ws.audit.entries()]
    answers.discard(True)
    dialog.close()


def test_input_keeps_the_program_unlocked_and_zero_means_never(qtbot, ws, tasks):
    window = MainWindow(ws, tasks)
    qtbot.addWidget(window)
    window.show()
    seconds = Seconds()
    idle = IdleLock(window, now=seconds, interval_ms=3_600_000)
    seconds.at += 9 * 60
    qtbot.keyClick(window.nav, Qt.Key_Down)  # someone is working
    seconds.at += 9 * 60
    idle.check()
    assert not idle.locked

    options.IDLE_MINUTES.set(0)
    seconds.at += 10 * 3600
    idle.check()
    assert not idle.locked


def test_the_idle_minutes_are_set_in_settings(qtbot, ws, tasks):
    from weibao_desktop.ui.settings_view import SettingsView

    view = SettingsView(ws, tasks)
    qtbot.addWidget(view)
    spin = view.idle_setting.minutes
    assert spin.value() == 10
    spin.setValue(5)
    assert options.IDLE_MINUTES.get() == 5


def test_someone_else_at_a_locked_computer_can_quit_the_program_after_a_warning(qtbot, ws, tasks, on_modal, answers):
    window = MainWindow(ws, tasks)
    qtbot.addWidget(window)
    window.show()
    seconds = Seconds()
    idle = IdleLock(window, now=seconds, login_clock=LoginClock(), interval_ms=3_600_000)
    quits: list[int] = []
    idle.quit_program = lambda: quits.append(1)  # the real one ends every event loop, pytest's too
    seen: list[str] = []

    def leave(screen):
        answers.confirm(False)  # 否: still locked
        qtbot.mouseClick(screen.quit_button, Qt.LeftButton)
        seen.append("visible" if screen.isVisible() else "closed")
        answers.confirm(True)
        qtbot.mouseClick(screen.quit_button, Qt.LeftButton)

    seconds.at += 11 * 60
    on_modal(leave)
    idle.check()
    assert seen == ["visible"] and quits == [1] and not idle.locked
    assert any("没有保存的内容将丢失" in text for _kind, _title, text in answers.asked)
    assert ("logout", OPERATOR) in [(e.action, e.actor) for e in ws.audit.entries()]
