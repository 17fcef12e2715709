"""Typed models of the knowledge-base files. The loader validates every file against these and
`weiquan kb schema` exports them as JSON Schema, so authors and the program read the same contract."""
from __future__ import annotations

import re
from typing import Literal, Optional

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


class Source(Strict):
    """Where a rule or number comes from, and how sure the research brief is of it."""

    title: Text
    ref: Optional[str] = Field(None, description="article, section or seed file")
    url: Optional[str] = None
    confidence: Confidence


class Choice(Strict):
    value: str
    label: Text


class FactDefinition(Strict):
    """A fact the interview can ask and rules can test."""

    type: FactType
    label: Text
    ask: Text
    choices: list[Choice] = Field(default_factory=list)

    @model_validator(mode="after")
    def _choices_match_type(self) -> "FactDefinition":
        if self.type == "enum" and not self.choices:
            raise ValueError("an enum fact needs choices")
        if self.type != "enum" and self.choices:
            raise ValueError(f"a {self.type} fact takes no choices")
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


class Scenario(Strict):
    """One after-sale situation: how people ask about it, what to do, and what decides eligibility."""

    id: str = Field(pattern=SNAKE_CASE.pattern)
    role: Role
    platforms: list[Platform] = Field(min_length=1)
    title: Text
    summary: Text
    steps: list[Text] = Field(min_length=1, description="what to do now, in order")
    evidence: list[Text] = Field(min_length=1, description="evidence to gather")
    escalation: list[Text] = Field(min_length=1, description="the ladder behind the first step")
    sources: list[Source] = Field(min_length=1)
    keywords: TextLists
    examples: TextLists
    questions: list[str] = Field(default_factory=list, description="facts the scenario's rules need, in asking order")
    facts: dict[str, FactDefinition] = Field(default_factory=dict, description="facts of this scenario's own")


class OutOfScope(Strict):
    """data/out_of_scope.yaml: topics next to ours that weiquan does not cover, so near misses are recognised."""

    examples: TextLists
