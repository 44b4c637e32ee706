"""`weibao print …` writes the PDFs a user asks for, and says what went wrong in Chinese."""
from __future__ import annotations

import datetime as dt

import pytest
from pdftools import pdffonts, pdftotext

from weibao_desktop.cli import main
from weibao_desktop.domain.idnumber import mask_id_number


@pytest.fixture(autouse=True)
def _account(ws, add_account):
    add_account(ws.store, "李主任")  # who prints: a real account, the password is the test suite's


def run(ws, *args) -> int:
    return main(["--data-dir", str(ws.store.path.parent), "--user", "李主任", "print", *args])


def test_every_print_command_writes_a_pdf(ws, family_child, tmp_path, capsys):
    clue = ws.clues.receive({"received_at": dt.datetime(2024, 6, 12, 9, 0), "source": "群众举报",
                             "content": "孩子夜间独自在家"}, child_key=family_child.uuid)
    ref = ws.referrals.add({"target": "街道/社区", "referred_on": dt.date(2024, 6, 13), "reason": "监护缺失"},
                           child_key=family_child.uuid)
    visit = ws.visits.for_child(family_child.uuid)[0]
    cases = {
        "blank.pdf": ["visit-sheet", "--child", family_child.id_number, "--blank"],
        "visit.pdf": ["visit-sheet", "--visit", visit.uuid],
        "round.pdf": ["round", "--from", "2024-06-14", "--to", "2024-12-31", "--village", "东村"],
        "card.pdf": ["file-card", "--child", family_child.uuid],
        "clue.pdf": ["clue", "--clue", clue.uuid],
        "referral.pdf": ["referral", "--referral", ref.uuid],
    }
    for name, args in cases.items():
        assert run(ws, *args, "-o", str(tmp_path / name)) == 0, name
        text = pdftotext(tmp_path / name)
        assert family_child.name in text and "打印：李主任" in text, name
        assert mask_id_number(family_child.id_number) in text and family_child.id_number not in text, name
        assert all(f["emb"] for f in pdffonts(tmp_path / name)), name
    out = capsys.readouterr().out
    assert f"已生成：{tmp_path / 'card.pdf'}（" in out and "走访任务单：1名儿童" in out
    assert run(ws, "log") == 0
    log = capsys.readouterr().out
    assert log.count("李主任") == 6 and "儿童档案卡" in log and str(tmp_path / "clue.pdf") in log


def test_full_id_is_printed_only_with_the_flag_and_warned_about(ws, family_child, tmp_path, capsys):
    assert run(ws, "file-card", "--child", family_child.uuid, "--full-id", "-o", str(tmp_path / "f.pdf")) == 0
    assert family_child.id_number in pdftotext(tmp_path / "f.pdf")
    assert "完整身份证号" in capsys.readouterr().err


def test_errors_are_plain_chinese_and_write_nothing(ws, family_child, tmp_path, capsys):
    assert run(ws, "visit-sheet", "--child", "nobody", "-o", str(tmp_path / "x.pdf")) == 1
    assert "找不到儿童档案" in capsys.readouterr().err
    assert run(ws, "round", "--from", "2024-06-14", "--to", "明天", "-o", str(tmp_path / "x.pdf")) == 1
    assert "结束日期" in capsys.readouterr().err
    assert run(ws, "round", "--from", "2030-01-01", "--to", "2030-01-02", "--without-overdue",
               "-o", str(tmp_path / "x.pdf")) == 1
    assert "没有应走访的儿童" in capsys.readouterr().err
    assert run(ws, "file-card", "--child", family_child.uuid, "-o", str(tmp_path / "no" / "x.pdf")) == 1
    assert "不存在" in capsys.readouterr().err
    assert run(ws, "file-card", "--child", family_child.uuid, "--font", "/nonexistent.ttf",
               "-o", str(tmp_path / "x.pdf")) == 1
    assert "字体文件" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf")) and ws.printing.log() == []


def test_fonts_command_names_the_files(ws, capsys):
    assert run(ws, "fonts") == 0
    assert "正文字体" in capsys.readouterr().out
