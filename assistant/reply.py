"""One answer to one question: which scenario, how sure, what to do, and which facts are still needed."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .engine import Engine
from .facts import Fact
from .match import MatchResult, Ranked
from .text import clean, guess_language


@dataclass
class Reply:
    query: str
    lang: str
    scenario: str | None
    score: float
    candidates: list[Ranked]
    facts: dict[str, Fact] = field(default_factory=dict)
    missing_facts: list[str] = field(default_factory=list)
    verdict: dict | None = None
    error: str | None = None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def build_reply(
    engine: Engine,
    question: str,
    *,
    lang: str = "auto",
    scenario: str | None = None,
    facts: dict[str, Fact] | None = None,
    today: dt.date | None = None,
) -> Reply:
    """Answer one question. `scenario` skips matching; `lang` 'auto' answers in the question's language."""
    query = clean(question) if question else ""
    reply_lang = guess_language(query) if lang == "auto" else lang
    known = dict(facts or {})
    if scenario is not None:
        result = MatchResult(scenario, 1.0, [Ranked(scenario, 1.0, 1.0)], [])
    elif not query:
        return Reply(query, reply_lang, None, 0.0, [], known, error="empty question")
    else:
        result = engine.matcher.match(query)
    missing: list[str] = []
    if result.scenario is not None:
        wanted = engine.kb.scenarios[result.scenario].questions
        missing = [name for name in wanted if name not in known]
    return Reply(query, reply_lang, result.scenario, result.score, result.candidates, known, missing)
