"""The loaded knowledge base and its problems. Kept apart from the loader so that reading a cached
engine needs neither PyYAML nor the loader's validation code."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schema import CompensationBasis, FactDefinition, OutOfScope, Parameter, Scenario


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base is invalid; `problems` holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class KnowledgeBase:
    root: Path
    scenarios: dict[str, Scenario]
    facts: dict[str, FactDefinition]
    parameters: dict[str, Parameter]
    compensation: dict[str, CompensationBasis]
    out_of_scope: OutOfScope
    user_words: list[str]
    synonyms: dict[str, list[str]]
    stopwords: set[str]
    fingerprint: str
    lines: dict[str, dict[tuple, int]] = field(default_factory=dict, repr=False)

    def as_views(self) -> "KnowledgeBase":
        """The same knowledge base with its models replaced by read-only views (see view.py)."""
        from .view import view

        return KnowledgeBase(
            root=self.root,
            scenarios={sid: view(s.model_dump()) for sid, s in self.scenarios.items()},
            facts={name: view(f.model_dump()) for name, f in self.facts.items()},
            parameters={name: view(p.model_dump()) for name, p in self.parameters.items()},
            compensation={name: view(b.model_dump()) for name, b in self.compensation.items()},
            out_of_scope=view(self.out_of_scope.model_dump()),
            user_words=self.user_words,
            synonyms=self.synonyms,
            stopwords=self.stopwords,
            fingerprint=self.fingerprint,
            lines=self.lines,
        )

    def fact(self, name: str, scenario: Scenario | None = None) -> FactDefinition | None:
        if scenario is not None and name in scenario.facts:
            return scenario.facts[name]
        return self.facts.get(name)
