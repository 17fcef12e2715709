"""docs/authoring.md, followed as an author would: `kb init`, `kb new price_protection`, fill it in, `kb lint` until
it is clean, `kb eval` until it passes, then ask. The finished scenario is tests/fixtures/authoring/."""
import json
import re
import shutil

from conftest import ROOT, run_cli

WORKED = ROOT / "tests" / "fixtures" / "authoring"
OUT_OF_SCOPE_LINE = re.compile(r"its topic is listed out of scope: out_of_scope.yaml:(\d+) ")


def drop_line_numbers(path, numbers):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for n, line in enumerate(lines, 1) if n not in numbers), encoding="utf-8")


def test_price_protection_from_kb_init_to_a_passing_kb_eval(tmp_path):
    kb = tmp_path / "my-kb"
    home = {"WEIQUAN_HOME": str(tmp_path / "home")}

    def weiquan(*args):
        return run_cli(*args, env=home)

    # 1. an editable copy; 2. the scaffold
    assert weiquan("kb", "init", str(kb)).returncode == 0
    made = weiquan("kb", "new", "price_protection", "--kb", str(kb), "--role", "buyer")
    assert made.returncode == 0, made.stderr.decode()
    scenario = kb / "scenarios" / "price_protection.yaml"
    untouched = weiquan("kb", "lint", "--kb", str(kb))
    assert untouched.returncode == 1 and "placeholder left from the scaffold" in untouched.stdout.decode()

    # 3. every TODO replaced (the worked example); lint now points at lines of out_of_scope.yaml that are this topic
    shutil.copy(WORKED / "price_protection.yaml", scenario)
    first = weiquan("kb", "lint", "--kb", str(kb)).stdout.decode()
    errors = [line for line in first.splitlines() if ": error: " in line]
    assert errors and all(OUT_OF_SCOPE_LINE.search(line) for line in errors), first
    assert any("价保" in line or "price protection" in line for line in errors), first

    # 4. delete the lines it names, as the docs say, and lint again until there is no error
    for _ in range(5):
        named = {int(m.group(1)) for m in map(OUT_OF_SCOPE_LINE.search, errors) if m}
        if not named:
            break
        drop_line_numbers(kb / "out_of_scope.yaml", named)
        clean = weiquan("kb", "lint", "--kb", str(kb))
        errors = [line for line in clean.stdout.decode().splitlines() if ": error: " in line]
    assert clean.returncode == 0 and not errors, clean.stdout.decode()
    # warnings may remain (more examples, longer ones): they make matching weaker, not the knowledge base wrong

    # 5. the author's own evaluation file passes its floors
    shutil.copy(WORKED / "price_protection.jsonl", kb / "eval" / "price_protection.jsonl")
    evaluated = weiquan("kb", "eval", str(kb / "eval" / "price_protection.jsonl"), "--kb", str(kb),
                        "--min-accuracy", "90", "--min-rejection", "100")
    assert evaluated.returncode == 0, evaluated.stdout.decode() + evaluated.stderr.decode()

    # 6. and weiquan answers with it
    answer = json.loads(weiquan("ask", "--json", "--kb", str(kb), "价保怎么申请").stdout)
    assert answer["scenario"] == "price_protection"
    verdict = json.loads(weiquan("ask", "--json", "--kb", str(kb), "--scenario", "price_protection", "--today", "2026-11-21",
                                 "--fact", "platform=tmall", "--fact", "price_protected=true", "--fact", "paid_date=2026-11-11",
                                 "--fact", "protection_days=15", "").stdout)["verdict"]
    assert verdict["status"] == "eligible" and verdict["deadline"] == "2026-11-26"


def test_a_failing_floor_fails_kb_eval(tmp_path):
    result = run_cli("kb", "eval", "data/eval/holdout.jsonl", "--min-accuracy", "100.1", env={"WEIQUAN_HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "weiquan: accuracy" in result.stderr.decode() and "is below 100.1%" in result.stderr.decode()
