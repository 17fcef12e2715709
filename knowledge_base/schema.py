"""Typed models of the knowledge-base files. The loader validates every file against these and
`weiquan kb schema` exports them as JSON Schema, so authors and the program read the same contract."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")
Role = Literal["buyer", "seller", "both"]
Platform = Literal["taobao", "tmall", "1688", "jd", "pdd", "other"]
# Confidence marks of the research brief: primary text, primary text in a copy, secondary, seeds only, conflicting.
Confidence = Literal["P", "P*", "S", "SEED", "C"]
FactType = Literal["enum", "date", "number", "integer", "boolean"]

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


class Strict(BaseModel):
    # defer_build: a cached engine is unpickled without ever building validators (≈70 ms saved per start)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("text must not be empty")
    return value.strip()


class Text(Strict):
    """One text in both languages."""

    zh: str
    en: str

    @field_validator("zh", "en")
    @classmethod
    def _text_non_blank(cls, value: str) -> str:
        return _non_blank(value)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class TextLists(Strict):
    """Independent lists per language (examples and keywords are not translations of each other)."""

    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    @field_validator("zh", "en", mode="before")
    @classmethod
    def _numbers_are_words(cls, items):
        # "12315" written unquoted is a word, not a number
        if isinstance(items, list):
            return [str(i) if isinstance(i, (int, float)) and not isinstance(i, bool) else i for i in items]
        return items

    @field_validator("zh", "en")
    @classmethod
    def _items_non_blank(cls, items: list[str]) -> list[str]:
        return [_non_blank(item) for item in items]

    def get(self, lang: str) -> list[str]:
        return self.zh if lang == "zh" else self.en


SHOWN_WHEN = ("shown unless the facts known rule it out (a platform's rule to a buyer on another platform, the food law "
              "for goods that are not food); reads facts only, no dates")


class Step(Text):
    """A step of what to do, in both languages; `when` keeps a platform's own step from people on other platforms."""

    when: Optional[str] = Field(None, description=SHOWN_WHEN)


class Source(Strict):
    """Where a rule or number comes from, and how sure the research brief is of it."""

    title: Text
    ref: Optional[str] = Field(None, description="article, section or seed file")
    url: Optional[str] = None
    confidence: Confidence
    when: Optional[str] = Field(None, description=SHOWN_WHEN)


class Choice(Strict):
    value: str
    label: Text
    when: Optional[str] = Field(None, description="possible only while the known facts do not rule this out (an order "
                                "whose parcel was signed for is no longer unshipped): a \"not sure\" answer never "
                                "lands on it; reads facts only, no dates")


class FactDefinition(Strict):
    """A fact the interview can ask and rules can test. `extract` maps a value ("true"/"false" or a choice)
    to regular expressions that, found in the question, state it (searched, never executed as code)."""

    type: FactType
    label: Text
    ask: Text
    why: Optional[Text] = Field(None, description="why the interview asks this: said when the person asks what it is for")
    stand_in: list[str] = Field(
        default_factory=list,
        description="for a date: earlier date facts that can stand in when the person is not sure of it (a period "
        "counted from an earlier day never ends later, so the answer stays on the safe side)")
    choices: list[Choice] = Field(default_factory=list)
    extract: dict[str, list[str]] = Field(default_factory=dict)
    contested: bool = Field(False, description="the other side's say-so is no statement of it: in \"卖家说是定制款不退\" "
                            "the person reports the seller's excuse, so the fact is asked or assumed, not read")

    @field_validator("extract")
    @classmethod
    def _patterns_compile(cls, extract: dict[str, list[str]]) -> dict[str, list[str]]:
        for patterns in extract.values():
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({exc})") from None
        return extract

    @model_validator(mode="after")
    def _choices_match_type(self) -> "FactDefinition":
        if self.type == "enum" and not self.choices:
            raise ValueError("an enum fact needs choices")
        if self.type != "enum" and self.choices:
            raise ValueError(f"a {self.type} fact takes no choices")
        allowed = {c.value for c in self.choices} if self.type == "enum" else {"true", "false"}
        for value in self.extract:
            if value not in allowed:
                raise ValueError(f"extract: {value!r} is not a value of this fact ({', '.join(sorted(allowed))})")
        return self


class FactCatalogue(Strict):
    """data/facts.yaml: the standard facts every scenario may use."""

    facts: dict[str, FactDefinition]

    @field_validator("facts")
    @classmethod
    def _snake_case_names(cls, facts: dict[str, FactDefinition]) -> dict[str, FactDefinition]:
        for name in facts:
            if not SNAKE_CASE.match(name):
                raise ValueError(f"fact name {name!r} is not snake_case")
        return facts


Status = Literal["eligible", "not_yet", "window_passed", "not_eligible", "excluded"]
Route = Literal["negotiation", "platform", "12315", "consumer_association", "court", "police"]


class Question(Strict):
    """A fact the scenario may need. With `assume`, an unknown or "not sure" answer does not hold the verdict
    back: it is given on the condition that the fact has this value (things the person must prove).
    `if_unsure` is the value a "not sure" answer is taken as first where the answer decides the route (an order whose
    goods came wrong has most likely shipped). `ask_when` asks the question instead of assuming where the answer usually goes the other way (the
    purpose of a purchase on a wholesale platform); without `assume` it says when the fact matters at all, so it is
    not listed as still needed elsewhere (whether food is unsafe, for food only). `ask` words the question for this scenario where the fact's
    own wording does not fit (a seller is asked about the shop and the buyer's request, not about "your order")."""

    fact: str
    ask: Optional[Text] = Field(None, description="this scenario's wording of the question (default: the fact's own)")
    assume: Optional[Any] = None
    condition: Optional[Text] = Field(None, description="how the verdict states the assumption")
    ask_when: Optional[str] = Field(None, description="with assume: ask rather than assume while this condition "
                                    "holds; without: the fact matters (and is listed as needed) only while it holds")
    quiet: bool = Field(False, description="with assume and ask_when: the assumption goes without saying where ask_when "
                        "does not hold (a shop on Taobao is a business), so it is neither said nor listed as needed there")
    if_unsure: Optional[Any] = Field(None, description='the value a "not sure" answer is answered for first, the most '
                                     "common one in this scenario (the others follow as \"if …\" alternatives)")


class Deadline(Strict):
    """A period counted from a date fact: `days` (statutory: from the next day; a last day on a rest day moves
    on, Civil Code arts. 201, 203), `working_days`, `years`, or a platform clock in `hours`."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True)

    from_: str = Field(alias="from", description="the date fact the period runs from")
    days: Optional[Union[int, str]] = None
    working_days: Optional[Union[int, str]] = None
    years: Optional[Union[int, str]] = None
    hours: Optional[Union[int, str]] = None
    starts: Literal["event", "next_midnight"] = Field("event", description="for hours: when the clock starts")
    extend: bool = Field(True, description="for days/years: a last day on a rest day moves to the next working day")
    kind: Literal["statutory", "platform"] = "statutory"
    label: Text
    when: Optional[str] = Field(None, description="only when this condition holds")

    @model_validator(mode="after")
    def _one_length(self) -> "Deadline":
        given = [n for n in ("days", "working_days", "years", "hours") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of days, working_days, years, hours")
        return self


class CompensationRef(Strict):
    basis: str
    when: Optional[str] = None


class Outcome(Strict):
    status: Status
    route: Route
    label: Optional[Text] = Field(None, description="the verdict's first words instead of the status's (e.g. what a seller may do)")
    title: Text = Field(description="the verdict in one line")
    next_action: Text
    deadlines: list[Deadline] = Field(default_factory=list)
    opens: Optional[Deadline] = Field(None, description="for not_yet: when the route becomes available")
    compensation: list[Union[str, CompensationRef]] = Field(default_factory=list)
    still_possible: list[Text] = Field(default_factory=list)
    evidence: Optional[list[Text]] = Field(None, description="defaults to the scenario's evidence")


class Rule(Strict):
    """First matching rule wins. `until` makes the rule hold only up to the latest of those deadlines."""

    when: Optional[str] = None
    until: list[Deadline] = Field(default_factory=list)
    outcome: str


class Expect(Strict):
    status: Optional[Status] = Field(None, description="null: no verdict yet")
    outcome: Optional[str] = Field(None, description="the outcome the rules reach")
    deadline: Optional[dt.date] = None
    opens: Optional[dt.date] = None
    amount: Optional[float] = None
    estimated: Optional[bool] = None
    missing: Optional[list[str]] = None


class ScenarioTest(Strict):
    name: str
    today: dt.date
    facts: dict[str, Any] = Field(default_factory=dict)
    unsure: list[str] = Field(default_factory=list, description='facts answered "not sure"')
    expect: Expect


class Scenario(Strict):
    """One after-sale situation: how people ask about it, what to do, and what decides eligibility."""

    id: str = Field(pattern=SNAKE_CASE.pattern)
    role: Role
    platforms: list[Platform] = Field(min_length=1)
    title: Text
    summary: Text
    steps: list[Step] = Field(min_length=1, description="what to do now, in order")
    evidence: list[Text] = Field(min_length=1, description="evidence to gather")
    escalation: list[Text] = Field(min_length=1, description="the ladder behind the first step")
    sources: list[Source] = Field(min_length=1)
    keywords: TextLists
    examples: TextLists
    questions: list[Union[str, Question]] = Field(default_factory=list, description="facts the rules may need, in asking order")
    facts: dict[str, FactDefinition] = Field(default_factory=dict, description="facts of this scenario's own")
    rules: list[Rule] = Field(default_factory=list)
    outcomes: dict[str, Outcome] = Field(default_factory=dict)
    tests: list[ScenarioTest] = Field(default_factory=list)

    @field_validator("questions")
    @classmethod
    def _questions_as_models(cls, items: list) -> list:
        return [Question(fact=q) if isinstance(q, str) else q for q in items]


class Parameter(Strict):
    """A number the rules use, with when it took effect and where it comes from."""

    value: float
    unit: str
    effective: Optional[dt.date] = Field(description="the date it took effect; null when no source gives it")
    source: Source


class CompensationBasis(Strict):
    """Money beyond the refund: price × multiplier, raised to `minimum`, capped at `cap`; or a stated amount."""

    label: Text
    multiplier: Optional[float] = None
    minimum: Optional[float] = None
    cap: Optional[float] = None
    amount_fact: Optional[str] = Field(None, description="a fact holding the amount (e.g. what the seller promised)")
    form: Literal["cash", "points", "unknown"] = Field("cash", description="how it is paid; unknown when no source says")
    route: Route
    effective: Optional[dt.date] = Field(description="the date it took effect; null when no source gives it")
    source: Source

    @model_validator(mode="after")
    def _formula(self) -> "CompensationBasis":
        if (self.multiplier is None) == (self.amount_fact is None):
            raise ValueError("give either multiplier or amount_fact")
        return self


class ParameterFile(Strict):
    """data/parameters.yaml: platform and statutory numbers, each once, with effective date and source."""

    parameters: dict[str, Parameter]
    compensation: dict[str, CompensationBasis]


class OutOfScope(Strict):
    """data/out_of_scope.yaml: topics next to ours that weiquan does not cover, so near misses are recognised."""

    examples: TextLists
