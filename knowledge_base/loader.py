"""YAML files → validated models. Every problem is collected and reported as `file:line: message`."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from .files import DICT_FILES, fingerprint
from .model import KnowledgeBase, KnowledgeBaseError, Problem  # noqa: F401  (re-exported)
from .safe_yaml import read_text, read_yaml  # noqa: F401  (read_yaml re-exported)
from .schema import FactCatalogue, OutOfScope, ParameterFile, Scenario

# ---------------------------------------------------------------- YAML with line numbers (see safe_yaml)


def _nearest_line(lines: dict[tuple, int], loc: tuple) -> int:
    loc = tuple(loc)
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def _explain(error: dict, model: type[BaseModel]) -> str:
    loc = error["loc"]
    where = ".".join(str(part) for part in loc)
    if error["type"] == "extra_forbidden":
        hint = _did_you_mean(str(loc[-1]), _field_names_at(model, loc[:-1]))
        return f"unknown field {where!r}{hint}"
    if error["type"] == "missing":
        return f"missing required field {where!r}"
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _field_names_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at a location, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def validate(model: type[BaseModel], data: Any, rel: str, lines: dict[tuple, int]):
    """Validate data against a model; returns (instance or None, problems)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = [
            Problem(rel, _nearest_line(lines, err["loc"]), _explain(err, model)) for err in exc.errors()
        ]
        return None, problems


# ---------------------------------------------------------------- the whole knowledge base


def _read_word_list(root: Path, rel: str, problems: list[Problem]) -> list[str]:
    text, found = read_text(root / rel, rel)
    problems.extend(found)
    words = []
    for raw in (text or "").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words


def load(root: Path | str) -> KnowledgeBase:
    """Load and validate a knowledge-base directory (one holding scenarios/). Raises KnowledgeBaseError."""
    root = Path(root)
    problems: list[Problem] = []
    all_lines: dict[str, dict[tuple, int]] = {}

    def read(rel: str, model: type[BaseModel]):
        path = root / rel
        if not path.is_file():
            problems.append(Problem(rel, 1, "file is missing"))
            return None
        data, lines, found = read_yaml(path, rel)
        all_lines[rel] = lines
        problems.extend(found)
        if found and data is None:
            return None
        try:
            instance, found = validate(model, data, rel, lines)
        except (RecursionError, MemoryError):  # pragma: no cover - read_yaml's limits are meant to prevent it
            instance, found = None, [Problem(rel, 1, "too large or too deeply nested to check")]
        problems.extend(found)
        if instance is not None:
            problems.extend(check_patterns(getattr(instance, "facts", {}), rel, lines))
        return instance

    catalogue = read("facts.yaml", FactCatalogue)
    out_of_scope = read("out_of_scope.yaml", OutOfScope)
    parameter_file = read("parameters.yaml", ParameterFile)

    scenarios: dict[str, Scenario] = {}
    files: dict[str, str] = {}  # scenario id → its file, for messages
    scenario_dir = root / "scenarios"
    paths = sorted(scenario_dir.glob("*.yaml")) if scenario_dir.is_dir() else []
    if not paths:
        problems.append(Problem("scenarios/", 1, "no scenario files (scenarios/*.yaml)"))
    for path in paths:
        rel = f"scenarios/{path.name}"
        scenario = read(rel, Scenario)
        if scenario is None:
            continue
        lines = all_lines[rel]
        if scenario.id != path.stem:
            problems.append(Problem(rel, lines.get(("id",), 1), f"id {scenario.id!r} does not match the file name {path.stem!r}"))
        if scenario.id in scenarios:
            problems.append(Problem(rel, lines.get(("id",), 1), f"duplicate scenario id {scenario.id!r}"))
            continue
        scenarios[scenario.id] = scenario
        files[scenario.id] = rel

    facts = catalogue.facts if catalogue else {}
    parameters = parameter_file.parameters if parameter_file else {}
    bases = parameter_file.compensation if parameter_file else {}
    if catalogue is not None and parameter_file is not None:  # else every name would look unknown
        for sid, scenario in scenarios.items():
            rel = files[sid]
            problems.extend(check_references(scenario, rel, all_lines[rel], facts, parameters, bases))
    problems.extend(choice_condition_problems(facts, facts, "facts.yaml", all_lines.get("facts.yaml", {})))
    for name, definition in facts.items():
        for other in definition.stand_in:
            if definition.type != "date" or other not in facts or facts[other].type != "date":
                line = all_lines.get("facts.yaml", {}).get(("facts", name, "stand_in"), 1)
                problems.append(Problem("facts.yaml", line, f"fact {name!r}: stand_in {other!r} must be a date fact standing in for a date"))
    for name, basis in bases.items():
        if basis.amount_fact and basis.amount_fact not in facts and not any(
            basis.amount_fact in s.facts for s in scenarios.values()
        ):
            line = all_lines.get("parameters.yaml", {}).get(("compensation", name, "amount_fact"), 1)
            problems.append(Problem("parameters.yaml", line, f"compensation {name!r}: unknown fact {basis.amount_fact!r}"))

    from .holidays import check_holidays

    problems.extend(check_holidays(root))
    dictionaries = {}
    for rel in DICT_FILES:
        path = root / rel
        if not path.is_file():
            problems.append(Problem(rel, 1, "file is missing"))
    if not problems:
        dictionaries = _read_dictionaries(root, problems)

    if problems:
        raise KnowledgeBaseError(problems)
    return KnowledgeBase(
        root=root,
        scenarios=scenarios,
        facts=facts,
        parameters=parameters,
        compensation=bases,
        out_of_scope=out_of_scope,
        fingerprint=fingerprint(root),
        lines=all_lines,
        **dictionaries,
    )


def _read_dictionaries(root: Path, problems: list[Problem]) -> dict:
    rel = "dict/synonyms.yaml"
    data, lines, found = read_yaml(root / rel, rel)
    problems.extend(found)
    synonyms: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for canonical, variants in data.items():
            if not isinstance(variants, list) or not all(isinstance(v, (str, int)) for v in variants):
                problems.append(Problem(rel, lines.get((canonical,), 1), f"{canonical!r}: expected a list of words"))
                continue
            synonyms[str(canonical)] = [str(v) for v in variants]
    elif data is not None:
        problems.append(Problem(rel, 1, "expected a mapping of canonical word → list of synonyms"))
    return {
        "user_words": _read_word_list(root, "dict/user_words.txt", problems),
        "synonyms": synonyms,
        "stopwords": set(_read_word_list(root, "dict/stopwords.txt", problems)),
    }


# ---------------------------------------------------------------- extract patterns


def check_patterns(facts: dict, rel: str, lines: dict[tuple, int]) -> list[Problem]:
    """Every `extract:` pattern must be safe to search in any text (no nested quantifiers)."""
    from .patterns import pattern_problem

    problems = []
    for name, definition in facts.items():
        for value, patterns in definition.extract.items():
            for index, pattern in enumerate(patterns):
                reason = pattern_problem(pattern)
                if reason:
                    line = _nearest_line(lines, ("facts", name, "extract", value, index))
                    problems.append(Problem(rel, line, f"facts.{name}.extract.{value}: {reason}"))
    return problems


# ---------------------------------------------------------------- references inside a scenario


def _value_problems(condition, facts: dict) -> list[str]:
    """A choice fact compared with a value it does not have never matches: a typo, not a rule."""
    from .conditions import compared_values

    out = []
    for name, value in compared_values(condition):
        fact = facts.get(name)
        if fact is not None and fact.type == "enum" and value not in {c.value for c in fact.choices}:
            hint = _did_you_mean(str(value), [c.value for c in fact.choices])
            out.append(f"condition compares {name!r} with {value!r}, which is not one of its values{hint}")
    return out


def fact_condition_problems(text: str | None, facts: dict) -> list[str]:
    """What is wrong with a condition on what is shown or possible (a step, a source, a choice): it reads facts
    only, no dates, and they need not be asked (an unknown fact leaves the item in)."""
    from .conditions import ConditionError, parse, reads_dates

    if text is None:
        return []
    try:
        condition = parse(text)
    except ConditionError as exc:
        return [str(exc)]
    out = _value_problems(condition, facts)
    if reads_dates(condition):
        out.append("this condition reads facts only (no date functions)")
    out += [f"condition uses unknown fact {name!r}{_did_you_mean(name, facts)}" for name in sorted(condition.names - set(facts))]
    return out


def choice_condition_problems(definitions: dict, facts: dict, rel: str, lines: dict[tuple, int]) -> list[Problem]:
    return [Problem(rel, _nearest_line(lines, ("facts", name, "choices", index, "when")), message)
            for name, definition in definitions.items() for index, choice in enumerate(definition.choices)
            for message in fact_condition_problems(choice.when, facts)]


def check_references(scenario: Scenario, rel: str, lines: dict[tuple, int], facts, parameters, bases) -> list[Problem]:
    """Every name a scenario uses must exist: facts, parameters, outcomes, compensation bases; conditions
    must be in the rule language; tests must use real facts with valid values."""
    from .conditions import ConditionError, parse

    problems: list[Problem] = []
    known_facts = {**facts, **scenario.facts}
    asked = {q.fact for q in scenario.questions}

    def at(*path) -> int:
        return _nearest_line(lines, path)

    for index, question in enumerate(scenario.questions):
        if question.fact not in known_facts:
            hint = _did_you_mean(question.fact, known_facts)
            problems.append(Problem(rel, at("questions", index), f"questions: unknown fact {question.fact!r}{hint}"))
        if question.quiet and (question.assume is None or question.ask_when is None):
            problems.append(Problem(rel, at("questions", index, "quiet"), "quiet: needs assume and ask_when (it keeps an assumption unsaid where ask_when does not hold)"))
        if question.fact in known_facts and question.if_unsure is not None:
            fact = known_facts[question.fact]
            values = [c.value for c in fact.choices] if fact.type == "enum" else [True, False] if fact.type == "boolean" else []
            if question.if_unsure not in values:
                problems.append(Problem(rel, at("questions", index, "if_unsure"), f"if_unsure: {question.if_unsure!r} is not a "
                                        f"choice of {question.fact!r}" + (f" ({', '.join(map(str, values))})" if values else "")))
    for name in scenario.facts:
        if name in facts:
            problems.append(Problem(rel, at("facts", name), f"facts: {name!r} is a standard fact and cannot be redefined"))

    def check_condition(text: str | None, path: tuple) -> None:
        if text is None:
            return
        try:
            condition = parse(text)
        except ConditionError as exc:
            problems.append(Problem(rel, at(*path), str(exc)))
            return
        problems.extend(Problem(rel, at(*path), message) for message in _value_problems(condition, known_facts))
        for name in sorted(condition.names):
            if name in parameters:
                continue
            if name not in known_facts:
                hint = _did_you_mean(name, list(known_facts) + list(parameters))
                problems.append(Problem(rel, at(*path), f"condition uses unknown name {name!r}{hint}"))
            elif name not in asked:
                problems.append(Problem(rel, at(*path), f"condition uses fact {name!r}, which is not in questions"))

    def check_deadline(spec, path: tuple) -> None:
        source = known_facts.get(spec.from_)
        if source is None or source.type != "date":
            problems.append(Problem(rel, at(*path), f"deadline counts from {spec.from_!r}, which is not a date fact"))
        elif spec.from_ not in asked:
            problems.append(Problem(rel, at(*path), f"deadline uses fact {spec.from_!r}, which is not in questions"))
        for unit in ("days", "working_days", "years", "hours"):
            value = getattr(spec, unit)
            if not isinstance(value, str) or value in parameters:
                continue
            fact = known_facts.get(value)
            if fact is None or fact.type not in ("integer", "number"):
                hint = _did_you_mean(value, list(parameters) + list(known_facts))
                problems.append(Problem(rel, at(*path), f"{unit}: {value!r} is neither a parameter nor a number fact{hint}"))
            elif value not in asked:
                problems.append(Problem(rel, at(*path), f"{unit}: fact {value!r} is not in questions"))
        check_condition(spec.when, path)

    for key in ("steps", "sources"):
        for index, item in enumerate(getattr(scenario, key)):
            problems += [Problem(rel, at(key, index, "when"), m) for m in fact_condition_problems(item.when, known_facts)]
    problems += choice_condition_problems(scenario.facts, known_facts, rel, lines)
    for index, question in enumerate(scenario.questions):
        check_condition(question.ask_when, ("questions", index, "ask_when"))
    for index, rule in enumerate(scenario.rules):
        check_condition(rule.when, ("rules", index, "when"))
        for k, spec in enumerate(rule.until):
            check_deadline(spec, ("rules", index, "until", k))
        if rule.outcome not in scenario.outcomes:
            hint = _did_you_mean(rule.outcome, scenario.outcomes)
            problems.append(Problem(rel, at("rules", index, "outcome"), f"rule leads to unknown outcome {rule.outcome!r}{hint}"))
    for name, outcome in scenario.outcomes.items():
        for k, spec in enumerate(outcome.deadlines):
            check_deadline(spec, ("outcomes", name, "deadlines", k))
        if outcome.opens is not None:
            check_deadline(outcome.opens, ("outcomes", name, "opens"))
        for k, ref in enumerate(outcome.compensation):
            basis = ref if isinstance(ref, str) else ref.basis
            if basis not in bases:
                problems.append(Problem(rel, at("outcomes", name, "compensation", k), f"unknown compensation basis {basis!r}{_did_you_mean(basis, bases)}"))
            if not isinstance(ref, str):
                check_condition(ref.when, ("outcomes", name, "compensation", k))
            elif "price" not in asked and bases.get(basis) and bases[basis].multiplier is not None:
                problems.append(Problem(rel, at("outcomes", name, "compensation", k), "compensation needs the fact 'price' in questions"))
    for index, test in enumerate(scenario.tests):
        for name in [*test.facts, *test.unsure]:
            if name not in known_facts:
                problems.append(Problem(rel, at("tests", index, "facts", name), f"test {test.name!r}: unknown fact {name!r}{_did_you_mean(name, known_facts)}"))
    return problems
