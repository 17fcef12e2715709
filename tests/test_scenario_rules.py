"""Every scenario file carries `tests:` (facts + today → expected verdict); this runs them all."""
import pytest

from assistant.eligibility import Evaluator
from assistant.facts import parse_value
from conftest import SHIPPED_KB
from knowledge_base.loader import load

KB = load(SHIPPED_KB)
CASES = [(sid, test) for sid, scenario in KB.scenarios.items() for test in scenario.tests]


def typed_facts(kb, scenario, raw: dict) -> dict:
    return {name: parse_value(name, kb.fact(name, scenario), str(value).lower() if isinstance(value, bool) else str(value)) for name, value in raw.items()}


@pytest.mark.parametrize("sid, case", CASES, ids=[f"{sid}: {case.name}" for sid, case in CASES])
def test_scenario_case(sid, case):
    scenario = KB.scenarios[sid]
    evaluation = Evaluator(KB).evaluate(scenario, typed_facts(KB, scenario, case.facts), case.today, frozenset(case.unsure))
    expect = case.expect
    verdict = evaluation.verdict
    if expect.status is None:
        assert verdict is None, f"expected no verdict, got {verdict and verdict.status}"
    else:
        assert verdict is not None, f"no verdict; missing {evaluation.missing}"
        assert verdict.status == expect.status
        if expect.outcome is not None:
            assert verdict.outcome_id == expect.outcome
        if expect.deadline is not None:
            assert verdict.deadline is not None and verdict.deadline.date == expect.deadline
        if expect.opens is not None:
            assert verdict.opens is not None and verdict.opens.date == expect.opens
        if expect.amount is not None:
            assert verdict.compensation is not None and verdict.compensation.amount == expect.amount
        if expect.estimated is not None:
            assert verdict.deadline is not None and verdict.deadline.estimated == expect.estimated
    if expect.missing is not None:
        assert evaluation.missing[: len(expect.missing)] == expect.missing


def test_every_scenario_has_at_least_six_cases():
    for sid, scenario in KB.scenarios.items():
        assert len(scenario.tests) >= 6, sid
