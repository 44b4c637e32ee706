"""`weibao print …`: the printed forms as PDF files, and the print log."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..cli_support import workstation
from ..domain.dates import parse_date
from ..domain.errors import WeibaoError


def register(sub, common) -> None:
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("-o", "--output", type=Path, required=True, help="输出的 PDF 文件")
    out.add_argument("--full-id", action="store_true", help="打印完整身份证号（默认只显示前6位和后4位）")
    out.add_argument("--font", help="中文字体文件（.ttf/.ttc），默认自动查找宋体、黑体、文泉驿等")

    p = sub.add_parser("print", parents=[common], help="打印表格：走访记录表、走访任务单、档案卡、线索登记表、转介单、重大事项报告单、月报")
    s = p.add_subparsers(dest="print_command", metavar="表格", required=True)

    v = s.add_parser("visit-sheet", parents=[common, out], help="未成年人走访记录表（某次走访，或空白表带去走访）")
    who = v.add_mutually_exclusive_group(required=True)
    who.add_argument("--child", help="儿童档案：uuid 或18位身份证号")
    who.add_argument("--visit", help="走访记录的 uuid")
    v.add_argument("--blank", action="store_true", help="空白表：填好儿童基本情况，走访部分留空")
    v.set_defaults(func=cmd_visit_sheet)

    r = s.add_parser("round", parents=[common, out], help="走访任务单：期间内应走访的儿童，按村分组，每人附空白走访记录表")
    r.add_argument("--from", dest="date_from", required=True, help="开始日期，如 2024-06-14")
    r.add_argument("--to", dest="date_to", required=True, help="结束日期")
    r.add_argument("--village", help="只打印这个村(社区)")
    r.add_argument("--without-overdue", action="store_true", help="不含开始日期之前已逾期的儿童")
    r.set_defaults(func=cmd_round)

    f = s.add_parser("file-card", parents=[common, out], help="儿童档案卡")
    f.add_argument("--child", required=True, help="儿童档案：uuid 或18位身份证号")
    f.set_defaults(func=cmd_file_card)

    c = s.add_parser("clue", parents=[common, out], help="强制报告线索登记表")
    c.add_argument("--clue", required=True, help="线索的 uuid")
    c.set_defaults(func=cmd_clue)

    rf = s.add_parser("referral", parents=[common, out], help="转介单（附回执）")
    rf.add_argument("--referral", required=True, help="转介记录的 uuid")
    rf.set_defaults(func=cmd_referral)

    inc = s.add_parser("incident", parents=[common, out], help="重大事项报告单")
    inc.add_argument("--incident", required=True, help="重大事项的 uuid")
    inc.set_defaults(func=cmd_incident)

    mo = s.add_parser("monthly", parents=[common, out], help="未成年人保护工作月报（按月统计，附指标口径）")
    mo.add_argument("--month", required=True, help="统计月份，如 2026-11")
    mo.add_argument("--template", help="县里发来的月报模板（.xlsx），不写则用程序自带的指标")
    mo.set_defaults(func=cmd_monthly)

    lg = s.add_parser("log", parents=[common], help="打印记录：谁在何时打印了什么")
    lg.add_argument("--limit", type=int, default=30)
    lg.set_defaults(func=cmd_log)

    fo = s.add_parser("fonts", parents=[common], help="显示打印使用的中文字体")
    fo.add_argument("--font", help="检查这个字体文件")
    fo.set_defaults(func=cmd_fonts)


def _ws(args):
    return workstation(args)


def _date(text: str, label: str, field: str) -> dt.date:
    day = parse_date(text, label, field)
    if day is None:
        raise WeibaoError(f"请填写{label}", field)
    return day


def _save(ws, job, args) -> int:
    path = ws.printing.save_pdf(job, args.output)
    print(f"已生成：{path}（{job.pages}页）")
    if job.full_id:
        print("注意：本文件含完整身份证号，请妥善保管。", file=sys.stderr)
    if job.missing_report:
        print(f"注意：{job.missing_report}", file=sys.stderr)
    return 0


def cmd_visit_sheet(args) -> int:
    ws = _ws(args)
    job = ws.printing.visit_sheet(child=args.child, visit=args.visit, blank=args.blank, full_id=args.full_id,
                                  fonts=args.font)
    return _save(ws, job, args)


def cmd_round(args) -> int:
    ws = _ws(args)
    start = _date(args.date_from, "开始日期", "date_from")
    end = _date(args.date_to, "结束日期", "date_to")
    last = [0]

    def progress(done: int, total: int, _text: str) -> None:
        if sys.stderr.isatty() and (done - last[0] >= 50 or done == total):
            last[0] = done
            print(f"\r排版 {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    job = ws.printing.round(start, end, village=args.village, include_overdue=not args.without_overdue,
                            full_id=args.full_id, fonts=args.font, progress=progress)
    print(f"走访任务单：{len(job.subjects)}名儿童")
    return _save(ws, job, args)


def cmd_file_card(args) -> int:
    ws = _ws(args)
    return _save(ws, ws.printing.file_card(args.child, full_id=args.full_id, fonts=args.font), args)


def cmd_clue(args) -> int:
    ws = _ws(args)
    return _save(ws, ws.printing.clue(args.clue, full_id=args.full_id, fonts=args.font), args)


def cmd_referral(args) -> int:
    ws = _ws(args)
    return _save(ws, ws.printing.referral(args.referral, full_id=args.full_id, fonts=args.font), args)


def cmd_incident(args) -> int:
    ws = _ws(args)
    return _save(ws, ws.printing.incident(args.incident, full_id=args.full_id, fonts=args.font), args)


def cmd_monthly(args) -> int:
    ws = _ws(args)
    return _save(ws, ws.printing.monthly(args.month, template=args.template, fonts=args.font), args)


def cmd_log(args) -> int:
    ws = _ws(args)
    rows = ws.printing.log(args.limit)
    if not rows:
        print("还没有打印记录")
        return 0
    for r in rows:
        local = r.printed_at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
        full = "　含完整身份证号" if r.full_id else ""
        print(f"{local:%Y-%m-%d %H:%M}　{r.actor}　{r.title}　{r.pages}页{full}　→ {r.target}")
    return 0


def cmd_fonts(args) -> int:
    from ..printing.fonts import find_fonts

    print(find_fonts(args.font).describe())
    return 0
