"""YAML files → validated models. Every problem is collected and reported as `file:line: message`."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from .files import DICT_FILES, fingerprint
from .model import KnowledgeBase, KnowledgeBaseError, Problem  # noqa: F401  (re-exported)
from .schema import FactCatalogue, FactDefinition, OutOfScope, Scenario

try:  # libyaml's parser is several times faster; both are safe loaders
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _SafeLoader = yaml.SafeLoader



# ---------------------------------------------------------------- YAML with line numbers


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map every path in a YAML document to the 1-based line where its value starts."""
    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_path = path + (key.value,)
            _line_map(value, key_path, out)
            out[key_path] = key.start_mark.line + 1  # point at the key, where an author looks
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, path + (index,), out)
    return out


def _duplicate_keys(node: yaml.Node, rel: str) -> Iterable[Problem]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                yield Problem(rel, key.start_mark.line + 1, f"duplicate key {key.value!r}")
            seen.add(key.value)
            yield from _duplicate_keys(value, rel)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item, rel)


def read_yaml(path: Path, rel: str) -> tuple[Any, dict[tuple, int], list[Problem]]:
    """Parse one file safely. Returns (data, line map, problems)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, {}, [Problem(rel, 1, f"not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, {}, [Problem(rel, 1, f"cannot read: {exc.strerror}")]
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [Problem(rel, 1, "file is empty")]
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, {}, [Problem(rel, line, f"invalid YAML: {reason}")]
    finally:
        loader.dispose()
    return data, _line_map(node), list(_duplicate_keys(node, rel))


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


def _read_word_list(path: Path) -> list[str]:
    words = []
    for raw in path.read_text(encoding="utf-8").splitlines():
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
        instance, found = validate(model, data, rel, lines)
        problems.extend(found)
        return instance

    catalogue = read("facts.yaml", FactCatalogue)
    out_of_scope = read("out_of_scope.yaml", OutOfScope)

    scenarios: dict[str, Scenario] = {}
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

    facts = catalogue.facts if catalogue else {}
    for sid, scenario in scenarios.items():
        rel = f"scenarios/{sid}.yaml"
        for index, name in enumerate(scenario.questions):
            if name not in facts and name not in scenario.facts:
                known = list(facts) + list(scenario.facts)
                line = all_lines[rel].get(("questions", index), 1)
                problems.append(Problem(rel, line, f"questions: unknown fact {name!r}{_did_you_mean(name, known)}"))
        for name in scenario.facts:
            if name in facts:
                line = all_lines[rel].get(("facts", name), 1)
                problems.append(Problem(rel, line, f"facts: {name!r} is a standard fact and cannot be redefined"))

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
        "user_words": _read_word_list(root / "dict/user_words.txt"),
        "synonyms": synonyms,
        "stopwords": set(_read_word_list(root / "dict/stopwords.txt")),
    }
