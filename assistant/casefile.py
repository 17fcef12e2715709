"""A kept case read through the knowledge base: its role and stage, what its events mean, its evidence
checklist, its verdict and every stage's deadlines today, what is due, and the Markdown export.

A case's stored values are checked before they are used: one that cannot be (a date that is not a date, a
number out of range, a period that runs past the calendar) is left out of that case alone and reported in
its `problems`, so one bad case never breaks the list, `case due` or the TUI.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from .cases import Case, Event, Item
from .eligibility import Evaluation, Evaluator
from .render import answer_json, facts_table, labels, verdict_markdown
from .safe_text import markdown_inline

_LIMIT = 1e12  # no price, count or period a person means is this large; beyond it a value is a typo or an attack


# ------------------------------------------------------------------ facts, role, stage


def typed_facts(kb, case: Case) -> dict[str, Any]:
    """Stored JSON values back to their fact types; a value that does not fit is reported, not used."""
    scenario = kb.scenarios.get(case.current) or kb.scenarios.get(case.scenario)
    out = {}
    for name, (value, _source) in case.facts.items():
        definition = kb.fact(name, scenario)
        problem = None
        if definition is not None and definition.type == "date":
            try:
                value = dt.date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                value = None
            problem = None if value is not None else "not a date"
        elif definition is not None and definition.type in ("number", "integer"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or abs(value) > _LIMIT:
                problem = "not a usable number"
        if problem:
            note = f"fact {name}: stored value {str(case.facts[name][0])[:40]!r} is {problem}; left out"
            if note not in case.problems:
                case.problems.append(note)
            continue
        out[name] = value
    return out


def case_role(kb, case: Case, facts: dict[str, Any] | None = None) -> str:
    """buyer or seller: the scenario's own role, else the `role` fact, else a fact that implies it."""
    from knowledge_base.drafts import load_case_files

    facts = typed_facts(kb, case) if facts is None else facts
    scenario = kb.scenarios.get(case.scenario)
    if scenario is not None and scenario.role in ("buyer", "seller"):
        return scenario.role
    if facts.get("role") in ("buyer", "seller"):
        return facts["role"]
    for fact, values in load_case_files(kb.root).events.roles.items():
        if facts.get(fact) in values:
            return values[facts[fact]]
    return "buyer"


def classify_event(kb, note: str) -> tuple[str, dict[str, str]]:
    """The kind of an event read from its note ("卖家拒绝了", "小二判我输了", "ruling received") and the facts
    it sets ("date" meaning the event's own date)."""
    from knowledge_base.drafts import load_case_files

    from .text import normalise

    files = load_case_files(kb.root)
    text = normalise(note[:2000])  # notes are short; a long one is read by its start, in linear time
    for kind, pattern in files.patterns:
        if pattern.search(text):
            return kind, dict(files.events.events[kind].sets)
    return "note", {}


def evidence_items(kb, scenario_id: str) -> list[tuple[str, str]]:
    scenario = kb.scenarios.get(scenario_id)
    return [(item.zh, item.en) for item in scenario.evidence] if scenario else []


@dataclass
class EventPlan:
    """What recording an event will do: its kind, the facts it sets, the stage it moves the case to."""

    event: Event
    facts: dict[str, tuple[Any, str]]
    stage: str | None
    add_items: list[tuple[str, str]]


def plan_event(kb, case: Case, date: dt.date, note: str, given: dict[str, tuple[Any, str]]) -> EventPlan:
    kind, sets = classify_event(kb, note)
    facts: dict[str, tuple[Any, str]] = {}
    for name, value in sets.items():
        if name not in given:
            facts[name] = (date if value == "date" else value, "event")
    stage = None
    from knowledge_base.drafts import load_case_files

    spec = load_case_files(kb.root).events.events.get(kind)
    role = case_role(kb, case)
    if spec is not None and spec.moves_to is not None and spec.moves_to.role in (None, role):
        stages = load_case_files(kb.root).events.stages

        def rank(scenario_id: str) -> int:
            return stages.index(scenario_id) if scenario_id in stages else -1

        if rank(spec.moves_to.stage) > rank(case.current):  # forward only; by hand, `case stage` goes anywhere
            stage = spec.moves_to.stage
    plan = EventPlan(Event(date, kind, note), facts, stage, [])
    if stage is not None:
        plan.add_items = new_items(kb, case, stage)
        if "role" not in case.facts and "role" not in given and kb.scenarios[stage].role == "both":
            plan.facts["role"] = (role, "stage")
    return plan


def new_items(kb, case: Case, scenario_id: str) -> list[tuple[str, str]]:
    """The evidence a stage asks for that the case's checklist does not have yet."""
    have = {item.zh for item in checklist(kb, case)}
    return [(zh, en) for zh, en in evidence_items(kb, scenario_id) if zh not in have]


def checklist(kb, case: Case) -> list[Item]:
    """The case's evidence checklist; a case kept before the checklist was stored gets its scenario's."""
    if case.checklist:
        return case.checklist
    return [Item(zh, en, n in case.legacy_evidence) for n, (zh, en) in enumerate(evidence_items(kb, case.scenario))]


# ------------------------------------------------------------------ evaluation


def evaluate_case(kb, case: Case, today: dt.date, evaluator: Evaluator | None = None, scenario_id: str | None = None) -> Evaluation:
    """The verdict of the case's current stage (or of `scenario_id`); a case whose facts cannot be evaluated
    gets no verdict and a problem saying why — the other cases are not affected."""
    evaluator = evaluator or Evaluator(kb)
    scenario = kb.scenarios.get(scenario_id or case.current)
    if scenario is None:
        note = f"scenario {scenario_id or case.current!r} is not in this knowledge base"
        if note not in case.problems:
            case.problems.append(note)
        return Evaluation(None, [])
    try:
        return evaluator.evaluate(scenario, typed_facts(kb, case), today)
    except (OverflowError, ValueError, ArithmeticError) as exc:
        note = f"the rules of {scenario.id} cannot be applied to these facts ({type(exc).__name__}: {exc}); check the dates and numbers"
        if note not in case.problems:
            case.problems.append(note)
        return Evaluation(None, [])


@dataclass
class StageDeadline:
    scenario: str  # the stage (scenario) the deadline comes from
    kind: str  # deadline | opens
    item: Any  # DeadlineResult


def stage_deadlines(kb, case: Case, today: dt.date, evaluator: Evaluator | None = None) -> list[StageDeadline]:
    """Every stage's deadlines, each with the stage it comes from: moving on never hides an earlier clock."""
    evaluator = evaluator or Evaluator(kb)
    out = []
    for scenario_id in dict.fromkeys(case.stages + [case.current]):
        verdict = evaluate_case(kb, case, today, evaluator, scenario_id).verdict
        if verdict is None:
            continue
        out += [StageDeadline(scenario_id, "deadline", d) for d in verdict.deadlines]
        if verdict.opens:
            out.append(StageDeadline(scenario_id, "opens", verdict.opens))
    return sorted(out, key=lambda d: d.item.date)


def due(kb, cases, today: dt.date, within: int | None) -> list[dict]:
    """Deadlines (and dates when a route opens) of open cases from today on (to today+within), soonest first."""
    evaluator = Evaluator(kb)
    calendar = evaluator.calendar
    rows = []
    for case in cases:
        if case.status != "open":
            continue
        for found in stage_deadlines(kb, case, today, evaluator):
            item = found.item
            left = (item.date - today).days
            if 0 <= left and (within is None or left <= within):
                rows.append({
                    "case": case.id, "title": case.title, "scenario": case.scenario, "stage": found.scenario, "kind": found.kind,
                    "label": item.label.get(case.lang), "date": item.date.isoformat(), "count": item.count,
                    "days_left": left, "working_days_left": calendar.working_days_between(today, item.date),
                    "estimated": item.estimated,
                })
    return sorted(rows, key=lambda r: (r["date"], r["case"]))


# ------------------------------------------------------------------ JSON and Markdown


def case_json(kb, case: Case, today: dt.date) -> dict:
    from .render import verdict_json

    scenario = kb.scenarios.get(case.current)
    evaluation = evaluate_case(kb, case, today)
    deadlines = stage_deadlines(kb, case, today)
    return {
        "id": case.id, "title": case.title, "scenario": case.scenario, "stage": case.current, "stages": case.stages,
        "role": case_role(kb, case), "status": case.status, "lang": case.lang, "created": case.created, "updated": case.updated,
        "facts": {name: {"value": value, "source": source} for name, (value, source) in case.facts.items()},
        "timeline": [{"date": e.date.isoformat(), "kind": e.kind, "note": e.note} for e in case.events],
        "evidence": [{"number": n, "text": item.get(case.lang), "have": item.have} for n, item in enumerate(checklist(kb, case), 1)],
        "verdict": verdict_json(kb, scenario, evaluation.verdict, case.lang) if scenario and evaluation.verdict else None,
        "missing_facts": evaluation.missing,
        "deadlines": [{"stage": d.scenario, "kind": d.kind, "label": d.item.label.get(case.lang), "date": d.item.date.isoformat(),
                       "count": d.item.count, "estimated": d.item.estimated} for d in deadlines],
        "problems": case.problems,
    }


_HEADS = {"zh": ("案件", "结论", "时间线", "期限", "证据清单", "草稿", "还缺的信息", "阶段", "未生成的草稿", "读取问题"),
          "en": ("Case", "Verdict", "Timeline", "Deadlines", "Evidence checklist", "Drafts", "Still missing", "Stage",
                 "Drafts not produced", "Problems reading this case")}


_OWN_WORDS = {  # the store's own words for a case and its timeline, as a reader of either language reads them
    "zh": {"open": "进行中", "closed": "已结案", "opened": "立案", "note": "备注", "stage": "转入下一阶段"},
    "en": {"open": "open", "closed": "closed", "opened": "case opened", "note": "note", "stage": "moved to a stage"},
}


def event_label(kb, kind: str, lang: str) -> str:
    """An event's kind in words: from case_events.yaml, or the store's own kinds; never the bare identifier."""
    from knowledge_base.drafts import load_case_files

    spec = load_case_files(kb.root).events.events.get(kind)
    if spec is not None:
        return spec.label.get(lang)
    return _OWN_WORDS[lang].get(kind, kind)


def export_markdown(kb, case: Case, today: dt.date, lang: str | None = None, *, drafts: bool = True) -> str:
    """The case as Markdown; user text (title, notes) is escaped so it can never add a heading or a section."""
    from .drafts import render_drafts

    lang = lang or case.lang
    text = labels(lang)
    heads = _HEADS[lang]
    evaluator = Evaluator(kb)
    evaluation = evaluate_case(kb, case, today, evaluator)
    verdict = evaluation.verdict
    facts = typed_facts(kb, case)
    current = kb.scenarios.get(case.current)
    subject = kb.scenarios.get(case.scenario)
    title = markdown_inline(case.title)
    out = [f"# {title}", ""]
    stage_text = " → ".join(kb.scenarios[s].title.get(lang) if s in kb.scenarios else s for s in case.stages)
    status = _OWN_WORDS[lang].get(case.status, case.status)
    out += [f"{heads[0]}: `{case.id}` · {status} · {today.isoformat()}  ", f"{heads[7]}: {stage_text}", ""]
    if case.problems:
        out += [f"## {heads[9]}"] + [f"- {markdown_inline(p)}" for p in case.problems] + [""]
    if current is not None:
        out += [answer_json(kb, current.id, lang)["summary"], ""]
        out += facts_table(kb, current, facts, lang)
    out.append(f"## {heads[1]}")
    if verdict is not None and current is not None:
        out += verdict_markdown(kb, current, verdict, lang, today, evaluator.calendar)
    else:
        missing = ", ".join(kb.fact(n, current).label.get(lang) for n in evaluation.missing if kb.fact(n, current))
        out += [f"{heads[6]}: {missing or '-'}", ""]
    out += [f"## {heads[2]}"] + [f"- {e.date.isoformat()} · {event_label(kb, e.kind, lang)} · {markdown_inline(e.note)}"
                                  for e in case.events]
    out += ["", f"## {heads[3]}"]
    rows = []
    for d in stage_deadlines(kb, case, today, evaluator):
        where = kb.scenarios[d.scenario].title.get(lang)
        rows.append(f"- {d.item.date.isoformat()} ({(d.item.date - today).days:+d}, {text[d.item.count]}) — {d.item.label.get(lang)} · {where}")
    out += rows or ["-"]
    out += ["", f"## {heads[4]}"]
    out += [f"{n}. [{'x' if item.have else ' '}] {item.get(lang)}" for n, item in enumerate(checklist(kb, case), 1)]
    if not drafts or subject is None:
        return "\n".join(out) + "\n"
    made, refused = render_drafts(kb, case, today, lang)
    out += ["", f"## {heads[5]}"]
    for draft in made:
        fence = "`" * max(3, _longest_backticks(draft.body) + 1)
        out += ["", f"### {draft.title}", "", f"*{draft.who}*", "", f"{fence}text", draft.body.rstrip(), fence]
    if refused:
        out += ["", f"### {heads[8]}", ""] + [f"- {title}: {why}" for title, why in refused]
    return "\n".join(out) + "\n"


def _longest_backticks(text: str) -> int:
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return longest
