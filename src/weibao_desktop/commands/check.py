"""`weibao check [--month YYYY-MM]`: the 资格核查 findings of a month (exit 0 whatever is found)."""
from __future__ import annotations

from ..cli_support import workstation
from ..domain.eligibility import DECISION


def register(sub, common) -> None:
    p = sub.add_parser("check", parents=[common], help="资格核查：列出本月需核查的儿童",
                       description="列出：事实无人抚养待认定、留守儿童条件不符、孤儿或事实无人抚养儿童未享受基本生活保障、"
                                   "未满16周岁辍学未劝返复学、未登记户口、本月年满18周岁、孤儿未细分。")
    p.add_argument("--month", help="核查月份，如 2026-11；默认本月")
    p.add_argument("--open", action="store_true", help="只列未处理的")
    p.set_defaults(func=cmd_check)


def cmd_check(args) -> int:
    ws = workstation(args)
    from ..services.checks import parse_month

    month = parse_month(args.month, ws.ctx.today())
    findings = ws.checks.findings(month)
    shown = [f for f in findings if not (args.open and f.resolved)]
    open_count = sum(not f.resolved for f in findings)
    print(f"{month.first:%Y年%m月}资格核查：发现 {len(findings)} 项，其中待处理 {open_count} 项")
    title = None
    for f in sorted(shown, key=lambda f: (f.title, f.village, f.child_name)):
        if f.title != title:
            title = f.title
            print(f"\n【{title}】")
        state = (f"已{DECISION.label_of(f.decision)}：{f.note}（{f.resolved_by}）" if f.resolved
                 else ("情况已变化，待复核" if f.reopened else "待处理"))
        print(f"  {f.village} {f.child_name} {f.id_masked}：{f.detail}。{state}")
    return 0
