"""The advice texts and verdict wording of the rules audit (issue 12): claims limited to what their sources
say, unverified numbers marked as such, each platform answered in its own terms, sellers in their own words."""
import datetime as dt
import re

import pytest

from assistant.eligibility import Evaluator
from assistant.render import verdict_json, verdict_lines
from conftest import SHIPPED_KB, run_cli
from knowledge_base.loader import load
from test_scenario_rules import typed_facts

KB = load(SHIPPED_KB)
TODAY = dt.date(2026, 11, 21)


def advice(scenario):
    """(where, Text) for every text a person reads as advice: summary, steps, escalation, outcomes."""
    yield "summary", scenario.summary
    for n, text in enumerate(scenario.steps):
        yield f"steps[{n}]", text
    for n, text in enumerate(scenario.escalation):
        yield f"escalation[{n}]", text
    for name, outcome in scenario.outcomes.items():
        yield f"{name}.title", outcome.title
        yield f"{name}.next_action", outcome.next_action
        for n, text in enumerate(outcome.still_possible):
            yield f"{name}.still_possible[{n}]", text


ADVICE = [(sid, where, text) for sid, scenario in KB.scenarios.items() for where, text in advice(scenario)]


def verdict(sid, today=TODAY, unsure=(), **facts):
    scenario = KB.scenarios[sid]
    return Evaluator(KB).evaluate(scenario, typed_facts(KB, scenario, facts), today, frozenset(unsure)).verdict


# ------------------------------------------------------------------ 9, 10, 11: claims as their sources make them


def test_internet_courts_are_offered_only_for_their_own_city():
    # SPC rules on Internet Courts art. 2: they hear the cases their own city's basic courts would hear
    offered = [(sid, where, t) for sid, where, t in ADVICE if "互联网法院" in t.zh or "internet court" in t.en.lower()]
    assert offered
    for sid, where, text in offered:
        assert re.search(r"本市|所在市|同一城市", text.zh), f"{sid} {where}: {text.zh}"
        assert "city" in text.en.lower(), f"{sid} {where}: {text.en}"


def test_enforcement_runs_from_the_last_day_of_performance():
    # CivPro art. 250: 2 years from the last day of the performance period the judgment sets
    mentioned = [(sid, where, t) for sid, where, t in ADVICE if "执行" in t.zh and "2年" in t.zh]
    assert mentioned
    for sid, where, text in mentioned:
        assert "判决生效后2年" not in text.zh and "履行期" in text.zh, f"{sid} {where}: {text.zh}"
        assert "performance" in text.en.lower(), f"{sid} {where}: {text.en}"


def test_no_unsourced_claim_that_reports_escape_the_three_year_limit():
    for sid, where, text in ADVICE:
        assert "不受3年" not in text.zh and "举报不受" not in text.zh, f"{sid} {where}: {text.zh}"
    report = [t for t in KB.scenarios["fake_goods"].outcomes["window_passed"].still_possible if "举报" in t.zh]
    assert [t.en for t in report] == ["Report the seller for selling fakes to the market regulator"]


# ------------------------------------------------------------------ 12, 13: unverified claims are marked


SEED_MARK = re.compile(r"非官方资料")
SEED_MARK_EN = re.compile(r"unofficial", re.I)


@pytest.mark.parametrize("sid, where", [
    ("broken_promise", "steps[3]"),      # virtual goods after the window: seed 000 only
    ("late_shipment", "wait_tmall.title"),  # Tmall's 72 hours: seed 003 only
    ("late_shipment", "wait_tmall.next_action"),
    ("late_shipment", "late_tmall.next_action"),  # paid as Tmall points: seed 003 only
])
def test_seed_only_claims_say_so(sid, where):
    text = dict(advice(KB.scenarios[sid]))[where]
    assert SEED_MARK.search(text.zh), text.zh
    assert SEED_MARK_EN.search(text.en), text.en


def test_taobao_late_shipment_does_not_claim_cash():
    assert KB.compensation["taobao_late_shipment"].form == "unknown"
    result = verdict("late_shipment", platform="taobao", order_status="paid", paid_date="2026-11-18", price=60)
    assert result.compensation.form == "unknown"
    assert "未核实" in verdict_lines(KB, KB.scenarios["late_shipment"], result, "zh", TODAY)[1]
    assert "not verified" in verdict_lines(KB, KB.scenarios["late_shipment"], result, "en", TODAY)[1]
    assert verdict_json(KB, KB.scenarios["late_shipment"], result, "en")["compensation"]["form"] == "unknown"


# ------------------------------------------------------------------ 14: each platform in its own terms


@pytest.mark.parametrize("sid, facts", [
    ("not_received", dict(order_status="paid")),
    ("not_received", dict(order_status="shipped")),
    ("not_received", dict(order_status="completed", completed_date="2026-11-01")),
    ("not_received", dict(order_status="completed", completed_date="2025-11-01")),
    ("not_as_described", dict(order_status="shipped")),
    ("not_as_described", dict(order_status="completed", completed_date="2026-11-01", received_date="2026-11-01")),
    ("not_as_described", dict(order_status="completed", completed_date="2025-11-01", received_date="2025-11-01")),
])
@pytest.mark.parametrize("platform", ["jd", "pdd"])
def test_jd_and_pinduoduo_answers_use_neither_taobao_words_nor_its_window(sid, facts, platform):
    scenario = KB.scenarios[sid]
    result = verdict(sid, platform=platform, **facts)
    for lang in ("zh", "en"):
        said = "\n".join(verdict_lines(KB, scenario, result, lang, TODAY))
        said += "\n" + "\n".join(t.get(lang) for t in [*scenario.steps, *scenario.escalation])
        assert not re.search(r"小二|Xiao ?Er", said), said
        for line in verdict_lines(KB, scenario, result, lang, TODAY):  # a Taobao rule only where it is named as such
            assert not re.search(r"淘宝(?!/天猫|平台争议处理规则)|Taobao(?!/Tmall| Dispute Rules)", line), line
    assert all("15" not in d.label.en or "JD" in d.label.en for d in result.deadlines)


# ------------------------------------------------------------------ 15: effective dates


@pytest.mark.parametrize("name", [
    "taobao_seven_day_hours", "three_guarantee_exchange_days", "after_sale_days", "taobao_ship_hours",
    "tmall_ship_hours", "broken_promise_complaint_days", "seller_response_unshipped_hours",
    "seller_response_shipped_days", "seller_response_virtual_days", "counterfeit_appeal_working_days",
    "ip_appeal_working_days",
])
def test_parameters_without_a_sourced_effective_date_leave_it_unknown(name):
    assert KB.parameters[name].effective is None


@pytest.mark.parametrize("name", ["tmall_fake_four_times", "tmall_late_shipment"])
def test_compensation_without_a_sourced_effective_date_leaves_it_unknown(name):
    assert KB.compensation[name].effective is None


def test_show_says_when_an_effective_date_is_unknown():
    text = run_cli("kb", "show", "late_shipment", "--lang", "en").stdout.decode()
    assert "48 hours" in text and "effective date unknown" in text
    text = run_cli("kb", "show", "seven_day_return", "--lang", "zh").stdout.decode()
    assert "2014-03-15起施行" in text and "生效日期不明" in text


# ------------------------------------------------------------------ 16: sellers in their own words


SELLER_CASES = [
    (sid, case) for sid, scenario in KB.scenarios.items() for case in scenario.tests
    if case.expect.status is not None
    and (scenario.role == "seller" or case.facts.get("role") == "seller" or "ip_side" in case.facts)
]


@pytest.mark.parametrize("sid, case", SELLER_CASES, ids=[f"{sid}: {case.name}" for sid, case in SELLER_CASES])
def test_a_seller_verdict_says_what_the_seller_may_do(sid, case):
    scenario = KB.scenarios[sid]
    result = Evaluator(KB).evaluate(scenario, typed_facts(KB, scenario, case.facts), case.today, frozenset(case.unsure)).verdict
    zh, en = (verdict_lines(KB, scenario, result, lang, case.today)[0] for lang in ("zh", "en"))
    assert not zh.startswith("✅ 可以") and not en.startswith("✅ Yes"), (zh, en)
    assert result.outcome.label is not None


PASSED = [(sid, case) for sid, scenario in KB.scenarios.items() for case in scenario.tests if case.expect.status == "window_passed"]


@pytest.mark.parametrize("sid, case", PASSED, ids=[f"{sid}: {case.name}" for sid, case in PASSED])
def test_a_passed_window_gives_the_date_that_passed(sid, case):
    scenario = KB.scenarios[sid]
    result = Evaluator(KB).evaluate(scenario, typed_facts(KB, scenario, case.facts), case.today, frozenset(case.unsure)).verdict
    passed = [d for d in result.deadlines if d.date < case.today]
    assert passed, f"{sid}: no deadline before {case.today}"
    lines = verdict_lines(KB, scenario, result, "en", case.today)
    assert any(d.date.isoformat() in line for d in passed for line in lines)
