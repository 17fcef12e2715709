"""`weiquan kb`: lint (every rule against a broken fixture, exact file and line), new, show, stats, eval."""
import json
import shutil

import pytest

from conftest import FIXTURE_KB, ROOT, edit, line_of, run_cli
from knowledge_base.lint import lint


@pytest.fixture
def kb(tmp_path):
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target






def found(root):
    return [f"{p.file}:{p.line}: {p.level}: {p.message}" for p in lint(root)]


def test_shipped_knowledge_base_lints_clean():
    result = run_cli("kb", "lint")
    assert result.returncode == 0, result.stdout.decode()
    assert result.stdout == b""


def test_schema_problem_exits_1_with_did_you_mean(kb):
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, "summary: {zh:", "sumary: {zh:")
    result = run_cli("kb", "lint", "--kb", str(kb))
    assert result.returncode == 1
    assert f"scenarios/want_return.yaml:{line_of(path, 'sumary:')}: error: unknown field 'sumary' (did you mean 'summary'?)" in result.stdout.decode()


def test_catalogue_ids_need_a_file(kb):
    (kb / "catalogue.yaml").write_text("- parcel_lost\n- want_return\n- price_protection\n", encoding="utf-8")
    assert "scenarios/price_protection.yaml:1: error: catalogue id 'price_protection' has no scenario file" in found(kb)


def test_duplicate_ids(kb):
    copy = kb / "scenarios" / "want_return_copy.yaml"
    shutil.copy(kb / "scenarios" / "want_return.yaml", copy)
    problems = found(kb)
    assert "scenarios/want_return_copy.yaml:1: error: id 'want_return' does not match the file name 'want_return_copy'" in problems
    assert "scenarios/want_return_copy.yaml:1: error: duplicate scenario id 'want_return'" in problems


def test_missing_translation(kb):
    path = kb / "scenarios" / "parcel_lost.yaml"
    edit(path, "title: {zh: 包裹丢了, en: Lost parcel}", "title: {zh: 包裹丢了}")
    assert f"scenarios/parcel_lost.yaml:{line_of(path, 'title: {zh: 包裹丢了}')}: error: missing required field 'title.en'" in found(kb)


def test_rule_pointing_at_a_missing_outcome_fact_and_parameter(kb):
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, '- {when: "item_excluded", outcome: excluded}', '- {when: "item_excluded or platfrom == \'x\'", outcome: excluded_now}')
    edit(path, "days: return_days", "days: return_dayz")
    problems = found(kb)
    rule = line_of(path, "excluded_now")
    assert f"scenarios/want_return.yaml:{rule}: error: condition uses unknown name 'platfrom' (did you mean 'platform'?)" in problems
    assert f"scenarios/want_return.yaml:{rule}: error: rule leads to unknown outcome 'excluded_now' (did you mean 'excluded'?)" in problems
    assert any(p.startswith(f"scenarios/want_return.yaml:{line_of(path, 'return_dayz')}: error: days: 'return_dayz'") for p in problems)


def test_rules_that_can_never_fire(kb):
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, '  - {when: "item_excluded", outcome: excluded}\n',
         '  - {when: "item_excluded and not item_excluded", outcome: excluded}\n  - {when: "item_excluded", outcome: excluded}\n  - {when: "item_excluded", outcome: too_late}\n')
    edit(path, "  - outcome: too_late\n", "  - outcome: too_late\n  - {outcome: eligible}\n")
    problems = found(kb)
    assert f"scenarios/want_return.yaml:{line_of(path, 'item_excluded and not')}: warning: rule 1 can never fire: item_excluded cannot be both true and false" in problems
    assert f"scenarios/want_return.yaml:{line_of(path, 'outcome: too_late}')}: warning: rule 3 can never fire: rule 2 has the same condition" in problems
    assert f"scenarios/want_return.yaml:{line_of(path, '{outcome: eligible}')}: warning: rule 6 can never fire: rule 5 before it always applies" in problems


def test_parameter_without_effective_date_and_unused_parameter(kb):
    path = kb / "parameters.yaml"
    edit(path, "    effective: 2014-03-15\n    source:\n      title: {zh: 消费者权益保护法 第25条", "    source:\n      title: {zh: 消费者权益保护法 第25条")
    assert f"parameters.yaml:{line_of(path, 'return_days:')}: error: missing required field 'parameters.return_days.effective'" in found(kb)
    shutil.copy(FIXTURE_KB / "parameters.yaml", path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("compensation:", "  spare_days:\n    value: 3\n    unit: days\n    effective: 2020-01-01\n    source:\n      title: {zh: 备用, en: Spare}\n      confidence: S\ncompensation:"), encoding="utf-8")
    assert f"parameters.yaml:{line_of(path, 'spare_days:')}: warning: parameter 'spare_days' is not used by any rule" in found(kb)


def test_duplicate_examples_across_scenarios(kb):
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, "  zh: [不喜欢了能退吗,", "  zh: [快递丢了怎么办, 不喜欢了能退吗,")
    first = line_of(kb / "scenarios" / "parcel_lost.yaml", "快递丢了怎么办")
    problems = found(kb)
    assert any(p.startswith(f"scenarios/want_return.yaml:{line_of(path, '快递丢了怎么办')}: error: example '快递丢了怎么办' is duplicated (also in scenarios/parcel_lost.yaml:{first})") for p in problems), problems


def test_example_that_matches_another_scenario(kb, monkeypatch):
    # the fixture base is tiny, so a held-out model is never as sure as on the shipped one: a lower bar here
    monkeypatch.setattr("knowledge_base.lint.CONFUSION_MARGIN", 0.8)
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, "  en: [can I return it", "  en: [my parcel was lost and never arrived, can I return it")
    problems = found(kb)
    assert any(p.startswith(f"scenarios/want_return.yaml:{line_of(path, 'my parcel was lost and never arrived')}: warning: example 'my parcel was lost and never arrived' matches parcel_lost better") for p in problems), problems


def test_failing_scenario_test(kb):
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, "expect: {status: eligible, deadline: 2026-11-19}", "expect: {status: eligible, deadline: 2026-11-20}")
    assert f"scenarios/want_return.yaml:{line_of(path, 'name: day 7')}: error: test 'day 7' fails: expected deadline 2026-11-20, got 2026-11-19" in found(kb)


def test_thin_scenarios_are_warned(kb):
    path = kb / "scenarios" / "parcel_lost.yaml"
    assert f"scenarios/parcel_lost.yaml:{line_of(path, '  zh: [快递丢了怎么办')}: warning: only 3 zh examples (at least 100 make matching reliable)" in found(kb)


def test_lint_json_and_exit_0_with_only_warnings(kb):
    result = run_cli("kb", "lint", "--kb", str(kb), "--json")
    assert result.returncode == 0
    problems = json.loads(result.stdout)
    assert problems and {p["level"] for p in problems} == {"warning"}
    assert set(problems[0]) == {"file", "line", "message", "level"}


def test_new_scaffold_loads_and_refuses_bad_ids(kb):
    result = run_cli("kb", "new", "price_protection", "--kb", str(kb), "--role", "buyer")
    assert result.returncode == 0
    path = kb / "scenarios" / "price_protection.yaml"
    assert path.is_file() and result.stdout.decode().strip() == str(path.resolve())
    from knowledge_base.loader import load

    loaded = load(kb)
    assert "price_protection" in loaded.scenarios and len(loaded.scenarios["price_protection"].tests) == 2
    assert not [p for p in lint(kb) if p.level == "error"]
    for bad, message in [("Price-Protection", "not a snake_case id"), ("../escape", "not a snake_case id"), ("price_protection", "already exists")]:
        refused = run_cli("kb", "new", bad, "--kb", str(kb))
        assert refused.returncode == 2 and message in refused.stderr.decode()
    assert sorted(p.name for p in (kb / "scenarios").iterdir()) == ["parcel_lost.yaml", "price_protection.yaml", "want_return.yaml"]


def test_show_renders_rules_as_sentences():
    result = run_cli("kb", "show", "seven_day_return", "--lang", "en")
    text = result.stdout.decode()
    assert result.returncode == 0
    assert "2. If Excluded from seven-day returns = yes → **excluded**" in text
    assert "Within Statutory seven days" in text and "7 days (from Date signed for)" in text
    assert run_cli("kb", "show", "no_such").returncode == 2


def test_stats_thinnest_first(kb):
    edit(kb / "scenarios" / "parcel_lost.yaml", "  zh: [快递丢了怎么办, ", "  zh: [")
    result = run_cli("kb", "stats", "--kb", str(kb), "--json")
    rows = json.loads(result.stdout)
    assert [r["scenario"] for r in rows] == ["parcel_lost", "want_return"]
    assert rows[0]["examples_zh"] == 2


def test_eval_matches_what_ask_gives(engine):
    import datetime as dt

    from assistant.dialogue import Conversation
    from assistant.extract import implied_role, stated_role
    from knowledge_base.evaluate import read_labelled

    for item in read_labelled(ROOT / "data" / "eval" / "dev.jsonl", engine.kb):
        conversation = Conversation(engine, today=dt.date(2026, 11, 21))
        conversation.send(item.q)
        evaluated = engine.matcher.match(item.q, stated_role(item.q), implied_role(item.q))  # what kb eval scores
        assert conversation.match == evaluated, item.q


def test_eval_reports_the_change_since_the_last_run(tmp_path):
    home = {"WEIQUAN_HOME": str(tmp_path / "home")}
    first = run_cli("kb", "eval", "data/eval/holdout.jsonl", env=home).stdout.decode()
    second = run_cli("kb", "eval", "data/eval/holdout.jsonl", env=home).stdout.decode()
    assert "since the last run" not in first
    assert "(unchanged since the last run)" in second
