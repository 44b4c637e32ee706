"""Writes docs/report_vocabulary.md from the program's own indicator table (run after changing it):
    PYTHONPATH=src python docs/make_report_vocabulary.py"""
from pathlib import Path

from weibao_desktop.services.monthly_report import DEFAULT_TEMPLATE, VOCABULARY

HEAD = """# 月报指标表（report vocabulary）

月报模板是一个 Excel 表：表头一行写指标名称（顺序任意，可删减），第一列为单位（村(社区)/乡镇(街道)）。
程序按下表的口径统计本月（模板外的列名会被拒绝并指出单元格）。`weibao report indicators` 列出同一张表，
`weibao report template -o 模板.xlsx` 写出默认模板（下表中标 ★ 的指标）。

统计规则：儿童人数为统计月末（本月为今天）在册的儿童，一名儿童属于多个类别时在各类别中分别计数；
每个“按儿童统计”的指标，合计行都等于各单位之和，月报生成前自动核对，不相等时不生成。
线索、转介、重大事项按所涉儿童的村统计，未关联档案的只计入合计；活动按举办的村统计，不在村里的只计入合计。
县级月报每行是一个乡镇(街道)；活动记录随乡镇数据包报送（参与儿童名单留在乡镇，只报人数），县级的活动类指标是各乡镇之和。
线索按情形统计时，一条线索有几个情形就在几个情形中各计一次，所以各情形之和可以大于“线索受理”。

| 指标 | 统计口径 | 按儿童统计 | 默认模板 |
|---|---|---|---|
"""


def main() -> None:
    rows = [f"| {name} | {ind.rule} | {'是' if ind.per_child else '否'} | {'★' if name in DEFAULT_TEMPLATE else ''} |"
            for name, ind in VOCABULARY.items()]
    (Path(__file__).parent / "report_vocabulary.md").write_text(HEAD + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
