"""Every form rendered to a real PDF and read back with poppler: names, masked ids, labels, fonts, pages."""
from __future__ import annotations

import datetime as dt

import pytest
from pdftools import LONG_SENTENCES, flat, pdf_pages, pdffonts, pdftotext

from factories import FIXED_DATE, RARE_NAME, person
from weibao_desktop.domain import codes
from weibao_desktop.domain.idnumber import mask_id_number
from weibao_desktop.services import WeibaoError

D = dt.date
VISIT_LABELS = ["未成年人走访记录表", "儿童基本情况", "公民身份号码", "监护人", "风险等级", "走访日期", "走访方式",
                "生活情况", "学习情况", "健康情况", "安全情况", "心理情况", "监护情况", "存在问题", "帮扶措施",
                "下次走访时间", "走访人（签字）", "监护人（签字）", "儿童主任（签字）"]


def footers_ok(path, station="城关镇", who="操作人姓名") -> int:
    """Every page carries the station, the form, page x / y and who printed it; returns the page count."""
    n = pdf_pages(path)
    for page in range(1, n + 1):
        text = pdftotext(path, page)
        assert f"第 {page} 页 / 共 {n} 页" in text, (page, text[-300:])
        assert station in text and f"打印：{who}" in text and "请妥善保管" in text
    return n


def all_embedded(path) -> None:
    fonts = pdffonts(path)
    assert fonts and all(f["emb"] and f["uni"] for f in fonts), fonts


def test_blank_visit_sheet_has_the_childs_facts_masked_id_and_empty_boxes(ws, family_child, out):
    job = ws.printing.visit_sheet(child=family_child.uuid, blank=True)
    path = ws.printing.save_pdf(job, out("blank.pdf"))
    text = pdftotext(path)
    assert footers_ok(path) == 1
    all_embedded(path)
    for label in VISIT_LABELS:
        assert label in text, label
    masked = mask_id_number(family_child.id_number)
    assert masked in text and family_child.id_number not in text
    assert family_child.name in text and "东村" in text and "东村三组12号" in text
    assert "农村留守儿童、低保家庭儿童" in text and "（祖父）" in text and "黄色" in text
    assert "小学（东村小学）" in text
    assert "作业无人辅导" not in text and "情绪低落" not in text  # the visit boxes are empty


def test_full_id_numbers_only_when_asked_and_the_log_says_so(ws, family_child, out):
    job = ws.printing.visit_sheet(child=family_child.id_number, blank=True, full_id=True)
    ws.printing.save_pdf(job, out("full.pdf"))
    assert family_child.id_number in pdftotext(out("full.pdf"))
    [entry] = ws.printing.log()
    assert (entry.actor, entry.form, entry.full_id, entry.pages) == ("操作人姓名", "visit_sheet", True, 1)
    assert entry.target == str(out("full.pdf")) and family_child.name in entry.title


def test_filled_visit_sheet_prints_the_latest_visit(ws, family_child, out):
    path = ws.printing.save_pdf(ws.printing.visit_sheet(child=family_child.uuid), out("filled.pdf"))
    text = pdftotext(path)
    assert "2024-06-10" in text and "张主任、李督导" in text and "情绪低落，想念父母" in text
    assert "联系班主任关注" in text and "作业无人辅导" not in text
    all_embedded(path)


def test_a_child_without_visits_has_no_filled_sheet_but_a_blank_one(ws, make_child, out):
    child = make_child()
    with pytest.raises(WeibaoError) as e:
        ws.printing.visit_sheet(child=child.uuid)
    assert "尚无走访记录" in e.value.message
    assert ws.printing.visit_sheet(child=child.uuid, blank=True).pages == 1


def test_a_very_long_problem_text_continues_across_pages_without_losing_a_word(ws, family_child, out):
    long_text = "".join(LONG_SENTENCES)
    v = ws.visits.record(family_child.uuid, {"visited_on": FIXED_DATE, "visitors": "张主任", "mode": "入户",
                                             "problems": long_text, "measures": "每周电话回访"})
    path = ws.printing.save_pdf(ws.printing.visit_sheet(visit=v.uuid), out("long.pdf"))
    n = footers_ok(path)
    assert n >= 3
    # The text column of the boxes, between the running header and the footer of each page.
    body = flat("".join(pdftotext(path, page, crop=(119, 45, 436, 742)) for page in range(1, n + 1)))
    for sentence in LONG_SENTENCES:
        assert sentence in body, sentence
    assert flat(long_text) in body  # in order, nothing between the pieces
    assert "存在问题" in pdftotext(path, 2) and family_child.name in pdftotext(path, 2)  # header names whose sheet
    assert "每周电话回访" in pdftotext(path, n)


def test_a_rare_character_name_prints(ws, make_child, out):
    child = make_child(name=RARE_NAME)
    job = ws.printing.visit_sheet(child=child.uuid, blank=True)
    assert job.missing_report == ""
    assert RARE_NAME in pdftotext(ws.printing.save_pdf(job, out("rare.pdf")))


def due_children(ws, make_child, village_id):
    """Children due on known days: one overdue in 西村, two due this week in 东村 and 西村, one due later."""
    made = {}
    for key, village, _opened in (("overdue", "西村", D(2024, 6, 1)), ("east", "东村", D(2024, 6, 12)),
                                 ("west", "西村", D(2024, 6, 14)), ("later", "东村", D(2024, 6, 14))):
        c = make_child(village_id=village_id[village], people=[person("mother", len(made))])
        made[key] = c
    # Due dates follow from colour and last visit; set them through visits and assessments as a user would.
    ws.assessments.assess(made["overdue"].uuid, {"kind": "risk", "assessed_on": D(2024, 6, 1), "assessor": "张",
                                                 "result": "橙", "reason": "测试"}, paired_helper="刘结对")
    ws.visits.record(made["overdue"].uuid, {"living": "正常", "visited_on": D(2024, 6, 1), "visitors": "张", "mode": "入户",
                                            "next_due_on": D(2024, 6, 8)})
    ws.visits.record(made["east"].uuid, {"living": "正常", "visited_on": D(2024, 6, 1), "visitors": "张", "mode": "入户",
                                         "next_due_on": D(2024, 6, 15)})
    ws.visits.record(made["west"].uuid, {"living": "正常", "visited_on": D(2024, 6, 2), "visitors": "张", "mode": "入户",
                                         "next_due_on": D(2024, 6, 18)})
    ws.visits.record(made["later"].uuid, {"living": "正常", "visited_on": D(2024, 6, 2), "visitors": "张", "mode": "入户",
                                          "next_due_on": D(2024, 8, 1)})
    return {k: ws.children.get(c.uuid) for k, c in made.items()}


def test_round_lists_children_due_by_village_with_a_blank_sheet_each(ws, make_child, village_id, out):
    kids = due_children(ws, make_child, village_id)
    seen = []
    job = ws.printing.round(D(2024, 6, 14), D(2024, 6, 20), progress=lambda d, t, s: seen.append((d, t)))
    path = ws.printing.save_pdf(job, out("round.pdf"))
    n = footers_ok(path)
    cover = pdftotext(path, 1)
    assert "走访任务单" in cover and "2024-06-14 至 2024-06-20" in cover and "共 3 名儿童，2 个村(社区)" in cover
    assert kids["later"].name not in cover
    assert cover.index("东村（1人）") < cover.index(kids["east"].name) < cover.index("西村（2人）")
    assert cover.index("西村（2人）") < cover.index(kids["overdue"].name) < cover.index(kids["west"].name)
    assert "6天" in cover  # 西村's overdue child, due 2024-06-08
    assert n == 4 and seen[-1] == (3, 3)
    sheets = [pdftotext(path, p) for p in (2, 3, 4)]
    assert [k.name in s for k, s in zip((kids["east"], kids["overdue"], kids["west"]), sheets, strict=False)] == [True] * 3
    for s in sheets:
        assert "未成年人走访记录表" in s and "儿童主任（签字）" in s
    assert mask_id_number(kids["west"].id_number) in sheets[2] and kids["west"].id_number not in sheets[2]
    assert set(job.subjects) == {kids["east"].uuid, kids["overdue"].uuid, kids["west"].uuid}
    all_embedded(path)


def test_round_for_one_village_without_overdue_and_cancelled(ws, make_child, village_id, out):
    kids = due_children(ws, make_child, village_id)
    job = ws.printing.round(D(2024, 6, 14), D(2024, 6, 20), village="西村", include_overdue=False)
    assert job.subjects == (kids["west"].uuid,)
    assert "村(社区)：西村" in pdftotext(ws.printing.save_pdf(job, out("west.pdf")), 1)
    assert ws.printing.round(D(2024, 6, 14), D(2024, 6, 20), cancelled=lambda: True) is None
    with pytest.raises(WeibaoError) as e:
        ws.printing.round(D(2024, 6, 14), D(2024, 6, 20), village="北村")
    assert "北村" in e.value.message
    with pytest.raises(WeibaoError) as e:
        ws.printing.round(D(2024, 7, 1), D(2024, 6, 20))
    assert e.value.field == "date_to"


def test_a_long_round_list_repeats_its_table_header_on_every_page(ws, make_child, village_id, out):
    for _ in range(70):
        make_child(village_id=village_id["南村"])  # unvisited files: due 90 days after opening
    job = ws.printing.round(D(2024, 6, 14), D(2024, 9, 30), village="南村")
    path = ws.printing.save_pdf(job, out("many.pdf"))
    first, second = pdftotext(path, 1), pdftotext(path, 2)
    for page in (first, second):
        assert "应走访日期" in page and "联系电话" in page and "完成" in page
    assert "南村（70人）" in first and "南村（70人）" not in second
    assert "走访任务单（续）" in second


def test_file_card_has_the_family_colour_history_and_last_visits(ws, family_child, out):
    path = ws.printing.save_pdf(ws.printing.file_card(family_child.uuid), out("card.pdf"))
    text = pdftotext(path)
    footers_ok(path)
    all_embedded(path)
    for words in ("儿童档案卡", "家庭成员及监护人", "风险等级及评估记录", "最近走访", family_child.name,
                  "祖父", "广东省东莞市", "黄色", "祖父年老体弱，监护能力下降", "2024-05-02", "张督导",
                  "情绪低落，想念父母", "作业无人辅导", "农村留守儿童", "共 2 次"):
        assert words in text, words
    masked = mask_id_number(family_child.id_number)
    assert masked in text and family_child.id_number not in text
    father = [p for p in family_child.people if p.relation == "father"][0]
    if father.id_number:
        assert father.id_number not in text


def test_clue_form_shows_the_steps_done_and_blank_boxes_for_the_rest(ws, family_child, out):
    clue = ws.clues.receive({"received_at": dt.datetime(2024, 6, 12, 9, 0), "source": "群众举报",
                             "reporter": "匿名群众", "content": "邻居反映孩子常被锁在家中，无人照料", "reported_to": "公安",
                             "situations": "被遗弃或长期无人照料", "reported_at": dt.datetime(2024, 6, 12, 9, 40),
                             "report_receiver": "刘警官", "receipt": "城关派出所受案回执第0612号"},
                            child_key=family_child.uuid)
    ws.clues.advance(clue.uuid, "调查", "入户核实，情况属实", at=dt.datetime(2024, 6, 12, 14, 0))
    path = ws.printing.save_pdf(ws.printing.clue(clue.uuid), out("clue.pdf"))
    text = pdftotext(path)
    footers_ok(path)
    all_embedded(path)
    for words in ("强制报告线索登记表", "2024-06-12 09:00", "群众举报", "匿名群众", "邻居反映孩子常被锁在家中",
                  "调查情况", "入户核实，情况属实", "处置情况", "反馈情况", family_child.name,
                  mask_id_number(family_child.id_number), "受理人（签字）", "2024-06-12 09:40", "刘警官",
                  "城关派出所受案回执第0612号", "检察院"):
        assert words in text, words
    # Every 情形 of the rules is printed whole, to be ticked, however many lines they take.
    for situation in codes.CLUE_SITUATION:
        assert situation.label in text.replace("\n", ""), situation.label


def test_referral_form_has_a_receipt_to_tear_off(ws, family_child, out):
    ref = ws.referrals.add({"target": "公安机关", "target_name": "城关派出所", "referred_on": D(2024, 6, 13),
                            "reason": "疑似遭受家庭暴力，请依法处置"}, child_key=family_child.uuid)
    path = ws.printing.save_pdf(ws.printing.referral(ref.uuid), out("ref.pdf"))
    text = pdftotext(path)
    footers_ok(path)
    all_embedded(path)
    for words in ("未成年人保护转介单", "公安机关", "城关派出所", "疑似遭受家庭暴力", "已转介", "转介回执",
                  "沿此线剪开", "接收单位（盖章）", family_child.name, "2024年06月13日"):
        assert words in text, words


def test_an_unknown_record_is_refused_in_chinese(ws, out):
    for call in (lambda: ws.printing.visit_sheet(visit="no-such-uuid"),
                 lambda: ws.printing.clue("no-such-uuid"), lambda: ws.printing.referral("no-such-uuid"),
                 lambda: ws.printing.file_card("no-such-uuid")):
        with pytest.raises(WeibaoError) as e:
            call()
        assert "找不到" in e.value.message
    with pytest.raises(WeibaoError):
        ws.printing.visit_sheet()
    assert ws.printing.log() == []


def test_a_pdf_that_fails_halfway_leaves_nothing_beside_the_target_and_logs_nothing(ws, family_child, tmp_path,
                                                                                     monkeypatch):
    job = ws.printing.file_card(family_child.uuid)
    real = job.document.write_pdf

    def half_then_fail(target):
        real(target)  # the whole card is on disk, with the child's data …
        raise ValueError("a drawing error after the file was written")  # … and then something goes wrong

    monkeypatch.setattr(job.document, "write_pdf", half_then_fail)
    folder = tmp_path / "桌面"
    folder.mkdir()
    with pytest.raises(ValueError):
        ws.printing.save_pdf(job, folder / "档案卡.pdf")
    assert list(folder.iterdir()) == []
    assert ws.printing.log() == []
    private = ws.store.path.parent / "tmp"
    assert [p for p in private.rglob("*") if p.is_file()] == []
