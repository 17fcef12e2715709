"""Matcher: which scenario a question is about, how sure we are, out of scope, and when to ask.

A linear classifier (classify.py) is trained on the knowledge base's examples, keywords and
titles, with the out-of-scope topics (data/out_of_scope.yaml) as a class of their own: a question is rejected
because it looks like something else (coupons, a pre-sale deposit, opening a shop …), not because no scenario
matched strongly. Features are words (jieba, synonyms folded across languages) and Chinese character 1–4-grams
(they survive unknown product names, odd segmentation and typos).

Scores become probabilities with a softmax whose temperature was fitted on questions real people wrote
(scripts/calibrate.py). The decision then is one of: answer (one scenario clearly ahead), offer the two or
three closest (not clearly ahead: the person chooses), or reject (out of scope clearly ahead). A stated role
removes the other side's scenarios before deciding: a seller's question never lands on a buyer scenario; a role
the wording only implies makes the other side less likely.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .classify import LinearModel, train
from .text import HAN_RUN, SPACE_IN_HAN, normalise
from .tokenize import Tokenizer, Vocabulary

OUT_OF_SCOPE = "__out_of_scope__"
MAX_QUERY_CHARS = 2000  # beyond this a question is a document; the start decides the scenario

# Fitted by scripts/calibrate.py (--orders 3) on real questions: real_dev.jsonl and a second set collected later
# (778 together), reported on a third set collected after both; refit after large changes to the examples.
# A question is:
# - answered alone when its best scenario is at least SURE probable and LEAD times the runner-up;
# - rejected when out of scope is more probable than every scenario and either at least REJECT probable or
#   REJECT_LEAD times the best scenario (OUT_OF_SCOPE_BIAS is taken from its score first);
# - otherwise offered its best two or three scenarios, each at least OFFER_SHARE of the best one's probability.
TEMPERATURE = 3.65
SURE = 0.3
LEAD = 3.0
REJECT = 0.35
REJECT_LEAD = 2.0
OFFER_SHARE = 0.15
OUT_OF_SCOPE_BIAS = -0.2
MAX_OFFERED = 3
# taken from the other side's scenarios when the wording only implies a role (or nothing does: most are buyers)
IMPLIED_ROLE_PENALTY = 0.3

SPELLING = 80  # rapidfuzz ratio at which an unknown English word is taken for a known one (one swap: 83) …
MIN_SPELLED = 6  # … if it has at least this many letters (shorter words are too easily another word)
MIN_KNOWN_WORDS = 3  # with fewer known words, at least half the question's words must be known


@dataclass
class Index:
    classes: list[str]  # scenario ids, then OUT_OF_SCOPE
    roles: list[str]  # per class: buyer | seller | both ('' for out of scope)
    vocabulary: Vocabulary
    model: LinearModel


@dataclass(frozen=True)
class Ranked:
    id: str
    raw: float
    score: float


@dataclass(frozen=True)
class MatchResult:
    scenario: str | None  # the best in-scope guess, or None when rejected
    score: float  # how sure the decision is: P(scenario) when answering, P(out of scope) when rejecting, 0 when
    # the question holds nothing the knowledge base knows
    candidates: list[Ranked]  # scenarios offered: one when sure, two or three to choose from, none when rejected
    ranking: list[Ranked]  # every scenario the role allows, best first (for evaluation and the authoring tools)
    out_of_scope: float = 0.0  # probability that the question is about none of the scenarios

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


# Anonymisation placeholders pasted from templates and chat logs ("[数字x]", "[ORDERID_10002497]") say nothing
_PLACEHOLDER = re.compile(r"\[(?:[^\[\]\s]{1,6}x|[A-Za-z]+_\d+)\]")


def prepare(question: str) -> str:
    """The question as the matcher reads it: normalised, placeholders dropped, Chinese words joined again."""
    return SPACE_IN_HAN.sub("", normalise(_PLACEHOLDER.sub(" ", question[:MAX_QUERY_CHARS])))


def features(tokenizer: Tokenizer, normalised: str) -> list[str]:
    """Words (jieba, synonyms folded across languages) and Chinese character 1–4-grams, one namespace letter
    each. The n-grams survive unknown product names, odd segmentation and typos. (Synonym groups spotted as
    substrings and English word pairs were tried as features too: on real questions they ranked no better.)"""
    out = ["w" + w for w in tokenizer.tokens(normalised)]
    for run in HAN_RUN.findall(normalised):
        out += ["c" + run[i : i + k] for k in (1, 2, 3, 4) for i in range(len(run) - k + 1)]
    return out


def training_set(kb, tokenizer: Tokenizer, classes: list[str]) -> tuple[list[list[str]], list[int], list[str]]:
    """Every example, keyword and title as a labelled document; also each document's source text."""
    documents: list[list[str]] = []
    labels: list[int] = []
    texts: list[str] = []

    def add(text: str, label: int) -> None:
        documents.append(features(tokenizer, prepare(text)))
        labels.append(label)
        texts.append(text)

    for label, class_id in enumerate(classes):
        if class_id == OUT_OF_SCOPE:
            for text in kb.out_of_scope.examples.zh + kb.out_of_scope.examples.en:
                add(text, label)
            continue
        scenario = kb.scenarios[class_id]
        for text in scenario.examples.zh + scenario.examples.en:
            add(text, label)
        for text in scenario.keywords.zh + scenario.keywords.en:
            add(text, label)
        add(scenario.title.zh, label)
        add(scenario.title.en, label)
    return documents, labels, texts


def build_tokenizer(kb) -> Tokenizer:
    from .tokenize import build_vocabulary

    texts: list[str] = []
    for scenario in kb.scenarios.values():
        for lang in ("zh", "en"):
            texts += scenario.examples.get(lang) + scenario.keywords.get(lang) + [scenario.title.get(lang)]
    for lang in ("zh", "en"):
        texts += kb.out_of_scope.examples.get(lang)
    domain_words = list(kb.user_words)
    for scenario in kb.scenarios.values():
        domain_words += [k for k in scenario.keywords.zh if " " not in k]
    return Tokenizer(build_vocabulary(texts, domain_words, kb.synonyms, kb.stopwords))


def build_index(kb) -> Index:
    classes = list(kb.scenarios) + [OUT_OF_SCOPE]
    tokenizer = build_tokenizer(kb)
    documents, labels, _ = training_set(kb, tokenizer, classes)
    model = train(documents, labels, classes)
    roles = [kb.scenarios[c].role if c != OUT_OF_SCOPE else "" for c in classes]
    return Index(classes, roles, tokenizer.vocabulary, model)


def probabilities(raw: list[float]) -> list[float]:
    top = max(raw)
    exps = [math.exp(TEMPERATURE * (r - top)) for r in raw]
    total = sum(exps)
    return [e / total for e in exps]


def allowed(role: str | None, scenario_role: str) -> bool:
    """A buyer is never offered seller scenarios, nor a seller buyer ones; 'both' fits everyone."""
    return role not in ("buyer", "seller") or scenario_role in (role, "both", "")


class Matcher:
    def __init__(self, index: Index):
        self.index = index
        self.tokenizer = Tokenizer(index.vocabulary)
        self._english_words: list[str] | None = None  # for spelling, built on first need

    def tokens(self, question: str) -> list[str]:
        return self._spell(features(self.tokenizer, prepare(question)))

    def _spell(self, tokens: list[str]) -> list[str]:
        """An English word the examples never had, one or two letters off a word they have ("refnud",
        "recieved"), counts as that word: rapidfuzz finds it among the known words."""
        rows = self.index.model.rows
        synonyms = self.index.vocabulary.synonyms
        out = list(tokens)
        for token in tokens:
            word = token[1:]
            if token[0] == "w" and token not in rows and len(word) >= MIN_SPELLED and word.isascii() and word.isalpha():
                from rapidfuzz import fuzz, process  # only when there is an unknown English word: most questions have none

                if self._english_words is None:  # known words (stemmed), and the English variants of synonym groups
                    known = [f[1:] for f in rows if f[0] == "w" and f[1:].isascii() and f[1:].isalpha()]
                    self._english_words = sorted(set(known) | {w for w in synonyms if w.isascii() and w.isalpha()})
                found = process.extractOne(word, self._english_words, scorer=fuzz.ratio, score_cutoff=SPELLING)
                if found is not None:
                    out.append("w" + synonyms.get(found[0], found[0]))
        return out

    def raw_scores(self, tokens: list[str]) -> list[float]:
        return self.index.model.scores(tokens)

    def match(self, question: str, role: str | None = None, implied: str | None = None) -> MatchResult:
        """`role`: what the person said they are (the other side's scenarios are left out); `implied`: the side
        the wording suggests ("卖家不给退" is a buyer speaking), which only makes the other side less likely."""
        tokens = self.tokens(question)
        if not self.recognisable(tokens):
            return MatchResult(None, 0.0, [], [], 1.0)
        return self.decide(self.raw_scores(tokens), role, implied)

    def recognisable(self, tokens: list[str]) -> bool:
        """Enough words the knowledge base knows to go on: numbers alone are not, and neither is text where most
        words are unknown and only one or two known ones ("drop table cases", "{{7*7}}")."""
        words = [t for t in dict.fromkeys(tokens) if t.startswith("w") and not t[1:].replace(".", "").isdigit()]
        known = [t for t in words if t in self.index.model.rows]
        return bool(known) and (len(known) >= MIN_KNOWN_WORDS or len(known) >= len(words) / 2)

    def decide(self, raw: list[float], role: str | None = None, implied: str | None = None) -> MatchResult:
        """Rank the scenarios the role allows, calibrate, then answer, offer a choice, or reject."""
        index = self.index
        oos_class = index.classes.index(OUT_OF_SCOPE)
        keep = [c for c in range(len(raw)) if allowed(role, index.roles[c])]
        adjusted = [raw[c] - OUT_OF_SCOPE_BIAS if c == oos_class else raw[c] for c in keep]
        if role is None:  # most people asking are buyers: a seller usually says so, or speaks of "the buyer"
            implied = implied or "buyer"
            adjusted = [a - IMPLIED_ROLE_PENALTY * (not allowed(implied, index.roles[c])) for a, c in zip(adjusted, keep)]
        probs = dict(zip(keep, probabilities(adjusted)))
        p_oos = probs.get(oos_class, 0.0)
        order = sorted((c for c in keep if c != oos_class), key=lambda c: -probs[c])
        ranking = [Ranked(index.classes[c], raw[c], probs[c]) for c in order]
        if not ranking:
            return MatchResult(None, 1.0, [], [], 1.0)
        best = ranking[0]
        if not any(raw):  # not one word the knowledge base knows: nothing to go on
            return MatchResult(None, 0.0, [], ranking, 1.0)
        if p_oos > best.score and (p_oos >= REJECT or p_oos >= REJECT_LEAD * best.score):
            return MatchResult(None, p_oos, [], ranking, p_oos)
        runner_up = ranking[1].score if len(ranking) > 1 else 0.0
        if best.score >= SURE and best.score >= LEAD * runner_up:
            return MatchResult(best.id, best.score, [best], ranking, p_oos)
        offered = [r for r in ranking[:MAX_OFFERED] if r.score >= OFFER_SHARE * best.score]
        return MatchResult(best.id, best.score, offered, ranking, p_oos)
