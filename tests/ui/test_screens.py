"""Every window and dialog fits a 1366×768 screen at 100 % and a 1920×1080 screen at 150 %: its buttons are on
screen. In this process the screens are simulated by the available geometry passed to the sizing helper; a
subprocess then opens the windows on an offscreen screen that really is 1920×1080 at 150 %."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from screen_sizes import SCREENS, windows

from weibao_desktop.ui import screens


def _check(ws, tasks, area: QRect) -> dict[str, tuple[int, int]]:
    """{name: (width, height)} of every window that does not fit `area` after fitting."""
    too_big = {}
    for name, window in windows(ws, tasks):
        window.resize(window.sizeHint().expandedTo(window.size()))
        screens.fit_window(window, area)
        if not screens.fits(window, area):
            need = window.minimumSizeHint().expandedTo(window.minimumSize())
            too_big[name] = (max(need.width(), window.width()), max(need.height(), window.height()))
        window.deleteLater()
    return too_big


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_window_and_dialog_fits_the_screen(qtbot, demo_ws, tasks, screen):
    assert _check(demo_ws, tasks, SCREENS[screen]) == {}


def test_a_window_saved_on_a_bigger_screen_comes_back_inside_this_one(qtbot, demo_ws, tasks):
    from weibao_desktop.ui.main_window import MainWindow

    win = MainWindow(demo_ws, tasks)
    qtbot.addWidget(win)
    win.setGeometry(600, 500, 1900, 1000)  # where it was on a big monitor
    area = SCREENS["1366x768@100%"]
    screens.fit_window(win, area)
    assert win.width() <= area.width() and win.height() <= area.height()
    assert area.contains(win.geometry().topLeft()) and win.geometry().right() <= area.right()


def test_child_files_cascade_inside_the_screen(qtbot, demo_ws, tasks):
    from weibao_desktop.services.dto import ChildQuery
    from weibao_desktop.ui.child_file import ChildFile

    area = SCREENS["1920x1080@150%"]
    uuids = [r.uuid for r in demo_ws.children.rows(demo_ws.children.search_ids(ChildQuery(), limit=30))]
    places = []
    for i, uuid in enumerate(uuids):
        win = ChildFile(demo_ws, tasks, uuid)
        qtbot.addWidget(win)
        screens.cascade(win, i, area)
        places.append(win.geometry())
        assert area.contains(win.geometry()), (i, win.geometry())
    assert places[1].topLeft() != places[0].topLeft()  # not on top of each other
    assert len({p.topLeft().toTuple() for p in places}) >= 3  # as many steps as the room below allows


def test_bounded_never_exceeds_the_screen():
    area = SCREENS["1920x1080@150%"]
    size = screens.bounded(QSize(5000, 5000), area)
    assert size.width() < area.width() and size.height() < area.height()


_SUBPROCESS = r'''
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from PySide6.QtWidgets import QApplication
from weibao_desktop.ui.app import make_app
app = make_app(["test"])
from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation
from weibao_desktop.ui.tasks import SyncTasks
from weibao_desktop.ui import screens
from screen_sizes import windows
store = open_store(sys.argv[3])
ws = Workstation(store, "测试员")
tasks = SyncTasks()
area = app.primaryScreen().availableGeometry()
out = {"screen": [area.width(), area.height(), app.primaryScreen().devicePixelRatio()], "outside": {}}
for name, window in windows(ws, tasks):
    window.show()  # the application's ScreenFit fits it as it is shown
    app.processEvents()
    frame = window.frameGeometry()
    if not area.contains(frame) or not screens.fits(window, area):
        out["outside"][name] = [frame.x(), frame.y(), frame.width(), frame.height()]
    window.hide()
    window.deleteLater()
print(json.dumps(out, ensure_ascii=False))
tasks.shutdown()
store.dispose()
'''


def test_windows_fit_a_real_1920x1080_screen_at_150_percent(tmp_path, demo_ws):
    """The same windows opened on an offscreen screen of 1280×720 logical pixels at device pixel ratio 1.5."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s150", "x": 0, "y": 0, "width": 1280, "height": 720,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1.5}]}))
    tests_ui = Path(__file__).parent
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config")}
    store_dir = Path(demo_ws.store.path).parent
    demo_ws.store.dispose()
    run = subprocess.run([sys.executable, "-c", _SUBPROCESS, str(tests_ui), str(tests_ui.parent), str(store_dir)],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["screen"] == [1280, 720, 1.5]
    assert result["outside"] == {}


def test_a_dialog_that_cannot_shrink_enough_is_caught(qtbot):
    from PySide6.QtWidgets import QDialog

    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setMinimumSize(1300, 400)  # wider than 1280 logical pixels: its right edge would be off screen
    screens.fit_window(dialog, SCREENS["1920x1080@150%"])
    assert not screens.fits(dialog, SCREENS["1920x1080@150%"]) and screens.fits(dialog, SCREENS["1366x768@100%"])
