"""`weibao sync …`: exchange packages with the county office (or, in county mode, with townships)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli_support import workstation
from ..domain.errors import WeibaoError


def register(sub, common) -> None:
    p = sub.add_parser("sync", parents=[common], help="与县级（或各乡镇）交换数据包")
    s = p.add_subparsers(dest="sync_command", metavar="操作", required=True)

    e = s.add_parser("export", parents=[common], help="生成发给对方的数据包（默认只含对方确认之后的变化）")
    e.add_argument("-o", "--output", type=Path, required=True, help="数据包文件 .xlsx")
    e.add_argument("--full", action="store_true", help="完整数据包（对方数据丢失或第一次交换时使用）")
    e.add_argument("--to", dest="peer", help="县级模式：接收的乡镇区划代码或名称")
    e.set_defaults(func=cmd_export)

    i = s.add_parser("import", parents=[common], help="导入对方的数据包")
    i.add_argument("file", type=Path)
    i.add_argument("--dry-run", action="store_true", help="只显示将会发生的变化，不写入")
    i.add_argument("--details", action="store_true", help="列出每一处变化")
    i.add_argument("--accept-hand-edits", action="store_true",
                   help="同时导入数据包中手工修改的内容（默认只导入对方程序签名的内容，手工修改只列出）")
    i.set_defaults(func=cmd_import)

    st = s.add_parser("status", parents=[common], help="交换状态：各单位的数据包序号、时间、待处理冲突")
    st.set_defaults(func=cmd_status)

    c = s.add_parser("conflicts", parents=[common], help="列出或处理冲突")
    c.add_argument("--resolve", type=int, metavar="编号", help="处理这个冲突")
    c.add_argument("--take", choices=["mine", "theirs", "base"], help="取本机的值、对方的值或原值")
    c.set_defaults(func=cmd_conflicts)

    lg = s.add_parser("log", parents=[common], help="交换日志")
    lg.set_defaults(func=cmd_log)

    u = s.add_parser("undo", parents=[common], help="撤销一次导入（只能撤销该单位最新的一次）")
    u.add_argument("import_id", type=int)
    u.set_defaults(func=cmd_undo)

    d = s.add_parser("duplicates", parents=[common], help="县级：同一身份证号在两个乡镇都有档案")
    d.set_defaults(func=cmd_duplicates)


def _ws(args):
    return workstation(args)


def cmd_export(args) -> int:
    r = _ws(args).exchange.export(args.output, peer_code=args.peer, full=args.full)
    total = sum(r.counts.values())
    print(f"已生成发给{r.peer}的第{r.seq}号数据包（{'完整' if r.full else '增量'}，{total}条记录）：{r.path}")
    return 0


def cmd_import(args) -> int:
    try:
        r = _ws(args).exchange.apply(args.file, dry_run=args.dry_run, accept_hand_edits=args.accept_hand_edits)
    except WeibaoError as e:
        print(f"未导入：{e.message}", file=sys.stderr)
        return 1
    print(r.summary())
    if r.hand_edited or r.hand_added or r.missing_rows:
        print(f"其中手工修改的行{r.hand_edited}行，手工新增的行{r.hand_added}行，传递中丢失的行{r.missing_rows}行")
    for note in r.notes:
        print(f"  注意：{note}")
    if r.hand_edits:
        if args.accept_hand_edits:
            taken = "将一并导入" if args.dry_run else "已一并导入"
        else:
            taken = ("不会导入，只导入对方签名的内容；要采用它们，请带 --accept-hand-edits 导入" if args.dry_run
                     else "未导入，只导入了对方签名的内容")
        print(f"手工修改{len(r.hand_edits)}处（{taken}）：")
        for e in r.hand_edits[:200]:
            where = f"第{e.row}行" if e.row else "被删除的行"
            print(f"  手工修改 “{e.sheet}”{where}“{e.column}”：{e.old} → {e.new}")
    if args.details or args.dry_run:
        for line in r.changes:
            print(f"  {line}")
    if r.conflicts:
        print("有冲突需要处理：weibao sync conflicts")
    return 0


def cmd_status(args) -> int:
    ws = _ws(args)
    peers = ws.exchange.peers()
    if not peers:
        print("还没有与任何单位交换过数据")
    for p in peers:
        late = "　【逾期未报】" if p.late else ""
        last_in = f"{p.last_in_at:%Y-%m-%d %H:%M}" if p.last_in_at else "从未收到"
        last_out = f"{p.last_out_at:%Y-%m-%d %H:%M}" if p.last_out_at else "从未发送"
        print(f"{p.name}（{p.code}）{late}")
        print(f"  收到对方第{p.last_seq_in}号（{last_in}）；已发出到第{p.next_seq_out - 1}号（{last_out}），"
              f"对方已确认第{p.acked_out}号；待处理冲突{p.open_conflicts}处" +
              (f"；在册儿童{p.children}人" if p.role == "township" else ""))
    return 0


def cmd_conflicts(args) -> int:
    ws = _ws(args)
    if args.resolve is not None:
        if not args.take:
            raise WeibaoError("请用 --take mine|theirs|base 指定取哪个值")
        ws.exchange.resolve(args.resolve, args.take)
        print(f"冲突{args.resolve}已处理")
        return 0
    rows = ws.exchange.conflicts()
    if not rows:
        print("没有待处理的冲突")
    for c in rows:
        print(f"[{c.id}] {c.entity_label} {c.record_title} “{c.field_label}”（与{c.peer}）")
        print(f"    原值：{c.base or '（空）'}　本机：{c.mine or '（空）'}　对方：{c.theirs or '（空）'}"
              + (f"（{c.theirs_by}）" if c.theirs_by else ""))
    return 0


def cmd_log(args) -> int:
    for row in _ws(args).exchange.log():
        d, c = row["detail"], row["counts"]
        if row["kind"] == "package-out":
            print(f"#{row['id']} {row['at']:%Y-%m-%d %H:%M} 发出 第{d.get('seq')}号 → {d.get('peer_name', d.get('peer'))} "
                  f"{sum(c.values())}条 {row['file_name']}（{row['actor']}）")
        else:
            undone = "　【已撤销】" if d.get("undone_at") else ""
            print(f"#{row['id']} {row['at']:%Y-%m-%d %H:%M} 导入 第{d.get('seq')}号 ← {d.get('sender', d.get('peer'))} "
                  f"新增{c.get('new', 0)} 更新{c.get('changed', 0)} 冲突{c.get('conflicts', 0)} 拒收{c.get('refused', 0)} "
                  f"{row['file_name']} sha256:{row['file_hash'][:12]}（{row['actor']}）{undone}")
    return 0


def cmd_undo(args) -> int:
    _ws(args).exchange.undo(args.import_id)
    print(f"已撤销导入 #{args.import_id}")
    return 0


def cmd_duplicates(args) -> int:
    rows = _ws(args).exchange.duplicates()
    if not rows:
        print("没有发现跨乡镇重复的档案")
    for d in rows:
        where = "；".join(f"{station} {name}" for station, name, _ in d.children)
        print(f"{d.id_number_masked}：{where}")
    return 0


__all__ = ["register", "argparse"]
