"""`weiquan kb`: lint (every rule against a broken fixture, exact file and line), new, show, stats, eval."""
import json
import os
import re
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
    # the fixture base is tiny, so a held-out model is never as sure as on the shipped one: a lower bar here (the
    # planted example is 0.76 ahead with the temperature fitted in round 6; the fixture's own examples 0.35 at most)
    monkeypatch.setattr("knowledge_base.lint.CONFUSION_MARGIN", 0.7)
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, "  en: [can I return it", "  en: [my parcel was lost and never arrived, can I return it")
    problems = found(kb)
    assert any(p.startswith(f"scenarios/want_return.yaml:{line_of(path, 'my parcel was lost and never arrived')}: warning: example 'my parcel was lost and never arrived' matches parcel_lost better") for p in problems), problems


def test_failing_scenario_test(kb):
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, "expect: {status: eligible, deadline: 2026-11-19}", "expect: {status: eligible, deadline: 2026-11-20}")
    assert f"scenarios/want_return.yaml:{line_of(path, 'name: day 7')}: error: test 'day 7' fails: expected deadline 2026-11-20, got 2026-11-19" in found(kb)


def test_scenarios_below_the_minimum_fail(kb):
    path = kb / "scenarios" / "parcel_lost.yaml"
    edit(kb / "scenarios" / "want_return.yaml", "  zh: [不喜欢了能退吗,", "  zh: [" + ", ".join(f"第{n}种问法" for n in range(40)) + ", 不喜欢了能退吗,")
    want = kb / "scenarios" / "want_return.yaml"
    problems = found(kb)
    assert f"scenarios/want_return.yaml:{line_of(want, '  zh: [第0种问法')}: warning: only 43 zh examples (at least 100 make matching reliable)" in problems
    assert f"scenarios/parcel_lost.yaml:{line_of(path, '  zh: [快递丢了怎么办')}: error: only 3 zh examples (at least 30 make matching reliable)" in problems
    assert "scenarios/parcel_lost.yaml:1: error: only 0 tests (at least 6: both sides of every period, floors and caps)" in problems
    assert f"scenarios/want_return.yaml:{line_of(want, 'tests:')}: error: only 1 tests (at least 6: both sides of every period, floors and caps)" in problems


def test_lint_json_and_exit_0_with_only_warnings(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "data", kb)
    edit(kb / "parameters.yaml", "compensation:", "  spare_days:\n    value: 3\n    unit: days\n    effective: 2020-01-01\n"
         "    source:\n      title: {zh: 备用, en: Spare}\n      confidence: S\ncompensation:")
    result = run_cli("kb", "lint", "--kb", str(kb), "--json")
    assert result.returncode == 0, result.stdout.decode()
    problems = json.loads(result.stdout)
    assert [p["message"] for p in problems] == ["parameter 'spare_days' is not used by any rule"]
    assert set(problems[0]) == {"file", "line", "message", "level"} and problems[0]["level"] == "warning"


def test_a_file_that_needs_libyaml_fails(kb):
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, "title: {zh: 想退货, en: Want to return}", "title: {zh: 想退货, en: Want to return?}")
    problems = found(kb)
    assert any(p.startswith(f"scenarios/want_return.yaml:{line_of(path, 'Want to return?')}: error: expected ',' or '}}', but got '?' with PyYAML's pure-Python parser")
               for p in problems), problems


def test_portability_is_checked_again_only_for_changed_files_and_a_problem_every_time(kb, tmp_path, monkeypatch):
    from knowledge_base import safe_yaml

    monkeypatch.setenv("WEIQUAN_HOME", str(tmp_path / "home"))  # an empty record of portable files
    checked = []
    real = safe_yaml.portability_problem
    monkeypatch.setattr(safe_yaml, "portability_problem", lambda path, rel: checked.append(rel) or real(path, rel))
    first = found(kb)
    assert "scenarios/want_return.yaml" in checked
    checked.clear()
    assert found(kb) == first and checked == []  # nothing changed: nothing parsed twice
    path = kb / "scenarios" / "want_return.yaml"
    edit(path, "title: {zh: 想退货, en: Want to return}", "title: {zh: 想退货, en: Want to return?}")
    for _ in range(2):  # a file with a problem is never taken as checked
        checked.clear()
        assert any("with PyYAML's pure-Python parser" in p for p in found(kb))
        assert checked == ["scenarios/want_return.yaml"]


def test_a_new_scenario_whose_topic_is_listed_out_of_scope_fails(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "data", kb)
    shutil.copy(ROOT / "tests" / "fixtures" / "authoring" / "price_protection.yaml", kb / "scenarios")
    oos = (kb / "out_of_scope.yaml").read_text(encoding="utf-8").splitlines()
    listed = [re.fullmatch(r"scenarios/price_protection\.yaml:4: error: its topic is listed out of scope: out_of_scope\.yaml:(\d+) "
                           r"'(.+)' is answered by price_protection; remove that line from out_of_scope\.yaml if the scenario now "
                           r"covers it", p) for p in found(kb)]
    listed = [m for m in listed if m]
    assert listed  # the price-protection questions the knowledge base lists as out of scope, each with its own line
    for m in listed:
        assert m.group(2) in oos[int(m.group(1)) - 1]
    assert all("价保" in m.group(2) or "price protection" in m.group(2).lower() for m in listed)
    from assistant.text import normalise

    # the questions out of scope outvote a new scenario on their own topic: its keywords find them too
    named = [re.fullmatch(r"scenarios/price_protection\.yaml:4: error: its topic is listed out of scope: out_of_scope\.yaml:(\d+) "
                          r"'(.+)' mentions its keyword '(.+)'; remove that line .*", p) for p in found(kb)]
    named = [m for m in named if m]
    assert any(m.group(3) == "价保" for m in named)
    for m in named:
        assert m.group(2) in oos[int(m.group(1)) - 1] and m.group(3) in normalise(m.group(2))  # 差價 reads as 差价
    shutil.copy(ROOT / "data" / "catalogue.yaml", kb / "catalogue.yaml")
    with open(kb / "catalogue.yaml", "a", encoding="utf-8") as handle:
        handle.write("- price_protection\n")
    assert not [p for p in found(kb) if "listed out of scope" in p]  # the catalogue's own scenarios are kb eval's business


def test_holiday_table_entries_that_change_nothing_are_warned(kb):
    (kb / "holidays").mkdir()
    (kb / "holidays" / "2027.yaml").write_text("holidays: [2027-01-01]\nworkdays: [2027-01-08]\n", encoding="utf-8")
    assert "holidays/2027.yaml:2: warning: workdays: 2027-01-08 is a weekday, a working day anyway (make-up days fall on weekends)" in found(kb)


def test_new_scaffold_loads_and_refuses_bad_ids(kb):
    result = run_cli("kb", "new", "price_protection", "--kb", str(kb), "--role", "buyer")
    assert result.returncode == 0
    path = kb / "scenarios" / "price_protection.yaml"
    assert path.is_file() and result.stdout.decode().strip() == str(path.resolve())
    from knowledge_base.loader import load

    loaded = load(kb)
    assert "price_protection" in loaded.scenarios and len(loaded.scenarios["price_protection"].tests) == 2
    problems = found(kb)  # the untouched scaffold loads, but is not done: lint fails on every placeholder
    assert f"scenarios/price_protection.yaml:{line_of(path, 'TODO 一句话标题')}: error: placeholder left from the scaffold: 'TODO 一句话标题'" in problems
    texts = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len([p for p in problems if "placeholder" in p]) == sum(line.count("TODO") for line in texts)
    assert run_cli("kb", "lint", "--kb", str(kb)).returncode == 1
    for bad, message in [("Price-Protection", "not a snake_case id"), ("../escape", "not a snake_case id"), ("price_protection", "already exists")]:
        refused = run_cli("kb", "new", bad, "--kb", str(kb))
        assert refused.returncode == 2 and message in refused.stderr.decode()
    assert sorted(p.name for p in (kb / "scenarios").iterdir()) == ["parcel_lost.yaml", "price_protection.yaml", "want_return.yaml"]


def test_show_renders_rules_as_sentences():
    result = run_cli("kb", "show", "seven_day_return", "--lang", "en")
    text = result.stdout.decode()
    assert result.returncode == 0
    assert "3. If Excluded from seven-day returns = yes → **excluded**" in text
    assert "1. If Seller is a business = no → **not_eligible**" in text  # `not fact` read as the fact being no
    assert "[S] (only where Platform is one of Taobao, Tmall)" in text  # a source shown on a condition says so
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


# ---------------------------------------------------------------- an editable copy, never the installed package


def test_kb_init_copies_the_shipped_knowledge_base(tmp_path):
    target = tmp_path / "my-kb"
    result = run_cli("kb", "init", str(target))
    assert result.returncode == 0, result.stderr.decode()
    assert f"weiquan kb new ID --kb {target}" in result.stdout.decode()
    shipped = {p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*") if p.is_file()}
    assert {p.relative_to(target) for p in target.rglob("*") if p.is_file()} == shipped
    assert run_cli("kb", "lint", "--kb", str(target)).returncode == 0
    again = run_cli("kb", "init", str(target))
    assert again.returncode == 2 and "already exists and is not an empty folder" in again.stderr.decode()


def test_kb_new_refuses_the_installed_package_and_points_at_kb_init(wheel, tmp_path):
    import subprocess
    import sys
    import zipfile

    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)  # what `pip install .` puts in site-packages
    env = {"PYTHONPATH": str(site), "WEIQUAN_HOME": str(tmp_path / "home")}

    def weiquan(*args):
        return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=tmp_path, env={**os.environ, **env},
                              capture_output=True, timeout=120)

    installed = site / "knowledge_base" / "data" / "scenarios"
    before = sorted(p.name for p in installed.iterdir())
    refused = weiquan("kb", "new", "price_protection")
    err = refused.stderr.decode()
    assert refused.returncode == 2 and "installed with weiquan" in err and "weiquan kb init DIR" in err, err
    assert sorted(p.name for p in installed.iterdir()) == before
    copy = tmp_path / "my-kb"
    assert weiquan("kb", "init", str(copy)).returncode == 0
    made = weiquan("kb", "new", "price_protection", "--kb", str(copy))
    assert made.returncode == 0 and (copy / "scenarios" / "price_protection.yaml").is_file()
    assert weiquan("kb", "init", str(site / "knowledge_base" / "data" / "x")).returncode == 2


def test_ids_with_a_newline_or_a_path_are_refused(kb):
    for bad in ["evil\n", "evil\nx", "../evil", "evil.yaml", "Evil", "évil", ""]:
        result = run_cli("kb", "new", bad, "--kb", str(kb))
        assert result.returncode == 2 and "not a snake_case id" in result.stderr.decode(), repr(bad)
    assert sorted(p.name for p in (kb / "scenarios").iterdir()) == ["parcel_lost.yaml", "want_return.yaml"]


def test_prune_cache_keeps_the_newest_builds(tmp_path, monkeypatch):
    from knowledge_base import locations

    monkeypatch.setenv("WEIQUAN_HOME", str(tmp_path))
    cache = tmp_path / "cache"
    cache.mkdir()
    for age in range(6):
        path = cache / f"engine-{age}.json"
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (1_000_000 - age * 10, 1_000_000 - age * 10))
    (cache / "other.txt").write_text("kept", encoding="utf-8")
    removed = locations.prune_cache("engine-*", keep=3)
    assert sorted(p.name for p in removed) == ["engine-3.json", "engine-4.json", "engine-5.json"]
    assert sorted(p.name for p in cache.iterdir()) == ["engine-0.json", "engine-1.json", "engine-2.json", "other.txt"]
    assert locations.prune_cache("engine-*", keep=3) == []
    (tmp_path / "cache").rename(tmp_path / "gone")
    assert locations.prune_cache() == []  # no cache folder yet: nothing to do, nothing raised


def test_confusion_folds_trained_in_worker_processes_score_as_trained_inline(monkeypatch):
    import hashlib

    from assistant.match import OUT_OF_SCOPE, build_tokenizer, training_set
    from knowledge_base import lint as linting
    from knowledge_base.loader import load

    kb = load(FIXTURE_KB).as_views()
    classes = list(kb.scenarios) + [OUT_OF_SCOPE]
    documents, labels, texts = training_set(kb, build_tokenizer(kb), classes)
    fold_of = {n: int(hashlib.sha256(t.encode()).hexdigest(), 16) % linting.CONFUSION_FOLDS for n, t in enumerate(texts)}
    with monkeypatch.context() as patch:
        patch.setattr(linting, "PARALLEL_FROM", 0)
        patch.setattr(os, "cpu_count", lambda: 2)
        patch.setattr(linting, "_fold_scores", lambda *args: pytest.fail("trained here, not in a worker"))
        parallel = linting._held_out_scores(documents, labels, classes, fold_of)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    inline = linting._held_out_scores(documents, labels, classes, fold_of)
    assert parallel == inline and set(parallel) == set(fold_of)
