"""The rules in the files, not the code, decide every outcome: change a number, the verdict follows."""
import datetime as dt
import shutil

from assistant.eligibility import Evaluator
from conftest import SHIPPED_KB
from knowledge_base.loader import load


def verdict(kb, sid, today, **facts):
    return Evaluator(kb).evaluate(kb.scenarios[sid], facts, today).verdict


def test_changing_a_period_in_parameters_changes_the_verdict(tmp_path):
    copy = tmp_path / "kb"
    shutil.copytree(SHIPPED_KB, copy)
    facts = dict(received_date=dt.date(2026, 11, 12), platform="jd")
    before = verdict(load(copy), "seven_day_return", dt.date(2026, 11, 20), **facts)
    path = copy / "parameters.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  seven_day_return_days:\n    value: 7", "  seven_day_return_days:\n    value: 10"), encoding="utf-8")
    after = verdict(load(copy), "seven_day_return", dt.date(2026, 11, 20), **facts)
    assert before.status == "window_passed"
    assert after.status == "eligible" and after.deadline.date == dt.date(2026, 11, 23)


def test_changing_a_multiplier_changes_the_amount(tmp_path):
    copy = tmp_path / "kb"
    shutil.copytree(SHIPPED_KB, copy)
    facts = dict(platform="taobao", price=299, received_date=dt.date(2026, 11, 10))
    assert verdict(load(copy), "fake_goods", dt.date(2026, 11, 21), **facts).compensation.amount == 897
    path = copy / "parameters.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    multiplier: 3\n    minimum: 500", "    multiplier: 5\n    minimum: 500"), encoding="utf-8")
    assert verdict(load(copy), "fake_goods", dt.date(2026, 11, 21), **facts).compensation.amount == 1495


def test_changing_a_rule_in_a_scenario_file_changes_the_verdict(tmp_path):
    copy = tmp_path / "kb"
    shutil.copytree(SHIPPED_KB, copy)
    path = copy / "scenarios" / "not_received.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - when: \"order_status == 'paid'\"\n    outcome: refund_unshipped", "  - when: \"order_status == 'paid'\"\n    outcome: closed"), encoding="utf-8")
    assert verdict(load(SHIPPED_KB), "not_received", dt.date(2026, 11, 21), order_status="paid").status == "eligible"
    assert verdict(load(copy), "not_received", dt.date(2026, 11, 21), order_status="paid").status == "not_eligible"


def test_every_data_file_parses_with_the_pure_python_safe_loader():
    # the C loader is faster but more lenient (e.g. an unquoted "?" before "}" in a flow mapping)
    import yaml

    for path in sorted(SHIPPED_KB.rglob("*.yaml")):
        loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
        try:
            assert loader.get_single_data() is not None, path
        finally:
            loader.dispose()
