"""The Conversation: one state machine behind `weiquan ask`, `weiquan chat --plain` and the TUI. No I/O.

match the question → clarify a near tie → ask the missing facts one at a time → verdict → follow-ups
(evidence, what if the seller refuses, corrections, start over, switch language).

A fact the person stated (in the question, a flag or an answer) is never asked again; a correction
replaces it. A value that cannot be read is refused with one sentence and the same question is asked
again, nothing else lost.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .answers import parse_answer
from .eligibility import Evaluation, Evaluator, Verdict
from .extract import DateError, extract_facts, implied_role, stated_role
from .facts import Fact, FactError
from .match import MatchResult, Ranked
from .text import clean, guess_language, normalise

SCENARIO = "scenario"  # what `asking` says while a near tie is being resolved
NONE_OF_THESE = "none"  # the choice offered after the closest scenarios
_UNSURE = re.compile(r"^(?:不确定|不知道|不清楚|不记得|忘了|说不清|not sure|unsure|don'?t know|no idea|not certain|\?+|？+)$", re.I)
_RESTART = re.compile(r"^(?:重新开始|重来|新的问题|换个问题|start over|restart|new question|reset)$", re.I)
_TO_EN = re.compile(r"^(?:english|in english|英文|用英文|说英文|英语)$", re.I)
_TO_ZH = re.compile(r"^(?:中文|chinese|in chinese|用中文|说中文|汉语)$", re.I)
_EVIDENCE = re.compile(r"证据|材料|准备什么|要什么|evidence|proof|documents?|what (?:do|should) i (?:need|prepare|gather)", re.I)
_REFUSES = re.compile(r"拒绝|不理|不处理|不同意|不配合|不退|然后呢|下一步|怎么升级|refus|ignor|won'?t|what if|what next|next step|escalat", re.I)
_ASSIGN = re.compile(r"^\s*([a-z_]+)\s*[=:：]\s*(.+)$")


@dataclass
class Turn:
    """What the assistant says back, and the state a face needs to show it."""

    say: str
    lang: str
    scenario: str | None
    score: float = 0.0
    candidates: list[Ranked] = field(default_factory=list)
    asking: str | None = None
    choices: list[dict] = field(default_factory=list)
    facts: dict[str, Fact] = field(default_factory=dict)
    missing_facts: list[str] = field(default_factory=list)
    verdict: Verdict | None = None
    error: str | None = None
    kind: str = "answer"  # answer | question | clarify | out_of_scope | evidence | escalation | error | greeting
    note: str | None = None  # a first line about what just changed ("已更新：…", "OK, English from now on")

    def noted(self, note: str) -> "Turn":
        self.note = note
        self.say = f"{note}\n{self.say}"
        return self


_TEXT = {
    "zh": {
        "greeting": "你好，我是维权助手。说说遇到了什么问题：在哪个平台、买了什么、现在卡在哪一步。",
        "empty": "请输入你的问题。",
        "which": "你的情况更接近哪一种？",
        "bad_choice": "没有看懂这个选择，请回复选项编号或名称。",
        "none_of_these": "都不是",
        "rephrase": "好的。能换个说法再讲讲吗？比如在哪个平台买的、出了什么问题、卖家怎么说的。",
        "unsure_all": "要判断你能否维权、截止日期和赔偿，还需要知道：{facts}。可以在订单详情页找到这些信息，找到后直接告诉我。",
        "corrected": "已更新：{facts}。",
        "restart": "好的，重新开始。说说你遇到的问题。",
        "lang": "好的，之后用中文回复。",
        "evidence": "需要准备的证据：",
        "escalation": "如果卖家拒绝或不处理，可以按这个顺序升级：",
        "no_case": "先告诉我遇到了什么问题，我再给出具体的证据清单和处理路径。",
        "not_sure_hint": "（也可以回答“不确定”）",
        "bad_enum": "“{value}”不是可选的答案，请回复编号或选项。",
        "bad_date": "“{value}”不是能识别的日期（例如 2026-11-16、11月16号、昨天、3天前）。",
        "future_date": "{value} 在今天（{today}）之后，请再确认一下日期。",
        "bad_number": "“{value}”不是数字，请直接回复数字，例如 299。",
        "bad_boolean": "请回答“是”或“否”（也可以说“不确定”）。",
    },
    "en": {
        "greeting": "Hi, I'm weiquan. Tell me what went wrong: which platform, what you bought, and where things are stuck.",
        "empty": "Please type your question.",
        "which": "Which of these is closer to your situation?",
        "bad_choice": "I didn't understand that choice; reply with its number or name.",
        "none_of_these": "None of these",
        "rephrase": "OK. Could you tell me again in other words — where you bought it, what went wrong, what the seller said?",
        "unsure_all": "To tell whether you qualify, by when and for how much, I still need: {facts}. You can find them on the order page — tell me when you have them.",
        "corrected": "Updated: {facts}.",
        "restart": "OK, let's start over. What went wrong?",
        "lang": "OK, I'll answer in English from now on.",
        "evidence": "Evidence to gather:",
        "escalation": "If the seller refuses or ignores you, escalate in this order:",
        "no_case": "Tell me what happened first, then I can give you the evidence list and the route.",
        "not_sure_hint": "(you can also answer \"not sure\")",
        "bad_enum": "\"{value}\" is not one of the choices; reply with its number or name.",
        "bad_date": "\"{value}\" is not a date I can read (e.g. 2026-11-16, Nov 16, yesterday, 3 days ago).",
        "future_date": "{value} is after today ({today}); please check the date.",
        "bad_number": "\"{value}\" is not a number; reply with just the number, e.g. 299.",
        "bad_boolean": "Please answer yes or no (or \"not sure\").",
    },
}


class Conversation:
    def __init__(self, engine, *, today: dt.date, lang: str = "auto", facts: dict[str, Fact] | None = None, scenario: str | None = None):
        self.engine = engine
        self.kb = engine.kb
        self.today = today
        self.fixed_lang = None if lang == "auto" else lang
        self.lang = self.fixed_lang or "zh"
        self.evaluator = Evaluator(self.kb)
        self._initial = (dict(facts or {}), scenario)
        self.reset()

    # ------------------------------------------------------------------ state

    def reset(self) -> None:
        facts, scenario = self._initial
        self.facts: dict[str, Fact] = dict(facts)
        self.unsure: set[str] = set()
        self.scenario: str | None = scenario
        self.match: MatchResult | None = MatchResult(scenario, 1.0, [Ranked(scenario, 1.0, 1.0)], []) if scenario else None
        self.asking: str | None = None
        self.pending: list[Ranked] = []
        self.last: Turn | None = None
        self.question_text = ""  # the question that chose the scenario, read again for its own facts

    def _text(self, key: str, **kwargs) -> str:
        return _TEXT[self.lang][key].format(**kwargs)

    def _value(self, name: str) -> str:
        from .render import value_label

        definition = self.kb.fact(name, self.kb.scenarios.get(self.scenario or ""))
        return value_label(definition, self.facts[name].value, self.lang)

    def _label(self, name: str) -> str:
        definition = self.kb.fact(name, self.kb.scenarios.get(self.scenario) if self.scenario else None)
        return definition.label.get(self.lang) if definition else name

    # ------------------------------------------------------------------ the one entry point

    def send(self, text: str) -> Turn:
        text = clean(text or "")
        if text and not self.fixed_lang:
            self.lang = guess_language(text, default=self.lang)
        if not text:
            if self.asking:
                return self._remember(self._ask(self.asking, error=self._text("empty")))
            return self._remember(Turn(self._text("empty"), self.lang, self.scenario, error="empty question", kind="error"))
        for pattern, lang in ((_TO_EN, "en"), (_TO_ZH, "zh")):
            if pattern.match(text):
                self.fixed_lang = self.lang = lang
                return self._remember(self._rerender(self._text("lang")))
        if _RESTART.match(text):
            self.reset()
            return self._remember(Turn(self._text("restart"), self.lang, None, kind="greeting"))
        assignment = self._assignment(text)
        if assignment is not None:
            return self._remember(assignment)
        if self.asking == SCENARIO:
            return self._remember(self._choose_scenario(text))
        if self.asking:
            return self._remember(self._answer(self.asking, text))
        if self.scenario and self.last is not None and self.last.verdict is not None:
            follow_up = self._follow_up(text)
            if follow_up is not None:
                return self._remember(follow_up)
        return self._remember(self._question(text))

    def _assignment(self, text: str) -> Turn | None:
        """`price=299` or `received_date: 2026-11-16` at any point sets or corrects that fact directly."""
        match = _ASSIGN.match(text)
        if match is None or self.kb.fact(match.group(1), self.kb.scenarios.get(self.scenario or "")) is None:
            return None
        name = match.group(1)
        try:
            value = self._parse(name, match.group(2))
        except (FactError, DateError) as exc:
            error = self._error(name, match.group(2), exc)
            if self.asking and self.asking != SCENARIO:
                return self._ask(self.asking, error=error)
            return Turn(error, self.lang, self.scenario, facts=dict(self.facts), error=error, kind="error")
        self._store({name: value}, "answer")
        if self.asking == name:
            self.asking = None
        if self.scenario is None or self.asking == SCENARIO:
            return Turn(self._text("corrected", facts=f"{self._label(name)}={self._value(name)}"), self.lang, None,
                        facts=dict(self.facts), kind="answer")
        return self._evaluate().noted(self._text("corrected", facts=f"{self._label(name)}={self._value(name)}"))

    def _remember(self, turn: Turn) -> Turn:
        self.last = turn
        return turn

    # ------------------------------------------------------------------ a new question

    def _question(self, text: str) -> Turn:
        self.question_text = text
        stated = self._extract(text)
        if self._initial[1] is None and (self.scenario is None or self._looks_new(text)):
            role = stated_role(text) or (self.facts["role"].value if "role" in self.facts else None)
            self.match = self.engine.matcher.match(text, role, implied_role(text))
            self.scenario = None
            self.pending = []
        self._store(stated, "question")
        if self.scenario is None:
            match = self.match
            if match.scenario is None:
                return Turn(self._out_of_scope(), self.lang, None, match.score, [], facts=dict(self.facts), kind="out_of_scope")
            candidates = self._resolve_by_role(match.candidates)
            if len(candidates) > 1:
                self.pending = candidates
                self.asking = SCENARIO
                return self._clarify()
            self.scenario = candidates[0].id
        self._store_scenario_facts(self.question_text)
        return self._evaluate()

    def _store_scenario_facts(self, text: str) -> None:
        """Facts of the scenario's own that the question states (patterns in the scenario file)."""
        scenario = self.kb.scenarios[self.scenario]
        found = {}
        lowered = normalise(text)
        for name, definition in scenario.facts.items():
            if name in self.facts:
                continue
            for value, patterns in definition.extract.items():
                if any(re.search(p, lowered) for p in patterns):
                    found[name] = {"true": True, "false": False}.get(value, value) if definition.type == "boolean" else value
                    break
        self._store(found, "question")

    def start(self) -> Turn:
        """For a conversation opened on a known scenario (`--scenario`): the first question or the verdict."""
        return self._remember(self._evaluate() if self.scenario else self.greeting())

    def _looks_new(self, text: str) -> bool:
        """After a verdict, a message that clearly matches another scenario starts a new question."""
        match = self.engine.matcher.match(text)
        return match.scenario is not None and match.scenario != self.scenario and match.score >= 0.9

    def _resolve_by_role(self, candidates: list[Ranked]) -> list[Ranked]:
        role = self.facts.get("role")
        if role is None or len(candidates) < 2:
            return candidates
        fitting = [c for c in candidates if self.kb.scenarios[c.id].role in (role.value, "both")]
        return fitting or candidates

    def _clarify(self) -> Turn:
        choices = [{"value": c.id, "label": self.kb.scenarios[c.id].title.get(self.lang)} for c in self.pending]
        choices.append({"value": NONE_OF_THESE, "label": self._text("none_of_these")})
        lines = [self._text("which")] + [f"{n}. {c['label']}" for n, c in enumerate(choices, 1)]
        return Turn("\n".join(lines), self.lang, None, self.match.score if self.match else 0.0, list(self.pending),
                    asking=SCENARIO, choices=choices, facts=dict(self.facts), kind="clarify")

    def _choose_scenario(self, text: str) -> Turn:
        lowered = text.strip().lower().rstrip(".、")
        none_labels = {NONE_OF_THESE, str(len(self.pending) + 1), "都不是", "都不对", "none of these", "none of them", "neither"}
        if lowered in none_labels or lowered == _TEXT["zh"]["none_of_these"] or lowered == _TEXT["en"]["none_of_these"].lower():
            self.asking, self.pending, self.match = None, [], None
            return Turn(self._text("rephrase"), self.lang, None, facts=dict(self.facts), kind="greeting")
        for number, candidate in enumerate(self.pending, 1):
            scenario = self.kb.scenarios[candidate.id]
            names = {str(number), candidate.id, scenario.title.zh.lower(), scenario.title.en.lower()}
            if lowered in names or lowered.rstrip(".、") == str(number):
                self.scenario, self.asking, self.pending = candidate.id, None, []
                self._store_scenario_facts(self.question_text)
                return self._evaluate()
        stated = self._extract(text)
        if "role" in stated:  # "我是卖家" settles a buyer/seller tie
            self._store({"role": stated["role"]}, "answer")
            resolved = self._resolve_by_role(self.pending)
            if len(resolved) == 1:
                self.scenario, self.asking, self.pending = resolved[0].id, None, []
                self._store_scenario_facts(self.question_text)
                return self._evaluate()
        turn = self._clarify()
        turn.error = self._text("bad_choice")
        turn.say = f"{turn.error}\n{turn.say}"
        return turn

    # ------------------------------------------------------------------ facts

    def _extract(self, text: str) -> dict[str, Any]:
        return extract_facts(text, self.today)

    def _store(self, values: dict[str, Any], source: str) -> list[str]:
        changed = []
        for name, value in values.items():
            if self.kb.fact(name, self.kb.scenarios.get(self.scenario or "")) is None and name not in self.kb.facts:
                continue
            old = self.facts.get(name)
            if old is None or old.value != value:
                self.facts[name] = Fact(name, value, source)
                self.unsure.discard(name)
                changed.append(name)
        return changed

    def _parse(self, name: str, text: str) -> Any:
        definition = self.kb.fact(name, self.kb.scenarios.get(self.scenario or ""))
        if definition is None:
            raise FactError(f"unknown fact {name!r}")
        return parse_answer(name, definition, text, self.today)

    def _answer(self, name: str, text: str) -> Turn:
        if _UNSURE.match(text.strip()):
            self.unsure.add(name)
            self.asking = None
            return self._evaluate()
        # anything else the answer states is kept even if the asked fact cannot be read
        self._store({k: v for k, v in self._extract(text).items() if k != name and k not in self.facts}, "answer")
        try:
            value = self._parse(name, text)
        except (FactError, DateError) as exc:
            return self._ask(name, error=self._error(name, text, exc))
        self._store({name: value}, "answer")
        self.asking = None
        return self._evaluate()

    def _error(self, name: str, text: str, exc: Exception) -> str:
        """The one sentence that says why an answer was not taken, in the conversation's language."""
        if isinstance(exc, DateError) and exc.future is not None:
            return self._text("future_date", value=exc.future.isoformat(), today=self.today.isoformat())
        definition = self.kb.fact(name, self.kb.scenarios.get(self.scenario or ""))
        kind = {"enum": "bad_enum", "date": "bad_date", "number": "bad_number", "integer": "bad_number", "boolean": "bad_boolean"}
        return self._text(kind.get(definition.type, "bad_enum"), value=text.strip())

    def _ask(self, name: str, error: str | None = None) -> Turn:
        self.asking = name
        definition = self.kb.fact(name, self.kb.scenarios.get(self.scenario or ""))
        choices = [{"value": c.value, "label": c.label.get(self.lang)} for c in definition.choices] if definition.choices else []
        lines = ([error] if error else []) + [definition.ask.get(self.lang)]
        lines += [f"{n}. {c['label']}" for n, c in enumerate(choices, 1)]
        lines.append(self._text("not_sure_hint"))
        evaluation = self._evaluation()
        return Turn("\n".join(lines), self.lang, self.scenario, self._score(), self._candidates(), asking=name,
                    choices=choices, facts=dict(self.facts), missing_facts=evaluation.missing, error=error,
                    kind="error" if error else "question")

    # ------------------------------------------------------------------ verdicts

    def _evaluation(self) -> Evaluation:
        scenario = self.kb.scenarios[self.scenario]
        values = {name: fact.value for name, fact in self.facts.items()}
        return self.evaluator.evaluate(scenario, values, self.today, frozenset(self.unsure))

    def _evaluate(self) -> Turn:
        evaluation = self._evaluation()
        if evaluation.verdict is None:
            askable = [f for f in evaluation.blocking if f not in self.facts and f not in self.unsure]
            if askable:
                return self._ask(askable[0])
            separator = "、" if self.lang == "zh" else ", "
            needed = evaluation.blocking or evaluation.missing
            say = self._text("unsure_all", facts=separator.join(self._label(f) for f in needed))
            return Turn(say, self.lang, self.scenario, self._score(), self._candidates(), facts=dict(self.facts),
                        missing_facts=evaluation.missing, kind="answer")
        from .render import verdict_text

        say = verdict_text(self.kb, self.kb.scenarios[self.scenario], evaluation.verdict, self.lang, self.today, self.evaluator.calendar)
        return Turn(say, self.lang, self.scenario, self._score(), self._candidates(), facts=dict(self.facts),
                    missing_facts=evaluation.missing, verdict=evaluation.verdict, kind="answer")

    def _score(self) -> float:
        return self.match.score if self.match and self.match.scenario == self.scenario else 1.0

    def _candidates(self) -> list[Ranked]:
        if self.match is not None and self.scenario in [c.id for c in self.match.candidates]:
            return [c for c in self.match.candidates if c.id == self.scenario]
        return [Ranked(self.scenario, 1.0, 1.0)] if self.scenario else []

    # ------------------------------------------------------------------ after a verdict

    def _follow_up(self, text: str) -> Turn | None:
        stated = self._extract(text)
        changed = self._store({k: v for k, v in stated.items() if k in self.facts or k in self._scenario_facts()}, "answer")
        if changed:
            labels = ", ".join(f"{self._label(n)}={self._value(n)}" for n in changed)
            return self._evaluate().noted(self._text("corrected", facts=labels))
        scenario = self.kb.scenarios[self.scenario]
        verdict = self.last.verdict
        if _EVIDENCE.search(text):
            items = verdict.outcome.evidence or scenario.evidence
            say = "\n".join([self._text("evidence")] + [f"- {e.get(self.lang)}" for e in items])
            return self._again(say, "evidence")
        if _REFUSES.search(text) and not self._looks_new(text):
            say = "\n".join([self._text("escalation")] + [f"{n}. {e.get(self.lang)}" for n, e in enumerate(scenario.escalation, 1)])
            return self._again(say, "escalation")
        return None

    def _scenario_facts(self) -> set[str]:
        return {q.fact for q in self.kb.scenarios[self.scenario].questions}

    def _again(self, say: str, kind: str) -> Turn:
        last = self.last
        return Turn(say, self.lang, self.scenario, last.score, last.candidates, facts=dict(self.facts),
                    missing_facts=last.missing_facts, verdict=last.verdict, kind=kind)

    def _rerender(self, note: str) -> Turn:
        """The same state, said again in the language just chosen."""
        if self.asking == SCENARIO:
            turn = self._clarify()
        elif self.asking:
            turn = self._ask(self.asking)
        elif self.scenario:
            turn = self._evaluate()
        else:
            return Turn(note, self.lang, None, kind="greeting")
        return turn.noted(note)

    def _out_of_scope(self) -> str:
        from .render import say_out_of_scope

        return say_out_of_scope(self.kb, self.lang)

    def greeting(self) -> Turn:
        return Turn(self._text("greeting"), self.lang, None, kind="greeting")
