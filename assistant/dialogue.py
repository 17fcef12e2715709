"""The Conversation: one state machine behind `weiquan ask`, `weiquan chat --plain` and the TUI. No I/O.

match the question → clarify (the closest two or three, or none of these) → ask the missing facts one at a
time → verdict → follow-ups (evidence, what if the seller refuses, why a question is asked, corrections).

A fact the person stated (in the question, a flag or an answer) is never asked again; a correction replaces
it. The conversation keeps its topic: a message that clearly asks about something else is answered with "switch
to that?" (facts that still apply are kept), and a side question asked in the middle of the interview is
answered and the interview goes on. "Not sure" always leads on: to a fact that can stand in for the one not
known, or to a conditional answer. "撤销 / undo" takes the last message back. Replies follow the person's
language and script (traditional in, traditional out).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .answers import is_unsure, parse_answer
from .eligibility import Assumption, Evaluation, Evaluator, Verdict, facts_in_play
from .extract import DateError, extract_facts, implied_role, pattern_facts, read, stated_role
from .facts import Fact, FactError
from .match import MAX_OFFERED, MatchResult, Ranked
from .replies import TEXT, in_script, say
from .side_questions import WHY_ASKED, side_question
from .small_talk import small_talk
from .text import clean, guess_language, han_count, has_han, latin_word_count, normalise, script_of

SCENARIO = "scenario"  # what `asking` says while the closest scenarios are offered
TOPIC = "topic"  # what `asking` says while a switch to another topic waits for a yes or no
NONE_OF_THESE = "none"  # the choice offered after the closest scenarios
NEW_TOPIC_SCORE = 0.6  # a message matching another scenario alone, this sure, is offered as a new topic
# "none of these" as offered (the choice's own label in each language) and as people also put it
_NONE_WORDS = {NONE_OF_THESE, "都不对", "都不對", "none of them", "neither"} | {t["none_of_these"].lower() for t in TEXT.values()}


def _same_answer(before: Verdict, after: Verdict) -> bool:
    """The same outcome, deadline and money: a corrected fact that changed nothing a person acts on."""
    def key(verdict: Verdict):
        deadline, money = verdict.deadline, verdict.compensation
        return (verdict.status, verdict.outcome_id, deadline.date if deadline else None, money.amount if money else None)

    return key(before) == key(after)


def _plain(text: str) -> str:
    return text.strip().lower().rstrip(".、。")


def _longer_than(text: str, *, han: int, words: int) -> bool:
    """More Chinese characters than `han`, or more English words than `words`."""
    return han_count(text) > han or latin_word_count(text) > words


def speaks_as_seller(kb, scenario_id: str | None, facts: dict[str, Fact]) -> bool:
    """The person is the seller: a seller's scenario, or they said so ("what next", not "if the seller refuses")."""
    scenario = kb.scenarios.get(scenario_id or "")
    role = facts.get("role")
    return (scenario is not None and scenario.role == "seller") or (role is not None and role.value == "seller")


# A rejected question still offers the (at most three) scenarios at least this probable, to pick with one reply.
# On 1,078 real questions (three sets) the matcher rejects 96 in-scope ones; at 5 % the right scenario is among those
# offered for 73 of them, at the earlier 10 % (two at most) for 52, while a choice is shown for 121 instead of 83 of
# the 194 rejected ones really out of scope, where "none of these" ends it.
NEAR_MISS = 0.05
UNDO_DEPTH = 50

_UNSURE = re.compile(r"^(?:不确定|不知道|不清楚|不记得|忘了|记不清|说不清|不太清楚|不太确定|不晓得|不確定|不記得|"
                     r"not sure|unsure|don'?t know|no idea|not certain|can'?t remember|dunno|idk|\?+|？+)[。.!！]*$", re.I)
_RESTART = re.compile(r"^(?:/new|/reset|/restart|重新开始|重来|新的问题|新问题|换个问题|重新開始|start over|restart|new question|reset)$", re.I)
_UNDO = re.compile(r"^(?:/undo|撤销|撤回|上一步|返回上一步|撤銷|undo|go back|back)$", re.I)
_TO_EN = re.compile(r"^(?:english|in english|英文|用英文|说英文|英语|英文回答)$", re.I)
_TO_ZH = re.compile(r"^(?:中文|chinese|in chinese|用中文|说中文|汉语|中文回答)$", re.I)
_ASSIGN = re.compile(r"^\s*([a-z_]+)\s*[=:：]\s*(.+)$")
_YES = re.compile(r"^(?:是|是的|对|对的|好|好的|要|换|可以|行|嗯|yes|y|yeah|yep|ok|okay|sure|switch)[。.!！]*$", re.I)
_NO = re.compile(r"^(?:否|不|不是|不要|不用|不换|继续|no|n|nope|keep|stay)[。.!！]*$", re.I)
# places and platforms outside the mainland, whose consumer law this knowledge base does not hold
_NOT_MAINLAND = re.compile(r"台湾|香港|澳门|虾皮|shopee|pchome|露天拍卖|新台币|台币|港币|港元|nt\$|hk\$|taiwan|hong kong|macau")
# a period rather than a day: asked which day of it, not told it is no date
_VAGUE_DATE = re.compile(r"^(?:上周|上个?星期|上个?礼拜|上个?月|前几天|前阵子|最近|这周|这个月|本周|本月|"
                         r"last week|last month|this week|this month|a few days ago|recently|the other day)$")
# "其实", "记错了", "sorry, it was …": what follows corrects what was said, however long the message
_CORRECTING = re.compile(r"不对|不是的|记错|搞错|说错|写错|弄错|其实|应该是|更正|纠正|改一下|更正一下|"
                         r"\bactually\b|\bsorry\b|\bi mean\b|\bcorrection\b|\bmistake\b|\bwrong date\b|\bnot .{1,20}, (?:it was|it's)\b", re.I)
_FOREIGN_MONEY = re.compile(r"\$|\busd\b|\bdollars?\b|\beuros?\b|€|£|\bpounds?\b|美元|美金|欧元|英镑|港币|台币|新台币")
_NUMBER_ONLY = re.compile(r"^\s*[¥￥]?\s*\d[\d,.]*\s*(?:元|块|yuan|rmb)?\s*$", re.I)


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
    # answer | question | clarify | out_of_scope | evidence | escalation | why | steps | confirm | error | greeting
    kind: str = "answer"
    note: str | None = None  # a first line about what just changed ("已更新：…", "OK, English from now on")
    script: str = "Hans"  # for Chinese replies: Hans (simplified) or Hant (traditional)

    def noted(self, note: str) -> "Turn":
        self.note = note
        self.say = f"{note}\n{self.say}"
        return self


@dataclass
class _State:
    """Everything `undo` restores."""

    facts: dict
    unsure: set
    scenario: str | None
    match: MatchResult | None
    asking: str | None
    pending: list
    topic: MatchResult | None
    topic_text: str
    resume: str | None
    question_text: str
    last: Turn | None
    lang: str
    fixed_lang: str | None
    script: str


class Conversation:
    def __init__(self, engine, *, today: dt.date, lang: str = "auto", facts: dict[str, Fact] | None = None,
                 scenario: str | None = None):
        self.engine = engine
        self.kb = engine.kb
        self.today = today
        self.fixed_lang = None if lang == "auto" else lang
        self.lang = self.fixed_lang or "zh"
        self.script = "Hans"
        self.evaluator = Evaluator(self.kb)
        self._initial = (dict(facts or {}), scenario)
        self._history: list[_State] = []
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
        self.topic: MatchResult | None = None  # another topic offered, waiting for yes or no
        self.topic_text = ""
        self.resume: str | None = None  # what was being asked when the other topic came up
        self.last: Turn | None = None
        self.question_text = ""  # the question that chose the scenario, read again for its own facts

    def _save(self) -> None:
        self._history.append(_State(dict(self.facts), set(self.unsure), self.scenario, self.match, self.asking,
                                    list(self.pending), self.topic, self.topic_text, self.resume, self.question_text,
                                    self.last, self.lang, self.fixed_lang, self.script))
        del self._history[:-UNDO_DEPTH]

    def undo(self) -> Turn:
        """Take the last message back: the state before it, and what was said then, again."""
        if not self._history:
            return Turn(self._text("nothing_to_undo"), self.lang, self.scenario, facts=dict(self.facts), kind="error",
                        error="nothing to undo")
        state = self._history.pop()
        (self.facts, self.unsure, self.scenario, self.match, self.asking, self.pending, self.topic, self.topic_text,
         self.resume, self.question_text, self.last, self.lang, self.fixed_lang, self.script) = (
            state.facts, state.unsure, state.scenario, state.match, state.asking, state.pending, state.topic,
            state.topic_text, state.resume, state.question_text, state.last, state.lang, state.fixed_lang, state.script)
        if self.last is None:
            return self._remember(self.greeting().noted(self._text("undone")))
        again = replace(self.last, facts=dict(self.facts), note=None)
        return self._remember(again.noted(self._text("undone")))

    def _text(self, key: str, **kwargs) -> str:
        return say(self.lang, key, **kwargs)

    def _definition(self, name: str):
        return self.kb.fact(name, self.kb.scenarios.get(self.scenario or ""))

    def _wording(self, name: str, definition):
        """The question as this scenario words it (a seller is asked about the shop), else the fact's own."""
        scenario = self.kb.scenarios.get(self.scenario or "")
        own = next((q.ask for q in scenario.questions if q.fact == name and getattr(q, "ask", None)), None) if scenario else None
        return own or definition.ask

    def _value(self, name: str) -> str:
        from .render import value_label

        return value_label(self._definition(name), self.facts[name].value, self.lang)

    def _label(self, name: str) -> str:
        definition = self._definition(name)
        return definition.label.get(self.lang) if definition else name

    # ------------------------------------------------------------------ the one entry point

    def send(self, text: str) -> Turn:
        text = clean(text or "")
        if not text:
            if self.asking == SCENARIO:
                return self._remember(self._clarify(error=self._text("empty")))
            if self.asking == TOPIC:
                return self._remember(self._offer_topic(error=self._text("empty")))
            if self.asking:
                return self._remember(self._ask(self.asking, error=self._text("empty")))
            return self._remember(Turn(self._text("empty"), self.lang, self.scenario, error="empty question", kind="error"))
        if _UNDO.match(text):
            return self.undo()
        self._save()
        self._follow_language(text)
        for pattern, lang in ((_TO_EN, "en"), (_TO_ZH, "zh")):
            if pattern.match(text):
                self.fixed_lang = self.lang = lang
                return self._remember(self._rerender(self._text("lang")))
        if _RESTART.match(text):
            self._initial = ({}, None)
            self.reset()
            return self._remember(Turn(self._text("restart"), self.lang, None, kind="greeting"))
        assignment = self._assignment(text)
        if assignment is not None:
            return self._remember(assignment)
        talk = small_talk(text)
        # "好" / "嗯" may answer what is asked (yes; switch to that topic; no choice): the question's own reading decides
        if talk is not None and not (self.asking and talk == "ok"):
            return self._remember(self._small_talk(talk))
        if self.asking == TOPIC:
            return self._remember(self._confirm_topic(text))
        if self.asking == SCENARIO:
            return self._remember(self._choose_scenario(text))
        if self.asking:
            return self._remember(self._where(self._answer(self.asking, text), text))
        if self.scenario and self.last is not None:
            return self._remember(self._where(self._follow_up(text), text))
        if self.last is not None and _plain(text) in _NONE_WORDS:  # "none of these" after a plain rejection
            return self._remember(Turn(self._text("rephrase"), self.lang, None, facts=dict(self.facts), kind="greeting"))
        return self._remember(self._where(self._question(text), text))  # a first message, also on a given scenario

    def choose(self, scenario_id: str) -> Turn:
        """Go to a scenario picked by hand (the TUI's browser), keeping the facts that still apply."""
        self._save()
        self._switch_to(scenario_id, self.question_text)
        return self._remember(self._evaluate())

    def start(self) -> Turn:
        """For a conversation opened on a known scenario (`--scenario`): the first question or the verdict."""
        return self._remember(self._evaluate() if self.scenario else self.greeting())

    def _where(self, turn: Turn, text: str) -> Turn:
        """A message from Taiwan, Hong Kong or Macau (蝦皮, 台灣, NT$ …) is told that the law here is the mainland's."""
        return turn.noted(self._text("not_mainland")) if _NOT_MAINLAND.search(normalise(text)) else turn

    def _small_talk(self, kind: str) -> Turn:
        """A greeting, thanks, "OK", goodbye, "help" or "what's the date": answered in kind, and nothing the
        conversation knows is lost; where a question or a choice is open, it is asked again after the reply."""
        if kind == "today":
            weekday = self._text("weekdays").split()[self.today.weekday()]
            reply = self._text("today", date=self.today.isoformat(), weekday=weekday)
        else:
            reply = self._text(kind) if kind == "help" else None
        if self.asking:
            prompt = self._open_prompt()
            quiet = kind in ("hello", "ok")  # "在吗" while asked: the question again is the answer
            return prompt if quiet else prompt.noted(reply or self._text({"thanks": "welcome_short"}.get(kind, kind)))
        if reply is not None:
            return self._again(reply, "small_talk") if self.scenario and self.last is not None else \
                Turn(reply, self.lang, None, facts=dict(self.facts), kind="small_talk")
        if self.scenario and self.last is not None:
            return self._again(self._text({"hello": "still_here"}.get(kind, kind)), "small_talk")
        if kind in ("hello", "ok"):
            return Turn(self._text("greeting"), self.lang, None, facts=dict(self.facts), kind="greeting")
        return Turn(self._text({"thanks": "welcome"}.get(kind, kind)), self.lang, None, facts=dict(self.facts), kind="small_talk")

    def greeting(self) -> Turn:
        return Turn(self._text("greeting"), self.lang, None, kind="greeting")

    def _follow_language(self, text: str) -> None:
        """Answer in the person's language and script; a few letters or digits in a reply do not switch it."""
        if self.fixed_lang or _ASSIGN.match(text) or _NUMBER_ONLY.match(text):
            return
        first = self.last is None
        guessed = guess_language(text, default=self.lang)
        if first and not has_han(text) and re.search(r"[a-z]{2,}", text, re.I):
            guessed = "en"  # a first question in English, however short ("refund?")
        self.lang = guessed
        script = script_of(text) if guessed == "zh" else None
        # a short reply ("是的", "好") reads the same in both scripts: only a longer one switches back to simplified
        if script == "Hant" or (script == "Hans" and han_count(text) >= 6):
            self.script = script

    def _assignment(self, text: str) -> Turn | None:
        """`price=299` or `received_date: 2026-11-16` at any point sets or corrects that fact directly."""
        match = _ASSIGN.match(text)
        if match is None or self._definition(match.group(1)) is None:
            return None
        name = match.group(1)
        try:
            value = self._parse(name, match.group(2))
        except (FactError, DateError) as exc:
            error = self._error(name, match.group(2), exc)
            if self.asking and self.asking not in (SCENARIO, TOPIC):
                return self._ask(self.asking, error=error)
            return Turn(error, self.lang, self.scenario, facts=dict(self.facts), error=error, kind="error")
        self._store({name: value}, "answer")
        if self.asking == name:
            self.asking = None
        note = self._updated([name])
        if self.scenario is None or self.asking in (SCENARIO, TOPIC):
            return Turn(note, self.lang, None, facts=dict(self.facts), kind="answer")
        return self._evaluate().noted(note)

    def _remember(self, turn: Turn) -> Turn:
        turn.script = self.script
        if turn.lang == "zh" and self.script == "Hant":
            turn.say = in_script(turn.say, "Hant")
            turn.note = in_script(turn.note, "Hant") if turn.note else turn.note
            turn.choices = [{**c, "label": in_script(c["label"], "Hant")} for c in turn.choices]
        self.last = turn
        return turn

    # ------------------------------------------------------------------ a new question

    def _match(self, text: str) -> MatchResult:
        role = stated_role(text) or (self.facts["role"].value if "role" in self.facts else None)
        return self.engine.matcher.match(text, role, implied_role(text))

    def _question(self, text: str) -> Turn:
        self.question_text = text
        stated = self._extract(text)
        if self._initial[1] is None:
            self.match = self._match(text)
            self.pending = []
        self._store(stated, "question")
        if self.scenario is None:
            match = self.match
            if match.scenario is None:
                near = [r for r in match.ranking[:MAX_OFFERED] if r.score >= NEAR_MISS]
                if near:
                    self.pending = near
                    self.asking = SCENARIO
                    return self._clarify()
                return Turn(self._out_of_scope(), self.lang, None, match.score, [], facts=dict(self.facts), kind="out_of_scope")
            if len(match.candidates) > 1:
                self.pending = list(match.candidates)
                self.asking = SCENARIO
                return self._clarify()
            self.scenario = match.candidates[0].id
        self._store_scenario_facts(self.question_text)
        return self._evaluate()

    def _store_scenario_facts(self, text: str) -> None:
        """Facts of the scenario's own that the question states (patterns in the scenario file)."""
        own = self.kb.scenarios[self.scenario].facts
        if own:
            found = pattern_facts(read(text), own)  # the standard facts were read with the question already
            self._store({k: v for k, v in found.items() if k not in self.facts}, "question")

    @property
    def _rejected(self) -> bool:
        """The question was rejected: the scenarios being offered are near misses, not candidates."""
        return self.match is not None and self.match.scenario is None

    def _clarify(self, error: str | None = None) -> Turn:
        """The closest scenarios to pick from, and "none of these". After a rejection they are suggestions only:
        the answer stays "out of scope" (no scenario, no candidates), also when the choice is asked again."""
        out_of_scope = self._rejected
        choices = [{"value": c.id, "label": self.kb.scenarios[c.id].title.get(self.lang)} for c in self.pending]
        choices.append({"value": NONE_OF_THESE, "label": self._text("none_of_these")})
        lead = self._text("near_miss") if out_of_scope else self._text("which")
        lines = ([error] if error else []) + [lead] + [f"{n}. {c['label']}" for n, c in enumerate(choices, 1)]
        kind = "error" if error else "out_of_scope" if out_of_scope else "clarify"
        return Turn("\n".join(lines), self.lang, None, self.match.score if self.match else 0.0,
                    [] if out_of_scope else list(self.pending), asking=SCENARIO, choices=choices,
                    facts=dict(self.facts), error=error, kind=kind)

    def _choose_scenario(self, text: str) -> Turn:
        lowered = _plain(text)
        if _UNSURE.match(text.strip()):  # which one fits is what they don't know: a description will tell
            return self._clarify().noted(self._text("choice_unsure"))
        if lowered in _NONE_WORDS or lowered == str(len(self.pending) + 1):
            rejected = self._rejected
            self.asking, self.pending, self.match, self.scenario = None, [], None, None
            if rejected:  # none of the near misses either: say what weiquan does cover, as a plain rejection does
                return Turn(self._out_of_scope(), self.lang, None, facts=dict(self.facts), kind="out_of_scope")
            return Turn(self._text("rephrase"), self.lang, None, facts=dict(self.facts), kind="greeting")
        for number, candidate in enumerate(self.pending, 1):
            scenario = self.kb.scenarios[candidate.id]
            names = {str(number), candidate.id, scenario.title.zh.lower(), scenario.title.en.lower(),
                     in_script(scenario.title.zh, "Hant").lower()}
            if lowered in names:
                self.asking, self.pending = None, []
                self._switch_to(candidate.id, self.question_text)
                return self._evaluate()
        if side_question(normalise(text)) and not self._new_question(text):  # "还有几天" before a scenario is chosen
            return self._clarify().noted(self._text("choose_first"))
        if self._new_question(text):  # not a choice but a question of its own: start again from it
            self.asking, self.pending, self.match = None, [], None
            return self._question(text)
        stated = self._extract(text)
        if "role" in stated:  # "我是卖家" settles a buyer/seller choice
            self._store({"role": stated["role"]}, "answer")
            fitting = [c for c in self.pending if self.kb.scenarios[c.id].role in (stated["role"], "both")]
            if len(fitting) == 1:
                self.asking, self.pending = None, []
                self._switch_to(fitting[0].id, self.question_text)
                return self._evaluate()
            if fitting and len(fitting) < len(self.pending):
                self.pending = fitting
                return self._clarify().noted(self._role_noted())
        if self._substantial(text):  # more about the problem ("物流一直不更新") instead of a number: read it with the question
            detailed = self._with_detail(text, stated)
            if detailed is not None:
                return detailed
        stored = self._store({k: v for k, v in stated.items() if k != "role"}, "answer")
        if stored:  # "拼多多", "Nov 10": kept for whichever scenario is chosen
            return self._clarify().noted(self._updated(stored))
        return self._clarify(error=self._text("bad_choice"))

    def _with_detail(self, text: str, stated: dict[str, Any]) -> Turn | None:
        """The question read again with the detail just added: the one scenario it now points to, or the closest
        ones if they changed; None when the detail changes nothing."""
        combined = f"{self.question_text} {text}"
        match = self._match(combined)
        offered = {c.id for c in self.pending}
        if match.scenario is None or {c.id for c in match.candidates} == offered:
            return None
        self._store(stated, "answer")
        self.question_text, self.match = combined, match
        if len(match.candidates) > 1:  # those still offered keep their numbers: "1" means what it meant
            found = {c.id for c in match.candidates}
            self.pending = [c for c in self.pending if c.id in found] + [c for c in match.candidates if c.id not in offered]
            return self._clarify()
        self.asking, self.pending = None, []
        self._switch_to(match.scenario, combined)
        self.match = match  # the real confidence, not the 1.0 of a scenario picked by hand
        return self._evaluate()

    # ------------------------------------------------------------------ another topic

    def _other_topic(self, text: str, *, short: bool = False) -> MatchResult | None:
        """The message clearly asks about another scenario (alone and sure), or the person's stated role no longer
        fits this one: the scenarios to offer instead. `short`: two characters or words may be enough ("是假货",
        "坏了" where a date was asked: not an answer, and no mistaking what it is about)."""
        if not (self._substantial(text) or (short and _longer_than(text, han=1, words=1))):
            return None
        role = stated_role(text)
        current = self.kb.scenarios[self.scenario].role if self.scenario else "both"
        match = self._match(text)
        if role and current not in (role, "both") and match.candidates:
            return match  # "我是卖家" in a buyer's interview
        if (match.scenario and match.scenario != self.scenario and len(match.candidates) == 1
                and match.score >= NEW_TOPIC_SCORE):
            return match
        return None

    def _role_noted(self) -> str:
        role = self._value("role")
        return self._text("role_noted", role=role.lower() if self.lang == "en" else role)

    def _says_role_only(self, text: str) -> bool:
        """A short message saying who the person is, and that fits the scenario at hand (stored as said)."""
        role = stated_role(text)
        if role is None or self._new_question(text) or self.scenario is None:
            return False
        if self.kb.scenarios[self.scenario].role not in (role, "both"):
            return False  # the other side's role: _other_topic offers that side's scenarios
        self._store({"role": role}, "answer")
        return True

    @staticmethod
    def _new_question(text: str) -> bool:
        """Longer than any reply to a choice ("2", "都不是", "我是卖家", "I'm the seller"): a question of its own."""
        return _longer_than(text, han=7, words=4)

    @staticmethod
    def _substantial(text: str) -> bool:
        return _longer_than(text, han=3, words=2)

    def _offer_topic(self, error: str | None = None) -> Turn:
        candidates = self.topic.candidates
        if len(candidates) == 1:
            title = self.kb.scenarios[candidates[0].id].title.get(self.lang)
            choices = [{"value": "yes", "label": self._text("yes")}, {"value": "no", "label": self._text("no")}]
            lines = [self._text("new_topic", title=title)] + [f"{n}. {c['label']}" for n, c in enumerate(choices, 1)]
        else:
            role = stated_role(self.topic_text)
            choices = [{"value": c.id, "label": self.kb.scenarios[c.id].title.get(self.lang)} for c in candidates]
            choices.append({"value": "no", "label": self._text("kept_topic")})
            lines = [self._text("switched_role", role=self._text(f"role_{role}") if role else "")]
            lines += [f"{n}. {c['label']}" for n, c in enumerate(choices, 1)]
        if error:
            lines.insert(0, error)
        return Turn("\n".join(lines), self.lang, self.scenario, self._score(), list(candidates), asking=TOPIC,
                    choices=choices, facts=dict(self.facts), error=error, kind="error" if error else "confirm")

    def _propose(self, match: MatchResult, text: str) -> Turn:
        self.topic, self.topic_text, self.resume = match, text, self.asking
        self.asking = TOPIC
        return self._offer_topic()

    def _confirm_topic(self, text: str) -> Turn:
        lowered = text.strip().lower().rstrip(".。!！")
        candidates = self.topic.candidates
        chosen = None
        if len(candidates) == 1 and (_YES.match(lowered) or lowered in ("1", "yes")):
            chosen = candidates[0].id
        for number, candidate in enumerate(candidates, 1):
            if len(candidates) > 1 and lowered in (str(number), candidate.id):
                chosen = candidate.id
        stay = _NO.match(lowered) or lowered in (str(len(candidates) + 1), "no")
        side = None
        own: dict[str, Any] = {}
        if chosen is None and not stay:
            side = self._side_question(text)  # about the topic at hand ("要准备什么证据"): answered, and it stays
            if side is None:  # a fact of the topic at hand ("上周五", "其实是拼多多"): kept, and it stays
                own = {k: v for k, v in self._extract(text).items() if k in self._scenario_facts() and k != "role"}
            if side is None and not own and not self._missed(TOPIC, 1):
                return self._offer_topic(error=self._text("bad_choice"))
            stay = side is None  # a second reply that is no choice: the person goes on with this topic
        topic_text, resume = self.topic_text, self.resume
        self.topic, self.topic_text, self.resume, self.asking = None, "", None, None
        if side is not None:
            self.asking = resume
            return self._resume_after(side, resume) if resume else side
        if own:
            changed = self._store(own, "answer")
            if resume and resume in changed:  # the very fact that was being asked
                return self._evaluate().noted(self._updated(changed))
            if changed:
                return self._ask(resume).noted(self._updated(changed)) if resume else self._corrected(changed)
        if stay:
            turn = self._ask(resume) if resume else self._evaluate()
            return turn.noted(self._text("kept_topic"))
        self._store(self._extract(topic_text), "question")
        self._switch_to(chosen, topic_text)
        return self._evaluate()

    def _switch_to(self, scenario_id: str, text: str) -> None:
        """Change the scenario, keeping the standard facts (platform, dates, role …) and dropping the old scenario's
        own; the text that led here is read again for the new scenario's own facts."""
        self.facts = {name: fact for name, fact in self.facts.items() if name in self.kb.facts}
        self.unsure = {name for name in self.unsure if name in self.kb.facts}
        self.scenario = scenario_id
        self.match = MatchResult(scenario_id, 1.0, [Ranked(scenario_id, 1.0, 1.0)], [])
        if text:
            self.question_text = text
            self._store_scenario_facts(text)

    # ------------------------------------------------------------------ facts

    def _extract(self, text: str) -> dict[str, Any]:
        """Standard facts, and the scenario's own once there is one (their patterns read negation: "买家没有威胁我")."""
        scenario = self.kb.scenarios.get(self.scenario or "")
        definitions = {**self.kb.facts, **(scenario.facts if scenario else {})}
        return extract_facts(text, self.today, definitions)

    def _store(self, values: dict[str, Any], source: str) -> list[str]:
        changed = []
        for name, value in values.items():
            if self._definition(name) is None and name not in self.kb.facts:
                continue
            old = self.facts.get(name)
            if old is None or old.value != value:
                self.facts[name] = Fact(name, value, source)
                self.unsure.discard(name)
                changed.append(name)
        return changed

    def _parse(self, name: str, text: str) -> Any:
        definition = self._definition(name)
        if definition is None:
            raise FactError(f"unknown fact {name!r}")
        return parse_answer(name, definition, text, self.today)

    def _answer(self, name: str, text: str) -> Turn:
        stripped = text.strip()
        if _UNSURE.match(stripped) or (len(stripped) <= 12 and is_unsure(stripped)):  # not "不知道卖家为什么…"
            return self._not_sure(name)
        # anything else the answer states is kept even if the asked fact cannot be read — unless the message turns
        # out to be about another topic: its facts belong there (they are read again if the person switches)
        others = {k: v for k, v in self._extract(text).items() if k != name and k not in self.facts}
        try:
            value = self._parse(name, text)
        except (FactError, DateError) as exc:
            if small_talk(text) is not None:  # "在吗", "好的" while a question is open: ask it again, no error
                return self._ask(name)
            side = self._side_question(text)
            if side is None:
                other = self._other_topic(text, short=True)
                if other is not None:
                    return self._propose(other, text)
            in_play = facts_in_play(self.kb.scenarios[self.scenario])  # said back only if they matter here
            stored = [n for n in self._store(others, "answer") if n != "role" and n in in_play]
            if side is not None:  # answered, then the same question again
                return self._resume_after(side, name)
            if self._says_role_only(text):  # "我是卖家" said in passing: noted, not an error
                return self._ask(name).noted(self._role_noted())
            if stored:  # "I paid 600" where a date was asked: kept, and the question again without an error
                return self._ask(name).noted(self._updated(stored))
            if self._missed(name, 2):  # a third reply that is no answer: go on as "not sure", not ask a fourth time
                return self._not_sure(name).noted(self._text("taken_unsure", label=self._label(name)))
            return self._ask(name, error=self._error(name, text, exc))
        self._store(others, "answer")
        self._store({name: value}, "answer")
        self.asking = None
        return self._evaluate()

    def _corrected(self, names: list[str], note: str | None = None) -> Turn:
        """The answer after a corrected fact; said in two lines when it did not change (the whole verdict again
        after every correction was 20–30 lines to read for nothing new). `note`: said first instead of the update."""
        before = self.last.verdict if self.last else None
        turn = self._evaluate()
        after = turn.verdict
        if before is not None and after is not None and _same_answer(before, after):
            from .render import verdict_lines

            headline = verdict_lines(self.kb, self.kb.scenarios[self.scenario], after, self.lang, self.today,
                                     self.evaluator.calendar)[:2]
            turn = replace(turn, say=self._text("unchanged", verdict="\n".join(headline)), kind="unchanged")
        return turn.noted(note or self._updated(names))

    def _updated(self, names: list[str], key: str = "corrected") -> str:
        """"已更新：平台=京东。": the facts just stored, said back (`key` "restated": the same as before)."""
        return self._text(key, facts=", ".join(f"{self._label(n)}={self._value(n)}" for n in names))

    def _missed(self, name: str, times: int) -> bool:
        """The last `times` replies all asked `name` again because the messages before them were no answer."""
        earlier = [state.last for state in reversed(self._history[-times:-1])]  # [-1] is this message's own save
        turns = [self.last, *earlier]
        return len(turns) == times and all(turn is not None and turn.asking == name and turn.error for turn in turns)

    def _resume_after(self, side: Turn, name: str) -> Turn:
        question = self._ask(name)
        question.say = f"{side.say}\n\n{self._text('resume')}\n{question.say}"
        question.kind = side.kind
        return question

    def _not_sure(self, name: str) -> Turn:
        """"Not sure" leads on: to an earlier date that can stand in for this one, else to the answer as far as
        it goes (conditional, or counted from today for a date) — see `_evaluation`."""
        self.unsure.add(name)
        self.asking = None
        return self._evaluate()

    def _stand_in_to_ask(self, blocking: list[str]) -> tuple[str, str] | None:
        """(a date that could stand in, the date it stands in for) for a blocking date the person is not sure of."""
        for name in blocking:
            definition = self._definition(name)
            if name in self.unsure and definition is not None and definition.type == "date":
                for other in definition.stand_in:
                    if other not in self.facts and other not in self.unsure and self._definition(other) is not None:
                        return other, name
        return None

    def _error(self, name: str, text: str, exc: Exception) -> str:
        """The one sentence that says why an answer was not taken, in the conversation's language."""
        if isinstance(exc, DateError) and exc.future is not None:
            return self._text("future_date", value=exc.future.isoformat(), today=self.today.isoformat())
        definition = self._definition(name)
        if definition.type in ("number", "integer") and _FOREIGN_MONEY.search(normalise(text)):
            return self._text("in_yuan", value=text.strip())  # amounts are counted in yuan; no rate is guessed
        if definition.type == "date" and _VAGUE_DATE.match(normalise(text).strip(" .。!！")):
            return self._text("vague_date", value=text.strip())  # "上周": which day of it
        kind = {"enum": "bad_enum", "date": "bad_date", "number": "bad_number", "integer": "bad_number", "boolean": "bad_boolean"}
        return self._text(kind.get(definition.type, "bad_enum"), value=text.strip())

    def _ask(self, name: str, error: str | None = None) -> Turn:
        self.asking = name
        definition = self._definition(name)
        choices = [{"value": c.value, "label": c.label.get(self.lang)} for c in definition.choices] if definition.choices else []
        lines = ([error] if error else []) + [self._wording(name, definition).get(self.lang)]
        lines += [f"{n}. {c['label']}" for n, c in enumerate(choices, 1)]
        lines.append(self._text("not_sure_hint"))
        evaluation = self._evaluation()
        return Turn("\n".join(lines), self.lang, self.scenario, self._score(), self._candidates(), asking=name,
                    choices=choices, facts=dict(self.facts), missing_facts=evaluation.missing, error=error,
                    kind="error" if error else "question")

    # ------------------------------------------------------------------ verdicts

    def _evaluation(self) -> Evaluation:
        """The rules on the facts; a date the person is not sure of is taken from a known fact that stands in
        for it (an earlier date: the deadline can only be later, so the answer errs on the safe side)."""
        scenario = self.kb.scenarios[self.scenario]
        values = {name: fact.value for name, fact in self.facts.items()}
        notes = []
        unsure = set(self.unsure)
        for name in sorted(self.unsure):
            definition = self._definition(name)
            known = [other for other in (definition.stand_in if definition else []) if other in self.facts]
            if known and definition.type == "date":
                values[name] = self.facts[known[0]].value
                unsure.discard(name)
                notes.append(Assumption(name, values[name], self._note("stand_in_used", name, known[0], values[name])))
        evaluation = self.evaluator.evaluate(scenario, values, self.today, frozenset(unsure))
        if evaluation.verdict is None and self._stand_in_to_ask(evaluation.blocking) is None:
            # a blocking date that nothing known or askable stands in for: count from today, and say so
            undated = [name for name in evaluation.blocking if name in unsure and self._is_date(name)]
            for name in undated:
                values[name] = self.today
                unsure.discard(name)
                notes.append(Assumption(name, self.today, self._note("no_date", name)))
            if undated:
                evaluation = self.evaluator.evaluate(scenario, values, self.today, frozenset(unsure))
        if evaluation.verdict is not None and notes:
            evaluation.verdict.assumed = notes + evaluation.verdict.assumed
        return evaluation

    def _is_date(self, name: str) -> bool:
        definition = self._definition(name)
        return definition is not None and definition.type == "date"

    def _note(self, key: str, name: str, stand_in: str | None = None, value: dt.date | None = None) -> dict:
        """A condition in both languages, for the verdict's "assuming" lines."""
        def label(fact: str, lang: str) -> str:
            definition = self._definition(fact)
            return definition.label.get(lang) if definition else fact

        return {lang: say(lang, key, fact=label(name, lang), stand_in=label(stand_in, lang) if stand_in else "",
                          date=value.isoformat() if value else "") for lang in ("zh", "en")}

    def _evaluate(self) -> Turn:
        evaluation = self._evaluation()
        if evaluation.verdict is None:
            stand_in = self._stand_in_to_ask(evaluation.blocking)
            if stand_in is not None:
                other, name = stand_in
                turn = self._ask(other)
                turn.say = f"{self._text('stand_in', fact=self._label(name), stand_in=self._label(other))}\n{turn.say}"
                return turn
            askable = [f for f in evaluation.blocking if f not in self.facts and f not in self.unsure]
            if askable:
                return self._ask(askable[0])
            separator = "、" if self.lang == "zh" else ", "
            needed = evaluation.blocking or evaluation.missing
            text = self._text("unsure_all", facts=separator.join(self._label(f) for f in needed))
            text += "\n\n" + self._steps(self.kb.scenarios[self.scenario])  # what to do meanwhile: not a dead end
            return Turn(text, self.lang, self.scenario, self._score(), self._candidates(), facts=dict(self.facts),
                        missing_facts=evaluation.missing, kind="answer")
        from .render import verdict_text

        scenario = self.kb.scenarios[self.scenario]
        text = verdict_text(self.kb, scenario, evaluation.verdict, self.lang, self.today, self.evaluator.calendar)
        text += "\n\n" + self._steps(scenario)
        return Turn(text, self.lang, self.scenario, self._score(), self._candidates(), facts=dict(self.facts),
                    missing_facts=evaluation.missing, verdict=evaluation.verdict, kind="answer")

    def _steps(self, scenario) -> str:
        from .render import applicable, fact_values

        steps = applicable(scenario.steps, fact_values(self.facts))
        return "\n".join([self._text("steps")] + [f"{n}. {s.get(self.lang)}" for n, s in enumerate(steps, 1)])

    def _score(self) -> float:
        return self.match.score if self.match and self.match.scenario == self.scenario else 1.0

    def _candidates(self) -> list[Ranked]:
        if self.match is not None and self.scenario in [c.id for c in self.match.candidates]:
            return [c for c in self.match.candidates if c.id == self.scenario]
        return [Ranked(self.scenario, 1.0, 1.0)] if self.scenario else []

    # ------------------------------------------------------------------ after the interview

    def _follow_up(self, text: str) -> Turn:
        """A message once the scenario's questions are answered: a correction, a side question, another topic, or
        a plain number (the price, where the scenario uses one)."""
        stated = self._extract(text)
        if "role" in self.facts and stated_role(text) is None:  # "前天收到的通知" is no buyer speaking: a role said stands
            stated.pop("role", None)
        own = {k: v for k, v in stated.items() if k in self.facts or k in self._scenario_facts()}
        # A short message giving this topic's facts is a correction ("其实是11月10号收到的"), whatever else it
        # resembles, and so is a longer one that says it corrects ("不对不对，是上上周日收到的，我记错了"); a short
        # side question ("去哪投诉", "还可以去12315吗") is about this topic too. Otherwise another topic comes
        # first: the facts of a message about it belong to it.
        short = not _longer_than(text, han=12, words=8)
        correction = set(own) - {"role"} and (short or (_CORRECTING.search(normalise(text)) and not _longer_than(text, han=30, words=20)))
        side = self._side_question(text) if short and not correction else None
        if side is not None:
            return side
        other = None if correction else self._other_topic(text)
        if other is not None:
            return self._propose(other, text)
        changed = self._store(own, "answer")
        if changed:
            return self._corrected(changed)
        if correction:  # "卖家已发货" once more: nothing new, and no other topic either
            return self._corrected([], note=self._updated([n for n in own if n != "role"], "restated"))
        if _NUMBER_ONLY.match(text):
            if "price" not in self._scenario_facts():
                return self._again(self._text("no_amount"), "small_talk")
            try:
                self._store({"price": self._parse("price", text)}, "answer")
                return self._corrected(["price"])
            except FactError:
                pass
        side = self._side_question(text)
        if side is not None:
            return side
        guess = self._match(text) if self._substantial(text) else None
        if guess is not None and guess.scenario is not None and len(guess.candidates) == 1:
            if guess.scenario != self.scenario:  # less sure than a new topic proposed at once: better than "not understood"
                return self._propose(guess, text)
            # more about the same problem ("驿站也找不到"): what to do about it
            return self._again(f"{self._text('same_topic')}\n{self._steps(self.kb.scenarios[self.scenario])}", "steps")
        seller = speaks_as_seller(self.kb, self.scenario, self.facts)  # not "what if the seller refuses" to a seller
        return self._again(self._text("not_understood_seller" if seller else "not_understood"), "error")

    def _side_question(self, text: str) -> Turn | None:
        """Evidence, what if the other side refuses, why a question is asked, what to do, the money, the deadline,
        what the answer rests on, the answer again: from the scenario and the verdict."""
        scenario = self.kb.scenarios[self.scenario]
        text = normalise(text)
        if WHY_ASKED.search(text) and self._interviewing:
            definition = self._definition(self.asking)
            why = definition.why.get(self.lang) if definition is not None and definition.why else None
            return self._again(self._text("why", why=why) if why else self._text("why_generic", label=self._label(self.asking)), "why")
        kind = side_question(text)
        if kind == "draft":
            return self._draft(text)
        if kind == "evidence":
            verdict = self.last.verdict if self.last else None
            items = (verdict.outcome.evidence if verdict else None) or scenario.evidence
            return self._again("\n".join([self._text("evidence")] + [f"- {e.get(self.lang)}" for e in items]), "evidence")
        if kind == "compensation":
            return self._from_verdict(self._compensation_lines, "compensation")
        if kind == "escalation":
            steps = [f"{n}. {e.get(self.lang)}" for n, e in enumerate(scenario.escalation, 1)]
            seller = speaks_as_seller(self.kb, self.scenario, self.facts)
            return self._again("\n".join([self._text("escalation_seller" if seller else "escalation")] + steps), "escalation")
        if kind in ("steps", "duration"):  # how long the platform takes: the steps say it where it is known
            return self._again(self._steps(scenario), "steps")
        if kind == "deadline":
            return self._from_verdict(self._deadline_lines, "deadline")
        if kind == "basis":
            return self._again(self._basis(scenario), "why")
        if kind == "verdict":  # mid-interview there is no verdict yet: it comes with the answers
            return self._again(self._text("after_questions"), "answer") if self._interviewing else self._evaluate()
        return None

    def _draft(self, text: str) -> Turn:
        """The draft asked for, filled from what the conversation knows (blanks marked for the rest), and where
        the others are: `case export` on a kept case writes them all."""
        from .chat_drafts import conversation_case, pick
        from .drafts import render_drafts

        scenario = self.kb.scenarios[self.scenario]
        verdict = self.last.verdict if self.last else None
        evidence = (verdict.outcome.evidence if verdict else None) or scenario.evidence
        case = conversation_case(self.scenario, scenario.title.get(self.lang), self.lang, self.facts, evidence, self.today)
        made, refused = render_drafts(self.kb, case, self.today, self.lang)
        draft = pick(text, made)
        zh = self.lang == "zh"
        if draft is None:
            why = ("；" if zh else "; ").join(f"{title}{'：' if zh else ': '}{reason}" for title, reason in refused)
            return self._again(self._text("no_draft", why=why), "draft")
        others = ("、" if zh else ", ").join(d.title for d in made if d is not draft)
        lines = [draft.title, draft.who, "", draft.body.rstrip(), ""]  # who sends it where: a line of its own
        lines.append(self._text("draft_more", others=others) if others else self._text("draft_blanks"))
        return self._again("\n".join(lines), "draft")

    @property
    def _interviewing(self) -> bool:
        """A fact is being asked for (not a choice of scenario or topic)."""
        return self.asking not in (None, SCENARIO, TOPIC)

    def _from_verdict(self, lines_of, kind: str) -> Turn:
        """A part of the verdict asked for on its own (the money, the deadline); while facts are still being asked
        for, it comes once they are in; when some cannot be had, the answer says which are needed."""
        verdict = self.last.verdict if self.last else None
        if verdict is None and not self._interviewing:  # asked while another topic is offered: the verdict at hand
            verdict = self._evaluation().verdict
        if verdict is None:
            return self._again(self._text("after_questions"), kind) if self._interviewing else self._evaluate()
        return self._again("\n".join(lines_of(verdict)), kind)

    def _compensation_lines(self, verdict: Verdict) -> list[str]:
        from .render import compensation_lines

        lines = compensation_lines(verdict, self.lang)
        if lines:
            return lines
        seller = speaks_as_seller(self.kb, self.scenario, self.facts)  # "beyond the refund" means nothing to a seller
        lines = [self._text("no_amount_seller" if seller else "no_compensation", outcome=verdict.outcome.title.get(self.lang))]
        if "price" in self.facts and verdict.status == "eligible" and not seller:
            lines.append(self._text("refund_of", price=self._value("price")))  # the money that does come back
        return lines

    def _deadline_lines(self, verdict: Verdict) -> list[str]:
        from .render import deadline_lines

        next_action = verdict.outcome.next_action.get(self.lang)
        return deadline_lines(verdict, self.lang, self.today, self.evaluator.calendar) or [
            self._text("no_deadline", next=next_action)]

    def _basis(self, scenario) -> str:
        from .render import applicable, fact_values, labels

        confidence = labels(self.lang)["confidence"]
        sources = applicable(scenario.sources, fact_values(self.facts))
        return "\n".join([self._text("basis")] + [f"- {s.title.get(self.lang)} [{confidence[s.confidence]}]" for s in sources])

    def _scenario_facts(self) -> set[str]:
        return {q.fact for q in self.kb.scenarios[self.scenario].questions}

    def _again(self, text: str, kind: str) -> Turn:
        last = self.last
        return Turn(text, self.lang, self.scenario, self._score(), self._candidates(), facts=dict(self.facts),
                    missing_facts=last.missing_facts if last else [], verdict=last.verdict if last else None,
                    kind=kind, error="not understood" if kind == "error" else None)

    def _rerender(self, note: str) -> Turn:
        """The same state, said again in the language just chosen."""
        if self.asking:
            turn = self._open_prompt()
        elif self.scenario:
            turn = self._evaluate()
        else:
            return Turn(note, self.lang, None, kind="greeting")
        return turn.noted(note)

    def _open_prompt(self) -> Turn:
        """What is being asked, asked again: the choice of scenarios, the topic offer, or the fact."""
        if self.asking == SCENARIO:
            return self._clarify()
        return self._offer_topic() if self.asking == TOPIC else self._ask(self.asking)

    def _out_of_scope(self) -> str:
        from .render import say_out_of_scope

        return say_out_of_scope(self.kb, self.lang)
