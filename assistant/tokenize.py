"""Tokens for matching: jieba over Chinese with a compact domain dictionary, light stemming for English,
stop words dropped and synonyms folded to one canonical token (across languages where the KB says so).

jieba's full dictionary (350,000 words) takes about a second to load. Matching only needs the words that occur
in the knowledge base, so `build_vocabulary` keeps those (with jieba's own frequencies, and jieba's total so
segmentation is unchanged) plus the domain words, and the result is cached with the index.
"""
from __future__ import annotations

import importlib
import logging
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .text import HAN, has_han

# a run of Chinese characters and digits holding at least one Chinese character, or a Latin word (one character class,
# not three: each costs ≈1.5 ms to compile on every start)
_TOKEN_RE = re.compile(f"((?:[0-9]*[{HAN}])+[0-9]*)|([a-z0-9]+(?:'[a-z]+)?)")
_MAX_WORD = 8  # longest dictionary word worth looking up in a KB text
DOMAIN_FREQ = 200_000  # high enough that a domain word (七天无理由, 小二介入) is never split
_MISSING = object()


class _FinalsegOnFirstUse(types.ModuleType):
    """Stands in for jieba.finalseg, jieba's HMM for unknown words, until something uses it. We cut with HMM=False
    only, and loading its probability tables is half of importing jieba (≈15 ms of every `weiquan ask`)."""

    def __getattr__(self, name: str):
        sys.modules.pop("jieba.finalseg", None)
        real = importlib.import_module("jieba.finalseg")
        sys.modules["jieba"].finalseg = real
        return getattr(real, name)


def import_jieba():
    """Import jieba without pkg_resources (≈90 ms it only uses to find its own files), without its HMM tables until
    they are used, and without its logging."""
    if "jieba" not in sys.modules:
        saved = sys.modules.get("pkg_resources", _MISSING)
        if saved is _MISSING:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes jieba take its plain-file path
        sys.modules.setdefault("jieba.finalseg", _FinalsegOnFirstUse("jieba.finalseg"))
        try:
            import jieba  # noqa: F401
        finally:
            if saved is _MISSING:
                sys.modules.pop("pkg_resources", None)
    jieba = sys.modules["jieba"]
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


def _jieba_dict_path() -> Path:
    jieba = import_jieba()
    return Path(jieba.__file__).resolve().parent / "dict.txt"


def build_vocabulary(
    texts: Iterable[str], domain_words: Iterable[str], synonyms: dict[str, list[str]], stopwords: Iterable[str]
) -> Vocabulary:
    """Compact jieba dictionary: jieba's words that occur in the KB texts, plus the domain words."""
    from .text import normalise

    candidates: set[str] = set()
    for text in texts:
        for run in re.findall(f"[{HAN}0-9]+", normalise(text)):
            n = len(run)
            candidates.update(run[i:j] for i in range(n) for j in range(i + 1, min(n, i + _MAX_WORD) + 1))
    words: dict[str, int] = {}
    total = 0
    with open(_jieba_dict_path(), "rb") as handle:
        lines = handle.read().decode("utf-8").splitlines()
    for line in lines:  # "word frequency tag"
        word, freq, _ = line.split(" ", 2)
        count = int(freq)
        total += count
        if word in candidates:
            words[word] = count

    folded: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    domain = [normalise(w) for w in domain_words]
    for canonical, variants in synonyms.items():
        canon = normalise(canonical)
        domain.append(canon)
        for variant in variants:
            variant = normalise(str(variant))
            parts = [stem(w) for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", variant)]
            if len(parts) > 1 and not has_han(variant):
                phrases[tuple(parts)] = canon
            elif re.fullmatch(r"[a-z0-9']+", variant):
                folded[stem(variant)] = canon
            else:
                folded[variant] = canon
                domain.append(variant)
    for word in dict.fromkeys(domain):
        if has_han(word) and " " not in word and words.get(word, 0) < DOMAIN_FREQ:
            words[word] = DOMAIN_FREQ
            total += DOMAIN_FREQ  # as jieba's add_word does, so segmentation equals full jieba + our words

    freq: dict[str, int] = {}
    for word, count in words.items():
        freq[word] = count
        for k in range(1, len(word)):
            freq.setdefault(word[:k], 0)
    return Vocabulary(freq, total, folded, phrases, frozenset(normalise(w) for w in stopwords))


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
