"""Hostile or broken knowledge-base files (tests/fixtures/attacks/) are refused with file:line and exit 3: nothing
hangs, recurses without end, runs out of memory or ends in an internal error."""
import shutil

import pytest

from conftest import FIXTURE_KB, ROOT, edit, line_of, run_cli
from knowledge_base.loader import KnowledgeBaseError, load

ATTACKS = ROOT / "tests" / "fixtures" / "attacks"


@pytest.fixture
def kb(tmp_path):
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target


def plant(kb, name: str, where: str):
    target = kb / where
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ATTACKS / name, target)
    return target


def problems_of(root):
    with pytest.raises(KnowledgeBaseError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def has(found, prefix):
    assert any(p.startswith(prefix) for p in found), found


# (attack file, where it is planted, the problem's expected start — None: the line of the first attack line)
CASES = [
    ("billion_laughs.yaml", "scenarios/billion_laughs.yaml", "scenarios/billion_laughs.yaml:{line}: invalid YAML: more than 20,000 values", "e: &e"),
    ("recursive_alias.yaml", "scenarios/recursive_alias.yaml", "scenarios/recursive_alias.yaml:{line}: invalid YAML: alias *loop refers to a node that contains it", "id: &loop"),
    ("deep_nesting.yaml", "scenarios/deep_nesting.yaml", "scenarios/deep_nesting.yaml:{line}: invalid YAML: nested more than 16 levels deep", "id: [[["),
    ("many_nots.yaml", "scenarios/many_nots.yaml", "scenarios/many_nots.yaml:{line}: condition is longer than 1000 characters", "not not"),
    ("unary_minus.yaml", "scenarios/unary_minus.yaml", "scenarios/unary_minus.yaml:{line}: minus (-) may only stand before a number", "-'abc'"),
    ("redos_extract.yaml", "scenarios/redos_extract.yaml", "scenarios/redos_extract.yaml:{line}: facts.parcel_note.extract.true: pattern '(a+)+$' has a quantifier inside a quantifier", "(a+)+$"),
    ("gbk_stopwords.txt", "dict/stopwords.txt", "dict/stopwords.txt:1: not UTF-8 text", None),
    ("holiday_2027.yaml", "holidays/2027.yaml", "holidays/2027.yaml:{line}: invalid YAML: '2027-02-30' cannot be read (day is out of range", "workdays:"),
]


@pytest.mark.parametrize("name, where, expected, marker", CASES, ids=[c[0] for c in CASES])
def test_attack_file_is_a_problem_with_file_and_line(kb, name, where, expected, marker):
    path = plant(kb, name, where)
    line = line_of(path, marker) if marker else 1
    has(problems_of(kb), expected.format(line=line))


def test_holiday_table_dates_and_keys_are_checked(kb):
    (kb / "holidays").mkdir()
    path = kb / "holidays" / "2027.yaml"
    path.write_text("holidays: [2027-01-01]\nworkday: [2027-02-06]\nworkdays: [soon]\n", encoding="utf-8")
    found = problems_of(kb)
    assert "holidays/2027.yaml:2: unknown field 'workday' (did you mean 'workdays'?)" in found
    has(found, "holidays/2027.yaml:3: workdays.0: Input should be a valid date")
    path.write_text("holidays: [2027-01-01, 2026-10-01]\nworkdays: [2027-01-01]\n", encoding="utf-8")
    found = problems_of(kb)
    assert "holidays/2027.yaml:1: holidays: 2026-10-01 is not in 2027" in found
    assert "holidays/2027.yaml:2: 2027-01-01 is both a holiday and a working day" in found
    (kb / "holidays" / "next.yaml").write_text("holidays: []\n", encoding="utf-8")
    assert "holidays/next.yaml:1: a holiday table is named after its year (e.g. holidays/2027.yaml), or fixed.yaml" in problems_of(kb)


def test_the_fixed_date_table_is_checked(kb):
    (kb / "holidays").mkdir()
    shutil.copy(ROOT / "data" / "holidays" / "fixed.yaml", kb / "holidays" / "fixed.yaml")
    load(kb)
    edit(kb / "holidays" / "fixed.yaml", '"10-03"', '"10-32"')
    has(problems_of(kb), "holidays/fixed.yaml:")
    assert any("'10-32' is not a month and day (MM-DD)" in p for p in problems_of(kb))


def test_a_good_holiday_table_loads(kb):
    (kb / "holidays").mkdir()
    (kb / "holidays" / "2027.yaml").write_text("holidays: [2027-01-01]\nworkdays: [2027-01-09]\n", encoding="utf-8")
    load(kb)


def test_a_huge_file_is_refused_without_reading_it(kb):
    path = kb / "scenarios" / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(58 * 1024 * 1024)  # sparse: 58 MB on paper, nothing on disk
    has(problems_of(kb), "scenarios/huge.yaml:1: file is too large (60,817,408 bytes; at most 524,288)")


def test_a_hundred_thousand_levels_deep(kb):
    path = kb / "scenarios" / "deeper.yaml"
    path.write_text("id: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    has(problems_of(kb), "scenarios/deeper.yaml:1: invalid YAML: nested more than 16 levels deep")


@pytest.mark.parametrize("name, where", [(c[0], c[1]) for c in CASES])
def test_every_attack_exits_3_naming_the_file(kb, name, where):
    plant(kb, name, where)
    result = run_cli("ask", "--kb", str(kb), "--json", "不喜欢了能退吗")
    err = result.stderr.decode()
    assert result.returncode == 3, err
    assert f"weiquan: invalid knowledge base: {where}:" in err
    assert "Traceback" not in err and "internal error" not in err and result.stdout == b""


def test_aliases_within_limits_still_work(kb):
    path = kb / "scenarios" / "parcel_lost.yaml"
    text = path.read_text(encoding="utf-8")
    assert "evidence:\n" in text
    text = text.replace("evidence:\n", "evidence: &evidence\n", 1) + "x-unused: *evidence\n"
    path.write_text(text, encoding="utf-8")
    found = problems_of(kb)  # the alias itself is fine; the unknown key is the only problem
    assert found == [f"scenarios/parcel_lost.yaml:{line_of(path, 'x-unused')}: unknown field 'x-unused'"]
