"""A scenario's rules + the facts + today → a verdict: status, route, deadlines, compensation.

Nothing here knows a number or a platform: every period, multiplier, cap and condition comes from the
knowledge base (scenario files and parameters.yaml). The code only counts days and applies formulas.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from knowledge_base.conditions import Environment, Unknown, may_hold, parse

from .calendar import WorkCalendar

_parse = lru_cache(maxsize=None)(parse)


class NeedFacts(Exception):
    """Evaluation cannot go on without these facts."""

    def __init__(self, facts):
        self.facts = list(facts)
        super().__init__(", ".join(self.facts))


@dataclass(frozen=True)
class DeadlineResult:
    label: Any  # Text
    kind: str  # statutory | platform
    date: dt.date  # the last day to act
    count: str  # calendar | working
    estimated: bool
    clock: str | None = None  # for hour windows: "24:00" or "event" (same time of day as the event)


@dataclass(frozen=True)
class BasisResult:
    id: str
    label: Any  # Text
    amount: float | None  # None when the price is not known
    form: str
    route: str
    confidence: str
    at_least: bool = False  # the price is not known: the amount is the basis's legal floor


@dataclass(frozen=True)
class Assumption:
    """A fact the verdict takes as given: a rule's `assume`, or one branch of a "not sure" answer."""

    fact: str
    value: Any
    condition: Any = None  # Text, when the scenario says how to state it


@dataclass(frozen=True)
class Alternative:
    fact: str
    value: Any
    status: str
    title: Any  # Text


@dataclass
class Verdict:
    status: str
    outcome_id: str
    outcome: Any  # Outcome
    deadlines: list[DeadlineResult] = field(default_factory=list)
    opens: DeadlineResult | None = None
    bases: list[BasisResult] = field(default_factory=list)
    assumed: list[Assumption] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)

    @property
    def deadline(self) -> DeadlineResult | None:
        """Where a platform clock and a statutory period differ, the later one counts."""
        return max(self.deadlines, key=lambda d: d.date) if self.deadlines else None

    @property
    def compensation(self) -> BasisResult | None:
        """The largest basis; none while amounts are unknown."""
        priced = [b for b in self.bases if b.amount is not None]
        return max(priced, key=lambda b: b.amount) if priced else None


@dataclass
class Evaluation:
    verdict: Verdict | None
    missing: list[str]  # facts still needed (blocking first), or assumed ones the verdict depends on
    blocking: list[str] = field(default_factory=list)  # the facts that hold the verdict back right now


def facts_in_play(scenario) -> frozenset[str]:
    """The facts a scenario asks or its rules read, and who is asking: of everything read from a person's
    messages, the ones worth showing with its answer ("Food: no" means nothing to a seller accused of fakes)."""
    names = {"role"} | {q.fact for q in scenario.questions}
    for rule in scenario.rules:
        names |= _parse(rule.when).names if rule.when else set()
        for spec in rule.until:
            names.add(spec.from_)
            names |= _parse(spec.when).names if spec.when else set()
    for outcome in scenario.outcomes.values():
        if outcome.compensation:
            names.add("price")  # what compensation is counted from (a food claim in a quality problem)
        for ref in outcome.compensation:
            names |= _parse(ref.when).names if not isinstance(ref, str) and ref.when else set()
    return frozenset(names)


class Evaluator:
    def __init__(self, kb, calendar: WorkCalendar | None = None):
        self.kb = kb
        self._unsure: frozenset[str] = frozenset()
        self.calendar = calendar or WorkCalendar(kb.root / "holidays")
        self.parameters = {name: _number(p.value) for name, p in kb.parameters.items()}

    def evaluate(self, scenario, facts: dict[str, Any], today: dt.date, unsure: frozenset[str] = frozenset()) -> Evaluation:
        values = {k: v for k, v in facts.items() if k not in unsure}
        self._unsure = unsure
        assumed = []
        for question in scenario.questions:
            if question.assume is not None and question.fact not in values:
                if question.fact not in unsure and self._asks_instead(question, values, today):
                    continue  # where the answer usually goes the other way, ask; "not sure" is then assumed
                values[question.fact] = question.assume
                if question.quiet and question.fact not in unsure:
                    continue  # goes without saying where it is not asked: not said, not listed
                assumed.append(Assumption(question.fact, question.assume, question.condition))
        unknown_questions = [q.fact for q in scenario.questions if q.fact not in values and self._matters(q, values, today)]
        try:
            verdict = self._decide(scenario, values, today)
        except NeedFacts as need:
            blocking = [f for f in unknown_questions if f in need.facts] or need.facts  # in the scenario's asking order
            branched = self._branch(scenario, values, today, blocking, unsure, assumed)
            if branched is not None:
                return branched
            rest = [f for f in unknown_questions if f not in blocking]
            return Evaluation(None, blocking + rest + [a.fact for a in assumed], blocking)
        if verdict is None:
            return Evaluation(None, unknown_questions)
        verdict.assumed = assumed
        verdict.alternatives = self._alternatives(scenario, values, today, assumed, verdict.status)
        return Evaluation(verdict, [a.fact for a in assumed])

    def _branch(self, scenario, values, today, blocking, unsure, assumed) -> Evaluation | None:
        """"Not sure" about a yes/no or a choice that decides the route: answer for each value, first one as
        the verdict and the others as "if …, then …" alternatives, rather than stopping."""
        if len(blocking) != 1 or blocking[0] not in unsure:
            return None
        fact = blocking[0]
        options = self._values_of(fact, scenario, values)
        if not options:
            return None
        likely = next((q.if_unsure for q in scenario.questions if q.fact == fact), None)
        if likely in options:  # the scenario's most common case first
            options.remove(likely)
            options.insert(0, likely)
        first = options[0]
        try:
            verdict = self._decide(scenario, {**values, fact: first}, today)
        except NeedFacts:
            return None
        if verdict is None:
            return None
        verdict.assumed = assumed + [Assumption(fact, first)]
        verdict.alternatives = self._alternatives(scenario, values, today, verdict.assumed, verdict.status, every=True)
        return Evaluation(verdict, [fact] + [a.fact for a in assumed])
    # ------------------------------------------------------------------ rules

    def _env(self, values: dict, today: dt.date) -> Environment:
        return Environment(values, self.parameters, today, self.calendar.working_days_between, self._unsure)

    def _matters(self, question, values: dict, today: dt.date) -> bool:
        """An unknown fact worth listing as still needed: not one whose `ask_when` (without `assume`) is false."""
        if question.ask_when is None or question.assume is not None:
            return True
        return _parse(question.ask_when).evaluate(self._env(values, today)) is not False

    def _asks_instead(self, question, values: dict, today: dt.date) -> bool:
        """A question's `ask_when` holds on what is known so far (undecided: assume, as without it)."""
        if question.ask_when is None:
            return False
        return _parse(question.ask_when).evaluate(self._env(values, today)) is True

    def _holds(self, text: str | None, env: Environment) -> bool:
        if text is None:
            return True
        value = _parse(text).evaluate(env)
        if isinstance(value, Unknown):
            raise NeedFacts(sorted(value.facts))
        return bool(value)

    def _decide(self, scenario, values: dict, today: dt.date) -> Verdict | None:
        env = self._env(values, today)
        for rule in scenario.rules:
            holds = True if rule.when is None else _parse(rule.when).evaluate(env)
            if not isinstance(holds, Unknown) and not holds:
                continue
            try:
                until = self._deadlines(rule.until, env)
            except NeedFacts:
                if isinstance(holds, Unknown):  # the condition is asked first, its period after
                    raise NeedFacts(sorted(holds.facts)) from None
                raise
            if until and today > max(d.date for d in until):
                continue  # the period this rule grants is over (its condition need not be asked): a later rule says what remains
            if isinstance(holds, Unknown):
                raise NeedFacts(sorted(holds.facts))
            outcome = scenario.outcomes[rule.outcome]
            return Verdict(
                status=outcome.status,
                outcome_id=rule.outcome,
                outcome=outcome,
                deadlines=until + self._deadlines(outcome.deadlines, env),
                opens=self._deadline(outcome.opens, env) if outcome.opens is not None else None,
                bases=self._compensation(outcome.compensation, env),
            )
        return None

    def _alternatives(self, scenario, values, today, assumed, status, every: bool = False) -> list[Alternative]:
        """For each assumed fact, what the verdict would be if it were otherwise ("if …, then …")."""
        out = []
        for assumption in assumed:
            for other in self._values_of(assumption.fact, scenario, values):
                if other == assumption.value:
                    continue
                try:
                    verdict = self._decide(scenario, {**values, assumption.fact: other}, today)
                except NeedFacts:
                    continue
                if verdict is not None and (verdict.status != status or every):
                    out.append(Alternative(assumption.fact, other, verdict.status, verdict.outcome.title))
        return out

    def _values_of(self, name: str, scenario, values: dict[str, Any]) -> list[Any]:
        """The values fact `name` can still have, given the other facts known (`values`)."""
        definition = self.kb.fact(name, scenario)
        if definition is None:
            return []
        if definition.type == "boolean":
            return [True, False]
        if definition.type == "enum":
            return [c.value for c in definition.choices if c.when is None or may_hold(_parse(c.when), values)]
        return []

    # ------------------------------------------------------------------ deadlines

    def _deadlines(self, specs, env: Environment) -> list[DeadlineResult]:
        # A clock whose condition cannot be decided yet (Taobao's 168 hours when the platform is unknown) is
        # left out: it can only add a period the person has not said applies.
        out = []
        for spec in specs:
            if spec.when is not None and isinstance(_parse(spec.when).evaluate(env), Unknown):
                continue
            if self._holds(spec.when, env):
                out.append(self._deadline(spec, env))
        return out

    def _length(self, value, env: Environment) -> int:
        """A period's length: a number, a parameter, or a number fact (the listing's promised hours)."""
        if not isinstance(value, str):
            return int(value)
        if value in self.parameters:
            return int(self.parameters[value])
        if value not in env.facts:
            raise NeedFacts([value])
        return int(env.facts[value])

    def _deadline(self, spec, env: Environment) -> DeadlineResult:
        if spec.from_ not in env.facts:
            raise NeedFacts([spec.from_])
        event: dt.date = env.facts[spec.from_]
        cal = self.calendar
        if spec.days is not None:
            end = cal.statutory_end(event, self._length(spec.days, env), extend=spec.extend)
            return DeadlineResult(spec.label, spec.kind, end, "calendar", spec.extend and cal.estimated(event, end))
        if spec.working_days is not None:
            end = cal.add_working_days(event, self._length(spec.working_days, env))
            return DeadlineResult(spec.label, spec.kind, end, "working", cal.estimated(event, end))
        if spec.years is not None:
            end = _add_years(event, self._length(spec.years, env))
            if spec.extend:
                end = cal.statutory_end(end, 0)
            return DeadlineResult(spec.label, spec.kind, end, "calendar", spec.extend and cal.estimated(end, end))
        hours = self._length(spec.hours, env)
        if spec.starts == "next_midnight":  # the clock ends at 24:00 of its last day
            end = event + dt.timedelta(days=hours // 24) + (dt.timedelta(days=1) if hours % 24 else dt.timedelta())
            return DeadlineResult(spec.label, spec.kind, end, "calendar", False, "24:00")
        end = event + dt.timedelta(days=-(-hours // 24))
        return DeadlineResult(spec.label, spec.kind, end, "calendar", False, "event")

    # ------------------------------------------------------------------ money

    def _compensation(self, refs, env: Environment) -> list[BasisResult]:
        out = []
        for ref in refs:
            basis_id, when = (ref, None) if isinstance(ref, str) else (ref.basis, ref.when)
            if not self._holds(when, env):
                continue
            basis = self.kb.compensation[basis_id]
            at_least = False
            if basis.amount_fact is not None:
                if basis.amount_fact not in env.facts:
                    continue  # nothing was promised, or we were not told
                amount = float(env.facts[basis.amount_fact])
            elif "price" not in env.facts and "price" in self._unsure:
                # the person does not know the price: the basis stands, and only its legal floor is certain
                amount, at_least = basis.minimum, basis.minimum is not None
            else:
                if "price" not in env.facts:
                    raise NeedFacts(["price"])
                amount = float(env.facts["price"]) * basis.multiplier
                if basis.minimum is not None:
                    amount = max(amount, basis.minimum)
                if basis.cap is not None:
                    amount = min(amount, basis.cap)
            amount = None if amount is None else round(amount, 2)
            out.append(BasisResult(basis_id, basis.label, amount, basis.form, basis.route, basis.source.confidence, at_least))
        return out


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
