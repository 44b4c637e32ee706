"""Makes the messy ledgers under tests/data/ the way clerks make them: typed into CSV or a web table and
opened in LibreOffice (Chinese locale), which does the usual damage on its own: 18-digit ids become
numbers (their last digits lost), dates are recognised in some forms and not in others, phone numbers
become numbers. Run from the repository root:

    python tests/data/make_messy_ledgers.py

Needs LibreOffice (`soffice`). All people are synthetic (valid-checksum numbers from make_id_number).
The encrypted workbook additionally needs `msoffcrypto-tool` (pip); without it that file is kept as is.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from weibao_desktop.domain.idnumber import make_id_number  # noqa: E402

OUT = Path(__file__).resolve().parent
REGION = "430104"


def ids(birth: dt.date, sex: str, *, ending_x: bool, skip: int = 0) -> str:
    """A valid number for this birth date and sex, ending in X or not (the nth such one)."""
    found = 0
    for seq in range(1, 1000):
        if (seq % 2 == 1) != (sex == "M"):
            continue
        number = make_id_number(REGION, birth, seq)
        if number.endswith("X") == ending_x:
            if found == skip:
                return number
            found += 1
    raise AssertionError("no number")


def numbers_csv(path: Path) -> None:
    """Standard column detection: ids typed as digits turn into numbers; the X ones stay text."""
    rows = [
        ["城关镇东村农村留守儿童花名册"] + [""] * 9,
        ["填报单位：东村村委会", "", "", "", "", "", "填报日期：2024年6月1日", "", "", ""],
        [""] * 10,
        ["序号", "儿童姓名", "性别", "出生年月", "身份证号码", "所在村", "监护人姓名", "监护人电话", "风险等级", "备用列"],
        ["1", "王梓涵", "女", "2015/3/1", ids(dt.date(2015, 3, 1), "F", ending_x=True), "东村", "王建华", "13907310001", "黄色等级", "x"],
        ["2", "李浩宇", "男", "2014-05-20", ids(dt.date(2014, 5, 20), "M", ending_x=False), "东村", "李国庆", "13907310002", "蓝", ""],
        ["3", "张欣怡", "2", "20130708", ids(dt.date(2013, 7, 8), "F", ending_x=True), "东村", "张秀英", "13907310003", "蓝色", ""],
        ["4", "刘俊杰", "1", "42064", ids(dt.date(2015, 3, 1), "M", ending_x=True), "东村", "刘桂兰", "13907310004", "蓝", ""],
        [""] * 10,
        ["5", "陈雨桐", "女", "2016年2月29日", ids(dt.date(2016, 2, 29), "F", ending_x=True, skip=1), "东村", "陈海燕", "13907310005", "红色", ""],
        ["合计", "5人", "", "", "", "", "", "", "", ""],
    ]
    _write_csv(path, rows)


def text_csv(path: Path) -> None:
    """Every column formatted as text (as WPS users often do): values arrive exactly as typed."""
    a = ids(dt.date(2012, 1, 15), "M", ending_x=False)
    b = ids(dt.date(2011, 11, 30), "F", ending_x=True)
    c = ids(dt.date(2010, 6, 1), "M", ending_x=False)
    d = ids(dt.date(2009, 9, 9), "F", ending_x=False)
    e = ids(dt.date(2013, 3, 3), "M", ending_x=False)
    f = ids(dt.date(2014, 4, 4), "F", ending_x=False)
    g = ids(dt.date(2012, 12, 12), "M", ending_x=False)
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) for ch in c)
    rows = [
        ["姓名", "公民身份号码", "性别", "出生日期", "村(社区)", "儿童类别", "风险等级", "父亲姓名", "父亲联系电话", "母亲姓名",
         "母亲状况", "结对帮扶人", "备注"],
        ["赵博文", f"{a[:6]} {a[6:14]} {a[14:]}", "男", "2012-01-15", "西村", "留守儿童、低保家庭", "红", "赵志强",
         "139 0731 0011", "孙丽娟", "外出务工", "", "=HYPERLINK(\"x\")"],
        ["孙可馨", b.lower(), "女", "2011/11/30", "西村", "留守儿童，单亲家庭", "黄色预警", "孙建华", "13907310012", "", "",
         "", "-"],
        ["周思远", fullwidth, "1", "2010.6.1", "西村", "留守儿童,重病儿童", "蓝色", "周海", "13907310013", "吴红霞", "在家", "", ""],
        ["吴若曦", d + ".0", "2", "2009年9月9日", "西村", "留守儿童;残疾儿童", "蓝色等级", "", "", "郑春梅", "死亡", "", ""],
        ["郑一诺", e, "男性", "20130303", "西村", "留守儿童/低保家庭", "橙色", "", "", "", "", "", "橙色但没有帮扶人"],
        ["钱嘉乐", "4.30104201404040E+17", "女", "2014-04-04 08:30:00", "西村", "留守儿童 重病儿童", "蓝", "", "", "", "", "", ""],
        ["冯梓轩", g, "男", "2012-12-12", "北村", "留守儿童", "蓝", "", "", "", "", "", "村名不在名单中"],
        ["蒋依宁", f, "女", "2014-04-04", "西村", "困境儿童", "蓝", "", "", "", "", "", "困境类型未写明"],
        ["合计", "8人"] + [""] * 11,
    ]
    _write_csv(path, rows)


def merged_html(path: Path) -> None:
    """A two-row header with merged group cells (父亲 / 母亲 / 监护人), typed as a web table."""
    people = [
        ("何天佑", "M", dt.date(2013, 8, 8), True, "留守儿童", ("何国庆", "13907310021", "外出务工", "广东省东莞市"),
         ("林秀英", "13907310022", "在家"), ("何老汉", "祖父", "13907310023")),
        ("林思琪", "F", dt.date(2012, 2, 2), True, "留守儿童、低保家庭", ("林建", "13907310031", "服刑在押", ""),
         ("黄梅", "", "死亡"), ("林奶奶", "祖母", "13907310033")),
        ("罗明辉", "M", dt.date(2011, 1, 1), False, "留守儿童", ("罗强", "13907310041", "外出务工", "浙江省杭州市"),
         ("谢兰", "13907310042", "外出务工"), ("罗爷爷", "祖父", "13907310043")),
    ]

    def td(text, attrs=""):
        return f"<td{attrs}>{text}</td>"

    lines = ['<html><head><meta charset="utf-8"></head><body><table border="1">',
             '<tr><td colspan="17">城关镇南村留守儿童信息表</td></tr>',
             '<tr><td colspan="9">填报单位：南村村委会（盖章）</td><td colspan="8">填报日期：2024年6月10日</td></tr>',
             "<tr>" + "".join(f'<td rowspan="2">{h}</td>' for h in ("序号", "姓名", "证件号码", "性别", "出生日期", "类别"))
             + '<td colspan="4">父亲</td><td colspan="3">母亲</td><td colspan="3">监护人</td><td rowspan="2">备注</td></tr>',
             "<tr>" + "".join(td(h) for h in ("姓名", "电话", "状况", "务工地点", "姓名", "电话", "状况", "姓名", "关系", "电话"))
             + "</tr>"]
    for n, (name, sex, birth, as_text, cats, father, mother, guardian) in enumerate(people, start=1):
        number = make_id_number(REGION, birth, 11 + 2 * n + (0 if sex == "M" else 1))
        keep = ' sdnum="2052;0;@"' if as_text else ""  # typed into a text-formatted cell, or not
        cells = [td(n), td(name), td(number, keep), td("男" if sex == "M" else "女"), td(birth.strftime("%Y.%m.%d")),
                 td(cats), *(td(x) for x in father), *(td(x) for x in mother), *(td(x) for x in guardian), td("")]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("<tr>" + td("合计") + td("3人") + "".join(td("") for _ in range(15)) + "</tr>")
    lines.append("</table></body></html>")
    path.write_text("\n".join(lines), encoding="utf-8")


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def soffice(profile: Path, infilter: str, target: str, files: list[Path], outdir: Path) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", f"--infilter={infilter}",
         "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
    )


def encrypted(outdir: Path) -> None:
    try:
        import msoffcrypto  # noqa: F401
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("msoffcrypto-tool not installed: tests/data/encrypted.xlsx kept as it is")
        return
    import io

    from openpyxl import Workbook

    plain = io.BytesIO()
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码"])
    wb.active.append(["测试", "430104201503010011"])
    wb.save(plain)
    plain.seek(0)
    with (outdir / "encrypted.xlsx").open("wb") as out:
        OOXMLFile(plain).encrypt("1234", out)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        profile = tmp / "profile"
        numbers_csv(tmp / "东村留守儿童花名册.csv")
        text_csv(tmp / "儿童台账_文本格式.csv")
        merged_html(tmp / "南村两行表头.html")
        # CSV: comma, double quote, UTF-8, from line 1, Chinese (PRC) locale so 2015/3/1 is a date.
        soffice(profile, "CSV:44,34,76,1,,2052", "xlsx", [tmp / "东村留守儿童花名册.csv"], OUT)
        text_columns = "/".join(f"{i}/2" for i in range(1, 14))  # every column as 文本 (format 2)
        soffice(profile, f"CSV:44,34,76,1,{text_columns},2052", "xls", [tmp / "儿童台账_文本格式.csv"], OUT)
        soffice(profile, "calc_HTML_WebQuery", "ods", [tmp / "南村两行表头.html"], OUT)
        soffice(profile, "calc_HTML_WebQuery", "xlsx", [tmp / "南村两行表头.html"], OUT)
    encrypted(OUT)
    for f in sorted(OUT.iterdir()):
        if f.suffix in (".xlsx", ".xls", ".ods"):
            print(f.name, f.stat().st_size)


if __name__ == "__main__":
    if shutil.which("soffice") is None:
        sys.exit("LibreOffice (soffice) is needed")
    main()
