"""Matcher: which scenario a question is about, how sure we are, out of scope, and near ties.

Two signals per scenario, combined then calibrated to 0..1:
- BM25 over tokens, with each scenario's examples, keywords and title as one document, divided by the
  score the question's own terms could reach at most (so it reads as "how much of the question this scenario
  explains", and words no scenario knows pull it down);
- rapidfuzz token-set similarity against the scenario's single examples (catches paraphrases and typos).
An `out_of_scope` pseudo-scenario built from data/out_of_scope.yaml (coupons, pre-sale deposits, …) lets near
misses lose to it instead of to the closest real scenario.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .text import HAN, normalise
from .tokenize import Tokenizer, Vocabulary

OUT_OF_SCOPE = "__out_of_scope__"
K1, B = 1.2, 0.75
KEYWORD_WEIGHT = 3  # a keyword counts like this many example occurrences
BM25_WEIGHT = 0.7
FUZZY_CANDIDATES = 6  # fuzzy similarity is computed for the best scenarios by BM25 only (speed)
MAX_QUERY_CHARS = 2000  # beyond this a question is a document; the start decides the scenario

# Logistic calibration: p(answer is right) = σ(W·[raw, gap to the runner-up scenario, lead over out-of-scope,
# share of the question's words the knowledge base knows] + BIAS).
# Fitted on data/eval/dev.jsonl by scripts/calibrate.py, which prints these lines; refit after large KB changes.
CAL_WEIGHTS = (3.110, 3.797, 6.696, 1.150)
CAL_BIAS = -2.358
THRESHOLD = 0.54  # below this calibrated score the question is out of scope
TIE_GAP = 0.03  # a runner-up scenario this close (raw) is offered as a second candidate


@dataclass
class Index:
    classes: list[str]
    vocabulary: Vocabulary
    idf: dict[str, float]
    unknown_idf: float
    # term → [(class, its BM25 contribution)], computed once here so a question costs one lookup per term
    postings: dict[str, list[tuple[int, float]]]
    term_freqs: list[dict[str, int]]  # per class, for leave-one-out checks of the examples (kb lint)
    lengths: list[int]
    codes: dict[str, int]  # token → its number, for token-level fuzzy matching
    examples: list[str]  # each example as its tokens' codes (see _encode)
    example_class: list[int]
    example_postings: dict[str, list[int]]  # token → the examples that contain it


@dataclass(frozen=True)
class Ranked:
    id: str
    raw: float
    score: float


@dataclass(frozen=True)
class MatchResult:
    scenario: str | None
    score: float
    candidates: list[Ranked]  # real scenarios only, best first, at most two when a near tie
    ranking: list[Ranked]  # every scenario, best first (for evaluation and the authoring tools)

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def build_index(kb) -> Index:
    from .tokenize import build_vocabulary

    classes = list(kb.scenarios) + [OUT_OF_SCOPE]
    texts: list[str] = []
    for scenario in kb.scenarios.values():
        for lang in ("zh", "en"):
            texts += scenario.examples.get(lang) + scenario.keywords.get(lang) + [scenario.title.get(lang)]
    for lang in ("zh", "en"):
        texts += kb.out_of_scope.examples.get(lang)
    domain_words = list(kb.user_words)
    for scenario in kb.scenarios.values():
        domain_words += [k for k in scenario.keywords.zh if " " not in k]
    vocabulary = build_vocabulary(texts, domain_words, kb.synonyms, kb.stopwords)
    tokenizer = Tokenizer(vocabulary)

    def toks(text: str) -> list[str]:
        return features(tokenizer, normalise(text))

    term_freqs, examples, example_class = [], [], []
    for index, class_id in enumerate(classes):
        counts: Counter[str] = Counter()
        if class_id == OUT_OF_SCOPE:
            sample = kb.out_of_scope.examples
            keywords: list[str] = []
            titles: list[str] = []
        else:
            scenario = kb.scenarios[class_id]
            sample = scenario.examples
            keywords = scenario.keywords.zh + scenario.keywords.en
            titles = [scenario.title.zh, scenario.title.en]
        for text in sample.zh + sample.en:
            tokens = toks(text)
            counts.update(tokens)
            examples.append(tokens)  # encoded below, once the vocabulary is complete
            example_class.append(index)
        for text in keywords:
            for token in toks(text):
                counts[token] += KEYWORD_WEIGHT
        for text in titles:
            counts.update(toks(text))
        term_freqs.append(dict(counts))
    n = len(classes)
    df: Counter[str] = Counter()
    for counts in term_freqs:
        df.update(counts.keys())
    idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}
    lengths = [sum(counts.values()) for counts in term_freqs]
    average = sum(lengths) / n
    postings: dict[str, list[tuple[int, float]]] = {}
    for c, counts in enumerate(term_freqs):
        norm = K1 * (1 - B + B * lengths[c] / average)
        for term, tf in counts.items():
            postings.setdefault(term, []).append((c, idf[term] * tf * (K1 + 1) / (tf + norm)))
    codes = {term: number for number, term in enumerate(df)}
    example_postings: dict[str, list[int]] = {}
    for number, tokens in enumerate(examples):
        for token in set(tokens):
            example_postings.setdefault(token, []).append(number)
    return Index(
        classes=classes,
        vocabulary=vocabulary,
        idf=idf,
        unknown_idf=math.log(1 + (n + 0.5) / 0.5),
        postings=postings,
        term_freqs=term_freqs,
        lengths=lengths,
        codes=codes,
        examples=[_encode(tokens, codes) for tokens in examples],
        example_class=example_class,
        example_postings=example_postings,
    )


_HAN_RUN = re.compile(f"[{HAN}]+")


def features(tokenizer: Tokenizer, normalised: str) -> list[str]:
    """Word tokens plus Chinese character bigrams: bigrams survive unknown words, odd segmentation and typos."""
    tokens = tokenizer.tokens(normalised)
    for run in _HAN_RUN.findall(normalised):
        tokens.extend("#" + run[i : i + 2] for i in range(len(run) - 1))
    return tokens


_FIRST_CODE = 0x10000  # astral code points: never clash with real characters


def _encode(tokens: list[str], codes: dict[str, int]) -> str:
    """One character per token, so rapidfuzz's token-set similarity compares our tokens (jieba's words,
    synonyms folded), not letters. Unknown tokens get codes past the vocabulary: they count as differences,
    never as accidental matches."""
    unknown = len(codes)
    out = []
    for token in tokens:
        code = codes.get(token)
        if code is None:
            code, unknown = unknown, unknown + 1
        out.append(chr(_FIRST_CODE + code))
    return " ".join(out)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def calibrate(raw: float, gap: float, lead: float, known: float) -> float:
    w1, w2, w3, w4 = CAL_WEIGHTS
    return _sigmoid(w1 * raw + w2 * gap + w3 * lead + w4 * known + CAL_BIAS)


class Matcher:
    def __init__(self, index: Index):
        self.index = index
        self.tokenizer = Tokenizer(index.vocabulary)

    def tokens(self, question: str) -> list[str]:
        return features(self.tokenizer, normalise(question[:MAX_QUERY_CHARS]))

    def raw_scores(self, tokens: list[str], leave_out: int | None = None) -> list[float]:
        """Combined BM25 coverage and fuzzy similarity for every class, in index order.

        `leave_out` scores an example of the knowledge base as if it were not there (its own counts taken
        out of its scenario, itself out of the fuzzy choices): how `kb lint` checks that each example
        still points at its own scenario. IDF is kept as built; the difference is negligible."""
        index = self.index
        n = len(index.classes)
        if not tokens:
            return [0.0] * n
        bm25 = [0.0] * n
        ceiling = 0.0
        terms = set(tokens)  # each distinct term once: repeating a word does not make it weigh more
        own = index.example_class[leave_out] if leave_out is not None else None
        for term in terms:
            idf = index.idf.get(term, index.unknown_idf)
            ceiling += idf * (K1 + 1)
            for c, weight in index.postings.get(term, ()):
                if c == own:
                    weight = self._without(term, c, tokens, idf)
                bm25[c] += weight
        coverage = [score / ceiling for score in bm25]
        # Fuzzy similarity only where it can change the outcome: the best few scenarios by BM25 (and out of
        # scope), and only their examples that share at least one token with the question.
        shortlist = {c for c in sorted(range(n), key=coverage.__getitem__)[-FUZZY_CANDIDATES:] if coverage[c]}
        if coverage[n - 1]:
            shortlist.add(n - 1)
        candidates: dict[int, list[str]] = {c: [] for c in shortlist}
        seen: set[int] = set()
        for term in terms:
            for number in index.example_postings.get(term, ()):
                c = index.example_class[number]
                if c in candidates and number not in seen and number != leave_out:
                    seen.add(number)
                    candidates[c].append(index.examples[number])
        query = _encode(tokens, index.codes)
        fuzzy = [0.0] * n
        for c, choices in candidates.items():
            best = process.extractOne(query, choices, scorer=fuzz.token_set_ratio, processor=None)
            fuzzy[c] = best[1] / 100 if best else 0.0
        return [BM25_WEIGHT * coverage[c] + (1 - BM25_WEIGHT) * fuzzy[c] for c in range(n)]

    def _without(self, term: str, c: int, example: list[str], idf: float) -> float:
        index = self.index
        tf = index.term_freqs[c].get(term, 0) - example.count(term)
        if tf <= 0:
            return 0.0
        length = index.lengths[c] - len(example)
        average = sum(index.lengths) / len(index.lengths)
        return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))

    def known_share(self, tokens: list[str]) -> float:
        """How many of the question's words (bigrams aside) the knowledge base has seen."""
        words = [t for t in tokens if not t.startswith("#")]
        return sum(t in self.index.idf for t in words) / len(words) if words else 0.0

    def match(self, question: str) -> MatchResult:
        tokens = self.tokens(question)
        return self.decide(self.raw_scores(tokens), self.known_share(tokens))

    def decide(self, raw: list[float], known: float) -> MatchResult:
        """Rank the scenarios, calibrate, and decide between an answer, a near tie and out of scope."""
        classes = self.index.classes
        oos = raw[classes.index(OUT_OF_SCOPE)]
        order = sorted((c for c in range(len(raw)) if classes[c] != OUT_OF_SCOPE), key=lambda c: -raw[c])
        ranking = []
        for position, c in enumerate(order):
            rival = raw[order[1]] if position == 0 else raw[order[0]]
            ranking.append(Ranked(classes[c], raw[c], calibrate(raw[c], raw[c] - rival, raw[c] - oos, known)))
        best = ranking[0]
        if best.score < THRESHOLD:
            return MatchResult(None, best.score, [], ranking)
        candidates = [best]
        if len(ranking) > 1 and best.raw - ranking[1].raw < TIE_GAP:
            candidates.append(ranking[1])
        return MatchResult(best.id, best.score, candidates, ranking)
