"""`weiquan kb lint`: every problem in a knowledge base, each as `file:line: error|warning: message`.

Errors make the knowledge base wrong (it would not load, a rule points nowhere, a scenario's own tests
fail, two scenarios claim the same question, a scaffold placeholder is left, a scenario has fewer examples or
tests than the minimum, its topic is listed out of scope, a file reads differently without libyaml); warnings
make it weaker (an example that matches another scenario better, a rule that can never fire, a parameter
nobody uses).
"""
from __future__ import annotations

import ast
import re
from dataclasses import asdict
from pathlib import Path

from .holidays import holiday_files, holiday_warnings
from .model import KnowledgeBaseError, Problem

MIN_EXAMPLES = 100  # per scenario and language: fewer do not cover the ways real people ask
LONG_EXAMPLE = {"zh": 30, "en": 60}  # characters: real questions are often long posts …
MIN_LONG_SHARE = 0.15  # … so at least this share of the examples should be that long
CONFUSION_MARGIN = 0.9  # the example held out, another scenario this much more probable than its own: a reader should look
CONFUSION_FOLDS = 4
MIN_EXAMPLES_REQUIRED = 30  # per language: fewer is an error (MIN_EXAMPLES above is what matching wants)
MIN_TESTS = 6
PLACEHOLDER = "TODO"  # what `kb new` leaves for the author to replace


def lint(root: Path) -> list[Problem]:
    """All problems, errors first within each file, sorted by file and line."""
    from .loader import load

    try:
        kb = load(root)
    except KnowledgeBaseError as exc:  # little else can be checked on a base that does not load
        return sorted(exc.problems + _portability(root), key=_order)
    problems: list[Problem] = _portability(root)
    problems += _placeholders(kb)
    problems += holiday_warnings(root)
    problems += _catalogue(kb)
    problems += _dead_rules(kb)
    problems += _unused(kb)
    problems += _thin(kb)
    problems += _uniform_examples(kb)
    problems += _duplicate_examples(kb)
    problems += _confused_examples(kb)
    problems += _topics_out_of_scope(kb)
    problems += _failing_tests(kb)
    from .drafts import lint_case_files  # drafts.yaml and case_events.yaml

    problems += lint_case_files(root, kb)
    return sorted(problems, key=_order)


def _order(problem: Problem):
    return (problem.file, problem.line, problem.level != "error", problem.message)


def as_json(problems: list[Problem]) -> list[dict]:
    return [asdict(p) for p in problems]


def _line(kb, rel: str, *path) -> int:
    lines = kb.lines.get(rel, {})
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _rel(sid: str) -> str:
    return f"scenarios/{sid}.yaml"


# ------------------------------------------------------------------ files that read the same everywhere


def _yaml_files(root: Path) -> list[Path]:
    names = ["facts.yaml", "parameters.yaml", "out_of_scope.yaml", "dict/synonyms.yaml", "catalogue.yaml", "drafts.yaml"]
    scenarios = sorted((root / "scenarios").glob("*.yaml")) if (root / "scenarios").is_dir() else []
    return [p for p in [root / n for n in names] + scenarios + holiday_files(root) if p.is_file()]


PORTABLE_RECORD = "portable-yaml.json"  # in the cache folder: digests of files found to read the same both ways
PORTABLE_KEPT = 2000


def _portability(root: Path) -> list[Problem]:
    """Files that read differently with PyYAML's pure-Python parser. The same bytes under the same PyYAML are not
    parsed again: the pure-Python parser takes ≈ 1.6 s of a lint on the shipped knowledge base, and an author
    usually changes one file between two lints."""
    import hashlib
    import json

    import yaml

    from .locations import cache_dir, write_derived
    from .safe_yaml import SafeLoader, portability_problem

    record = cache_dir() / PORTABLE_RECORD
    try:
        known = set(json.loads(record.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        known = set()
    problems, portable = [], set()
    for path in _yaml_files(root):
        try:
            digest = hashlib.sha256(f"{yaml.__version__}|{SafeLoader.__name__}|".encode() + path.read_bytes()).hexdigest()
        except OSError:
            digest = None
        if digest is not None and digest in known:
            portable.add(digest)
            continue
        problem = portability_problem(path, path.relative_to(root).as_posix())
        if problem is not None:
            problems.append(problem)
        elif digest is not None:
            portable.add(digest)
    if not portable <= known:
        keep = portable | known if len(portable | known) <= PORTABLE_KEPT else portable
        write_derived(record, json.dumps(sorted(keep)).encode("ascii"), prefix=".portable-")
    return problems


# ------------------------------------------------------------------ scaffold placeholders left in


def _placeholders(kb) -> list[Problem]:
    from .safe_yaml import read_yaml

    out = []
    for path in _yaml_files(kb.root):
        rel = path.relative_to(kb.root).as_posix()
        data, lines, _ = read_yaml(path, rel)
        for where, text in _texts(data, ()):
            if PLACEHOLDER in text:
                out.append(Problem(rel, _line(kb, rel, *where) if rel in kb.lines else lines.get(where, 1),
                                   f"placeholder left from the scaffold: {text[:60]!r}", "error"))
    return out


def _texts(data, path: tuple):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, path + (index,))


# ------------------------------------------------------------------ one file per catalogue id


def _catalogue(kb) -> list[Problem]:
    from .safe_yaml import read_yaml

    path = kb.root / "catalogue.yaml"
    if not path.is_file():
        return []
    ids, _, problems = read_yaml(path, "catalogue.yaml")
    if problems or not isinstance(ids, list):
        return problems or [Problem("catalogue.yaml", 1, "expected a list of scenario ids", "error")]
    out = []
    for sid in map(str, ids):
        if sid not in kb.scenarios:
            out.append(Problem(_rel(sid), 1, f"catalogue id {sid!r} has no scenario file", "error"))
    return out


# ------------------------------------------------------------------ rules that can never fire


def _conjuncts(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [c for value in node.values for c in _conjuncts(value)]
    return [node]


def _contradiction(text: str) -> str | None:
    """A conjunction that asks one fact to be two things at once (x == 'a' and x == 'b'; x and not x)."""
    from .conditions import parse

    equal: dict[str, object] = {}
    truth: dict[str, bool] = {}
    for part in _conjuncts(parse(text).tree):
        if isinstance(part, ast.Compare) and len(part.ops) == 1 and isinstance(part.ops[0], ast.Eq):
            left, right = part.left, part.comparators[0]
            if isinstance(left, ast.Name) and isinstance(right, ast.Constant):
                if left.id in equal and equal[left.id] != right.value:
                    return f"{left.id} cannot be both {equal[left.id]!r} and {right.value!r}"
                equal[left.id] = right.value
        negated = isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.Not)
        name = part.operand if negated else part
        if isinstance(name, ast.Name):
            if truth.get(name.id, not negated) == negated:
                return f"{name.id} cannot be both true and false"
            truth[name.id] = not negated
    return None


def _dead_rules(kb) -> list[Problem]:
    out = []
    for sid, scenario in kb.scenarios.items():
        rel = _rel(sid)
        seen_conditions: dict[str, int] = {}  # conditions of earlier rules that always fire when true
        catch_all = None
        for index, rule in enumerate(scenario.rules):
            line = _line(kb, rel, "rules", index)
            if catch_all is not None:
                out.append(Problem(rel, line, f"rule {index + 1} can never fire: rule {catch_all + 1} before it always applies", "warning"))
                continue
            if rule.when is not None:
                reason = _contradiction(rule.when)
                if reason:
                    out.append(Problem(rel, line, f"rule {index + 1} can never fire: {reason}", "warning"))
                if rule.when in seen_conditions:
                    out.append(Problem(rel, line, f"rule {index + 1} can never fire: rule {seen_conditions[rule.when] + 1} has the same condition", "warning"))
                if not rule.until:  # a rule with `until` passes its condition on once its period is over
                    seen_conditions.setdefault(rule.when, index)
            elif not rule.until:
                catch_all = index
        used = {rule.outcome for rule in scenario.rules}
        for name in scenario.outcomes:
            if name not in used:
                out.append(Problem(rel, _line(kb, rel, "outcomes", name), f"outcome {name!r} is never reached by any rule", "warning"))
    return out


# ------------------------------------------------------------------ parameters and bases nobody uses


def _unused(kb) -> list[Problem]:
    from .conditions import parse

    used: set[str] = set()
    for scenario in kb.scenarios.values():
        specs = [s for rule in scenario.rules for s in rule.until]
        for outcome in scenario.outcomes.values():
            specs += list(outcome.deadlines) + ([outcome.opens] if outcome.opens else [])
            used |= {ref if isinstance(ref, str) else ref.basis for ref in outcome.compensation}
        for spec in specs:
            used |= {v for v in (spec.days, spec.working_days, spec.years, spec.hours) if isinstance(v, str)}
        for rule in scenario.rules:
            if rule.when:
                used |= parse(rule.when).names
    out = []
    for name in kb.parameters:
        if name not in used:
            out.append(Problem("parameters.yaml", _line(kb, "parameters.yaml", "parameters", name), f"parameter {name!r} is not used by any rule", "warning"))
    for name in kb.compensation:
        if name not in used:
            out.append(Problem("parameters.yaml", _line(kb, "parameters.yaml", "compensation", name), f"compensation basis {name!r} is not used by any outcome", "warning"))
    return out


# ------------------------------------------------------------------ examples


def _thin(kb) -> list[Problem]:
    out = []
    for sid, scenario in kb.scenarios.items():
        for lang in ("zh", "en"):
            count = len(scenario.examples.get(lang))
            if count < MIN_EXAMPLES:
                level = "error" if count < MIN_EXAMPLES_REQUIRED else "warning"
                needed = MIN_EXAMPLES_REQUIRED if level == "error" else MIN_EXAMPLES
                out.append(Problem(_rel(sid), _line(kb, _rel(sid), "examples", lang), f"only {count} {lang} examples (at least {needed} make matching reliable)", level))
        if len(scenario.tests) < MIN_TESTS:
            out.append(Problem(_rel(sid), _line(kb, _rel(sid), "tests"), f"only {len(scenario.tests)} tests (at least {MIN_TESTS}: both sides of every period, floors and caps)", "error"))
    return out


def _uniform_examples(kb) -> list[Problem]:
    """Examples written all alike (short, one sentence) measure their author, not the people who will ask: the
    classifier learns the author's style and misses the long posts real people write."""
    out = []
    for sid, scenario in kb.scenarios.items():
        for lang in ("zh", "en"):
            examples = scenario.examples.get(lang)
            if len(examples) < 10:
                continue  # too few to judge; _thin says so
            line = _line(kb, _rel(sid), "examples", lang)
            long_share = sum(len(e) >= LONG_EXAMPLE[lang] for e in examples) / len(examples)
            if long_share < MIN_LONG_SHARE:
                out.append(Problem(_rel(sid), line, f"only {long_share:.1%} of the {lang} examples have {LONG_EXAMPLE[lang]}+ characters; real questions are often long posts with product names, dates and what the other side said (aim for {MIN_LONG_SHARE:.0%}+)", "warning"))
    return out


def _duplicate_examples(kb) -> list[Problem]:
    from assistant.text import normalise

    first: dict[str, tuple[str, str, int]] = {}
    out = []
    for sid, scenario in kb.scenarios.items():
        for lang in ("zh", "en"):
            for index, example in enumerate(scenario.examples.get(lang)):
                key = normalise(example)
                where = (sid, lang, index)
                if key in first:
                    other_sid, other_lang, other_index = first[key]
                    other_line = _line(kb, _rel(other_sid), "examples", other_lang, other_index)
                    same = "also" if other_sid == sid else f"also in scenarios/{other_sid}.yaml:{other_line}"
                    out.append(Problem(_rel(sid), _line(kb, _rel(sid), "examples", lang, index), f"example {example!r} is duplicated ({same})", "error"))
                else:
                    first[key] = where
    return out


PARALLEL_FROM = 2000  # documents: below this the folds train faster than worker processes start
_SHARED: tuple = ()  # in a worker: documents, labels, classes, fold_of


def _fold_scores(documents, labels, classes, fold_of, fold) -> dict[int, list[float]]:
    """Scores of one fold's examples by a model trained on all the other documents."""
    from assistant.classify import train

    kept = [n for n in range(len(documents)) if fold_of.get(n) != fold]
    model = train([documents[n] for n in kept], [labels[n] for n in kept], classes)
    return {n: model.scores(documents[n]) for n, f in fold_of.items() if f == fold}


def _share(*data) -> None:
    global _SHARED
    _SHARED = data


def _shared_fold_scores(fold: int) -> dict[int, list[float]]:
    return _fold_scores(*_SHARED, fold)


def _held_out_scores(documents, labels, classes, fold_of) -> dict[int, list[float]]:
    """Every held-out example's scores. Training is most of a lint (four models, ≈ 2.2 s each on the shipped
    knowledge base), so the folds train in parallel where there are cores to spare; the models are the same either
    way (training is deterministic)."""
    import os

    workers = min(CONFUSION_FOLDS, os.cpu_count() or 1)
    parts = None
    if workers > 1 and len(documents) >= PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        spawn = multiprocessing.get_context("spawn")  # not fork: the caller may hold threads (the TUI, a test runner)
        try:
            with ProcessPoolExecutor(workers, mp_context=spawn, initializer=_share, initargs=(documents, labels, classes, fold_of)) as pool:
                parts = list(pool.map(_shared_fold_scores, range(CONFUSION_FOLDS)))
        except (OSError, BrokenProcessPool):  # no processes allowed here: train them one after another
            parts = None
    if parts is None:
        parts = [_fold_scores(documents, labels, classes, fold_of, fold) for fold in range(CONFUSION_FOLDS)]
    return {n: scores for part in parts for n, scores in part.items()}


def _confused_examples(kb) -> list[Problem]:
    """Each example scored by a classifier trained without it (k-fold: the examples are dealt into CONFUSION_FOLDS
    groups, each scored by a model trained on the others): it should still find its scenario, or at least be
    among those offered. One that clearly reads like another scenario confuses the matcher."""
    import hashlib

    from assistant.extract import implied_role, stated_role
    from assistant.match import OUT_OF_SCOPE, Index, Matcher, build_tokenizer, training_set

    classes = list(kb.scenarios) + [OUT_OF_SCOPE]
    roles = [kb.scenarios[c].role if c in kb.scenarios else "" for c in classes]
    tokenizer = build_tokenizer(kb)
    documents, labels, texts = training_set(kb, tokenizer, classes)
    where = {}
    for sid, scenario in kb.scenarios.items():
        for lang in ("zh", "en"):
            for index, example in enumerate(scenario.examples.get(lang)):
                where.setdefault((sid, example), (lang, index))
    fold_of = {}
    for number, (text, label) in enumerate(zip(texts, labels)):
        if (classes[label], text) in where:
            fold_of[number] = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % CONFUSION_FOLDS
    held_out_scores = _held_out_scores(documents, labels, classes, fold_of)
    matcher = Matcher(Index(classes, roles, tokenizer.vocabulary, None))  # decide() reads only classes and roles
    out = []
    for number in fold_of:
        sid, text = classes[labels[number]], texts[number]
        lang, index = where[(sid, text)]
        role = stated_role(text)
        result = matcher.decide(held_out_scores[number], role, implied_role(text))  # as `ask` would
        own = next((r for r in result.ranking if r.id == sid), None)
        if own is None:
            out.append(Problem(_rel(sid), _line(kb, _rel(sid), "examples", lang, index),
                               f"example {text!r} reads as a {role}'s question, but {sid} is for the {kb.scenarios[sid].role}", "warning"))
            continue
        best = result.ranking[0]
        offered = [c.id for c in result.candidates]
        # reported when someone asking exactly this would be answered with another scenario, and clearly so
        if sid not in offered and best.id != sid and best.score - own.score >= CONFUSION_MARGIN:
            out.append(Problem(_rel(sid), _line(kb, _rel(sid), "examples", lang, index),
                               f"example {text!r} matches {best.id} better ({best.score:.2f} against {own.score:.2f} for {sid})", "warning"))
    return sorted(out, key=lambda p: (p.file, p.line))


# ------------------------------------------------------------------ a scenario's topic listed out of scope


def _topics_out_of_scope(kb) -> list[Problem]:
    """A question listed in out_of_scope.yaml that a new scenario covers: the scenario answers it, or it contains
    one of the scenario's keywords (when out_of_scope.yaml holds many questions on the topic, they outvote the new
    scenario, so answering alone would not find them). Either way the knowledge base says both "we handle this"
    and "we do not". Only scenarios outside catalogue.yaml are checked: how the catalogue's own scenarios border
    the out-of-scope class is the matcher's to get right, and `kb eval` measures it."""
    from assistant.engine import load_engine
    from assistant.text import normalise

    catalogue = set(_catalogue_ids(kb))
    new = [sid for sid in kb.scenarios if sid not in catalogue]
    if not new:
        return []
    matcher = load_engine(kb.root).matcher
    keywords = {sid: [normalise(k) for k in kb.scenarios[sid].keywords.zh + kb.scenarios[sid].keywords.en] for sid in new}
    out = []
    for lang in ("zh", "en"):
        for index, question in enumerate(kb.out_of_scope.examples.get(lang)):
            text = normalise(question)
            answered = matcher.match(question).scenario
            for sid in new:
                found = next((k for k in keywords[sid] if _mentions(text, k)), None)
                if answered != sid and found is None:
                    continue
                why = f"is answered by {sid}" if answered == sid else f"mentions its keyword {found!r}"
                line = _line(kb, "out_of_scope.yaml", "examples", lang, index)
                out.append(Problem(_rel(sid), _line(kb, _rel(sid), "id"),
                                   f"its topic is listed out of scope: out_of_scope.yaml:{line} {question!r} {why}; "
                                   "remove that line from out_of_scope.yaml if the scenario now covers it", "error"))
    return out


def _mentions(text: str, keyword: str) -> bool:
    """Chinese keywords as substrings; English ones as whole words ("price protection", not "caprice")."""
    from assistant.text import word_pattern

    return bool(keyword) and re.search(word_pattern(keyword), text) is not None


def _catalogue_ids(kb) -> list[str]:
    from .safe_yaml import read_yaml

    path = kb.root / "catalogue.yaml"
    ids = read_yaml(path, "catalogue.yaml")[0] if path.is_file() else None
    return [str(i) for i in ids] if isinstance(ids, list) else []


# ------------------------------------------------------------------ the scenarios' own tests


def _failing_tests(kb) -> list[Problem]:
    from assistant.eligibility import Evaluator
    from assistant.facts import FactError, parse_value

    evaluator = Evaluator(kb)
    out = []
    for sid, scenario in kb.scenarios.items():
        rel = _rel(sid)
        for index, case in enumerate(scenario.tests):
            line = _line(kb, rel, "tests", index)
            try:
                facts = {
                    name: parse_value(name, kb.fact(name, scenario), str(value).lower() if isinstance(value, bool) else str(value))
                    for name, value in case.facts.items()
                }
            except FactError as exc:
                out.append(Problem(rel, line, f"test {case.name!r}: {exc}", "error"))
                continue
            evaluation = evaluator.evaluate(scenario, facts, case.today, frozenset(case.unsure))
            problem = _compare(case.expect, evaluation)
            if problem:
                out.append(Problem(rel, line, f"test {case.name!r} fails: {problem}", "error"))
    return out


def _compare(expect, evaluation) -> str | None:
    verdict = evaluation.verdict
    if expect.status is None:
        return None if verdict is None else f"expected no verdict, got {verdict.status}"
    if verdict is None:
        return f"expected {expect.status}, got no verdict (missing {', '.join(evaluation.missing)})"
    if verdict.status != expect.status:
        return f"expected {expect.status}, got {verdict.status}"
    if expect.outcome is not None and verdict.outcome_id != expect.outcome:
        return f"expected outcome {expect.outcome}, got {verdict.outcome_id}"
    checks = [
        ("deadline", expect.deadline, verdict.deadline.date if verdict.deadline else None),
        ("opens", expect.opens, verdict.opens.date if verdict.opens else None),
        ("amount", expect.amount, verdict.compensation.amount if verdict.compensation else None),
        ("estimated", expect.estimated, verdict.deadline.estimated if verdict.deadline else None),
    ]
    for name, wanted, got in checks:
        if wanted is not None and wanted != got:
            return f"expected {name} {wanted}, got {got}"
    if expect.missing is not None and evaluation.missing[: len(expect.missing)] != expect.missing:
        return f"expected missing {expect.missing}, got {evaluation.missing}"
    return None
