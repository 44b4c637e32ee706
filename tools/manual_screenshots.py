"""Make the user manual's pictures: the real program on a demo store, each page and the main dialogs grabbed
offscreen at 1366×768 (the smallest screen a station has), scaled for reading in the manual window.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src python tools/manual_screenshots.py [--out DIR]

Writes src/weibao_desktop/resources/manual/images/*.png (committed, shipped with the program). Run it again
after a page changes, so the manual shows the program as it is. Nothing is drawn by hand.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "weibao_desktop" / "resources" / "manual" / "images"
SCREEN = (1366, 768)
WIDTH = 760  # pictures are scaled to this width: the manual window shows them without scrolling sideways
TODAY = dt.date(2026, 12, 2)

# (picture, page key) of the main window's pages the manual shows.
PAGES = (
    ("dashboard", "dashboard"),
    ("children", "children"),
    ("visits", "visits"),
    ("assessments", "assessments"),
    ("help", "help"),
    ("clues", "clues"),
    ("hotline", "hotline"),
    ("exchange", "exchange"),
    ("stats", "stats"),
    ("settings", "settings"),
    ("households", "households"),
    ("checks", "checks"),
    ("incidents", "incidents"),
    ("activities", "activities"),
    ("staff", "staff"),
    ("audit", "audit"),
)
# The demo store is encrypted like any other, with the demo account README.md names (dev.sh uses it too).
DEMO_USER, DEMO_PASSWORD = "演示管理员", "demo1234"


def settle(app, rounds: int = 30) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def save(widget, name: str, out: Path, app) -> Path:
    from PySide6.QtCore import Qt

    settle(app)
    picture = widget.grab()
    if picture.width() > WIDTH:
        picture = picture.scaledToWidth(WIDTH, Qt.SmoothTransformation)
    target = out / f"{name}.png"
    picture.save(str(target))
    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--children", type=int, default=300)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A throwaway store: argon2 at its cheapest keeps the run short (the pictures do not depend on it).
    os.environ.setdefault("WEIBAO_TEST_CHEAP_KDF", "1")
    sys.path.insert(0, str(ROOT / "src"))
    from PySide6.QtCore import QSettings

    from weibao_desktop.services import Workstation
    from weibao_desktop.services.demo import build_demo
    from weibao_desktop.ui.app import make_app
    from weibao_desktop.ui.assessment_dialog import AssessmentDialog
    from weibao_desktop.ui.casework_dialogs import VisitDialog
    from weibao_desktop.ui.child_form import ChildForm
    from weibao_desktop.ui.main_window import MainWindow
    from weibao_desktop.ui.manual import ManualWindow
    from weibao_desktop.ui.pairing_panel import PairingPanel
    from weibao_desktop.ui.tasks import SyncTasks
    from weibao_desktop.vault.login import login

    args.out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    work = Path(tempfile.mkdtemp(prefix="weibao-manual-"))
    # Window sizes and the last page of whoever runs this are not touched: settings go to the temporary folder.
    app.setOrganizationName("weibao-manual")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(work / "settings"))
    logged = login(work / "data", None, user=DEMO_USER, password=DEMO_PASSWORD)
    store = logged.store
    ws = Workstation(store, logged.actor, today=lambda: TODAY)
    build_demo(ws.ctx, args.children, 3)
    # A day's ordinary work, so the 审计日志 page has entries to show: a ledger exported, a backup made.
    ws.ledger.export("children", work / "儿童信息台账.xlsx")
    ws.maintenance.backup()
    # A signed 委托照护协议 for one child the care reminders name, so the 监护与照护 tab shows a filled row.
    cared = ws.care.warnings()[0].child_uuid
    ws.care.add(cared, {**ws.care.proposal(cared), "signed_on": TODAY - dt.timedelta(days=60),
                        "start_on": TODAY - dt.timedelta(days=60), "end_on": TODAY + dt.timedelta(days=305),
                        "review_on": TODAY + dt.timedelta(days=120)})
    tasks = SyncTasks()
    window = MainWindow(ws, tasks, start_page="dashboard")
    window.resize(*SCREEN)
    window.show()
    for name, key in PAGES:
        window.show_page(key)
        if key == "households":  # one family chosen: its children and adults show on the right
            settle(app)
            window.page(key).households.select_row(0)
        save(window, name, args.out, app)

    # 台账交换's second tab: the three steps of an exchange with the county office.
    exchange = window.page("exchange")
    window.show_page("exchange")
    exchange.tabs.setCurrentIndex(1)
    save(window, "exchange-county", args.out, app)
    exchange.tabs.setCurrentIndex(0)
    # 设置 → 配对 is at the bottom of the settings page: grabbed on its own.
    window.show_page("settings")
    save(window.page("settings").findChild(PairingPanel), "pairing", args.out, app)
    window.show_page("dashboard")
    dashboard = window.page("dashboard")
    dashboard.lists.setCurrentIndex(dashboard.lists.count() - 1)  # 监护与照护提醒
    save(window, "dashboard-care", args.out, app)
    dashboard.lists.setCurrentIndex(0)

    children = window.children_page()
    first = ws.children.page().rows[0]
    # Found by a guardian's name: the 匹配 column says so.
    carer = next(p.name for row in ws.children.page(limit=50).rows for p in ws.children.get(row.uuid).people
                 if p.name and p.is_guardian)
    children.search.setText(carer)
    save(window, "children-search", args.out, app)
    children.search.clear()
    file_window = window.open_child(first.uuid)
    file_window.resize(1200, 720)
    save(file_window, "child-file", args.out, app)
    file_window.close()
    file_window = window.open_child(cared)
    file_window.resize(1200, 720)
    file_window.tabs.setCurrentIndex(6)  # 监护与照护
    save(file_window, "child-care", args.out, app)
    file_window.close()

    for name, dialog in (
        ("child-form", ChildForm(ws, tasks, window)),
        ("visit-dialog", VisitDialog(ws, tasks, first.uuid, window)),
        ("assessment-dialog", AssessmentDialog(ws, tasks, first.uuid, window)),
    ):
        dialog.show()
        save(dialog, name, args.out, app)
        dialog.mark_clean()
        dialog.reject()

    manual = ManualWindow()
    manual.show()
    manual.show_chapter("01-start.md")
    save(manual, "manual", args.out, app)
    manual.close()
    window.close()
    tasks.shutdown()
    store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
