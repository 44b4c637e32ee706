"""Fixtures for the ledger tests: LibreOffice as the real office program, and a small populated station."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ledger_helpers import DATA, RARE_NAME

from factories import FIXED_DATE, id_number, person


class LibreOffice:
    """`soffice --headless --convert-to`, one call for many files, with a profile of its own for the session."""

    def __init__(self, exe: str, profile: Path):
        self.exe = exe
        self.profile = profile

    def convert(self, files: list[Path], target: str, outdir: Path, infilter: str | None = None) -> None:
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = [self.exe, f"-env:UserInstallation={self.profile.as_uri()}", "--headless"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", target, "--outdir", str(outdir), *map(str, files)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=240)

    def to_csv(self, files: list[Path], outdir: Path) -> dict[str, list[list[str]]]:
        """Every sheet of every file as CSV, cells as LibreOffice shows them: {"<stem>-<sheet>": rows}."""
        # 44,34,76: comma, quote, UTF-8; "true" at token 9 = save cell contents as shown; -1 = every sheet.
        self.convert(files, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", outdir)
        out = {}
        for f in outdir.glob("*.csv"):
            with f.open(encoding="utf-8") as fh:
                out[f.stem] = list(csv.reader(fh))
        return out


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory) -> LibreOffice:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required for the ledger tests in CI: dev.sh installs libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed")
    return LibreOffice(exe, tmp_path_factory.mktemp("lo-profile"))


@pytest.fixture
def data_file(tmp_path):
    """A copy of a file from tests/data (tests must not touch the committed ones)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(DATA / name, target)
        return target

    return copy


@pytest.fixture
def station(ws, village_ids, make_child):
    """A station with children in every ledger: families, categories, a red case with help and a referral,
    visits, a clue and a hotline call, a name with a rare character and text that looks like a formula."""
    birth = dt.date(2015, 3, 1)
    a = make_child(name=RARE_NAME, sex="F", birth_date=birth, id_number=id_number(birth, "F", 7),
                   village_id=village_ids["东村"], contact_phone="13907311234", notes="=1+1",
                   categories=["left_behind", "dibao"],
                   people=[person("father", 1, status="外出务工", work_place="广东省东莞市"), person("mother", 2),
                           person("entrusted", 3, relation_detail="祖母")])
    b = make_child(village_id=village_ids["西村"], categories=["plight_life"], sex="M", birth_date=dt.date(2012, 5, 6))
    c = make_child(village_id=village_ids["西村"], categories=["left_behind"], sex="M", birth_date=dt.date(2010, 1, 2))
    ws.assessments.assess(b.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "王督导", "result": "红",
                                   "reason": "长期无人照料"},
                          help_measure={"kind": "living", "started_on": FIXED_DATE, "responsible": "王督导"},
                          referral={"target": "police", "referred_on": FIXED_DATE, "reason": "疑似遭受家暴"})
    ws.assessments.assess(c.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "王督导", "result": "蓝",
                                   "reason": "建档评估"})
    ws.visits.record(a.uuid, {"visited_on": FIXED_DATE - dt.timedelta(days=3), "visitors": "张主任", "mode": "入户",
                              "living": "生活正常"})
    ws.visits.record(c.uuid, {"living": "正常", "visited_on": FIXED_DATE - dt.timedelta(days=1), "visitors": "张主任", "mode": "电话"})
    ws.clues.receive({"child_name": "某儿童", "source": "school", "content": "反映无人照料",
                      "received_at": dt.datetime(2024, 6, 1, 9, 30)})
    ws.hotline.log({"caller": "来电人甲", "caller_phone": "07318888888", "content": "咨询政策",
                    "call_at": dt.datetime(2024, 6, 2, 10, 0)})
    return {"a": ws.children.get(a.uuid), "b": ws.children.get(b.uuid), "c": ws.children.get(c.uuid)}
