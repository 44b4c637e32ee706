"""`weibao report …`: the monthly report (月报) from a template of indicators, the template, the vocabulary."""
from __future__ import annotations

from pathlib import Path

from ..cli_support import workstation


def register(sub, common) -> None:
    p = sub.add_parser("report", parents=[common], help="月报：按模板的指标统计本站（县级：各乡镇）的工作")
    s = p.add_subparsers(dest="report_command", metavar="操作", required=True)
    m = s.add_parser("monthly", parents=[common], help="生成月报（.xlsx）")
    m.add_argument("--month", required=True, help="统计月份，如 2026-11")
    m.add_argument("-o", "--output", type=Path, required=True, help="保存到的 .xlsx 文件")
    m.add_argument("--template", type=Path, help="县里下发的月报模板（表头为指标名称）；默认用程序自带的模板")
    m.set_defaults(func=cmd_monthly)
    t = s.add_parser("template", parents=[common], help="写出程序自带的月报模板，供县里修改后下发")
    t.add_argument("-o", "--output", type=Path, required=True)
    t.set_defaults(func=cmd_template)
    i = s.add_parser("indicators", parents=[common], help="列出月报可用的指标及统计口径")
    i.set_defaults(func=cmd_indicators)


def _service(args):
    return workstation(args).monthly


def cmd_monthly(args) -> int:
    report = _service(args).export(args.month, args.output, template=args.template)
    print(f"已生成《{report.title}》：{len(report.rows)} 个{report.unit_label}，{len(report.indicators)} 项指标 → "
          f"{args.output}")
    return 0


def cmd_template(args) -> int:
    path = _service(args).write_template(args.output)
    print(f"已写出月报模板 → {path}")
    return 0


def cmd_indicators(args) -> int:
    from ..services.monthly_report import VOCABULARY

    for name, indicator in VOCABULARY.items():
        print(f"{name}\t{indicator.rule}")
    return 0
