"""Tokens for matching: jieba over Chinese with a compact domain dictionary, light stemming for English,
stop words dropped and synonyms folded to one canonical token (across languages where the KB says so).

jieba's full dictionary (350,000 words) takes about a second to load. Matching only needs the words that occur
in the knowledge base, so `build_vocabulary` keeps those (with jieba's own frequencies, and jieba's total so
segmentation is unchanged) plus the domain words, and the result is cached with the index.
"""
from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .text import HAN, has_han

_HAN_RUN_RE = re.compile(f"[{HAN}0-9]+")
_LATIN_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# "不是质量问题" is about something else than 质量问题: a concept right after a negation is its own feature
_NEGATORS_ZH = "不没非无未"
_NEGATED_ZH = re.compile("(?:不是|没有|并非|不算|不|没|非|无|未)$")
_NEGATORS_EN = frozenset({"not", "no", "isn't", "wasn't", "aren't", "weren't", "without", "non", "never"})
_TOKEN_RE = re.compile(f"([{HAN}0-9]*[{HAN}][{HAN}0-9]*)|([a-z0-9]+(?:'[a-z]+)?)")
_MAX_WORD = 8  # longest dictionary word worth looking up in a KB text
DOMAIN_FREQ = 200_000  # high enough that a domain word (七天无理由, 小二介入) is never split
_MISSING = object()


def import_jieba():
    """Import jieba without pkg_resources (≈90 ms it only uses to find its own files) and without its logging."""
    saved = sys.modules.get("pkg_resources", _MISSING)
    if saved is _MISSING:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes jieba take its plain-file path
    try:
        import jieba
    finally:
        if saved is _MISSING:
            sys.modules.pop("pkg_resources", None)
    jieba.setLogLevel(logging.WARNING)
    return jieba


def stem(word: str) -> str:
    """A light English stemmer: enough to fold plurals and -ed/-ing forms, nothing clever."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement, minimum in (
        ("ies", "y", 5), ("sses", "ss", 5), ("ied", "y", 5), ("ing", "", 6), ("ed", "", 5), ("es", "", 5), ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= minimum:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("shes", "ches", "xes", "sses", "zes")):
                return word[:-1]
            base = word[: len(word) - len(suffix)] + replacement
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]  # shipped → shipp → ship
            return base
    return word


@dataclass
class Vocabulary:
    """Everything the tokenizer needs, built once per knowledge base and cached."""

    freq: dict[str, int]  # jieba prefix dictionary: word → frequency (0 for prefixes only)
    total: int
    synonyms: dict[str, str]  # normalised, stemmed variant → canonical token
    phrases: dict[tuple[str, ...], str]  # multi-word English variants as stemmed word tuples → canonical
    stopwords: frozenset[str]
    # every synonym group's words for spotting anywhere in a text, however jieba cut it: Chinese as substrings,
    # English as runs of stemmed words ("never arrive")
    concepts: dict[str, str] = field(default_factory=dict)


def _jieba_dict_path() -> Path:
    jieba = import_jieba()
    return Path(jieba.__file__).resolve().parent / "dict.txt"


def build_vocabulary(
    texts: Iterable[str], domain_words: Iterable[str], synonyms: dict[str, list[str]], stopwords: Iterable[str]
) -> Vocabulary:
    """Compact jieba dictionary: jieba's words that occur in the KB texts, plus the domain words."""
    from .text import has_han, normalise

    candidates: set[str] = set()
    for text in texts:
        for han_run in re.findall(f"[{HAN}0-9]+", normalise(text)):
            n = len(han_run)
            for i in range(n):
                for j in range(i + 1, min(n, i + _MAX_WORD) + 1):
                    candidates.add(han_run[i:j])
    words: dict[str, int] = {}
    total = 0
    with open(_jieba_dict_path(), "rb") as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split(" ")
            freq = int(parts[1])
            total += freq
            if parts[0] in candidates:
                words[parts[0]] = freq

    folded: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    concepts: dict[str, str] = {}
    domain = [normalise(w) for w in domain_words]
    for canonical, variants in synonyms.items():
        canon = normalise(canonical)
        domain.append(canon)
        for variant in [canonical, *variants]:
            variant = normalise(str(variant))
            key = variant if has_han(variant) else " ".join(stem(w) for w in _LATIN_WORD_RE.findall(variant))
            concepts.setdefault(key, canon)
            if variant == canon:
                continue
            parts = [stem(w) for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", variant)]
            if len(parts) > 1 and not re.search(f"[{HAN}]", variant):
                phrases[tuple(parts)] = canon
            elif re.fullmatch(r"[a-z0-9']+", variant):
                folded[stem(variant)] = canon
            else:
                folded[variant] = canon
                domain.append(variant)
    for word in dict.fromkeys(domain):
        if re.search(f"[{HAN}]", word) and " " not in word and words.get(word, 0) < DOMAIN_FREQ:
            words[word] = DOMAIN_FREQ
            total += DOMAIN_FREQ  # as jieba's add_word does, so segmentation equals full jieba + our words

    freq: dict[str, int] = {}
    for word, count in words.items():
        freq[word] = count
        for k in range(1, len(word)):
            freq.setdefault(word[:k], 0)
    return Vocabulary(freq, total, folded, phrases, frozenset(normalise(w) for w in stopwords), concepts)


class Tokenizer:
    """Turns normalised text into matching tokens."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        jieba = import_jieba()
        # Hand jieba our prefix dictionary directly: no file reading and no cache file in the temp folder.
        self._jieba = jieba.Tokenizer()
        self._jieba.FREQ = vocabulary.freq
        self._jieba.total = vocabulary.total
        self._jieba.initialized = True
        # Multi-word English synonyms ("never arrived") are folded before splitting, whole words only.
        self._longest_phrase = max((len(p) for p in vocabulary.phrases), default=0)
        self._concept_lengths = sorted({len(k) for k in vocabulary.concepts if has_han(k)})
        self._longest_concept = max((k.count(" ") + 1 for k in vocabulary.concepts if not has_han(k)), default=0)

    def concepts(self, normalised: str) -> list[str]:
        """The synonym groups a text mentions, each once, in order: Chinese words found as substrings (so 没收到
        inside 一直没收到货 counts whatever jieba made of it), English ones as runs of whole stemmed words."""
        table = self.vocabulary.concepts
        found: dict[str, None] = {}
        for run in _HAN_RUN_RE.findall(normalised):
            for i in range(len(run)):
                for length in self._concept_lengths:
                    if i + length > len(run):
                        break
                    variant = run[i : i + length]
                    canonical = table.get(variant)
                    if canonical is not None:
                        negated = variant[0] not in _NEGATORS_ZH and _NEGATED_ZH.search(run[max(0, i - 2) : i])
                        found["!" + canonical if negated else canonical] = None
        words = [stem(w) for w in _LATIN_WORD_RE.findall(normalised)]
        for i in range(len(words)):
            for n in range(1, min(self._longest_concept, len(words) - i) + 1):
                canonical = table.get(" ".join(words[i : i + n]))
                if canonical is not None:
                    negated = i > 0 and words[i - 1] in _NEGATORS_EN and words[i] not in _NEGATORS_EN
                    found["!" + canonical if negated else canonical] = None
        return list(found)

    def words(self, normalised: str) -> list[str]:
        """Segmented words before stop words and synonyms (for tests and `kb` tools)."""
        out: list[str] = []
        for han, latin in _TOKEN_RE.findall(normalised):
            if han:
                out.extend(self._jieba.cut(han, HMM=False))
            else:
                out.append(latin)
        return out

    def tokens(self, normalised: str) -> list[str]:
        vocab = self.vocabulary
        words = [stem(w) if w.isascii() and w.isalpha() else w for w in self.words(normalised)]
        out: list[str] = []
        i = 0
        while i < len(words):
            # multi-word synonyms first ("never arrived" → 没收到), longest match wins
            for n in range(min(self._longest_phrase, len(words) - i), 1, -1):
                canonical = vocab.phrases.get(tuple(words[i : i + n]))
                if canonical is not None:
                    out.append(canonical)
                    i += n
                    break
            else:
                word = words[i]
                i += 1
                if word in vocab.stopwords or (len(word) == 1 and word.isascii() and word.isalpha()):
                    continue
                out.append(vocab.synonyms.get(word, word))
        return out
