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
from dataclasses import dataclass, field

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
CAL_WEIGHTS = (3.174, 3.853, 6.427, 1.230)
CAL_BIAS = -2.451
THRESHOLD = 0.53  # below this calibrated score the question is out of scope
TIE_GAP = 0.03  # a runner-up scenario this close (raw) is offered as a second candidate


@dataclass
class Index:
    classes: list[str]
    vocabulary: Vocabulary
    term_freqs: list[dict[str, int]]
    doc_lengths: list[int]
    idf: dict[str, float]
    codes: dict[str, int]  # token → its number, for token-level fuzzy matching
    unknown_idf: float
    examples: list[str]  # each example as its tokens' codes (see _encode)
    example_class: list[int]
    class_examples: list[list[int]] = field(default_factory=list)


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
    codes = {term: index for index, term in enumerate(df)}
    examples = [_encode(tokens, codes) for tokens in examples]
    class_examples: list[list[int]] = [[] for _ in classes]
    for i, c in enumerate(example_class):
        class_examples[c].append(i)
    return Index(
        classes=classes,
        vocabulary=vocabulary,
        term_freqs=term_freqs,
        doc_lengths=[sum(c.values()) for c in term_freqs],
        idf=idf,
        codes=codes,
        unknown_idf=math.log(1 + (n + 0.5) / 0.5),
        examples=examples,
        example_class=example_class,
        class_examples=class_examples,
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
        self._avg_length = sum(index.doc_lengths) / len(index.doc_lengths)

    def tokens(self, question: str) -> list[str]:
        return features(self.tokenizer, normalise(question[:MAX_QUERY_CHARS]))

    def raw_scores(self, tokens: list[str]) -> list[float]:
        """Combined BM25 coverage and fuzzy similarity for every class, in index order."""
        index = self.index
        n = len(index.classes)
        if not tokens:
            return [0.0] * n
        bm25 = [0.0] * n
        ceiling = 0.0
        for term in set(tokens):  # each distinct term once: repeating a word does not make it weigh more
            idf = index.idf.get(term, index.unknown_idf)
            ceiling += idf * (K1 + 1)
            if term not in index.idf:
                continue
            for c, freqs in enumerate(index.term_freqs):
                tf = freqs.get(term)
                if tf:
                    norm = K1 * (1 - B + B * index.doc_lengths[c] / self._avg_length)
                    bm25[c] += idf * tf * (K1 + 1) / (tf + norm)
        coverage = [s / ceiling for s in bm25]
        shortlist = set(sorted(range(n), key=lambda c: -coverage[c])[:FUZZY_CANDIDATES])
        shortlist.add(n - 1)  # out of scope always competes
        query = _encode(tokens, index.codes)
        fuzzy = [0.0] * n
        for c in shortlist:
            if not coverage[c]:
                continue  # no word in common with this scenario: any similarity would be noise
            choices = [index.examples[i] for i in index.class_examples[c]]
            best = process.extractOne(query, choices, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=0)
            fuzzy[c] = best[1] / 100 if best else 0.0
        return [BM25_WEIGHT * coverage[c] + (1 - BM25_WEIGHT) * fuzzy[c] for c in range(n)]

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
