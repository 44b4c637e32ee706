"""`weibao pair …` in real processes: three steps, the same safety code and package password on both sides,
and the refusals a person meets at the command line."""
from __future__ import annotations

import re

from openpyxl import load_workbook

from pairing_helpers import unlock
from store_helpers import cli


def _lines(out: str, label: str) -> list[str]:
    return re.findall(rf"{label}：(\S+)", out)


def test_pairing_in_three_steps_then_a_package_goes_up(tmp_path):
    county, town, other = tmp_path / "county", tmp_path / "town", tmp_path / "other"
    cli(county, "init", "--station", "岳麓区", "--code", "430104000000", "--county-mode")
    cli(town, "init", "--station", "城关镇", "--code", "430104001000", "--villages", "东村")
    cli(other, "init", "--station", "河西乡", "--code", "430104002000", "--villages", "西村")
    cli(town, "demo", "--children", "3", "--visits-per-child", "1")
    refused = cli(town, "sync", "export", "-o", str(tmp_path / "early.xlsx"), check=False)
    assert refused.returncode != 0 and "还没有与县级配对" in refused.stdout + refused.stderr

    invite, receipt = tmp_path / "开通文件.xlsx", tmp_path / "回执.xlsx"
    cli(county, "pair", "add", "--township", "城关镇", "--code", "430104001000", "-o", str(invite))
    wrong = cli(other, "pair", "accept", str(invite), "-o", str(tmp_path / "x.xlsx"), check=False)
    assert wrong.returncode != 0 and "是给“城关镇”（430104001000）的" in wrong.stdout + wrong.stderr
    accepted = cli(town, "pair", "accept", str(invite), "-o", str(receipt)).stdout
    confirmed = cli(county, "pair", "confirm", str(receipt)).stdout
    [code] = _lines(accepted, "安全码")
    assert _lines(confirmed, "安全码") == [code] and re.fullmatch(r"\d{6}", code)

    shown_county, shown_town = cli(county, "pair", "show").stdout, cli(town, "pair", "show").stdout
    assert _lines(shown_county, "安全码") == _lines(shown_town, "安全码") == [code]
    [password] = _lines(shown_town, "包密码")
    assert _lines(shown_county, "包密码") == [password]
    for path in (invite, receipt):  # no pairing file carries the password
        assert password.encode() not in path.read_bytes()

    package = tmp_path / "上报.xlsx"
    cli(town, "sync", "export", "-o", str(package))
    done = cli(county, "sync", "import", str(package))
    assert "已导入城关镇第1号数据包" in done.stdout

    stranger = tmp_path / "冒名.xlsx"
    assert cli(other, "sync", "export", "-o", str(stranger), check=False).returncode != 0  # never paired

    # The county's reply, opened with the package password and corrected by hand on the way.
    reply = tmp_path / "回复.xlsx"
    cli(county, "sync", "export", "--to", "430104001000", "--full", "-o", str(reply))
    unlock(reply, passwords=[password])
    wb = load_workbook(reply)
    ws = wb["儿童档案"]
    top = next(r for r in range(1, 10) if "记录编号" in [c.value for c in ws[r]])
    heads = [c.value for c in ws[top]]
    ws.cell(top + 1, heads.index("现居住地") + 1).value = "路上改的地址"
    wb.save(reply)
    preview = cli(town, "sync", "import", str(reply), "--dry-run").stdout
    assert "手工修改 “儿童档案”" in preview and "→ 路上改的地址" in preview and "不会导入" in preview
    assert not [line for line in preview.splitlines() if line.strip().startswith("更新") and "路上改的地址" in line]
    done = cli(town, "sync", "import", str(reply), "--accept-hand-edits", "--details").stdout
    assert "已一并导入" in done, done
    assert [line for line in done.splitlines() if line.strip().startswith("更新") and "路上改的地址" in line], done
