"""Normalising what people type: Unicode forms, widths, case, traditional → simplified, and a language guess."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")
_LATIN_WORD_RE = re.compile(r"[a-z]{2,}")
_SURROGATES_RE = re.compile("[\ud800-\udfff]")
# Control and format characters (zero-width joiners, BOMs, bidi marks) carry no meaning for matching.
_INVISIBLE_RE = re.compile("[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES_RE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def clean(text: str) -> str:
    """Make any string safe to print and to encode as UTF-8: drop lone surrogates and control characters."""
    text = _SURROGATES_RE.sub("", text)
    text = _INVISIBLE_RE.sub(" ", text)
    return _SPACES_RE.sub(" ", text).strip()


def normalise(text: str) -> str:
    """NFKC (full width → half width), lower case, traditional → simplified, single spaces."""
    text = unicodedata.normalize("NFKC", clean(text)).lower()
    if _HAN_RE.search(text):
        text = _t2s().convert(text)
    return text


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def is_traditional(text: str) -> bool:
    """Written in traditional characters: converting to simplified changes more characters than the other way."""
    if not _HAN_RE.search(text):
        return False
    to_simplified = sum(a != b for a, b in zip(text, _t2s().convert(text)))
    to_traditional = sum(a != b for a, b in zip(text, _s2t().convert(text)))
    return to_simplified > to_traditional


def has_han(text: str) -> bool:
    return _HAN_RE.search(text) is not None


def guess_language(text: str, default: str = "zh") -> str:
    """'zh' or 'en'. Mixed questions ("淘宝 order 没收到") go by which script carries more of the words; text
    with too little of either ("299", "ok", "2026-11-16") keeps `default` (the conversation's language)."""
    han = len(_HAN_RE.findall(text))
    latin_words = len(_LATIN_WORD_RE.findall(text.lower()))
    if han < 2 and latin_words < 2 and not (han == 1 and latin_words == 0):
        return default
    return "zh" if han >= latin_words else "en"
