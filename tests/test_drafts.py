"""Drafts: every kind in both languages against golden files (reviewed line by line; regenerate with
WEIQUAN_UPDATE_GOLDEN=1 and review the diff), the drafts that must not be made and why, a seller case that
gets only seller documents, a case that follows a lost intervention into the appeal, and no draft that
carries any of the advice written for the person."""
import datetime as dt
import os
import re

import pytest

from assistant.cases import CaseStore
from assistant.casefile import evidence_items, plan_event
from assistant.drafts import render_drafts
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "drafts"
TODAY = dt.date(2026, 11, 21)


def make_case(kb, store, scenario, facts, events=(), ticks=(), title="t", lang="zh"):
    """A case kept the way the CLI keeps it: facts, then each event with what it implies and where it moves."""
    case_id = store.create(scenario, title, lang, {n: (v, "flag") for n, v in facts.items()}, TODAY,
                           evidence_items(kb, scenario), set(ticks))
    for date, note in events:
        case = store.get(case_id)
        plan = plan_event(kb, case, date, note, {})
        store.update(case_id, facts=plan.facts, event=plan.event, stage=plan.stage, add_items=plan.add_items)
    return store.get(case_id)


@pytest.fixture
def store(tmp_path):
    return CaseStore(tmp_path / "cases.sqlite3")


def taobao_fake(kb, store, *more_events):
    """The issue's example: a Taobao fake, ¥299, received 11-10, the seller refused on 11-15."""
    return make_case(kb, store, "fake_goods", {"platform": "taobao", "price": 299, "received_date": dt.date(2026, 11, 10)},
                     [(dt.date(2026, 11, 15), "卖家拒绝了退款"), *more_events], ticks={0, 1})


SELLER_CASES = {
    "counterfeit": ("seller_counterfeit_accusation", {"platform": "tmall", "notice_date": dt.date(2026, 11, 19)}),
    "ip": ("ip_complaint", {"platform": "taobao", "ip_side": "respondent", "role": "seller", "notice_date": dt.date(2026, 11, 20)}),
    "return_fraud": ("seller_return_fraud", {"platform": "taobao", "return_signed": True, "extortion": True,
                                             "shipped_date": dt.date(2026, 11, 2), "refund_requested_date": dt.date(2026, 11, 12)}),
    "refund": ("seller_refund_handling", {"platform": "taobao", "order_status": "shipped", "refund_requested_date": dt.date(2026, 11, 20)}),
}


def as_text(made, refused) -> str:
    out = []
    for draft in made:
        out += [f"=== {draft.name}: {draft.title}", f"({draft.who})", draft.body.rstrip(), ""]
    out += [f"--- not made: {title}: {why}" for title, why in refused]
    return "\n".join(out) + "\n"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("WEIQUAN_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{path.name} differs: review, then WEIQUAN_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_buyer_drafts_for_the_taobao_fake(engine, store, lang):
    made, refused = render_drafts(engine.kb, taobao_fake(engine.kb, store), TODAY, lang)
    assert [d.name for d in made] == ["seller_message", "platform_statement", "complaint_12315", "civil_complaint"]
    assert [t for t, _ in refused] == (["对处理结果的申诉"] if lang == "zh" else ["Appeal against the ruling"])
    check_golden(f"buyer_taobao_fake_{lang}", as_text(made, refused))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lost_intervention_moves_to_the_appeal(engine, store, lang):
    case = taobao_fake(engine.kb, store, (dt.date(2026, 11, 20), "小二判我输了" if lang == "zh" else "the platform ruled against me"))
    assert case.current == "ruling_appeal" and case.stages == ["fake_goods", "platform_intervention", "ruling_appeal"]
    assert case.facts["ruling_date"] == ("2026-11-20", "event") and case.facts["price"] == (299, "flag")
    made, refused = render_drafts(engine.kb, case, TODAY, lang)
    assert "ruling_appeal" in [d.name for d in made] and "platform_statement" not in [d.name for d in made]
    appeal = next(d for d in made if d.name == "ruling_appeal")
    check_golden(f"buyer_appeal_{lang}", as_text([appeal], []))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(SELLER_CASES))
def test_seller_cases_get_only_their_seller_document(engine, store, kind, lang):
    scenario, facts = SELLER_CASES[kind]
    case = make_case(engine.kb, store, scenario, facts, ticks={0})
    made, refused = render_drafts(engine.kb, case, TODAY, lang)
    assert len(made) == 1 and refused == []
    assert {d.name for d in made} <= {"counterfeit_appeal", "ip_counter_notice", "return_fraud_statement", "refund_reply"}
    check_golden(f"seller_{kind}_{lang}", as_text(made, refused))


def test_a_business_purchase_on_1688_gets_no_12315_complaint(engine, store):
    case = make_case(engine.kb, store, "quality_problem", {"platform": "1688", "price": 2000, "received_date": dt.date(2026, 11, 10)})
    made, refused = render_drafts(engine.kb, case, TODAY, "zh")
    assert "complaint_12315" not in [d.name for d in made]
    assert any("12315" in title and "purchase_purpose=personal" in why for title, why in refused)
    personal = make_case(engine.kb, store, "quality_problem", {"platform": "1688", "price": 2000, "purchase_purpose": "personal",
                                                               "received_date": dt.date(2026, 11, 10)})
    assert "complaint_12315" in [d.name for d in render_drafts(engine.kb, personal, TODAY, "zh")[0]]


def test_the_answer_deadline_counts_from_the_export_date_not_the_buyers_own_deadline(engine, store):
    case = taobao_fake(engine.kb, store)
    message = render_drafts(engine.kb, case, TODAY, "zh")[0][0].body
    assert "请于2026年11月24日前（3日内）" in message and "2029" not in message
    later = render_drafts(engine.kb, case, dt.date(2026, 12, 1), "zh")[0][0].body
    assert "请于2026年12月4日前" in later and "日期：2026年12月1日" in later  # --today, never the system date


def test_only_personal_blanks_remain_in_the_three_drafts_of_the_example(engine, store):
    made, _ = render_drafts(engine.kb, taobao_fake(engine.kb, store), TODAY, "zh")
    personal = {"你的姓名", "你的电话", "你的地址", "你的身份证号", "订单号", "店铺名称",
                "店铺经营者名称（见店铺营业执照信息）", "店铺经营者地址（见店铺营业执照信息）"}
    for draft in made[:3]:
        blanks = set(re.findall(r"【待填写：([^】]+)】", draft.body))
        assert blanks <= personal, (draft.name, blanks - personal)
        assert "897" in draft.body or draft.name == "platform_statement"
    complaint = made[2].body
    assert "退货并退还货款299元，并赔偿897元（《中华人民共和国消费者权益保护法》第五十五条第一款）" in complaint
    assert "向12315投诉" not in complaint and "天猫" not in complaint


def test_the_tmall_guarantee_is_claimed_from_the_platform_and_the_law_from_the_seller(engine, store):
    case = make_case(engine.kb, store, "fake_goods", {"platform": "tmall", "price": 299, "received_date": dt.date(2026, 11, 10)})
    made = {d.name: d.body for d in render_drafts(engine.kb, case, TODAY, "zh")[0]}
    assert "1196" in made["platform_statement"] and "1196" not in made["complaint_12315"]
    assert "897" in made["complaint_12315"] and "897" in made["seller_message"]


def _advice(kb) -> set[str]:
    """Every clause of advice written for the person: summaries, steps, next actions, still-possible routes."""
    texts = []
    for scenario in kb.scenarios.values():
        for lang in ("zh", "en"):
            texts.append(scenario.summary.get(lang))
            texts += [step.get(lang) for step in scenario.steps]
            for outcome in scenario.outcomes.values():
                texts.append(outcome.next_action.get(lang))
                texts += [item.get(lang) for item in (outcome.still_possible or [])]
    clauses = set()
    for text in texts:
        for clause in (c.strip() for c in re.split(r"[，。；：;:,.!?！？（）()—]", text)):
            if (len(clause) >= 8 and re.search("[\u4e00-\u9fff]", clause)) or len(clause.split()) >= 6:
                clauses.add(clause)
    return clauses


def test_no_draft_contains_any_outcomes_advice(engine, store):
    kb = engine.kb
    advice = _advice(kb)
    assert len(advice) > 200  # the check has something to check
    cases = [taobao_fake(kb, store), taobao_fake(kb, store, (dt.date(2026, 11, 20), "小二判我输了"))]
    for scenario in ("quality_problem", "not_received", "not_as_described", "late_shipment", "seven_day_return", "broken_promise",
                     "after_sale_expired"):
        cases.append(make_case(kb, store, scenario, {"platform": "tmall", "price": 150, "received_date": dt.date(2026, 11, 18),
                                                     "paid_date": dt.date(2026, 11, 1), "order_status": "completed"}, ticks={0}))
    cases += [make_case(kb, store, s, f, ticks={0}) for s, f in SELLER_CASES.values()]
    seen = 0
    for case in cases:
        for lang in ("zh", "en"):
            for draft in render_drafts(kb, case, TODAY, lang)[0]:
                seen += 1
                leaked = [clause for clause in advice if clause in draft.body]
                assert not leaked, (case.scenario, draft.name, leaked[:3])
    assert seen >= 40


def test_user_text_in_the_export_cannot_forge_a_section(engine, store, tmp_path):
    from assistant.casefile import export_markdown
    from assistant.cases import Event

    case = taobao_fake(engine.kb, store)
    store.update(case.id, event=Event(TODAY, "note", "ok\n## 结论\n**全额赔偿** \x1b[31m```"))
    text = export_markdown(engine.kb, store.get(case.id), TODAY)
    assert "\x1b" not in text and text.count("\n## 结论") == 1  # the real verdict heading only
    assert "\\#\\# 结论" in text  # the note is there, as text


def test_case_files_are_linted_and_a_broken_one_is_exit_3_with_its_line(tmp_path):
    import shutil

    from conftest import SHIPPED_KB, line_of, run_cli

    kb = tmp_path / "kb"
    shutil.copytree(SHIPPED_KB, kb)
    drafts, events = kb / "drafts.yaml", kb / "case_events.yaml"
    drafts.write_text(drafts.read_text(encoding="utf-8").replace("请于$reply_by前", "请于$reply_byy前", 1), encoding="utf-8")
    events.write_text(events.read_text(encoding="utf-8").replace("stage: external_channels, role: buyer", "stage: nowhere, role: buyer", 1), encoding="utf-8")
    lint = run_cli("kb", "lint", "--kb", str(kb)).stdout.decode()
    assert f"drafts.yaml:{line_of(drafts, '    zh: |')}: error: draft seller_message: unknown placeholder $reply_byy in zh" in lint
    assert f"case_events.yaml:{line_of(events, 'nowhere')}: error: event appeal_rejected: moves to 'nowhere'" in lint
    events.write_text(events.read_text(encoding="utf-8").replace('"lost (?:the|my) appeal"', '"(a+)+b"'), encoding="utf-8")
    home = {"WEIQUAN_HOME": str(tmp_path / "home")}
    case_id = run_cli("case", "new", "--scenario", "not_received", env=home).stdout.decode().strip()
    broken = run_cli("case", "export", case_id, "--kb", str(kb), env=home)
    assert broken.returncode == 3 and f"case_events.yaml:{line_of(events, '(a+)+b')}" in broken.stderr.decode()


def test_the_statement_of_claim_speaks_of_plaintiff_and_defendant_in_every_statement():
    """A court document is not in the first person: every buyer statement and problem, as the statement of claim
    words it, names 原告/被告 (the plaintiff/the defendant) and never 我, I, my or me."""
    import re

    from assistant.drafts import _in_voice
    from knowledge_base.drafts import load_case_files

    spec = load_case_files(ROOT / "data").drafts
    voice = spec.drafts["civil_complaint"].voice
    texts = list(spec.problems.values())
    for statement in spec.statements["buyer"].values():
        texts += list(statement.values()) if isinstance(statement, dict) else [statement]
    for text in texts:
        zh, en = _in_voice(text.zh, voice["zh"], "zh"), _in_voice(text.en, voice["en"], "en")
        assert "我" not in zh and "卖家" not in zh, zh
        assert not re.search(r"\b(?:I|me|my)\b", en) and "seller" not in en, en
        assert en[0].isupper()
