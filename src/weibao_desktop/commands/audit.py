"""`weibao audit verify` and `weibao audit export`: is the audit trail intact, and the trail as a ledger."""
from __future__ import annotations

import sys
from pathlib import Path


def register(sub, common) -> None:
    a = sub.add_parser("audit", parents=[common], help="审计日志：校验是否被改动（verify），导出为台账（export）")
    asub = a.add_subparsers(dest="audit_command", required=True, metavar="{verify,export}")
    v = asub.add_parser("verify", parents=[common], help="校验审计日志是否完整；被修改、删除或调换顺序时指出位置并返回非零")
    v.set_defaults(func=cmd_verify)
    e = asub.add_parser("export", parents=[common], help="把审计日志导出为 Excel 台账（供督导检查）")
    e.add_argument("-o", "--output", type=Path, required=True, metavar="文件.xlsx")
    e.set_defaults(func=cmd_export)


def cmd_verify(args) -> int:
    from ..cli_support import workstation

    ws = workstation(args)
    try:
        verdict = ws.audit.verify()
    finally:
        ws.store.dispose()
    if verdict.intact:
        print(f"审计日志完整：共{verdict.count}条，校验链没有断开")
        return 0
    print(f"审计日志已被改动：共{verdict.count}条，发现{len(verdict.problems)}处问题", file=sys.stderr)
    for problem in verdict.problems:
        print(f"  {problem.message}", file=sys.stderr)
    return 1


def cmd_export(args) -> int:
    from ..cli_support import workstation

    ws = workstation(args)
    try:
        path = ws.audit.export(args.output)
        count = ws.audit.count()
    finally:
        ws.store.dispose()
    print(f"已导出审计日志（{count}条）：{path}")
    return 0
