"""`weibao ledger export|import`: the Excel 台账 from the command line."""
from __future__ import annotations

import sys
from pathlib import Path

from ..cli_support import workstation
from ..domain.dates import parse_date
from ..domain.errors import WeibaoError
from ..services.checks import parse_month
from ..services.ledger import KIND_NAMES

KINDS = tuple(k.replace("_", "-") for k in KIND_NAMES)  # visit-tasks on the command line
EXIT_UNREADABLE = 1
LIST_LIMIT = 50
PASSWORD_FILE_BYTES = 4096  # a password is one short line; a bigger file is the wrong file
PASSWORD_HELP = ("存放台账打开密码的文本文件（第一行为密码）。这是台账文件自己的密码，"
                 "Excel/WPS 打开时输入；不是登录本程序的密码，请勿使用登录密码")


def register(sub, common) -> None:
    p = sub.add_parser("ledger", parents=[common], help="Excel 台账：导出、导入")
    lsub = p.add_subparsers(dest="ledger_command", metavar="操作")
    lsub.required = True

    e = lsub.add_parser("export", parents=[common], help="导出台账（.xlsx）",
                        description="KIND：children 儿童信息台账，visits 走访记录台账，risk 风险等级台账，"
                                    "help 帮扶与转介台账，reports 强制报告线索台账，hotline 热线记录台账，summary 统计汇总表，"
                                    "checks 核查整改台账（--month 2026-11），"
                                    "households 家庭档案台账，care 监护与照护台账，"
                                    "activities 活动与服务台账，staff 儿童主任（儿童督导员）名册，"
                                    "visit-tasks 走访任务表（用 --village 指定村，--from/--to 指定应走访日期范围，默认到本月底）")
    e.add_argument("kind", choices=KINDS, metavar="KIND", help="、".join(KINDS))
    e.add_argument("-o", "--output", required=True, type=Path, help="保存到的 .xlsx 文件")
    e.add_argument("--category", help="儿童类别，如 农村留守儿童、困境儿童、孤儿")
    e.add_argument("--village", help="只导出一个村(社区)")
    e.add_argument("--from", dest="date_from", help="开始日期，如 2024-01-01")
    e.add_argument("--to", dest="date_to", help="结束日期")
    e.add_argument("--ledger-password-file", type=Path, metavar="F", help="加密导出：" + PASSWORD_HELP)
    e.add_argument("--month", help="核查月份（checks），如 2026-11；默认本月")
    e.set_defaults(func=cmd_export)

    i = lsub.add_parser("import", parents=[common],
                        help="导入儿童信息台账（.xlsx/.xls/.ods，CSV/TSV，网页或“XML 表格 2003”格式的 .xls）")
    i.add_argument("file", type=Path)
    i.add_argument("--dry-run", action="store_true", help="只预览，不导入")
    i.add_argument("--errors", type=Path, metavar="REPORT.xlsx", help="把未导入的行写入错误报告")
    i.add_argument("--all", action="store_true", help="列出全部变更（默认只列前 50 条）")
    i.add_argument("--encoding", choices=["utf-8", "gb18030", "gbk"],
                   help="CSV 或网页文件的文字编码（程序无法自动判断时才需要）")
    i.add_argument("--ledger-password-file", type=Path, metavar="F", help="导入加密的台账：" + PASSWORD_HELP)
    i.set_defaults(func=cmd_import)


def read_password_file(path: Path) -> str:
    """The password in the first line of `path`, without surrounding blanks; an empty one is refused."""
    try:
        with path.open("rb") as f:
            data = f.read(PASSWORD_FILE_BYTES + 1)
    except FileNotFoundError:
        raise WeibaoError(f"找不到密码文件“{path}”", "ledger_password_file") from None
    except OSError as e:
        raise WeibaoError(f"无法读取密码文件“{path}”（{e.strerror or e}）", "ledger_password_file") from None
    if len(data) > PASSWORD_FILE_BYTES:
        raise WeibaoError(f"密码文件“{path}”太大（超过 {PASSWORD_FILE_BYTES} 字节），不像只存了一行密码的文本文件，"
                          "请确认选择的文件", "ledger_password_file")
    for codec in ("utf-8-sig", "gb18030"):  # Notepad on Windows saves UTF-8 with a BOM, older ones GBK
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WeibaoError(f"密码文件“{path}”不是文本文件，请用记事本保存密码后重试", "ledger_password_file")
    lines = text.splitlines()
    password = lines[0].strip() if lines else ""
    if not password:
        raise WeibaoError(f"密码文件“{path}”的第一行是空的：请在第一行写上台账的打开密码", "ledger_password_file")
    return password


def _password(args) -> str | None:
    return read_password_file(args.ledger_password_file) if args.ledger_password_file else None


def cmd_export(args) -> int:
    password = _password(args)
    ws = workstation(args)
    date_from = parse_date(args.date_from, "开始日期", "from") if args.date_from else None
    date_to = parse_date(args.date_to, "结束日期", "to") if args.date_to else None
    if args.month:
        date_from = parse_month(args.month, ws.ctx.today()).first
    result = ws.ledger.export(args.kind.replace("-", "_"), args.output, category=args.category, village=args.village,
                              date_from=date_from, date_to=date_to, password=password)
    locked = "（已加密，打开时需输入密码）" if password else ""
    print(f"已导出《{result.title}》：{result.rows} 行 → {result.path}{locked}")
    return 0


def cmd_import(args) -> int:
    password = _password(args)
    ws = workstation(args)
    try:
        if args.dry_run:
            preview = ws.ledger.preview(args.file, encoding=args.encoding, password=password)
        else:
            preview = ws.ledger.apply(args.file, encoding=args.encoding, password=password).preview
    except WeibaoError as e:
        if e.field == "file":
            print(f"无法读取：{e.message}", file=sys.stderr)
            return EXIT_UNREADABLE
        raise
    print_preview(preview, everything=args.all)
    if args.errors and preview.rejected_rows:
        ws.ledger.write_error_report(preview, args.errors)
        print(f"\n错误报告已写入：{args.errors}（改正标红的单元格后可直接导入该文件）")
    if args.dry_run:
        print("\n（预览，未导入。去掉 --dry-run 即导入）")
    else:
        print("\n导入完成：" + preview.summary())
    return 0


def print_preview(p, *, everything: bool = False, out=None) -> None:
    out = out or sys.stdout
    limit = None if everything else LIST_LIMIT

    def w(text=""):
        print(text, file=out)

    w(f"文件：{p.file_name}（{p.format}，工作表：{'、'.join(p.sheets)}）")
    if p.previously:
        w(f"注意：该文件已于 {p.previously}。再次导入不会重复建档。")
    for note in p.notes:
        w(f"说明：{note}")
    w(p.summary() + (f"；跳过合计、栏次等行 {p.skipped_rows} 行" if p.skipped_rows else ""))
    if p.unknown_columns:
        w("\n未识别的列（未导入）：" + "；".join(f"{sheet} {letter}列“{header}”" for sheet, letter, header in p.unknown_columns))
    if p.new:
        w(f"\n新增（{len(p.new)}）：")
        for row in p.new[:limit]:
            extra = "，".join(f"{c.field}：{c.new}" for c in row.changes)
            w(f"  第{row.row}行 {row.name} {row.id_masked} {extra}")
        _more(w, p.new, limit)
    if p.changed:
        w(f"\n修改（{len(p.changed)}）：")
        for row in p.changed[:limit]:
            w(f"  第{row.row}行 {row.name} {row.id_masked}")
            for c in row.changes:
                w(f"      {c.field}：{c.old} → {c.new}")
        _more(w, p.changed, limit)
    if p.rejected:
        w(f"\n未导入（{p.rejected_rows} 行）：")
        for r in p.rejected[:limit]:
            w(f"  {r.location()}{(' ' + r.name) if r.name else ''}：{r.reason}")
        _more(w, p.rejected, limit)
    for warning in p.warnings[:limit]:
        w(f"提醒：{warning}")


def _more(w, items, limit) -> None:
    if limit is not None and len(items) > limit:
        w(f"  …… 另有 {len(items) - limit} 条（加 --all 显示全部）")


__all__ = ["register", "print_preview"]
