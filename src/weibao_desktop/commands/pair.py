"""`weibao pair …`: pair this station with the county office (or, in county mode, with a township)."""
from __future__ import annotations

from pathlib import Path

from ..cli_support import workstation


def register(sub, common) -> None:
    p = sub.add_parser("pair", parents=[common], help="与县级（或各乡镇）配对：交换数据包之前做一次")
    s = p.add_subparsers(dest="pair_command", metavar="操作", required=True)

    a = s.add_parser("add", parents=[common], help="县级：为一个乡镇生成开通文件（含本机公钥）")
    a.add_argument("--township", required=True, help="乡镇名称")
    a.add_argument("--code", required=True, help="乡镇的12位区划代码")
    a.add_argument("-o", "--output", type=Path, required=True, help="开通文件 .xlsx")
    a.set_defaults(func=cmd_add)

    c = s.add_parser("accept", parents=[common], help="乡镇：导入县级的开通文件，生成回执")
    c.add_argument("file", type=Path, help="县级发来的开通文件")
    c.add_argument("-o", "--output", type=Path, required=True, help="回执 .xlsx（交回县级）")
    c.set_defaults(func=cmd_accept)

    f = s.add_parser("confirm", parents=[common], help="县级：导入乡镇的回执，完成配对")
    f.add_argument("file", type=Path, help="乡镇交回的回执")
    f.set_defaults(func=cmd_confirm)

    w = s.add_parser("show", parents=[common], help="列出已配对的单位、安全码和包密码")
    w.set_defaults(func=cmd_show)


def cmd_add(args) -> int:
    r = workstation(args).pairing.add(args.township, args.code, args.output)
    print(f"已为{r.partner_name}（{r.partner_code}）生成开通文件：{r.path}")
    print("请把它交给该乡镇；对方导入后会生成回执，交回后运行 weibao pair confirm 回执.xlsx")
    return 0


def cmd_accept(args) -> int:
    r = workstation(args).pairing.accept(args.file, args.output)
    if r.rekeyed:
        print(f"注意：{r.partner_name}的密钥与上次配对时不同（县级换了电脑或重装了程序），已按新的开通文件重新配对。")
    print(f"已与{r.partner_name}（{r.partner_code}）配对，回执：{r.path}")
    print(f"安全码：{r.safety_code}")
    print("请把回执交回县级，并打电话核对双方显示的安全码是否一致；不一致时不要交换数据包。")
    return 0


def cmd_confirm(args) -> int:
    r = workstation(args).pairing.confirm(args.file)
    if r.rekeyed:
        print(f"重新配对：{r.partner_name}的密钥已更换（换了电脑或重装了程序）。之前用旧密钥签名的数据包仍可识别为旧的；"
              f"请给它发一个完整数据包（weibao sync export --full --to {r.partner_code}）。")
    print(f"已与{r.partner_name}（{r.partner_code}）完成配对")
    print(f"安全码：{r.safety_code}")
    print("请打电话核对对方显示的安全码是否一致；不一致时请重新配对，不要交换数据包。")
    return 0


def cmd_show(args) -> int:
    partners = workstation(args).pairing.partners()
    if not partners:
        print("还没有与任何单位配对")
    for p in partners:
        state = "已配对" if p.state == "paired" else "已生成开通文件，等待回执"
        print(f"{p.name}（{p.code}）　{state}" + (f"　密钥已更换{p.rekeyed}次" if p.rekeyed else ""))
        if p.safety_code:
            print(f"  安全码：{p.safety_code}")
        if p.password:
            print(f"  包密码：{p.password}")
    return 0
