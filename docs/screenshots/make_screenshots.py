"""Screenshots of the main pages on a demo store, on a 1366×768 screen at 100 % and a 1920×1080 screen at 150 %.

    PYTHONPATH=src python docs/screenshots/make_screenshots.py [--out docs/screenshots] [--children 300]

Each screen runs in its own process on Qt's offscreen platform with a screen of that size and device pixel
ratio (a configuration file the platform reads), so the window, its fonts and the fitting to the screen are
what a user of that screen sees. The manual's pictures are made by this script too: `shoot(...)` takes the
page keys and extra views wanted, and every file name says the page and the screen.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# name: (logical width, logical height, device pixel ratio, taskbar height in logical pixels)
SCREENS = {
    "1366x768": (1366, 768, 1.0, 40),
    "150": (1280, 720, 1.5, 27),
}
PAGES = ("dashboard", "children", "visits", "assessments", "help", "clues", "hotline", "exchange", "stats",
         "settings")
EXTRAS = ("start", "child-file", "preview", "clue-from-call", "exchange-steps")
OPERATOR = "张督导"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--screen", choices=sorted(SCREENS), help="one screen only (used by the parent process)")
    parser.add_argument("--only", nargs="*", help="page keys and extras to shoot (default: all)")
    args = parser.parse_args(argv)
    wanted = tuple(args.only) if args.only else PAGES + EXTRAS
    if args.screen:
        return shoot(args.out, args.screen, args.children, wanted)
    for name in SCREENS:
        if run_on_screen(name, args.out, args.children, wanted) != 0:
            return 1
    return 0


def run_on_screen(name: str, out: Path, children: int, wanted: tuple[str, ...]) -> int:
    width, height, ratio, _taskbar = SCREENS[name]
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "screen.json"
        config.write_text(json.dumps({"screens": [{"name": name, "x": 0, "y": 0, "width": width, "height": height,
                                                   "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": ratio}]}))
        env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "HOME": tmp,
               "XDG_CONFIG_HOME": str(Path(tmp) / ".config")}
        command = [sys.executable, __file__, "--out", str(out), "--children", str(children), "--screen", name,
                   "--only", *wanted]
        return subprocess.run(command, env=env).returncode


def shoot(out: Path, screen: str, children: int, wanted: tuple[str, ...]) -> int:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    from weibao_desktop.models.store import open_store
    from weibao_desktop.services import Workstation
    from weibao_desktop.services.demo import build_demo
    from weibao_desktop.ui.app import make_app
    from weibao_desktop.ui.tasks import SyncTasks

    app = make_app(["screenshots"])
    _width, _height, _ratio, taskbar = SCREENS[screen]
    full = app.primaryScreen().geometry()
    area = QRect(full.x(), full.y(), full.width(), full.height() - taskbar)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        tasks = SyncTasks()
        if "start" in wanted:
            empty = open_store(Path(data) / "empty")
            ws = Workstation(empty, OPERATOR)
            ws.stations.init("示范镇", "430104001000", "岳麓区", ["东山村", "西湖社区"])
            _save(_main_window(ws, tasks, area, "dashboard"), out, "start", screen)
            empty.dispose()
        store = open_store(Path(data) / "demo")
        ws = Workstation(store, OPERATOR)
        build_demo(ws.ctx, children, 3)
        _add_day(ws)
        win = None
        for key in PAGES:
            if key in wanted:
                win = win or _main_window(ws, tasks, area, key)
                win.show_page(key)
                _settle(app)
                _save(win, out, key, screen)
        win = win or _main_window(ws, tasks, area, "dashboard")
        for extra in EXTRAS:
            if extra in wanted and extra != "start":
                widget = _extra(extra, win, ws, tasks)
                _settle(app)
                _save(widget, out, extra, screen)
                widget.close()
        win.close()
        tasks.shutdown()
        store.dispose()
    QApplication.processEvents()
    return 0


def _add_day(ws) -> None:
    """A call to turn into a clue, so the hotline and clue pictures show something to do."""
    ws.hotline.log({"caller": "王女士", "caller_phone": "13700001111",
                    "content": "邻居家两个孩子长期独自在家，晚上哭闹，大人外出务工一个多月没回来"})


def _main_window(ws, tasks, area, page: str):
    from weibao_desktop.ui.main_window import MainWindow

    win = MainWindow(ws, tasks, start_page=page)
    win.setGeometry(area.adjusted(0, 30, 0, 0))  # maximised, below a title bar
    win.show()
    _settle(None)
    return win


def _extra(name: str, win, ws, tasks):
    from weibao_desktop.services.dto import ChildQuery
    from weibao_desktop.ui.clue_from_call import ClueFromCallDialog
    from weibao_desktop.ui.print_actions import PrintPreviewDialog

    uuid = ws.children.rows(ws.children.search_ids(ChildQuery(overdue=True), limit=1))[0].uuid
    if name == "child-file":
        return win.open_child(uuid)
    if name == "preview":
        dialog = PrintPreviewDialog(ws, tasks, ws.printing.visit_sheet(child=uuid, blank=True), win)
    elif name == "clue-from-call":
        dialog = ClueFromCallDialog(ws, tasks, ws.hotline.page().rows[0], win)
    else:
        page = win.show_page("exchange")
        page.tabs.setCurrentWidget(page.exchange)
        return win
    dialog.show()
    return dialog


def _settle(app) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(150, loop.quit)
    loop.exec()
    QCoreApplication.processEvents()


def _save(widget, out: Path, name: str, screen: str) -> Path:
    target = out / f"{name}-{screen}.png"
    widget.window().grab().save(str(target))
    print(f"{target}  ({widget.window().width()}×{widget.window().height()}, {dt.date.today()})")
    return target


if __name__ == "__main__":
    sys.exit(main())
