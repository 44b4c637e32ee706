"""`weibao`: opens the GUI; subcommands run the same services headless."""
from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from pathlib import Path

from . import __version__
from .cli_support import open_args_store, workstation
from .domain.codes import CATEGORY, RISK_COLOUR, SEX
from .domain.errors import WeibaoError

EXIT_USAGE = 2
EXIT_FAILED = 1


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "gui"
        args.func = cmd_gui
    try:
        return args.func(args) or 0
    except WeibaoError as e:
        print(f"错误：{e.message}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head/less that closed early
        sys.stderr.close()
        return 0
    except OSError as e:  # a file named on the command line: a folder, no permission, a full disk
        print(f"错误：{os_message(e)}", file=sys.stderr)
        return EXIT_FAILED


def os_message(error: OSError) -> str:
    """What went wrong with a file, in Chinese, with its path."""
    path = error.filename if error.filename is not None else ""
    where = f"“{path}”" if path else "文件"
    if isinstance(error, IsADirectoryError):
        return f"{where}是一个文件夹，请指定其中的文件"
    if isinstance(error, NotADirectoryError):
        return f"{where}的上级路径不是文件夹，请检查路径"
    if isinstance(error, PermissionError):
        return f"没有权限读写{where}，请检查文件权限或换一个位置"
    if isinstance(error, FileNotFoundError):
        return f"找不到{where}，请检查路径"
    if error.errno == errno.ENOSPC:
        return f"磁盘空间不足，无法写入{where}"
    return f"无法读写{where}（{error.strerror or type(error).__name__}）"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="数据目录（默认见 WEIBAO_DATA_DIR 或用户数据目录）")
    common.add_argument("--db-url", default=argparse.SUPPRESS,
                        help="数据库地址，如 postgresql+psycopg://user@host/db（县级数据量大时使用）")
    common.add_argument("--user", default=argparse.SUPPRESS, help="登录账号的姓名（也可用环境变量 WEIBAO_USER）")
    common.add_argument("--password-file", type=Path, default=argparse.SUPPRESS, metavar="文件",
                        help="从这个文件的第一行读取登录密码（也可用环境变量 WEIBAO_PASSWORD；都没有时在终端中询问）")

    p = argparse.ArgumentParser(prog="weibao", description="未保工作站：乡镇未成年人保护工作站桌面程序", parents=[common])
    p.add_argument("--version", action="version", version=f"未保工作站 weibao-desktop {__version__}")
    sub = p.add_subparsers(dest="command", metavar="命令")

    g = sub.add_parser("gui", parents=[common], help="打开图形界面（默认）")
    g.add_argument("--screenshot", type=Path, metavar="PNG",
                   help="打开窗口，首页显示后把窗口截图存为 PNG 并退出（检查安装是否正常）；没有给出密码时截取首次设置或登录窗口，随后取消，不做任何修改")
    g.set_defaults(func=cmd_gui)

    i = sub.add_parser("init", parents=[common], help="初始化本机工作站（--user 和密码成为第一个站长账号）")
    i.add_argument("--station", required=True, help="乡镇/街道名称")
    i.add_argument("--code", required=True, help="12位统计用区划代码")
    i.add_argument("--county", help="所属县（区）")
    i.add_argument("--villages", default="", help="村(社区)名称，用逗号分隔")
    i.add_argument("--county-mode", action="store_true", help="县级汇总模式（接收各乡镇数据）")
    i.set_defaults(func=cmd_init)

    d = sub.add_parser("demo", parents=[common], help="生成演示数据（虚构儿童，不含真实个人信息）")
    d.add_argument("--children", type=int, default=2000)
    d.add_argument("--visits-per-child", type=int, default=10)
    d.add_argument("--seed", type=int, default=2026)
    d.set_defaults(func=cmd_demo)

    s = sub.add_parser("stats", parents=[common], help="统计：类别、风险等级、村(社区)、逾期走访")
    s.set_defaults(func=cmd_stats)

    o = sub.add_parser("overdue", parents=[common], help="逾期未走访名单（红色优先）")
    o.add_argument("--limit", type=int, default=50)
    o.set_defaults(func=cmd_overdue)

    f = sub.add_parser("find", parents=[common], help="查找儿童档案（姓名、身份证号、电话、村名）")
    f.add_argument("text")
    f.add_argument("--all", action="store_true", help="包括已销档")
    f.add_argument("--limit", type=int, default=20)
    f.set_defaults(func=cmd_find)

    dr = sub.add_parser("doctor", parents=[common], help="检查数据库完整性")
    dr.set_defaults(func=cmd_doctor)

    from .commands import register_all

    register_all(sub, common)
    return p


def cmd_gui(args) -> int:
    from .cli_support import credentials
    from .ui.app import run

    given = None
    if getattr(args, "password_file", None) is not None or os.environ.get("WEIBAO_PASSWORD"):
        given = credentials(args)  # until the login window comes: scripts and the demo log in like the CLI
    return run(data_dir=getattr(args, "data_dir", None), db_url=getattr(args, "db_url", None),
               user=getattr(args, "user", None), screenshot=getattr(args, "screenshot", None), credentials=given)


def cmd_init(args) -> int:
    ws = workstation(args)
    store = ws.store
    villages = [v.strip() for v in args.villages.replace("，", ",").split(",") if v.strip()]
    info = ws.stations.init(args.station, args.code, args.county, villages,
                            mode="county" if args.county_mode else "station")
    print(f"已初始化：{info.name}（{info.code}），{len(info.villages)}个村(社区)")
    print(f"数据文件：{store.path or store.url}")
    return 0


def cmd_demo(args) -> int:
    from .services.demo import build_demo

    if args.children < 1 or args.visits_per_child < 0:
        raise WeibaoError("儿童数须大于0，每人走访次数不能为负")
    ws = workstation(args)
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 1 or done == total:
            last[0] = now
            print(f"\r写入 {done}/{total} 行", end="", file=sys.stderr, flush=True)

    result = build_demo(ws.ctx, args.children, args.visits_per_child, args.seed, progress)
    print(file=sys.stderr)
    print(f"已生成演示数据：{result.children}名儿童，{result.visits}条走访记录，{result.villages}个村(社区)，"
          f"共{result.rows}行，用时{time.perf_counter() - started:.1f}秒")
    return 0


def cmd_stats(args) -> int:
    st = workstation(args).stats.stats()
    print(f"{st.station}　统计日期 {st.day:%Y-%m-%d}")
    print(f"在册 {st.total_active} 人，已销档 {st.total_closed} 人，本月走访 {st.visits_this_month} 次，"
          f"未办结线索 {st.open_clues} 条")
    _table("按类别", [(CATEGORY.label_of(k), v) for k, v in st.by_category.items()])
    _table("按风险等级", [(_colour(k), v) for k, v in st.by_colour.items()])
    _table("按村(社区)", list(st.by_village.items()))
    _table("逾期未走访", [(_colour(k), v) for k, v in st.overdue_by_colour.items()])
    print(f"红色等级但无帮扶或转介：{st.red_without_action} 人")
    return 0


def cmd_overdue(args) -> int:
    ws = workstation(args)
    rows = ws.stats.overdue(args.limit)
    total = ws.stats.overdue_count()
    print(f"逾期未走访共 {total} 人" + (f"（显示前 {len(rows)} 人）" if total > len(rows) else ""))
    for r in rows:
        print(f"{_colour(r.risk_colour):4} {r.name:<6} {r.id_number_masked} {r.village or '':<8} "
              f"应于 {r.next_visit_due:%Y-%m-%d} 走访，已逾期 {r.days_overdue} 天")
    return 0


def cmd_find(args) -> int:
    from .services.dto import ChildQuery

    ws = workstation(args)
    page = ws.children.page(ChildQuery(text=args.text, status=None if args.all else "active"), 0, args.limit)
    print(f"找到 {page.total} 人")
    for r in page.rows:
        status = "" if r.status == "active" else "（已销档）"
        cats = "、".join(CATEGORY.label_of(c) for c in r.categories)
        match = f"  匹配：{r.match}" if r.match else ""
        print(f"{r.name}{status} {SEX.label_of(r.sex)} {r.birth_date:%Y-%m-%d} {r.id_number_masked} "
              f"{r.village or ''} {_colour(r.risk_colour)} {cats}{match}")
    return 0


def cmd_doctor(args) -> int:
    from .services.maintenance import doctor

    store = open_args_store(args)
    problems, facts = doctor(store)
    for line in facts:
        print(line)
    if problems:
        for line in problems:
            print(f"问题：{line}")
        return EXIT_FAILED
    print("检查通过：数据库完整，外键一致，结构为最新版本")
    return 0


def _colour(code: str | None) -> str:
    return "未评估" if code in (None, "none") else RISK_COLOUR.label_of(code)


def _table(title: str, rows: list[tuple[str, int]]) -> None:
    print(f"\n{title}")
    for k, v in rows:
        print(f"  {k}\t{v}")


if __name__ == "__main__":
    sys.exit(main())
