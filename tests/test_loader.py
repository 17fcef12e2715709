import re
import shutil

import pytest

from conftest import FIXTURE_KB, edit, line_of
from knowledge_base.loader import KnowledgeBaseError, load


@pytest.fixture
def kb_copy(tmp_path):
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target


def problems_of(root):
    with pytest.raises(KnowledgeBaseError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]






def test_fixture_loads(kb_copy):
    kb = load(kb_copy)
    assert sorted(kb.scenarios) == ["parcel_lost", "want_return"]
    assert kb.scenarios["want_return"].title.get("en") == "Want to return"


def test_every_problem_is_collected_with_file_and_line(kb_copy):
    want = kb_copy / "scenarios" / "want_return.yaml"
    edit(want, "title: {zh: 想退货, en: Want to return}", "titel: {zh: 想退货, en: Want to return}")
    edit(kb_copy / "scenarios" / "parcel_lost.yaml", "role: buyer", "role: shopper")
    found = problems_of(kb_copy)
    assert f"scenarios/want_return.yaml:{line_of(want, 'titel:')}: unknown field 'titel' (did you mean 'title'?)" in found
    assert "scenarios/want_return.yaml:1: missing required field 'title'" in found
    assert any(p.startswith("scenarios/parcel_lost.yaml:2: role:") for p in found)


def test_invalid_yaml_names_the_line(kb_copy):
    path = kb_copy / "scenarios" / "parcel_lost.yaml"
    edit(path, "summary: {zh:", "summary: {zh: [")
    found = problems_of(kb_copy)
    assert any(p.startswith(f"scenarios/parcel_lost.yaml:{line_of(path, 'summary:')}: invalid YAML") for p in found), found


def test_duplicate_keys_are_reported(kb_copy):
    edit(kb_copy / "scenarios" / "parcel_lost.yaml", "role: buyer", "role: buyer\nrole: seller")
    assert "scenarios/parcel_lost.yaml:3: duplicate key 'role'" in problems_of(kb_copy)


def test_id_must_match_file_name(kb_copy):
    edit(kb_copy / "scenarios" / "parcel_lost.yaml", "id: parcel_lost", "id: lost_parcel")
    assert "scenarios/parcel_lost.yaml:1: id 'lost_parcel' does not match the file name 'parcel_lost'" in problems_of(kb_copy)


def test_unknown_fact_in_questions(kb_copy):
    path = kb_copy / "scenarios" / "parcel_lost.yaml"
    edit(path, "questions: [platform, price]", "questions: [platform, prise]")
    assert f"scenarios/parcel_lost.yaml:{line_of(path, 'questions:')}: questions: unknown fact 'prise' (did you mean 'price'?)" in problems_of(kb_copy)


def test_conditions_outside_the_language_are_refused(kb_copy):
    path = kb_copy / "scenarios" / "want_return.yaml"
    edit(path, '- {when: "item_excluded", outcome: excluded}', '- {when: "__import__(\'os\')", outcome: excluded}')
    found = problems_of(kb_copy)
    assert f"scenarios/want_return.yaml:{line_of(path, '__import__')}: unknown function (allowed: days_since, working_days_since, hours_since, known, unsure, hours_between)" in found


def test_missing_files_are_reported(kb_copy):
    (kb_copy / "dict" / "stopwords.txt").unlink()
    (kb_copy / "facts.yaml").unlink()
    found = problems_of(kb_copy)
    assert "dict/stopwords.txt:1: file is missing" in found and "facts.yaml:1: file is missing" in found


def test_yaml_is_data_not_code(kb_copy):
    edit(kb_copy / "scenarios" / "parcel_lost.yaml", "role: buyer", "role: !!python/object/apply:os.system ['echo pwned']")
    found = problems_of(kb_copy)
    assert any("invalid YAML" in p and "parcel_lost.yaml:2" in p for p in found), found


def test_engine_never_evaluates_file_text():
    import pathlib

    for path in pathlib.Path(__file__).resolve().parent.parent.glob("*/*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"yaml\.load\(|(?<![\w.])(eval|exec)\(", text), path


def test_extract_patterns_must_be_valid_and_name_real_values(kb_copy):
    facts = kb_copy / "facts.yaml"
    original = facts.read_text(encoding="utf-8")
    edit(facts, "  item_excluded:\n    type: boolean\n", "  item_excluded:\n    type: boolean\n    extract: {\"true\": [\"(unclosed\"]}\n")
    found = problems_of(kb_copy)
    assert any(p.startswith(f"facts.yaml:{line_of(facts, 'extract:')}: facts.item_excluded.extract: pattern '(unclosed' is not a valid regular expression") for p in found), found
    assert not [p for p in found if p.startswith("scenarios/")]  # no cascade of "unknown fact" after a broken facts.yaml
    facts.write_text(original, encoding="utf-8")
    edit(facts, "  item_excluded:\n    type: boolean\n", "  item_excluded:\n    type: boolean\n    extract: {maybe: [\"定制\"]}\n")
    assert any(p.startswith(f"facts.yaml:{line_of(facts, 'item_excluded:')}: facts.item_excluded: extract: 'maybe' is not a value of this fact (false, true)") for p in problems_of(kb_copy))


def test_a_doubled_escape_in_a_pattern_is_refused_with_its_line(kb_copy):
    """'\\bkeep' in single quotes is two backslashes: the pattern would silently never match a question."""
    facts = kb_copy / "facts.yaml"
    edit(facts, "  item_excluded:\n    type: boolean\n", "  item_excluded:\n    type: boolean\n    extract:\n      \"true\": ['\\\\bcustom made\\\\b']\n")
    found = problems_of(kb_copy)
    assert any(re.match(r"facts\.yaml:\d+: facts\.item_excluded\.extract\.true: pattern .* doubled escape", p) for p in found), found
    edit(facts, "['\\\\bcustom made\\\\b']", "['\\bcustom made\\b']")
    load(kb_copy)  # written as meant, it loads


def test_conditions_on_steps_sources_and_choices_read_known_facts_and_real_values(kb_copy):
    want = kb_copy / "scenarios" / "want_return.yaml"
    edit(want, "  - {zh: 申请退货。, en: Apply for a return.}",
         "  - {zh: 申请退货。, en: Apply for a return., when: \"platform == 'tmal'\"}\n"
         "  - {zh: 天猫。, en: Tmall., when: \"days_since(received_date) > 3\"}")
    edit(want, "    confidence: P", "    confidence: P\n    when: \"plattform == 'tmall'\"")
    edit(want, "  - {fact: item_excluded, assume: false,", "  - {fact: item_excluded, if_unsure: maybe, quiet: true, assume: false,")
    found = problems_of(kb_copy)
    assert f"scenarios/want_return.yaml:{line_of(want, 'tmal')}: condition compares 'platform' with 'tmal', which is not one of its values (did you mean 'tmall'?)" in found
    assert f"scenarios/want_return.yaml:{line_of(want, 'days_since')}: this condition reads facts only (no date functions)" in found
    assert any(p.startswith(f"scenarios/want_return.yaml:{line_of(want, 'plattform')}: condition uses unknown fact 'plattform'") for p in found)
    assert any("if_unsure: 'maybe' is not a choice of 'item_excluded' (True, False)" in p for p in found)
    assert any("quiet: needs assume and ask_when" in p for p in found)


def test_a_rule_comparing_a_choice_with_a_value_it_does_not_have_is_refused(kb_copy):
    want = kb_copy / "scenarios" / "want_return.yaml"
    edit(want, '{when: "item_excluded", outcome: excluded}', '{when: "item_excluded and platform in [\'taobao\', \'jingdong\']", outcome: excluded}')
    edit(want, "  - received_date\n", "  - received_date\n  - platform\n")
    found = problems_of(kb_copy)
    assert any("condition compares 'platform' with 'jingdong', which is not one of its values" in p for p in found)
