"""The documents a case exports, written from the templates in drafts.yaml and the case alone: its facts as
dated statements, a concrete demand (the remedy, then each compensation basis with its amount and where it
comes from), an answer deadline counted from the export date, the evidence ticked in its checklist, and a
marked blank for everything the program cannot know. Advice written for the person never enters a draft.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from string import Template
from typing import Any

from knowledge_base.conditions import Environment, Unknown, parse

from .casefile import case_role, checklist, evaluate_case, typed_facts
from .eligibility import Evaluator
from .render import value_label
from .safe_text import one_line

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass
class Rendered:
    name: str
    title: str
    who: str
    body: str


def long_date(day: dt.date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def money(amount: float) -> str:
    return f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"


class _Values(dict):
    """Template values; a name without a value becomes a visible blank, never an invented value."""

    def __init__(self, values: dict, blank: str, names: dict, lang: str):
        super().__init__(values)
        self.blank, self.names, self.lang = blank, names, lang

    def __missing__(self, key: str) -> str:
        what = self.names[key].get(self.lang) if key in self.names else key
        return Template(self.blank).safe_substitute(what=what)

    def fill(self, template: str, **extra: str) -> str:
        return Template(template).substitute(_Chain(extra, self))


class _Chain(dict):
    def __init__(self, first: dict, rest: _Values):
        super().__init__(first)
        self.rest = rest

    def __missing__(self, key: str) -> str:
        return self.rest[key]


def render_drafts(kb, case, today: dt.date, lang: str) -> tuple[list[Rendered], list[tuple[str, str]]]:
    """The drafts that fit the case (its role, scenario and stage), and for those of its role that do not,
    their title and why."""
    from knowledge_base.drafts import load_case_files

    files = load_case_files(kb.root)
    spec = files.drafts
    facts = typed_facts(kb, case)
    role = case_role(kb, case, facts)
    evaluator = Evaluator(kb)
    env = Environment({**facts, "role": role, "stage": case.current}, evaluator.parameters, today,
                      evaluator.calendar.working_days_between)
    values = _Values(_fact_values(kb, case, facts, lang), spec.blank.get(lang), spec.blank_names, lang)
    reply_by = today + dt.timedelta(days=spec.reply_days.value)
    values.update(today=long_date(today, lang), reply_by=long_date(reply_by, lang), reply_days=str(spec.reply_days.value))
    statements = _statements(kb, case, facts, role, values, spec, files.events, lang)
    values["facts"] = _numbered(statements) or values["facts"]  # nothing known yet: a marked blank, not an empty section
    values["evidence"] = _numbered([item.get(lang) for item in checklist(kb, case) if item.have]) or values["evidence"]
    bases = evaluate_case(kb, case, today, evaluator, case.scenario).verdict
    made, refused = [], []
    for name, draft in spec.drafts.items():
        if draft.role != role or (draft.scenarios and case.scenario not in draft.scenarios and case.current not in draft.scenarios):
            continue
        why = next((c.why.get(lang) for c in draft.unless if _holds(c.when, env)), None)
        if why is not None:
            refused.append((draft.title.get(lang), why))
            continue
        lines = _demand(kb, case, draft, bases.bases if bases else [], values, spec, lang)
        voiced = {"facts": _numbered([_in_voice(text, draft.voice[lang], lang) for text in statements]) or values["facts"]} \
            if lang in draft.voice else {}
        body = values.fill(getattr(draft, lang),
                           demand=_numbered(lines, final=True, lang=lang), demand_inline=_inline(lines, lang), **voiced)
        made.append(Rendered(name, draft.title.get(lang), draft.who.get(lang), body))
    return made, refused


def _in_voice(text: str, words: dict[str, str], lang: str) -> str:
    """A statement in a document's own voice ("我签收了" → "原告签收了"); English words replaced whole and the
    sentence capitalised again ("I bought" → "The plaintiff bought")."""
    for word, replacement in words.items():
        if lang == "en":
            text = re.sub(rf"(?<![A-Za-z']){re.escape(word)}(?![A-Za-z'])", replacement, text)
        else:
            text = text.replace(word, replacement)
    return text[:1].upper() + text[1:]


def _holds(text: str, env: Environment) -> bool:
    """A draft's `unless`: true, or not decidable yet (then it is not made until the fact is known)."""
    value = parse(text).evaluate(env)
    return isinstance(value, Unknown) or bool(value)


def _fact_values(kb, case, facts: dict[str, Any], lang: str) -> dict[str, str]:
    scenario = kb.scenarios.get(case.current)
    out = {}
    for name, value in facts.items():
        if isinstance(value, dt.date):
            out[name] = long_date(value, lang)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = money(value)
        else:
            out[name] = one_line(value_label(kb.fact(name, scenario), value, lang))
    return out


_DELIVERY = ("purchase", "paid_date", "shipped_date", "received", "received_date", "completed", "completed_date")


def _statements(kb, case, facts, role, values: _Values, spec, events, lang: str) -> list[str]:
    """The case's facts as statements, oldest first: purchase and delivery, the problem, what happened after
    (dated facts and events), then what has no date. Free notes are never pasted: only recognised events."""
    table = spec.statements.get(role, {})
    dated: list[tuple[dt.date, int, str, str]] = []  # date, order, name, text
    covered: set[tuple[str, dt.date]] = set()
    set_by_events: set[str] = set()
    for n, event in enumerate(case.events):
        text = table.get(event.kind)
        kind = events.events.get(event.kind)
        if kind is not None:
            set_by_events |= {f for f, v in kind.sets.items() if v != "date"}
        if text is None or isinstance(text, dict):
            continue
        dated.append((event.date, n, event.kind, values.fill(text.get(lang), date=long_date(event.date, lang))))
        if kind is not None:
            covered |= {(f, event.date) for f, v in kind.sets.items() if v == "date"}
    undated: list[str] = []
    for name, text in table.items():
        if name not in facts:
            continue
        value = facts[name]
        if isinstance(value, dt.date):
            if (name, value) not in covered and not isinstance(text, dict):
                dated.append((value, -1, name, values.fill(text.get(lang), date=long_date(value, lang))))
        elif isinstance(text, dict) and name not in set_by_events:
            key = str(value).lower() if isinstance(value, bool) else str(value)
            if key in text:
                undated.append(values.fill(text[key].get(lang)))
    dated.sort(key=lambda row: (row[0], row[1]))
    rows = [(name, text) for _, _, name, text in dated]
    if role == "buyer" and "paid_date" not in facts and "purchase" in table:
        rows.insert(0, ("purchase", values.fill(table["purchase"].get(lang))))
    problem = spec.problems.get(case.scenario)
    if problem is not None:
        after = max((i + 1 for i, (name, _) in enumerate(rows) if name in _DELIVERY), default=0)
        rows.insert(after, ("problem", problem.get(lang)))
    return [text for _, text in rows] + undated


def _demand(kb, case, draft, bases, values: _Values, spec, lang: str) -> list[str]:
    if draft.refund_line is None:
        return []
    remedy = spec.remedies.get(case.scenario) or spec.remedies["default"]
    lines = [values.fill(draft.refund_line.get(lang), remedy=values.fill(remedy.get(lang)))]
    for basis in bases:
        if basis.route not in draft.routes or basis.amount is None:
            continue
        cite = spec.cites.get(basis.id)
        cite_text = cite.get(lang) if cite else kb.compensation[basis.id].source.title.get(lang)
        lines.append(values.fill(draft.basis_line.get(lang), amount=money(basis.amount), cite=cite_text))
    if draft.closing_line is not None:
        lines.append(draft.closing_line.get(lang))
    return lines


def _numbered(lines: list[str], *, final: bool = False, lang: str = "zh") -> str:
    if final and lines:
        last = lines[-1].rstrip("；;，,。.")
        lines = lines[:-1] + [last + ("。" if lang == "zh" else ".")]
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))


def _inline(lines: list[str], lang: str) -> str:
    text = ("，" if lang == "zh" else ", ").join(line.rstrip("；;。.") for line in lines)
    return text[:1].upper() + text[1:]  # it starts a sentence
