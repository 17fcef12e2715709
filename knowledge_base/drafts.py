"""The case files of a knowledge base: `drafts.yaml` (documents a case exports) and `case_events.yaml` (what
a case's events mean and where they move it). Typed models, loading with file:line problems, and the checks
`weiquan kb lint` runs on them: every placeholder known, both languages alike, conditions in the condition
language over known facts, scenario and compensation ids that exist, patterns that compile and stay simple.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Literal, Optional, Union

from pydantic import Field, field_validator

from .conditions import ConditionError, parse
from .model import KnowledgeBaseError, Problem
from .schema import SNAKE_CASE, Strict, Text

DRAFTS_FILE = "drafts.yaml"
EVENTS_FILE = "case_events.yaml"
ROLES = ("buyer", "seller")
BASIS_ROUTES = ("court", "platform", "negotiation")
# Placeholders the program fills for every draft, besides the case's facts by name.
COMPUTED = frozenset({"today", "reply_by", "reply_days", "facts", "demand", "demand_inline", "evidence"})
# Placeholders that are never known to the program: always left as marked blanks.
PERSONAL = frozenset({"your_name", "your_phone", "your_address", "your_id", "seller_name", "seller_address", "operator_name",
                      "shop_name", "order_number", "court", "listing", "complaint_number"})
_LINE_PLACEHOLDERS = {"refund_line": {"remedy"}, "basis_line": {"amount", "cite"}}
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")


class Condition(Strict):
    when: str
    why: Text


class Draft(Strict):
    role: Literal["buyer", "seller"]
    scenarios: Optional[list[str]] = Field(None, description="only for these scenarios (default: any of the role)")
    title: Text
    who: Text = Field(description="who writes to whom, and how it is sent")
    routes: list[Literal["court", "platform", "negotiation"]] = Field(default_factory=list,
                                                                    description="compensation bases (by route) demanded")
    refund_line: Optional[Text] = None
    basis_line: Optional[Text] = None
    closing_line: Optional[Text] = None
    unless: list[Condition] = Field(default_factory=list)
    voice: dict[Literal["zh", "en"], dict[str, str]] = Field(
        default_factory=dict,
        description="words of the fact statements replaced in this document, in order (a statement of claim speaks "
                    "of 原告 and 被告, not of 我 and 卖家); English ones as whole words")
    zh: str
    en: str


class ReplyDays(Strict):
    value: int = Field(ge=1, le=60)
    why: Text
    confidence: Literal["convention", "P", "P*", "S", "SEED", "C"]


Statement = Union[Text, dict[str, Text]]


class DraftsFile(Strict):
    blank: Text
    blank_names: dict[str, Text]
    reply_days: ReplyDays
    remedies: dict[str, Text]
    cites: dict[str, Text]
    statements: dict[Literal["buyer", "seller"], dict[str, Statement]]
    problems: dict[str, Text]
    drafts: dict[str, Draft]

    @field_validator("remedies")
    @classmethod
    def _default_remedy(cls, value: dict) -> dict:
        if "default" not in value:
            raise ValueError("needs a 'default' remedy")
        return value


class Move(Strict):
    stage: str
    role: Optional[Literal["buyer", "seller"]] = None


class EventKind(Strict):
    label: Text
    patterns: list[str] = Field(min_length=1)
    sets: dict[str, str] = Field(default_factory=dict, description="fact → value, or 'date' for the event's date")
    moves_to: Optional[Move] = None

    @field_validator("patterns")
    @classmethod
    def _simple(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if len(pattern) > 300:
                raise ValueError(f"pattern longer than 300 characters: {pattern[:40]!r}…")
            if _NESTED_QUANTIFIER.search(pattern):
                raise ValueError(f"pattern {pattern!r} repeats a repeated group (slow on some inputs)")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from None
        return patterns


class EventsFile(Strict):
    stages: list[str]
    roles: dict[str, dict[str, Literal["buyer", "seller"]]] = Field(default_factory=dict)
    events: dict[str, EventKind]


class CaseFiles:
    """Both files of one knowledge base, validated."""

    def __init__(self, drafts: DraftsFile, events: EventsFile):
        self.drafts, self.events = drafts, events
        self.patterns = [(kind, re.compile("|".join(f"(?:{p})" for p in spec.patterns))) for kind, spec in events.events.items()]


def _path(root: Path, name: str) -> Path:
    path = Path(root) / name
    if path.is_file():
        return path
    from .locations import shipped_kb_dir  # a --kb copy without case files uses the shipped ones

    return shipped_kb_dir() / name


def _read(root: Path) -> tuple[CaseFiles | None, list[Problem]]:
    from .loader import read_yaml, validate

    problems: list[Problem] = []
    models = []
    for name, model in ((DRAFTS_FILE, DraftsFile), (EVENTS_FILE, EventsFile)):
        data, lines, found = read_yaml(_path(root, name), name)
        problems += found
        instance = None
        if data is not None:
            instance, found = validate(model, data, name, lines)
            problems += found
        models.append(instance)
    if problems or None in models:
        return None, problems
    return CaseFiles(*models), []


@lru_cache(maxsize=8)
def _cached(root: str, stamp: tuple) -> CaseFiles:
    files, problems = _read(Path(root))
    if files is None:
        raise KnowledgeBaseError(problems)
    return files


def load_case_files(root: Path) -> CaseFiles:
    """The validated case files (cached while they do not change); KnowledgeBaseError when invalid."""
    paths = [_path(root, name) for name in (DRAFTS_FILE, EVENTS_FILE)]
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else (str(p), 0, 0) for p in paths)
    return _cached(str(root), stamp)


# ---------------------------------------------------------------- lint


def placeholders(template: str) -> set[str]:
    return {m.group("named") or m.group("braced") for m in Template.pattern.finditer(template)
            if m.group("named") or m.group("braced")}


def lint_case_files(root: Path, kb) -> list[Problem]:
    """Problems in drafts.yaml and case_events.yaml against the loaded knowledge base."""
    from .loader import read_yaml

    if not any((Path(root) / name).is_file() for name in (DRAFTS_FILE, EVENTS_FILE)):
        return []  # a base without case files uses the shipped ones, which are checked with the shipped base
    files, problems = _read(root)
    if files is None:
        return problems
    _, lines, _ = read_yaml(_path(root, DRAFTS_FILE), DRAFTS_FILE)
    _, event_lines, _ = read_yaml(_path(root, EVENTS_FILE), EVENTS_FILE)

    def at(table, *path) -> int:
        while path and path not in table:
            path = path[:-1]
        return table.get(path, 1)

    known_facts = set(kb.facts) | {n for s in kb.scenarios.values() for n in s.facts} | {"role", "stage"}
    fillable = COMPUTED | PERSONAL | known_facts | {"date"}
    drafts = files.drafts
    for name, draft in drafts.drafts.items():
        for lang in ("zh", "en"):
            used = placeholders(getattr(draft, lang))
            for unknown in sorted(used - fillable):
                problems.append(Problem(DRAFTS_FILE, at(lines, "drafts", name, lang), f"draft {name}: unknown placeholder ${unknown} in {lang}"))
        if placeholders(draft.zh) != placeholders(draft.en):
            diff = sorted(placeholders(draft.zh) ^ placeholders(draft.en))
            problems.append(Problem(DRAFTS_FILE, at(lines, "drafts", name), f"draft {name}: zh and en use different placeholders: {', '.join(diff)}"))
        if draft.routes and (draft.refund_line is None or draft.basis_line is None):
            problems.append(Problem(DRAFTS_FILE, at(lines, "drafts", name), f"draft {name}: demands compensation but has no refund_line/basis_line"))
        for field, allowed in _LINE_PLACEHOLDERS.items():
            text = getattr(draft, field)
            for lang in ("zh", "en"):
                extra = placeholders(text.get(lang)) - allowed if text else set()
                if extra:
                    problems.append(Problem(DRAFTS_FILE, at(lines, "drafts", name, field), f"draft {name}: {field} may use only {sorted(allowed)}"))
        for scenario in draft.scenarios or []:
            if scenario not in kb.scenarios:
                problems.append(Problem(DRAFTS_FILE, at(lines, "drafts", name, "scenarios"), f"draft {name}: unknown scenario {scenario!r}"))
        for n, condition in enumerate(draft.unless):
            problems += _check_condition(condition.when, known_facts, DRAFTS_FILE, at(lines, "drafts", name, "unless", n))
    for key in drafts.remedies:
        if key != "default" and key not in kb.scenarios:
            problems.append(Problem(DRAFTS_FILE, at(lines, "remedies", key), f"remedies: unknown scenario {key!r}"))
    for key in drafts.problems:
        if key not in kb.scenarios:
            problems.append(Problem(DRAFTS_FILE, at(lines, "problems", key), f"problems: unknown scenario {key!r}"))
    for key in drafts.cites:
        if key not in kb.compensation:
            problems.append(Problem(DRAFTS_FILE, at(lines, "cites", key), f"cites: unknown compensation basis {key!r}"))
    for key in kb.compensation:
        if key not in drafts.cites:
            problems.append(Problem(DRAFTS_FILE, at(lines, "cites"), f"cites: compensation basis {key!r} has no citation", "warning"))
    events = files.events
    for role, table in drafts.statements.items():
        for key in table:
            if key not in known_facts and key not in events.events and key != "purchase":
                problems.append(Problem(DRAFTS_FILE, at(lines, "statements", role, key), f"statements.{role}: {key!r} is neither a fact nor an event kind"))
    for stage in events.stages:
        if stage not in kb.scenarios:
            problems.append(Problem(EVENTS_FILE, at(event_lines, "stages"), f"stages: unknown scenario {stage!r}"))
    for fact in events.roles:
        if fact not in known_facts:
            problems.append(Problem(EVENTS_FILE, at(event_lines, "roles", fact), f"roles: unknown fact {fact!r}"))
    for kind, spec in events.events.items():
        if not SNAKE_CASE.match(kind):
            problems.append(Problem(EVENTS_FILE, at(event_lines, "events", kind), f"event kind {kind!r} is not snake_case"))
        for fact in spec.sets:
            if fact not in known_facts:
                problems.append(Problem(EVENTS_FILE, at(event_lines, "events", kind, "sets", fact), f"event {kind}: sets unknown fact {fact!r}"))
        if spec.moves_to and spec.moves_to.stage not in events.stages:
            problems.append(Problem(EVENTS_FILE, at(event_lines, "events", kind, "moves_to"), f"event {kind}: moves to {spec.moves_to.stage!r}, which is not a stage"))
    return problems


def _check_condition(text: str, known: set[str], rel: str, line: int) -> list[Problem]:
    try:
        condition = parse(text)
    except ConditionError as exc:
        return [Problem(rel, line, str(exc))]
    return [Problem(rel, line, f"condition {text!r}: unknown fact {name!r}") for name in sorted(condition.names - known)]
