"""`weibao household …` and `weibao care …`: the household review list, care warnings and the printed
委托照护协议 / 监护责任确认书 from the command line."""
from __future__ import annotations

from pathlib import Path

from ..cli_support import workstation
from ..domain.codes import RISK_COLOUR


def register(sub, common) -> None:
    h = sub.add_parser("household", parents=[common], help="家庭档案：列表、待核对的家庭匹配")
    hs = h.add_subparsers(dest="household_command", metavar="操作", required=True)
    ls = hs.add_parser("list", parents=[common], help="列出家庭及家中儿童的风险等级")
    ls.add_argument("--text", help="按家庭、儿童或家长姓名查找")
    ls.set_defaults(func=cmd_list)
    r = hs.add_parser("review", parents=[common], help="待核对的家庭匹配（升级时不能确定的），或处理其中一条")
    act = r.add_mutually_exclusive_group()
    act.add_argument("--join", type=int, metavar="编号", help="确认是同一家庭：把儿童并入该家庭")
    act.add_argument("--split", type=int, metavar="编号", help="确认不是同一家庭")
    r.set_defaults(func=cmd_review)

    c = sub.add_parser("care", parents=[common], help="监护与照护：提醒、打印协议或确认书")
    cs = c.add_subparsers(dest="care_command", metavar="操作", required=True)
    w = cs.add_parser("warnings", parents=[common], help="被委托人未签协议、30天内到期的安排")
    w.set_defaults(func=cmd_warnings)
    p = cs.add_parser("print", parents=[common], help="打印委托照护协议或监护责任确认书（PDF）")
    p.add_argument("arrangement", help="监护与照护安排的记录编号（uuid）")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出的 PDF 文件")
    p.add_argument("--full-id", action="store_true", help="打印完整身份证号（默认遮蔽）")
    p.set_defaults(func=cmd_print)


def cmd_list(args) -> int:
    ws = workstation(args)
    for h in ws.households.search(args.text):
        kids = "、".join(f"{c.name}（{RISK_COLOUR.label_of(c.risk_colour) or '未评估'}）" for c in h.children)
        top = RISK_COLOUR.label_of(h.highest_colour) or "未评估"
        print(f"{h.name}\t{h.village or ''}\t最高：{top}\t{kids}")
    return 0


def cmd_review(args) -> int:
    ws = workstation(args)
    if args.join is not None or args.split is not None:
        done = ws.households.resolve_review(args.join if args.join is not None else args.split, args.join is not None)
        print(f"已处理：{done.child_name} {'并入' if done.state == 'joined' else '不属于'}“{done.household_name}”")
        return 0
    reviews = ws.households.reviews()
    for r in reviews:
        print(f"{r.id}\t{r.child_name} → {r.household_name}（{'、'.join(r.household_children)}）\t{r.reason}")
    print(f"共{len(reviews)}条待核对" if reviews else "没有待核对的家庭匹配")
    return 0


def cmd_warnings(args) -> int:
    ws = workstation(args)
    warnings = ws.care.warnings()
    for w in warnings:
        print(f"{w.child_name}\t{w.text}")
    print(f"共{len(warnings)}条提醒" if warnings else "没有监护与照护提醒")
    return 0


def cmd_print(args) -> int:
    from ..services.care import care_print_job

    ws = workstation(args)
    job = care_print_job(ws.ctx, args.arrangement, full_id=args.full_id)
    path = ws.printing.save_pdf(job, args.output)
    print(f"已生成：{path}（{job.pages}页）")
    return 0
